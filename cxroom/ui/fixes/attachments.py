"""A fix's attachments: the panel that shows them and the form that adds one."""

from __future__ import annotations

import streamlit as st

from cxroom.queries import fixes as fix_queries
from cxroom.services import fix_attachments
from cxroom.ui import cache, context
from cxroom.ui.fixes.actions import after_write, run_action
from cxroom.ui.fixes.common import (
    when,
)
from cxroom.ui.kit.actor import acting_actor as acting_user  # the kit's one rule, no fallback
from cxroom.ui.kit.text import md


def attachments_panel(d: fix_queries.FixDetail, *, key: str) -> None:
    st.markdown("##### Attachments")
    if not d.attachments:
        st.caption("Nothing attached yet: photos of the process, the new letter, the team's deck as PDF.")
    for a in d.attachments:
        mime = str(a["mime"])
        caption = f"{a['title']} · {when(a['added_at'])} · {a['added_by']}"
        safe_caption = md(caption)
        if mime.startswith("image/"):
            data = cache.thumbnail(str(a["media_sha256"]), mime)
            if data is not None:
                st.image(data, caption=safe_caption, width="stretch")
                continue
        data = cache.media_bytes(str(a["media_sha256"]), mime)
        st.text(caption)
        if data is not None:
            ext = "pdf" if mime == "application/pdf" else mime.split("/")[-1]
            st.download_button(
                f"Download {ext.upper()}",
                data=data,
                file_name=f"fix-{d.fix['id']}-{a['id']}.{ext}",
                mime=mime,
                key=f"{key}-dl-{a['id']}",
                icon=":material/picture_as_pdf:",
            )
        else:
            st.caption("The file is missing from the media folder.")


def attach_form(d: fix_queries.FixDetail, *, key: str) -> None:
    fix_id = int(d.fix["id"])
    with st.form(f"{key}-form", clear_on_submit=True, border=False):
        upload = st.file_uploader(
            "Attach an image or a PDF", type=["png", "jpg", "jpeg", "gif", "webp", "pdf"], key=f"{key}-file"
        )
        title = st.text_input("Title", key=f"{key}-title", placeholder="e.g. New claim letter, page 1")
        submitted = st.form_submit_button("Attach", key=f"{key}-submit")
    if not submitted:
        return
    if upload is None:
        st.error("Choose a file to attach.", icon=":material/warning:")
        return

    def attach() -> int:
        return fix_attachments.attach_upload(
            context.store(),
            context.media(),
            fix_id,
            data=upload.getvalue(),
            original_name=upload.name,
            title=title,
            actor=acting_user(),
        )

    if run_action(attach, success="Attached.", key=key):
        after_write()

"""Artifacts, what customers receive: thumbnails on the wall, the stage page's
gallery, and the full-size viewer (images, PDFs)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from cxroom.queries.wall.artifacts import ArtifactView
from cxroom.queries.wall.wall_data import StageColumn
from cxroom.ui import cache
from cxroom.ui.kit.format import date_text
from cxroom.ui.kit.text import md
from cxroom.ui.prose import Prose

MAX_ARTIFACTS_ON_WALL = 2


def artifacts_block(
    col: StageColumn, *, key: str, prose: Prose, wall_screen: bool = False, limit: int = MAX_ARTIFACTS_ON_WALL
) -> None:
    prose.heading("What customers receive")
    if not col.artifacts:
        prose.add(prose.note("No artifacts hung on this stage yet."))
        return
    prose.flush()
    shown = col.artifacts[:limit]
    with st.container(horizontal=True, key=f"{key}-artifacts", gap="small"):
        for artifact in shown:
            artifact_tile(artifact, key=f"{key}-a{artifact.id}", interactive=not wall_screen)
    if len(col.artifacts) > len(shown):
        prose.add(prose.note(f"+{len(col.artifacts) - len(shown)} more on the stage page"))


def artifact_tile(artifact: ArtifactView, *, key: str, interactive: bool = True) -> None:
    with st.container(key=f"{key}-tile", width="stretch"):
        thumb = cache.thumbnail(artifact.sha256, artifact.mime)
        if thumb is not None:
            st.image(thumb, width="stretch")
        icon = ":material/description:" if artifact.is_pdf else ":material/image:"
        label = md(artifact.title)
        if interactive:
            if st.button(label, key=f"{key}-open", type="tertiary", icon=icon, help="Open full size"):
                show_artifact(artifact)
        else:
            st.caption(f"{icon} {label}")


def _pdf_viewer_available() -> bool:
    """st.pdf works when streamlit[pdf] is installed and its component was registered at start-up."""
    try:
        import streamlit_pdf  # type: ignore[import-not-found]  # noqa: F401
    except Exception:  # ImportError, or StreamlitAPIException outside a running server (AppTest)
        return False
    return True


@st.dialog("Artifact", width="large")
def show_artifact(artifact: ArtifactView) -> None:
    """Full size: the image itself, or the PDF in the browser's own viewer."""
    st.markdown(f"### {md(artifact.title)}")
    meta = [artifact.kind.replace("_", " ")]
    if artifact.version_label:
        meta.append(f"version {artifact.version_label}")
    if artifact.issued_on:
        meta.append(f"issued {date_text(artifact.issued_on)}")
    st.caption(md(" · ".join(meta)))
    if artifact.caption:
        st.text(artifact.caption)
    if artifact.asks_of_customer:
        st.markdown(f"**What it asks of the customer:** {md(artifact.asks_of_customer)}")
    data = cache.media_bytes(artifact.sha256, artifact.mime)
    if data is None:
        st.warning("The file of this artifact is missing from the media folder.")
        return
    if artifact.is_pdf:
        # Chromium refuses to show a PDF inside a sandboxed iframe (st.iframe's), so the PDF is
        # drawn by pdf.js (st.pdf, from streamlit[pdf]) or, without it, as page images.
        if _pdf_viewer_available():
            st.pdf(data, height=900, key=f"pdf-{artifact.id}")
        else:
            pages = cache.pdf_pages(artifact.sha256, artifact.mime)
            for number, page in enumerate(pages, start=1):
                st.image(page, caption=f"Page {number}", width="stretch")
            if not pages:
                st.info("This PDF cannot be previewed here; download it to read it.")
        st.download_button(
            "Download PDF",
            data,
            file_name=f"artifact-{artifact.id}.pdf",
            mime="application/pdf",
            key=f"download-{artifact.id}",
        )
    else:
        st.image(data, width="stretch")


def artifacts_gallery(artifacts: Sequence[ArtifactView], *, key: str) -> None:
    if not artifacts:
        st.info("No artifacts hang on this stage yet: letters, bills, e-mails and web pages customers receive.")
        return
    per_row = 4
    for start in range(0, len(artifacts), per_row):
        row = st.columns(per_row)
        for slot, artifact in zip(row, artifacts[start : start + per_row], strict=False):
            with slot, st.container(border=True, key=f"{key}-{artifact.id}"):
                thumb = cache.thumbnail(artifact.sha256, artifact.mime)
                if thumb is not None:
                    st.image(thumb, width="stretch")
                st.markdown(f"**{md(artifact.title)}**")
                meta = [artifact.kind.replace("_", " ")]
                if artifact.moment_name:
                    meta.append(artifact.moment_name)
                st.caption(md(" · ".join(meta)))
                if artifact.caption:
                    st.text(artifact.caption)
                if st.button("Open full size", key=f"{key}-{artifact.id}-open", icon=":material/open_in_full:"):
                    show_artifact(artifact)

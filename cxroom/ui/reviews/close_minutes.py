"""Closing a review (and reopening it), and its minutes to read and download."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import streamlit as st

from cxroom.queries.reviews import contents, listing
from cxroom.services import reviews as rs
from cxroom.ui import context
from cxroom.ui.kit.actor import acting_actor as acting_user
from cxroom.ui.kit.format import datetime_text, month_label
from cxroom.ui.reviews.reads import cached_minutes, db_key, version
from cxroom.ui.reviews.state import attempt

# -- close, minutes, reopen ----------------------------------------------------------------------------


def close_panel(
    review: listing.Review, findings: Sequence[contents.Finding], decisions: Sequence[contents.Decision]
) -> None:
    store = context.store()
    if review.closed:
        # A click on "Close" from a page that still showed the review open: nothing to do, and it says so.
        if st.session_state.pop("close-go", False):
            st.info(_already_closed(review.closed_at), icon=":material/info:")
        st.info(
            f"Closed on {datetime_text(review.closed_at)}: the review is read-only. "
            f"Its snapshot of the room ({month_label(review.month)} data) is kept for the next comparison."
            if review.closed_at
            else "Closed: the review is read-only."
        )
        with st.expander("Reopen this review"):
            st.caption(
                "Reopening is recorded in the audit log with your reason; the snapshot is taken again on closing."
            )
            reason = st.text_input("Why reopen it?", key="reopen-reason")
            if st.button("Reopen the review", key="reopen-go"):
                attempt(
                    lambda: rs.reopen_review(
                        store, review.id, expected_version=review.version, reason=reason or "", actor=acting_user()
                    ),
                    success="Review reopened.",
                    clear={"reopen-reason": ""},
                )
        return
    st.markdown(
        f"{len(findings)} findings, {len(decisions)} decisions so far. Closing the review makes it read-only and "
        f"freezes a snapshot of the room as it stands: KPIs and their status, complaints per stage and category, "
        f"survey scores ({month_label(review.month)}), the reliability of every moment of truth and the status "
        "of every fix."
    )
    sure = st.checkbox("Everything is captured", key="close-sure")
    if st.button("Close the review", type="primary", key="close-go", disabled=not sure):
        attempt(
            lambda: rs.close_review(store, review.id, expected_version=review.version, actor=acting_user()),
            success=lambda closed_now: (
                "Review closed. The minutes are ready to download." if closed_now else _already_closed(None)
            ),
            clear={"close-sure": False},
        )


def _already_closed(closed_at: Any) -> str:
    when = f" on {datetime_text(closed_at)}" if isinstance(closed_at, datetime) else ""
    return f"This review was already closed{when}: nothing changed. Its minutes are ready to download."


def minutes_downloads(review: listing.Review) -> None:
    found = cached_minutes(version(), db_key(), review.id)
    if found is None:
        return
    markdown, html_text = found
    stem = re.sub(r"[^a-z0-9]+", "-", review.title.lower()).strip("-")[:60] or "review"
    name = f"minutes-{review.held_on:%Y-%m-%d}-{stem}"
    draft = "" if review.closed else " (draft)"
    files = (
        ("Markdown", markdown, "md", "text/markdown", ":material/description:"),
        ("printable HTML", html_text, "html", "text/html", ":material/print:"),
    )
    for col, (what, data, ext, mime, icon) in zip(st.columns(2), files, strict=True):
        col.download_button(
            f"Minutes as {what}{draft}",
            data=data,
            file_name=f"{name}.{ext}",
            mime=mime,
            key=f"minutes-{ext}",
            icon=icon,
            on_click="ignore",
        )
    with st.expander("Read the minutes", expanded=review.closed):
        st.markdown(markdown)

"""Artifact versions on the pages: before and after side by side (the stage page, the
celebration of the fix that changed them), and the "replaces" and "changed by fix" choices
of the form that adds an artifact."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from cxroom.queries import artifact_versions as q
from cxroom.queries.fixes import fix_choices
from cxroom.ui import cache, context
from cxroom.ui.kit.format import date_text, datetime_text
from cxroom.ui.kit.text import md

THUMB_PX = 360  # a pair fits a 1080p screen beside its words


def _db() -> str:
    return str(context.settings().db_path)


@st.cache_data(show_spinner=False, max_entries=64)
def _stage_changes(data_version: int, db: str, stage_id: int) -> list[q.VersionChange]:
    del data_version, db
    return q.stage_changes(context.store(), stage_id)


@st.cache_data(show_spinner=False, max_entries=64)
def _fix_changes(data_version: int, db: str, fix_id: int) -> list[q.VersionChange]:
    del data_version, db
    return q.fix_changes(context.store(), fix_id)


@st.cache_data(show_spinner=False, max_entries=8)
def _choices(data_version: int, db: str) -> tuple[dict[int, str], dict[int, str]]:
    """Artifacts a new version may replace (the current ones) and fixes that may have changed one."""
    del data_version, db
    store = context.store()
    replaceable = {i: f"#{i} {title} · {stage}" for i, title, stage in q.replaceable(store)}
    return replaceable, {i: f"#{i} {title} ({status})" for i, title, status in fix_choices(store)}


def _side(side: q.Side, heading: str, *, key: str) -> None:
    st.markdown(f"**{heading}**")
    thumb = cache.thumbnail(side.sha256, side.mime)
    if thumb is not None:
        st.image(thumb, width=THUMB_PX)
    else:
        st.caption("No preview: the file is missing or cannot be drawn.")
    facts = [side.title] + ([side.version_label] if side.version_label else [])
    if side.issued_on is not None:
        facts.append(f"issued {date_text(side.issued_on)}")
    st.caption(md(" · ".join(facts)))


def before_after(changes: Sequence[q.VersionChange], *, key: str, show_fix: bool = True) -> None:
    """Each change as two pictures side by side: the version replaced and the one that replaced it."""
    for n, change in enumerate(changes):
        with st.container(border=True, key=f"{key}-{n}"):
            if show_fix and change.fix_title:
                st.markdown(f"Changed by the fix **{md(change.fix_title)}** · {datetime_text(change.linked_at)}")
            elif show_fix:
                st.markdown(f"A new version · {datetime_text(change.linked_at)}")
            left, right = st.columns(2, gap="medium")
            with left:
                _side(change.before, "Before", key=f"{key}-{n}-before")
            with right:
                _side(
                    change.after,
                    "After" + ("" if change.after_is_current else " (since replaced again)"),
                    key=f"{key}-{n}-after",
                )


def stage_before_after(stage_id: int, *, key: str) -> None:
    """The stage page's artifacts that changed: before and after."""
    changes = _stage_changes(context.data_version(), _db(), stage_id)
    st.markdown("##### What customers received before, and what they receive now")
    if not changes:
        st.caption("No artifact on this stage has a new version yet.")
        return
    before_after(changes, key=key)


def fix_before_after(fix_id: int, *, key: str) -> None:
    """What the fix changed in what customers receive (nothing is drawn when it changed no artifact)."""
    changes = _fix_changes(context.data_version(), _db(), fix_id)
    if changes:
        st.markdown("**What customers receive, before and after**")
        before_after(changes, key=key, show_fix=False)


def version_inputs(*, key: str) -> tuple[int | None, int | None]:
    """The "replaces" and "changed by fix" choices of a form that adds an artifact."""
    replaceable, fixes = _choices(context.data_version(), _db())
    c1, c2 = st.columns(2)
    replaces = c1.selectbox(
        "Replaces (a new version of)",
        [None, *replaceable],
        format_func=lambda i: "Nothing: a new artifact" if i is None else md(replaceable[i]),
        key=f"{key}-replaces",
    )
    fix = c2.selectbox(
        "Changed by fix",
        [None, *fixes],
        format_func=lambda i: "No fix" if i is None else md(fixes[i]),
        key=f"{key}-fix",
        help="The fix team whose work changed it; the celebration of that fix shows before and after.",
    )
    return replaces, fix

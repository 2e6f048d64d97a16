"""The customer's voice: calls (title, clip, transcript) and quoted words
(verbatims, comments, excerpts), always as plain text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from cxroom.permissions import may_see_personal_data
from cxroom.queries.wall.calls import CallView
from cxroom.queries.wall.wall_data import StageColumn
from cxroom.ui import cache
from cxroom.ui.kit.actor import acting_role
from cxroom.ui.kit.format import clip_time, date_text
from cxroom.ui.kit.text import md
from cxroom.ui.prose import Prose


def call_block(col: StageColumn, *, key: str, prose: Prose, wall_screen: bool = False) -> None:
    prose.heading("Customer call")
    if not col.calls:
        prose.add(prose.note("No call recording on the wall for this stage."))
        return
    # A column has room for the clip, not its transcript (the stage page has both).
    call_player(col.calls[0], key=f"{key}-call", excerpt_chars=200 if wall_screen else 0, prose=prose, in_column=True)


def call_player(
    call: CallView,
    *,
    key: str,
    excerpt_chars: int = 320,
    full_transcript: bool = False,
    prose: Prose | None = None,
    in_column: bool = False,
) -> None:
    """A call's title, its clip and an excerpt of its transcript; the title joins ``prose`` when given."""
    start, end = call.clip_start_s, call.clip_end
    meta = f"{call.channel} · {date_text(call.recorded_at)} · clip {clip_time(start)}–{clip_time(end)}"
    title = prose or Prose()
    title.add(f":material/headphones: **{md(call.title)}**  \n{md(meta)}")
    title.flush()
    data = cache.media_bytes(call.sha256, call.mime)
    if data is None:
        st.caption("The recording is missing from the media folder.")
    else:
        st.audio(data, format=call.mime, start_time=start, end_time=end)
    if full_transcript:
        return
    excerpt = call.excerpt(excerpt_chars) if excerpt_chars else ""
    if excerpt:
        voice(excerpt, key=key, boxed=not in_column)


def voice(text: str, *, key: str, boxed: bool = True) -> None:
    """A customer's words, as plain text, styled as a quote by the theme. In a wall column the
    theme styles every ``st.text`` as a quote, so there it needs no container (one element, not two)."""
    if boxed:
        with st.container(key=f"voice-{key}"):
            st.text(text)
    else:
        st.text(text)


def trim_at_word(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def calls_list(calls: Sequence[CallView], *, key: str) -> None:
    if not calls:
        st.info("No call recordings for this stage yet.")
        return
    for call in calls:
        with st.container(border=True, key=f"{key}-{call.id}"):
            call_player(call, key=f"{key}-{call.id}", full_transcript=True)
            if call.transcript:
                lines = []
                clip = {id(s) for s in call.clip_segments()}
                for seg in call.transcript:
                    mark = "» " if id(seg) in clip else "  "  # Latin-1: drawn by every font
                    lines.append(f"{mark}{clip_time(seg.start)}  {seg.speaker}: {seg.text}")
                with st.expander("Transcript (» marks the highlighted clip; personal data masked)"):
                    st.text("\n".join(lines))
            else:
                st.caption("No transcript.")


def personal_data_toggle(slot: Any, *, key: str) -> bool:
    """Personal data is masked for everyone by default (the table may be on a shared screen); a
    role that may read it unmasked asks for it here, and search then reads it too."""
    return may_see_personal_data(acting_role()) and bool(
        slot.checkbox(
            "Show personal data",
            key=key,
            help="Show e-mail addresses, phone, card and account numbers as imported, and search in them.",
        )
    )


def words_table(
    rows: Any,
    total: int,
    *,
    noun: str,
    empty: str,
    words: tuple[str, str],
    unmasked: bool,
    columns: dict[str, Any],
    key: str,
) -> None:
    """A searched page of customers' words (complaints, comments): how many match, the newest
    rows, and the column of words (``words``: column, label) saying whether it is masked."""
    st.markdown(f"**{total:,}** {noun} match · showing the newest **{len(rows):,}**")
    if total == 0:
        st.caption(empty)
        return
    column, label = words
    shown = st.column_config.TextColumn(
        f"{label} (as imported)" if unmasked else f"{label} (personal data masked)", width="large"
    )
    st.dataframe(rows, hide_index=True, width="stretch", column_config={**columns, column: shown}, key=key)

"""Curating calls: the clip of a recording that plays, its transcript, and whether it plays
on the wall."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from cxroom.models import TranscriptSegment
from cxroom.queries import setup as q
from cxroom.services import curation
from cxroom.setup_models import ClipEdit
from cxroom.store import Store
from cxroom.ui import cache
from cxroom.ui.kit.text import md
from cxroom.ui.setup.inputs import as_int, pick_record, session_value
from cxroom.ui.setup.messages import attempt, show_flash


def _save_clip(store: Store, actor: str, call_id: int, version: int, prefix: str, seen: pd.DataFrame) -> None:
    def go() -> None:
        edits = st.session_state.get(f"{prefix}_transcript") or {}
        transcript = None
        if any(edits.get(k) for k in ("edited_rows", "added_rows", "deleted_rows")):
            transcript = [TranscriptSegment.model_validate(seg) for seg in apply_editor(seen, edits)]
        end = session_value(f"{prefix}_end")
        data = ClipEdit(
            clip_start_s=int(session_value(f"{prefix}_start") or 0),
            clip_end_s=None if end is None else int(end),
            transcript=transcript,
        )
        curation.update_call_clip(store, call_id, data, expected_version=version, actor=actor)

    attempt("calls", go, "Clip saved.")


def apply_editor(seen: pd.DataFrame, edits: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of a dynamic data editor after the person's edits (deleted rows gone, added rows appended)."""
    deleted = {int(i) for i in edits.get("deleted_rows", [])}
    rows = []
    for index, record in enumerate(seen.to_dict("records")):
        if index in deleted:
            continue
        record.update(edits.get("edited_rows", {}).get(index, edits.get("edited_rows", {}).get(str(index), {})))
        rows.append(record)
    rows.extend(dict(r) for r in edits.get("added_rows", []))
    cleaned = []
    for r in rows:
        if not str(r.get("text") or "").strip() and r.get("start") is None:
            continue  # an empty row the person added and left
        cleaned.append(
            {
                "start": r.get("start") or 0,
                "end": r.get("end") or 0,
                "speaker": str(r.get("speaker") or "").strip() or "?",
                "text": str(r.get("text") or ""),
            }
        )
    return cleaned


def _on_wall(store: Store, actor: str, call_id: int, version: int, on_wall: bool) -> None:
    message = "The call is offered to the wall." if on_wall else "The call is off the wall (it stays on the stage)."
    attempt(
        "calls",
        lambda: curation.set_call_on_wall(store, call_id, on_wall, expected_version=version, actor=actor),
        message,
    )


def _play_on_wall(store: Store, actor: str, call_id: int, version: int) -> None:
    attempt(
        "calls",
        lambda: curation.play_on_wall(store, call_id, expected_version=version, actor=actor),
        "This call now plays in its stage's column on the wall.",
    )


def calls_panel(store: Store, actor: str) -> None:
    show_flash("calls")
    calls = q.calls(store)
    if calls.empty:
        st.info("No call recordings yet.")
        return
    picked = pick_record(
        "Call",
        calls,
        lambda r: f"{r.title} · {r.stage_name}" + (" · plays on the wall" if r.plays_on_wall else ""),
        key="call_pick",
        prefix="call",
    )
    if picked is None:
        return
    call_id, row, version, prefix = picked
    duration = float(row["duration_s"])
    start = int(row["clip_start_s"])
    end = as_int(row["clip_end_s"])
    st.caption(
        f"{md(row['channel'])} · recorded {row['recorded_at']:%-d %b %Y} · {int(duration)} s long · "
        + ("consent recorded" if row["consent"] else "no consent recorded")
    )
    data = cache.media_bytes(str(row["sha256"]), str(row["mime"])) if isinstance(row["mime"], str) else None
    if data is None:
        st.caption("The recording is missing from the media folder.")
    else:
        st.audio(data, format=str(row["mime"]), start_time=start, end_time=end or int(duration))
    c1, c2 = st.columns(2)
    if row["plays_on_wall"]:
        c1.success("This call plays in its stage's column on the wall.", icon=":material/play_circle:")
    else:
        c1.button(
            "Play this call on the wall",
            type="primary",
            key=f"{prefix}_play",
            on_click=_play_on_wall,
            args=(store, actor, call_id, version),
            help="Its stage's other calls come off the wall (they stay on the stage page).",
        )
    if row["on_wall"]:
        c2.button(
            "Take it off the wall", key=f"{prefix}_off", on_click=_on_wall, args=(store, actor, call_id, version, False)
        )
    else:
        c2.button(
            "Offer it to the wall", key=f"{prefix}_on", on_click=_on_wall, args=(store, actor, call_id, version, True)
        )
    segments = pd.DataFrame(q.transcript_segments(row["transcript"]), columns=["start", "end", "speaker", "text"])
    with st.form(f"{prefix}_clip_form"):
        st.markdown("**The clip that plays** (whole seconds)")
        c3, c4 = st.columns(2)
        c3.number_input(
            "Starts at (s)",
            min_value=0,
            max_value=max(int(duration) - 1, 0),
            value=start,
            step=1,
            key=f"{prefix}_start",
        )
        c4.number_input(
            "Ends at (s)",
            min_value=1,
            max_value=int(duration) + 1,
            value=end,
            step=1,
            key=f"{prefix}_end",
            help="Empty: to the end of the recording.",
        )
        st.markdown("**Transcript**")
        st.data_editor(
            segments,
            key=f"{prefix}_transcript",
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            column_config={
                "start": st.column_config.NumberColumn("From (s)", min_value=0, step=0.1, width="small"),
                "end": st.column_config.NumberColumn("To (s)", min_value=0, step=0.1, width="small"),
                "speaker": st.column_config.TextColumn("Speaker", max_chars=40, width="small"),
                "text": st.column_config.TextColumn("Said", width="large", max_chars=5000),
            },
        )
        st.form_submit_button(
            "Save clip and transcript",
            type="primary",
            on_click=_save_clip,
            args=(store, actor, call_id, version, prefix, segments),
        )

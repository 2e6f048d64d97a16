"""Writes of a review's listening set: the calls and clips the facilitator queues for a
review, and the listening log that records each one played to the review's attendees.

A play is recorded when the facilitator presses "Play to the room" on the presenter (see
cxroom/ui/reviews/listening_play.py for why the press, not the audio element, is the event).
The attendees are copied from the review at that moment: the log says who was in the room
when the customer was heard, whatever the review's list says later.
"""

from __future__ import annotations

from typing import Any, cast

from cxroom.errors import ConflictError, InvalidInputError, NotFoundError
from cxroom.permissions import Action
from cxroom.services import _lookup
from cxroom.store import Store, Tx, utcnow

NOTE_MAX_CHARS = 300

NEXT_POSITION = "SELECT coalesce(max(position) + 1, 1) FROM review_listening_items WHERE review_id = ?"
SAME_CLIP = """
SELECT count(*) FROM review_listening_items
WHERE review_id = ? AND call_id = ? AND clip_start_s = ? AND clip_end_s IS NOT DISTINCT FROM ?
"""
INSERT_ITEM = """
INSERT INTO review_listening_items (review_id, call_id, clip_start_s, clip_end_s, position, note, added_by, added_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
"""
INSERT_PLAY = """
INSERT INTO listening_log (review_id, call_id, item_id, stage_id, call_title, clip_start_s, clip_end_s,
                           played_at, played_by, attendees)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
"""


def _row(tx: Tx, table: str, row_id: int) -> dict[str, Any]:
    return cast(dict[str, Any], _lookup.row(tx, table, row_id))


def _open_review(tx: Tx, review_id: int) -> dict[str, Any]:
    review = _row(tx, "reviews", review_id)
    if review["status"] == "closed":
        raise ConflictError(f"The review '{review['title']}' is closed: reopen it to change or play its listening set.")
    return review


def _call(tx: Tx, call_id: int) -> dict[str, Any]:
    try:
        return _row(tx, "calls", call_id)
    except NotFoundError:
        raise NotFoundError(f"Call #{call_id} is no longer in the room (it may have been purged).") from None


def checked_clip(call: dict[str, Any], start: int | None, end: int | None) -> tuple[int, int | None]:
    """The clip to queue: the call's highlighted clip when no start is given, else the one asked
    for, which must lie inside the recording. Seconds are whole (st.audio plays whole seconds)."""
    duration = float(call["duration_s"])
    if start is None:
        return int(call["clip_start_s"]), None if call["clip_end_s"] is None else int(call["clip_end_s"])
    if start < 0 or start >= duration:
        raise InvalidInputError(
            f"The clip must start inside the recording (0-{int(duration) - 1} s), not at {start} s."
        )
    if end is not None and (end <= start or end > duration + 1):
        raise InvalidInputError(
            f"The clip must end after it starts ({start} s) and by the end of the call ({int(duration)} s)."
        )
    return int(start), None if end is None else int(end)


def queue_call(
    store: Store,
    *,
    review_id: int,
    call_id: int,
    clip_start_s: int | None = None,
    clip_end_s: int | None = None,
    note: str = "",
    actor: str,
) -> int:
    """Queue a call (its highlighted clip, or the clip given) at the end of a review's listening set."""
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX_CHARS:
        raise InvalidInputError(f"The note is {len(note)} characters; keep it to {NOTE_MAX_CHARS}.")
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        _open_review(tx, review_id)
        call = _call(tx, call_id)
        start, end = checked_clip(call, clip_start_s, clip_end_s)
        if tx.fetch_value(SAME_CLIP, [review_id, call_id, start, end]):
            raise ConflictError(f"'{call['title']}' is already in this listening set with that clip.")
        position = int(tx.fetch_value(NEXT_POSITION, [review_id]))
        new_id = int(tx.fetch_value(INSERT_ITEM, [review_id, call_id, start, end, position, note, actor, utcnow()]))
        after = {"review_id": review_id, "call_id": call_id, "clip_start_s": start, "clip_end_s": end, "note": note}
        tx.audit("queue", "listening_item", new_id, None, after)
        return new_id


def remove_item(store: Store, *, item_id: int, expected_version: int, actor: str) -> None:
    """Take a call off the listening set, unless someone changed it meanwhile; its plays stay in the log."""
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = _row(tx, "review_listening_items", item_id)
        _open_review(tx, int(before["review_id"]))
        if int(before["version"]) != expected_version:
            raise ConflictError("That call in the listening set was changed by someone else; reload and try again.")
        tx.execute("DELETE FROM review_listening_items WHERE id = ?", [item_id])
        tx.audit("unqueue", "listening_item", item_id, before, None)


def change_item(
    store: Store,
    *,
    item_id: int,
    expected_version: int,
    clip_start_s: int,
    clip_end_s: int | None,
    note: str,
    actor: str,
) -> None:
    """Change the clip or the note of a queued call, unless someone changed it meanwhile."""
    note = " ".join((note or "").split())
    if len(note) > NOTE_MAX_CHARS:
        raise InvalidInputError(f"The note is {len(note)} characters; keep it to {NOTE_MAX_CHARS}.")
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = _row(tx, "review_listening_items", item_id)
        _open_review(tx, int(before["review_id"]))
        start, end = checked_clip(_call(tx, int(before["call_id"])), clip_start_s, clip_end_s)
        values = {"clip_start_s": start, "clip_end_s": end, "note": note}
        tx.update_versioned("review_listening_items", item_id, expected_version, values)
        tx.audit("change", "listening_item", item_id, {k: before[k] for k in values}, values)


def record_play(store: Store, *, item_id: int, actor: str) -> int:
    """Record that a queued call was played to the review's attendees; returns the log entry's id."""
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        try:
            item = _row(tx, "review_listening_items", item_id)
        except NotFoundError:
            raise NotFoundError("That call is no longer in the listening set; nothing was played.") from None
        review = _open_review(tx, int(item["review_id"]))
        call = _call(tx, int(item["call_id"]))
        end = int(item["clip_end_s"]) if item["clip_end_s"] is not None else int(float(call["duration_s"]))
        attendees = [str(a) for a in (review["attendees"] or [])]
        values = [
            review["id"],
            call["id"],
            item_id,
            call["stage_id"],
            call["title"],
            int(item["clip_start_s"]),
            end,
            utcnow(),
            actor,
            attendees,
        ]
        play_id = int(tx.fetch_value(INSERT_PLAY, values))
        after = {"review_id": review["id"], "call_id": call["id"], "clip": [item["clip_start_s"], end]}
        tx.audit("play", "listening_log", play_id, None, {**after, "attendees": attendees})
        return play_id

"""A review's listening set on a private copy of the demo room: calls and clips queued,
each play recorded in the listening log with the review's attendees, the calls a stage
heard in the last three months, and calls nobody heard for a year suggested."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from cxroom.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from cxroom.models import ReviewCreate
from cxroom.queries import listening_set as q
from cxroom.services import listening_set as ls
from cxroom.services import reviews as rs
from cxroom.settings import Settings
from cxroom.store import Store, utcnow

FACILITATOR = "leila.mansour@larkfield.example"
VIEWER = "someone@elsewhere.example"
PLANNED, CLOSED = 3, 2  # the demo's reviews: October 2026 is planned, September closed


@pytest.fixture
def store(demo_settings: Settings, tmp_path: Path) -> Iterator[Store]:
    shutil.copyfile(demo_settings.db_path, tmp_path / "room.duckdb")
    wal = Path(f"{demo_settings.db_path}.wal")
    if wal.exists():
        shutil.copyfile(wal, tmp_path / "room.duckdb.wal")
    room = Store(tmp_path / "room.duckdb")
    yield room
    room.close()


def _call(store: Store, call_id: int) -> dict[str, object]:
    return store.fetch_dicts("SELECT * FROM calls WHERE id = ?", [call_id])[0]


def test_queue_takes_the_highlighted_clip_or_the_one_asked_for_in_order(store: Store) -> None:
    first = ls.queue_call(store, review_id=PLANNED, call_id=7, actor=FACILITATOR)
    second = ls.queue_call(
        store, review_id=PLANNED, call_id=7, clip_start_s=5, clip_end_s=15, note="the opening", actor=FACILITATOR
    )
    third = ls.queue_call(store, review_id=PLANNED, call_id=2, clip_start_s=40, actor=FACILITATOR)
    items = q.listening_set(store, PLANNED)
    assert [i.id for i in items] == [first, second, third]
    call7, call2 = _call(store, 7), _call(store, 2)
    assert (items[0].clip_start_s, items[0].clip_end_s) == (call7["clip_start_s"], call7["clip_end_s"])
    assert (items[1].clip_start_s, items[1].clip_end_s, items[1].note) == (5, 15, "the opening")
    # No end: to the end of the recording.
    assert (items[2].clip_start_s, items[2].clip_end_s) == (40, int(float(call2["duration_s"])))  # type: ignore[arg-type]
    # The clip's words only (masked transcript segments overlapping 5-15 s).
    assert items[1].words and all(s.end > 5 and s.start < 15 for s in items[1].words)
    assert all(i.plays == 0 for i in items)
    audit = store.fetch_value("SELECT count(*) FROM audit_log WHERE action = 'queue' AND entity = 'listening_item'")
    assert audit == 3


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-1, None, "start inside"),
        (999, None, "start inside"),
        (20, 20, "end after"),
        (20, 10, "end after"),
        (0, 500, "end after"),
    ],
)
def test_a_clip_outside_the_recording_is_refused_and_nothing_queued(
    store: Store, start: int, end: int | None, message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        ls.queue_call(store, review_id=PLANNED, call_id=1, clip_start_s=start, clip_end_s=end, actor=FACILITATOR)
    assert q.listening_set(store, PLANNED) == []


def test_queue_refuses_viewers_closed_reviews_missing_calls_and_the_same_clip_twice(store: Store) -> None:
    with pytest.raises(PermissionDeniedError):
        ls.queue_call(store, review_id=PLANNED, call_id=1, actor=VIEWER)
    with pytest.raises(ConflictError, match="closed"):
        ls.queue_call(store, review_id=CLOSED, call_id=1, actor=FACILITATOR)
    with pytest.raises(NotFoundError, match="Call #999"):
        ls.queue_call(store, review_id=PLANNED, call_id=999, actor=FACILITATOR)
    ls.queue_call(store, review_id=PLANNED, call_id=1, actor=FACILITATOR)
    with pytest.raises(ConflictError, match="already in this listening set"):
        ls.queue_call(store, review_id=PLANNED, call_id=1, actor=FACILITATOR)
    assert len(q.listening_set(store, PLANNED)) == 1


def test_a_play_is_recorded_with_the_attendees_of_that_review(store: Store) -> None:
    item = ls.queue_call(store, review_id=PLANNED, call_id=8, clip_start_s=10, clip_end_s=30, actor=FACILITATOR)
    attendees = store.fetch_value("SELECT attendees FROM reviews WHERE id = ?", [PLANNED])
    before = utcnow()
    play = ls.record_play(store, item_id=item, actor=FACILITATOR)
    [logged] = q.review_plays(store, PLANNED)
    assert logged.id == play and logged.call_id == 8 and logged.item_id == item
    assert (logged.clip_start_s, logged.clip_end_s) == (10, 30)
    assert logged.played_by == FACILITATOR and logged.played_at >= before
    assert list(logged.attendees) == list(attendees) and len(logged.attendees) > 3
    # The attendees are those of the day: editing the review later does not rewrite the log.
    review = store.fetch_dicts("SELECT * FROM reviews WHERE id = ?", [PLANNED])[0]
    rs.update_review(
        store,
        PLANNED,
        ReviewCreate(held_on=review["held_on"], kind=review["kind"], title=review["title"], attendees=["Only Me"]),
        expected_version=int(review["version"]),
        actor=FACILITATOR,
    )
    ls.record_play(store, item_id=item, actor=FACILITATOR)
    first, second = q.review_plays(store, PLANNED)
    assert list(first.attendees) == list(attendees) and list(second.attendees) == ["Only Me"]
    assert q.listening_set(store, PLANNED)[0].plays == 2


def test_a_play_is_refused_for_viewers_and_closed_reviews_and_records_nothing(store: Store) -> None:
    item = ls.queue_call(store, review_id=PLANNED, call_id=3, actor=FACILITATOR)
    with pytest.raises(PermissionDeniedError):
        ls.record_play(store, item_id=item, actor=VIEWER)
    with pytest.raises(NotFoundError, match="no longer in the listening set"):
        ls.record_play(store, item_id=item + 100, actor=FACILITATOR)
    assert q.review_plays(store, PLANNED) == []


def test_change_and_remove_check_the_version(store: Store) -> None:
    item = ls.queue_call(store, review_id=PLANNED, call_id=4, actor=FACILITATOR)
    ls.change_item(
        store, item_id=item, expected_version=1, clip_start_s=3, clip_end_s=9, note="short", actor=FACILITATOR
    )
    with pytest.raises(ConflictError):
        ls.change_item(
            store, item_id=item, expected_version=1, clip_start_s=1, clip_end_s=2, note="", actor=FACILITATOR
        )
    [changed] = q.listening_set(store, PLANNED)
    assert (changed.clip_start_s, changed.clip_end_s, changed.note, changed.version) == (3, 9, "short", 2)
    ls.record_play(store, item_id=item, actor=FACILITATOR)
    with pytest.raises(ConflictError):
        ls.remove_item(store, item_id=item, expected_version=1, actor=FACILITATOR)
    ls.remove_item(store, item_id=item, expected_version=2, actor=FACILITATOR)
    assert q.listening_set(store, PLANNED) == []
    assert len(q.review_plays(store, PLANNED)) == 1  # what was heard stays heard


def test_a_stage_shows_the_calls_heard_in_the_last_three_months(store: Store) -> None:
    claim_stage = int(_call(store, 7)["stage_id"])  # type: ignore[arg-type]
    assert int(_call(store, 8)["stage_id"]) == claim_stage  # type: ignore[arg-type]
    for call_id in (7, 7, 8, 1):
        item = ls.queue_call(
            store,
            review_id=PLANNED,
            call_id=call_id,
            clip_start_s=len(q.listening_set(store, PLANNED)),
            actor=FACILITATOR,
        )
        ls.record_play(store, item_id=item, actor=FACILITATOR)
    today = utcnow().date()
    heard = q.heard_on_stage(store, claim_stage, today=today)
    assert [h.call_id for h in heard] == [8, 7]  # latest first; call 1 is on another stage
    by_call = {h.call_id: h for h in heard}
    assert by_call[7].plays == 2 and by_call[8].plays == 1 and by_call[7].reviews == 1
    assert "Catherine Doyle (CEO)" in by_call[7].attendees
    assert by_call[7].review_titles == ("Monthly room review · October 2026",)
    assert [h.call_id for h in q.heard_on_stage(store, claim_stage, today=today + timedelta(days=85))] == [8, 7]
    assert q.heard_on_stage(store, claim_stage, today=today + timedelta(days=100)) == []
    assert [h.call_id for h in q.heard_on_stage(store, int(_call(store, 1)["stage_id"]), today=today)] == [1]  # type: ignore[arg-type]


def test_calls_nobody_heard_in_a_year_are_suggested_never_heard_first(store: Store) -> None:
    today = utcnow().date()
    everything = {c.call_id for c in q.call_choices(store)}
    first = q.suggestions(store, PLANNED, today=today, limit=100)
    assert {s.call_id for s in first} == everything and all(s.last_played_at is None for s in first)
    # Heard in a closed review's time? Played here: call 5 was heard today, call 6 is queued (not yet played).
    item = ls.queue_call(store, review_id=PLANNED, call_id=5, actor=FACILITATOR)
    ls.record_play(store, item_id=item, actor=FACILITATOR)
    ls.queue_call(store, review_id=PLANNED, call_id=6, actor=FACILITATOR)
    now = {s.call_id for s in q.suggestions(store, PLANNED, today=today, limit=100)}
    assert now == everything - {5, 6}
    # Another review's set: call 6 is suggested there (queued is not heard), call 5 is not (heard today).
    other = {s.call_id for s in q.suggestions(store, 1, today=today, limit=100)}
    assert 6 in other and 5 not in other
    # A year and a day later, call 5 is suggested again, after the never-heard calls.
    later = q.suggestions(store, 1, today=today + timedelta(days=366), limit=100)
    assert later[-1].call_id == 5 and later[-1].last_played_at is not None
    assert len(q.suggestions(store, 1, today=today, limit=3)) == 3


def test_months_before_keeps_the_day_or_the_month_end() -> None:
    assert q._months_before(date(2026, 5, 31), 3).date() == date(2026, 2, 28)
    assert q._months_before(date(2026, 1, 15), 3).date() == date(2025, 10, 15)

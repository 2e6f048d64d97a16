"""Following up decisions on a real room file: decisions carry owners and due dates, come back on
the next review's agenda as open, overdue or done, and their owners (or a facilitator) mark them done."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from cxroom.errors import ConflictError, InvalidInputError, PermissionDeniedError
from cxroom.insights.agenda import propose_agenda
from cxroom.insights.follow_up import FOLLOW_UP_TITLE, FollowUpState
from cxroom.models import DecisionCreate, ReviewCreate
from cxroom.permissions import Role
from cxroom.queries.reviews import agenda_facts, contents, follow_up
from cxroom.services import review_capture as capture
from cxroom.services import reviews as rs
from cxroom.services import trust
from cxroom.store import Store

SYSTEM = "system"


def _review(store: Store, held_on: date) -> int:
    return rs.create_review(store, ReviewCreate(held_on=held_on, title=f"Review {held_on}"), actor=SYSTEM)


def _decide(store: Store, review_id: int, text: str, owner: str, due_on: date | None) -> int:
    return capture.add_decision(
        store, DecisionCreate(review_id=review_id, text=text, owner=owner, due_on=due_on), actor=SYSTEM
    )


@pytest.fixture
def room(empty_store: Store) -> dict[str, int]:
    """October's review took three decisions; November's is planned."""
    october = _review(empty_store, date(2026, 10, 8))
    ids = {
        "october": october,
        "late": _decide(
            empty_store,
            october,
            "Billing to find where quoted and billed prices diverge",
            "Mark Ellison",
            date(2026, 10, 30),
        ),
        "open": _decide(empty_store, october, "Claims to staff the weekend queue", "Ana Ruiz", date(2026, 12, 15)),
        "done": _decide(empty_store, october, "Rewrite the welcome letter", "Ana Ruiz", date(2026, 11, 1)),
    }
    rs.close_review(empty_store, october, expected_version=1, actor=SYSTEM, when=datetime(2026, 10, 8, 12))
    ids["november"] = _review(empty_store, date(2026, 11, 12))
    return ids


def _decision(store: Store, review_id: int, decision_id: int) -> contents.Decision:
    return next(d for d in contents.decisions(store, review_id) if d.id == decision_id)


def test_the_next_review_shows_each_earlier_decision_open_overdue_or_done_worst_first(
    empty_store: Store, room: dict[str, int]
) -> None:
    capture.mark_decision_done(
        empty_store, room["done"], expected_version=1, actor=SYSTEM, when=datetime(2026, 10, 28, 9), note="sent"
    )
    items = follow_up.follow_up_of(empty_store, room["november"], today=date(2026, 11, 5))
    assert [(f.decision.id, f.state) for f in items] == [
        (room["late"], FollowUpState.OVERDUE),  # due 30 Oct, not done by 5 Nov
        (room["open"], FollowUpState.OPEN),
        (room["done"], FollowUpState.DONE),
    ]
    late = items[0]
    assert late.decision.owner == "Mark Ellison" and late.decision.due_on == date(2026, 10, 30)
    assert late.line() == (
        "Overdue · Billing to find where quoted and billed prices diverge · owner Mark Ellison · due 30 Oct 2026"
    )
    assert items[2].line().endswith("owner Ana Ruiz · done 28 Oct 2026")
    # The review's own decisions are not its follow-up.
    _decide(empty_store, room["november"], "Decided today", "Ann", date(2026, 12, 1))
    again = follow_up.follow_up_of(empty_store, room["november"], today=date(2026, 11, 5))
    assert "Decided today" not in [f.decision.text for f in again]


def test_the_proposed_agenda_opens_with_the_follow_up(empty_store: Store, room: dict[str, int]) -> None:
    inputs = agenda_facts.agenda_inputs(empty_store, held_on=date(2026, 11, 12), review_id=room["november"])
    first = propose_agenda(inputs)[0]
    assert first.title == FOLLOW_UP_TITLE
    # On the day of the review (12 Nov) two are past their due dates and one is still open.
    assert first.reasons[0] == "2 overdue, 1 open"
    assert any("Billing to find" in r and "owner Mark Ellison" in r for r in first.reasons)


def test_a_decision_seen_done_at_one_review_does_not_come_back_at_the_next(
    empty_store: Store, room: dict[str, int]
) -> None:
    capture.mark_decision_done(empty_store, room["done"], expected_version=1, actor=SYSTEM, when=datetime(2026, 11, 2))
    rs.close_review(empty_store, room["november"], expected_version=1, actor=SYSTEM, when=datetime(2026, 11, 12, 12))
    december = _review(empty_store, date(2026, 12, 10))
    items = follow_up.follow_up_of(empty_store, december, today=date(2026, 12, 20))
    # Done before November's review: seen done there, so gone; the others are still owed. States are
    # as of the review's day (10 Dec), not a later today: the weekend queue is due on 15 Dec.
    assert [(f.decision.id, f.state) for f in items] == [
        (room["late"], FollowUpState.OVERDUE),
        (room["open"], FollowUpState.OPEN),
    ]


def test_owners_mark_their_decisions_done_others_need_the_facilitator_role(
    empty_store: Store, room: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CXROOM_AUTH", "header")
    trust.set_user_role(
        empty_store, email="mark@example.com", display_name="Mark Ellison", role=Role.VIEWER, actor=SYSTEM
    )
    trust.set_user_role(empty_store, email="viv@example.com", display_name="Viv Viewer", role=Role.VIEWER, actor=SYSTEM)
    with pytest.raises(PermissionDeniedError):
        capture.mark_decision_done(empty_store, room["late"], expected_version=1, actor="viv@example.com")
    capture.mark_decision_done(empty_store, room["late"], expected_version=1, actor="mark@example.com", note="found it")
    marked = _decision(empty_store, room["october"], room["late"])
    assert marked.done_by == "mark@example.com" and marked.done_note == "found it" and marked.done_at is not None
    with pytest.raises(InvalidInputError, match="already marked done"):
        capture.mark_decision_done(empty_store, room["late"], expected_version=2, actor=SYSTEM)
    with pytest.raises(ConflictError):  # someone saw the old version
        capture.mark_decision_done(empty_store, room["late"], done=False, expected_version=1, actor=SYSTEM)
    capture.mark_decision_done(empty_store, room["late"], done=False, expected_version=2, actor=SYSTEM)
    assert _decision(empty_store, room["october"], room["late"]).done_at is None
    audit = (
        empty_store.fetch_all("SELECT action FROM audit_log WHERE entity = 'decision' ORDER BY id")
        if False
        else [r[0] for r in empty_store.execute("SELECT action FROM audit_log WHERE entity = 'decision' ORDER BY id")]
    )
    assert audit[-2:] == ["done", "undone"]

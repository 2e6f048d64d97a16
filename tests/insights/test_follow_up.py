"""The follow-up rules on plain facts: open, overdue, done; which decisions come back; the order."""

from __future__ import annotations

from datetime import date, datetime

from cxroom.insights.follow_up import DecisionFacts, FollowUpState, follow_up, state_of, summary

HELD = date(2026, 11, 12)


def _d(did: int, due: date | None, done: datetime | None = None, owner: str = "Ann") -> DecisionFacts:
    return DecisionFacts(did, 1, "September", date(2026, 9, 8), f"Decision {did}", owner, due, done)


def test_state_of_a_decision() -> None:
    assert state_of(date(2026, 11, 11), None, HELD) is FollowUpState.OVERDUE
    assert state_of(HELD, None, HELD) is FollowUpState.OPEN  # due on the day: not late yet
    assert state_of(None, None, HELD) is FollowUpState.OPEN  # no due date never turns late by itself
    assert state_of(date(2026, 1, 1), datetime(2026, 1, 5), HELD) is FollowUpState.DONE  # done late is done


def test_decisions_come_back_until_seen_done_worst_first() -> None:
    since = datetime(2026, 10, 8)
    decisions = [
        _d(1, date(2026, 12, 1)),
        _d(2, date(2026, 11, 1), done=datetime(2026, 10, 20)),  # done since the last review: shown once
        _d(3, date(2026, 10, 1), done=datetime(2026, 10, 2)),  # done before it: already seen done
        _d(4, date(2026, 11, 5)),
        _d(5, None),
        _d(6, date(2026, 10, 20)),
    ]
    items = follow_up(decisions, on=HELD, since=since)
    assert [(f.decision.id, f.state) for f in items] == [
        (6, FollowUpState.OVERDUE),  # the longest overdue first
        (4, FollowUpState.OVERDUE),
        (1, FollowUpState.OPEN),
        (5, FollowUpState.OPEN),  # no due date after dated ones
        (2, FollowUpState.DONE),
    ]
    assert summary(items) == "2 overdue, 2 open, 1 done"
    assert items[3].line() == "Open · Decision 5 · owner Ann · no due date"
    assert summary([]) == "0 decisions"


def test_every_decision_of_the_last_review_comes_back_even_done_before_its_date() -> None:
    """A review planned for a later day whose decision is done early: the next review still sees it done."""
    last_review = datetime(2026, 12, 8)
    early = DecisionFacts(7, 2, "December", date(2026, 12, 8), "Early", "Ann", date(2027, 1, 5), datetime(2026, 12, 6))
    older = DecisionFacts(8, 1, "November", date(2026, 11, 8), "Older", "Ann", None, datetime(2026, 12, 6))
    items = follow_up([early, older], on=date(2027, 1, 12), since=last_review)
    assert [(f.decision.id, f.state) for f in items] == [(7, FollowUpState.DONE)]

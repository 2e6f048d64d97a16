"""Following up decisions: every decision of an earlier review comes back on the next
review's agenda as open, overdue or done, with its owner and due date, until the room
has seen it done once. Pure rules on plain facts (cxroom.queries.reviews.follow_up reads
them; the agenda, the review page and the presenter show them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from cxroom.formatting import date_text, fmt_count

__all__ = ["FOLLOW_UP_TITLE", "DecisionFacts", "FollowUp", "FollowUpState", "follow_up", "state_of", "summary"]

FOLLOW_UP_TITLE = "Follow-up: decisions from earlier reviews"


class FollowUpState(StrEnum):
    OVERDUE = "overdue"
    OPEN = "open"
    DONE = "done"

    @property
    def word(self) -> str:
        return {"overdue": "Overdue", "open": "Open", "done": "Done"}[self.value]

    @property
    def icon(self) -> str:
        """A Material icon (Streamlit draws ``:material/...:``; emoji render as boxes on some screens)."""
        return {"overdue": ":material/schedule:", "open": ":material/pending:", "done": ":material/check_circle:"}[
            self.value
        ]

    @property
    def colour(self) -> str:
        return {"overdue": "red", "open": "blue", "done": "green"}[self.value]


@dataclass(frozen=True)
class DecisionFacts:
    """One decision of an earlier review as the follow-up needs it."""

    id: int
    review_id: int
    review_title: str
    review_held_on: date
    text: str
    owner: str
    due_on: date | None
    done_at: datetime | None
    done_by: str | None = None
    done_note: str = ""
    version: int = 1


@dataclass(frozen=True)
class FollowUp:
    decision: DecisionFacts
    state: FollowUpState

    def line(self) -> str:
        """'Overdue · Billing to find where prices diverge · owner Mark Ellison · due 3 Nov 2026'."""
        d = self.decision
        parts = [self.state.word, d.text, f"owner {d.owner}" if d.owner else "no owner named"]
        if self.state is FollowUpState.DONE and d.done_at is not None:
            parts.append(f"done {date_text(d.done_at)}")
        else:
            parts.append(f"due {date_text(d.due_on)}" if d.due_on else "no due date")
        return " · ".join(parts)


def state_of(due_on: date | None, done_at: datetime | None, on: date) -> FollowUpState:
    """Done once marked done; overdue when its due date is before ``on`` and it is not done;
    open otherwise (a decision without a due date never turns overdue by itself)."""
    if done_at is not None:
        return FollowUpState.DONE
    if due_on is not None and due_on < on:
        return FollowUpState.OVERDUE
    return FollowUpState.OPEN


_ORDER = {FollowUpState.OVERDUE: 0, FollowUpState.OPEN: 1, FollowUpState.DONE: 2}


def _comes_back(d: DecisionFacts, since: datetime | None) -> bool:
    if d.done_at is None or since is None:
        return True
    return d.done_at >= since or d.review_held_on >= since.date()


def follow_up(decisions: Iterable[DecisionFacts], *, on: date, since: datetime | None) -> list[FollowUp]:
    """The decisions that come back on a review's agenda, worst first (overdue, open, done), each
    group by due date. Every decision of the last review (held on or after ``since``) comes back,
    done or not; an older one done before ``since`` was already seen done there and does not; one
    not done comes back every time until it is."""
    shown = [FollowUp(d, state_of(d.due_on, d.done_at, on)) for d in decisions if _comes_back(d, since)]
    return sorted(
        shown,
        key=lambda f: (_ORDER[f.state], f.decision.due_on or date.max, f.decision.review_held_on, f.decision.id),
    )


def summary(items: Sequence[FollowUp]) -> str:
    """'2 overdue, 1 open, 3 done'."""
    counts = {state: sum(1 for f in items if f.state is state) for state in FollowUpState}
    return ", ".join(f"{counts[state]} {state.value}" for state in FollowUpState if counts[state]) or fmt_count(
        0, "decision"
    )

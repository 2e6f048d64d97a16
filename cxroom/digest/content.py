"""Who gets a digest and what it says.

Leaders are the users whose role is viewer (leadership), facilitator or admin: they get a
digest every month, with the unusual rises of the whole room and how many fixes are overdue
in it. Owners are the users named on an active fix (lead, sponsor or member) or as the owner
of a review decision not yet done (open or overdue, cxroom.insights.follow_up): they get their
own open actions and overdue fixes, and the unusual rises at the stages of their fixes. A fix's
title appears only in the digests of its people. Everyone's digest has the month's wins. A user
who is neither gets none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cxroom.insights.early_warning import unusual_rise
from cxroom.queries.digest import DigestFacts, OpenDecision, PersonFix, Recipient, Win

LEADER_ROLES = frozenset({"viewer", "facilitator", "admin"})
RISES_SHOWN = 8


@dataclass(frozen=True)
class Rise:
    stage_id: int
    stage_name: str
    category: str
    actual: int
    expected: float


@dataclass(frozen=True)
class Digest:
    recipient: Recipient
    leader: bool
    room_name: str
    month: date
    today: date
    decisions: tuple[OpenDecision, ...]
    open_fixes: tuple[PersonFix, ...]
    overdue_fixes: tuple[PersonFix, ...]
    rises: tuple[Rise, ...]
    wins: tuple[Win, ...]
    overdue_in_room: int

    @property
    def has_news_of_their_own(self) -> bool:
        return bool(self.decisions or self.open_fixes or self.overdue_fixes)


def unusual_rises(facts: DigestFacts) -> list[Rise]:
    """The month's unusual rises (cxroom.insights.early_warning), the largest excess first."""
    rises = []
    for series in facts.categories:
        check = unusual_rise(series.counts)
        if check.unusual and check.expected is not None and series.stage_id in facts.stage_names:
            name = facts.stage_names[series.stage_id]
            rises.append(Rise(series.stage_id, name, series.category, check.actual, check.expected))
    return sorted(rises, key=lambda r: (-(r.actual - r.expected), r.stage_name, r.category))


def _keys(user: Recipient) -> set[str]:
    return {user.email.strip().lower(), user.display_name.strip().lower()} - {""}


def digests(facts: DigestFacts) -> list[Digest]:
    """One digest per leader, and per owner with something of their own; in the users' order."""
    rises = unusual_rises(facts)
    found = []
    for user in facts.users:
        keys = _keys(user)
        theirs = [f for f in facts.fixes if f.person_key in keys]
        fixes = list({f.id: f for f in theirs}.values())
        stages = {f.stage_id for f in fixes}
        leader = user.role in LEADER_ROLES
        digest = Digest(
            recipient=user,
            leader=leader,
            room_name=facts.room_name,
            month=facts.month,
            today=facts.today,
            decisions=tuple(d for d in facts.decisions if d.person_key in keys),
            open_fixes=tuple(f for f in fixes if not f.overdue),
            overdue_fixes=tuple(f for f in fixes if f.overdue),
            rises=tuple((rises if leader else [r for r in rises if r.stage_id in stages])[:RISES_SHOWN]),
            wins=facts.wins,
            overdue_in_room=facts.overdue_in_room,
        )
        if leader or digest.has_news_of_their_own:
            found.append(digest)
    return found

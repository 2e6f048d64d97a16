"""Reads of the monthly digest: who may receive it (the users table), the fixes each person
is on (lead, sponsor or member) with the one overdue rule, the decisions they own, the
month's celebrations, and the complaint series the unusual-rise rule judges.

People are matched by name as the fix forms and decisions record them: a user's display
name or e-mail address, compared without case or surrounding spaces (``person_key``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cxroom import fix_status
from cxroom.insights.agenda_facts import CategorySeries
from cxroom.insights.follow_up import FollowUpState, state_of
from cxroom.queries.reviews.agenda_facts import CATEGORY_SERIES
from cxroom.queries.reviews.months import month_params, params_for
from cxroom.store import Store

ROOM_NAME = "SELECT value FROM meta WHERE key = 'room_name'"

USERS = "SELECT email, display_name, role FROM users ORDER BY display_name, email"

STAGE_NAMES = "SELECT id, name FROM stages WHERE NOT archived ORDER BY position, id"

# Every active fix once per person on it, as lead, sponsor or member.
PEOPLES_FIXES = f"""
WITH people AS (
    SELECT id AS fix_id, lead AS person, 'lead' AS part FROM fixes
    UNION ALL SELECT id, sponsor, 'sponsor' FROM fixes
    UNION ALL SELECT fix_id, person, 'member' FROM fix_members
)
SELECT lower(trim(p.person)) AS person_key, min(p.part) AS part, f.id, f.title, f.status, f.due_on, f.lead,
       f.stage_id, s.name AS stage_name, {fix_status.overdue_sql()} AS overdue
FROM people p
JOIN fixes f ON f.id = p.fix_id
JOIN stages s ON s.id = f.stage_id
WHERE {fix_status.active_sql()} AND trim(p.person) <> ''
GROUP BY person_key, f.id, f.title, f.status, f.due_on, f.lead, f.stage_id, s.name
ORDER BY f.due_on NULLS LAST, f.id
"""

OVERDUE_COUNT = f"SELECT count(*) FROM fixes f WHERE {fix_status.overdue_sql()}"

# Every decision with an owner that nobody has marked done yet, however old: it stays someone's open
# action until it is done (cxroom.insights.follow_up says whether it is open or overdue).
OPEN_DECISIONS = """
SELECT lower(trim(d.owner)) AS person_key, d.id, d.text, d.owner, d.due_on, d.done_at,
       r.title AS review_title, r.held_on
FROM review_decisions d
JOIN reviews r ON r.id = d.review_id
WHERE trim(d.owner) <> '' AND d.done_at IS NULL AND r.held_on <= $today
ORDER BY d.due_on NULLS LAST, r.held_on, d.id
"""

CELEBRATED = """
SELECT f.id, f.title, f.lead, s.name AS stage_name, c.celebrated_at
FROM fix_celebrations c
JOIN fixes f ON f.id = c.fix_id
JOIN stages s ON s.id = f.stage_id
WHERE c.celebrated_at >= $month AND c.celebrated_at < $next
ORDER BY c.celebrated_at, f.id
"""


@dataclass(frozen=True)
class Recipient:
    email: str
    display_name: str
    role: str


@dataclass(frozen=True)
class PersonFix:
    person_key: str
    part: str  # lead | member | sponsor
    id: int
    title: str
    status: str
    due_on: date | None
    lead: str
    stage_id: int
    stage_name: str
    overdue: bool


@dataclass(frozen=True)
class OpenDecision:
    """A decision not done yet, with its follow-up state as of the digest's day."""

    person_key: str
    id: int
    text: str
    owner: str
    due_on: date | None
    review_title: str
    held_on: date
    state: FollowUpState


@dataclass(frozen=True)
class Win:
    id: int
    title: str
    lead: str
    stage_name: str


@dataclass(frozen=True)
class DigestFacts:
    room_name: str
    month: date
    today: date
    users: tuple[Recipient, ...]
    fixes: tuple[PersonFix, ...]
    decisions: tuple[OpenDecision, ...]
    wins: tuple[Win, ...]
    overdue_in_room: int
    stage_names: dict[int, str]
    categories: tuple[CategorySeries, ...]


def _open_decision(row: dict[str, Any], today: date) -> OpenDecision:
    state = state_of(row["due_on"], row.pop("done_at"), today)
    return OpenDecision(**row, state=state)


def digest_facts(store: Store, month: date, *, today: date) -> DigestFacts:
    """Everything the digests of ``month`` (first day) say, as of ``today``."""
    values = month_params(month, stage=None)
    month_range = {"month": month, "next": values["next"]}
    return DigestFacts(
        room_name=str(store.fetch_value(ROOM_NAME) or "Customer Room"),
        month=month,
        today=today,
        users=tuple(Recipient(**r) for r in store.fetch_dicts(USERS)),
        fixes=tuple(PersonFix(**r) for r in store.fetch_dicts(PEOPLES_FIXES, {"today": today})),
        decisions=tuple(_open_decision(r, today) for r in store.fetch_dicts(OPEN_DECISIONS, {"today": today})),
        wins=tuple(
            Win(**{k: r[k] for k in ("id", "title", "lead", "stage_name")})
            for r in store.fetch_dicts(CELEBRATED, month_range)
        ),
        overdue_in_room=int(store.fetch_value(OVERDUE_COUNT, {"today": today}) or 0),
        stage_names={int(r["id"]): r["name"] for r in store.fetch_dicts(STAGE_NAMES)},
        categories=tuple(
            CategorySeries(int(r["stage_id"]), r["category"], tuple(int(n) for n in r["counts"]))
            for r in store.fetch_dicts(CATEGORY_SERIES, params_for(CATEGORY_SERIES, values))
        ),
    )

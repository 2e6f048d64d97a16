"""What every command on a fix does inside its transaction: read the fix, resolve
its team's silos, write a line on its timeline, update it against the version
the person read (with a message about who changed it since), and check the
length of text people typed. Shared by ``fixes`` and ``fix_attachments``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from cxroom.errors import ConflictError, InvalidInputError, NotFoundError
from cxroom.models import FixMember
from cxroom.services import _lookup
from cxroom.store import Tx, utcnow

INSERT_UPDATE = """
INSERT INTO fix_updates (fix_id, happened_at, author, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?)
"""
LAST_UPDATE = """
SELECT coalesce(p.display_name, u.author), u.happened_at
FROM fix_updates u LEFT JOIN users p ON lower(p.email) = lower(u.author)
WHERE u.fix_id = ? ORDER BY u.happened_at DESC, u.id DESC LIMIT 1
"""
ACTOR_NAME = "SELECT display_name FROM users WHERE lower(email) = lower(?)"


def fix_row(tx: Tx, fix_id: int) -> dict[str, Any]:
    try:
        return _lookup.row(tx, "fixes", fix_id)
    except NotFoundError:
        raise NotFoundError(f"There is no fix #{fix_id} (it may have been removed).") from None


def team_rows(tx: Tx, members: Sequence[FixMember], lead: str) -> list[tuple[str, int]]:
    """Resolve a team to (person, silo id), enforcing the cross-functional rules."""
    seen: set[str] = set()
    rows = []
    for member in members:
        key = member.person.casefold()
        if key in seen:
            raise InvalidInputError(f"{member.person} is listed twice in the team; list each person once.")
        seen.add(key)
        rows.append((member.person, _lookup.silo_id(tx, member.silo_name)))
    if len({silo for _, silo in rows}) < 2:
        raise InvalidInputError(
            "A fix team needs members from at least two silos; one silo alone is not cross-functional."
        )
    if lead.casefold() not in seen:
        raise InvalidInputError(f"The lead, {lead}, must be a member of the team (with their silo).")
    return rows


def add_to_timeline(
    tx: Tx, fix_id: int, *, when: datetime | None, from_status: str | None, to_status: str | None, note: str
) -> None:
    tx.execute(INSERT_UPDATE, [fix_id, when or utcnow(), tx.actor, from_status, to_status, note])


def update_versioned(tx: Tx, fix_id: int, expected_version: int, values: dict[str, Any]) -> None:
    """update_versioned with a message about *this fix*: who changed it, and what to do."""
    try:
        tx.update_versioned("fixes", fix_id, expected_version, values)
    except ConflictError:
        last = tx.fetch_one(LAST_UPDATE, [fix_id])
        by = f" ({last[0]}, {last[1]:%d %b %Y %H:%M})" if last else ""
        raise ConflictError(
            f"Someone else changed this fix since you opened it{by}. Your change was not saved, and nothing of "
            "theirs was overwritten: reload the fix, then make your change again if it still applies."
        ) from None


def actor_names(tx: Tx) -> set[str]:
    names = {tx.actor.casefold()}
    found = tx.fetch_value(ACTOR_NAME, [tx.actor])
    if found:
        names.add(str(found).casefold())
    return names


def checked_text(value: str, what: str, limit: int = 20_000) -> str:
    value = value.strip()
    if len(value) > limit:
        raise InvalidInputError(f"The {what} is {len(value):,} characters; keep it under {limit:,}.")
    return value

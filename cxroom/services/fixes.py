"""Writes of cross-functional fixes: charter a team, move it along, keep its
timeline."""

from __future__ import annotations

from datetime import date, datetime

from cxroom.errors import InvalidInputError
from cxroom.models import FixCreate, FixStatus
from cxroom.services import _lookup
from cxroom.store import Store, Tx, utcnow

BASELINE_SQL = """
SELECT value, period FROM kpi_readings
WHERE kpi_id = ? AND period < ?
ORDER BY period DESC LIMIT 1
"""


def _kpi_id(tx: Tx, stage: int, name: str) -> int:
    found = tx.fetch_value("SELECT id FROM kpis WHERE stage_id = ? AND name = ?", [stage, name])
    if found is None:
        raise InvalidInputError(f"The stage has no KPI called '{name}'.")
    return int(found)


def charter_fix(store: Store, data: FixCreate, *, actor: str, when: datetime | None = None) -> int:
    """Create a fix with its team; linked KPIs get their baseline captured now."""
    with store.transaction(actor) as tx:
        stage = _lookup.stage_id(tx, data.stage_slug)
        moment = _lookup.moment_id(tx, stage, data.moment_name)
        members = [(m.person, _lookup.silo_id(tx, m.silo_name)) for m in data.members]
        new_id = int(
            tx.fetch_value(
                "INSERT INTO fixes (title, problem, stage_id, moment_id, sponsor, lead, chartered_on, "
                "chartered_review_id, due_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [
                    data.title,
                    data.problem,
                    stage,
                    moment,
                    data.sponsor,
                    data.lead,
                    data.chartered_on,
                    data.chartered_review_id,
                    data.due_on,
                ],
            )
        )
        for person, silo in members:
            tx.execute("INSERT INTO fix_members VALUES (?, ?, ?)", [new_id, person, silo])
        for kpi_name in data.kpi_names:
            kpi = _kpi_id(tx, stage, kpi_name)
            baseline = tx.fetch_one(BASELINE_SQL, [kpi, data.chartered_on])
            target = tx.fetch_value("SELECT target FROM kpis WHERE id = ?", [kpi])
            tx.execute(
                "INSERT INTO fix_kpis VALUES (?, ?, ?, ?, ?)",
                [new_id, kpi, baseline[0] if baseline else None, baseline[1] if baseline else None, target],
            )
        tx.execute(
            "INSERT INTO fix_updates (fix_id, happened_at, author, from_status, to_status, note) "
            "VALUES (?, ?, ?, NULL, 'chartered', 'Team chartered')",
            [new_id, when or utcnow(), actor],
        )
        tx.audit("create", "fix", new_id, None, data.model_dump())
        return new_id


def move_fix(
    store: Store,
    fix_id: int,
    *,
    to_status: FixStatus,
    note: str,
    expected_version: int,
    actor: str,
    when: datetime | None = None,
    fields: dict[str, str] | None = None,
) -> None:
    """Change a fix's status (and optionally its findings/recommendations/results text)."""
    allowed_fields = {"findings", "recommendations", "results"}
    extra = dict(fields or {})
    if set(extra) - allowed_fields:
        raise InvalidInputError(f"Unknown fix fields: {sorted(set(extra) - allowed_fields)}")
    with store.transaction(actor) as tx:
        before = _lookup.row(tx, "fixes", fix_id)
        tx.update_versioned("fixes", fix_id, expected_version, {"status": to_status.value, **extra})
        tx.execute(
            "INSERT INTO fix_updates (fix_id, happened_at, author, from_status, to_status, note) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [fix_id, when or utcnow(), actor, before["status"], to_status.value, note],
        )
        tx.audit("move", "fix", fix_id, before, _lookup.row(tx, "fixes", fix_id))


def record_presentation(store: Store, *, fix_id: int, review_id: int, actor: str, when: date | datetime) -> None:
    with store.transaction(actor) as tx:
        _lookup.row(tx, "fixes", fix_id)
        _lookup.row(tx, "reviews", review_id)
        tx.execute("INSERT INTO fix_presentations VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [fix_id, review_id, when])
        tx.audit("present", "fix", fix_id, None, {"review_id": review_id})

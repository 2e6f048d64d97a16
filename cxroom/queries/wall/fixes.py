"""Fixes as the wall and the stage page show them: the teams in flight, those
celebrated lately, and when a fix counts as overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cxroom import fix_status

CELEBRATED_SHOWN_MONTHS = 3  # a celebrated fix stays on the wall this long

# A fix as the wall and the stage page show it (fix_from_row): with its moment's name and
# when it was celebrated. Queries add their own joins, filter and order.
FIX_VIEW = """
WITH celebrated AS (
    SELECT fix_id, max(happened_at) AS celebrated_at
    FROM fix_updates WHERE to_status = 'celebrated' GROUP BY fix_id
)
SELECT f.id, f.stage_id, f.title, f.status, f.lead, f.sponsor, f.due_on, f.chartered_on,
       m.name AS moment_name, c.celebrated_at
FROM fixes f
LEFT JOIN moments m ON m.id = f.moment_id
LEFT JOIN celebrated c ON c.fix_id = f.id
"""

# Fixes in flight now, and fixes celebrated in the last few months.
FIXES = (
    FIX_VIEW
    + f"""
JOIN stages s ON s.id = f.stage_id AND NOT s.archived
WHERE {fix_status.active_sql()}
   OR (f.status = 'celebrated' AND c.celebrated_at >= $celebrated_since)
ORDER BY s.position, f.status = 'celebrated', f.due_on NULLS LAST, f.id
"""
)


@dataclass(frozen=True)
class FixView:
    id: int
    stage_id: int
    title: str
    status: str
    lead: str
    sponsor: str
    due_on: date | None
    chartered_on: date
    moment_name: str | None
    celebrated_at: datetime | None

    def overdue(self, today: date) -> bool:
        return fix_status.is_overdue(self.status, self.due_on, today)


def fix_from_row(r: dict[str, Any], stage_id: int) -> FixView:
    return FixView(
        id=int(r["id"]),
        stage_id=stage_id,
        title=r["title"],
        status=r["status"],
        lead=r["lead"],
        sponsor=r["sponsor"],
        due_on=r["due_on"],
        chartered_on=r["chartered_on"],
        moment_name=r["moment_name"],
        celebrated_at=r["celebrated_at"],
    )

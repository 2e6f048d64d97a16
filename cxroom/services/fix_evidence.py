"""The one reader of a fix's evidence: its linked KPIs with every reading, and
the monthly complaints of its moment of truth (or stage), each judged by the
pure rules of ``cxroom.insights.fix_evidence``.

It lives among the services, although it only reads: the celebration gate
(``cxroom.services.fixes.move_fix``, inside its transaction) and the fix page
must judge a fix on exactly the same data, and the import rules keep services
and queries apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from cxroom.errors import NotFoundError
from cxroom.insights import fix_evidence as fe
from cxroom.insights import fix_statistics as fs
from cxroom.models import Direction

COMPLAINT_UNIT = "complaints a month"

# The evidence of one fix: its linked KPIs with every reading, and the monthly
# complaint volume of its moment (or of its stage when no complaint is mapped
# to the moment), over the months the room holds complaints for.
FIX_KPI_SERIES = """
SELECT fk.kpi_id, k.name, k.unit, k.direction, fk.baseline, fk.baseline_period,
       coalesce(fk.target, k.target) AS target, r.period, r.value
FROM fix_kpis fk
JOIN kpis k ON k.id = fk.kpi_id
LEFT JOIN kpi_readings r ON r.kpi_id = fk.kpi_id
WHERE fk.fix_id = ?
ORDER BY k.name, fk.kpi_id, r.period
"""
FIX_SCOPE = """
SELECT f.id, f.chartered_on, f.stage_id, f.moment_id, s.name AS stage, m.name AS moment,
       (SELECT count(*) FROM complaints c
        WHERE f.moment_id IS NOT NULL AND c.moment_id = f.moment_id) AS moment_complaints
FROM fixes f JOIN stages s ON s.id = f.stage_id LEFT JOIN moments m ON m.id = f.moment_id
WHERE f.id = ?
"""
COMPLAINT_MONTHS = """
SELECT CAST(date_trunc('month', min(received_at)) AS DATE), CAST(date_trunc('month', max(received_at)) AS DATE)
FROM complaints
"""
COMPLAINTS_PER_MONTH = """
SELECT CAST(date_trunc('month', received_at) AS DATE) AS period, count(*) AS n
FROM complaints
WHERE stage_id = ? AND (CAST(? AS BIGINT) IS NULL OR moment_id = ?)
GROUP BY 1 ORDER BY 1
"""


class Reader(Protocol):
    """A Store or an open Tx: both read with the same calls."""

    def fetch_dicts(self, sql: str, params: Any = None) -> list[dict[str, Any]]: ...

    def fetch_one(self, sql: str, params: Any = None) -> tuple[Any, ...] | None: ...


@dataclass(frozen=True)
class SeriesEvidence:
    """One monthly series a fix is judged on, with its verdict."""

    kind: str  # 'kpi' or 'complaints'
    name: str
    unit: str
    direction: Direction
    readings: tuple[fs.Reading, ...]
    evidence: fe.Evidence
    kpi_id: int | None = None
    baseline: float | None = None
    baseline_period: date | None = None
    target: float | None = None
    scope: str = ""


@dataclass(frozen=True)
class FixEvidence:
    fix_id: int
    charter: date
    kpis: tuple[SeriesEvidence, ...]
    complaints: SeriesEvidence | None

    @property
    def series(self) -> tuple[SeriesEvidence, ...]:
        return (*self.kpis, *([self.complaints] if self.complaints is not None else []))

    def celebration(self) -> fe.Celebration | None:
        return fe.celebration_basis((s.name, s.evidence) for s in self.series)


def load_evidence(reader: Reader, fix_id: int, *, as_of: date | None = None) -> FixEvidence:
    """Everything the verdict on a fix rests on, assessed (used by the gate and the fix page).

    ``as_of`` judges the fix on the months completed before that day (a
    celebration recorded after the fact is judged on the data of its day);
    None uses every reading the room holds.
    """
    cutoff = None if as_of is None else as_of.replace(day=1)
    scope = reader.fetch_dicts(FIX_SCOPE, [fix_id])
    if not scope:
        raise NotFoundError(f"There is no fix #{fix_id}.")
    fix = scope[0]
    charter: date = fix["chartered_on"]
    by_kpi: dict[int, dict[str, Any]] = {}
    for row in reader.fetch_dicts(FIX_KPI_SERIES, [fix_id]):
        entry = by_kpi.setdefault(row["kpi_id"], {**row, "readings": []})
        if row["period"] is not None and (cutoff is None or row["period"] < cutoff):
            entry["readings"].append(fs.Reading(row["period"], float(row["value"])))
    kpis = []
    for kpi_id, row in by_kpi.items():
        direction = Direction(row["direction"])
        target = None if row["target"] is None else float(row["target"])
        readings = tuple(row["readings"])
        kpis.append(
            SeriesEvidence(
                kind="kpi",
                name=row["name"],
                unit=row["unit"] or "",
                direction=direction,
                readings=readings,
                evidence=fe.assess(readings, charter=charter, direction=direction, target=target, unit=row["unit"]),
                kpi_id=kpi_id,
                baseline=row["baseline"],
                baseline_period=row["baseline_period"],
                target=target,
            )
        )
    complaints = None
    span = reader.fetch_one(COMPLAINT_MONTHS)
    if span is not None and span[0] is not None:
        by_moment = fix["moment_id"] is not None and fix["moment_complaints"] > 0
        moment = fix["moment_id"] if by_moment else None
        counts = reader.fetch_dicts(COMPLAINTS_PER_MONTH, [fix["stage_id"], moment, moment])
        last = span[1] if cutoff is None else min(span[1], fs.add_months(cutoff, -1))
        readings = tuple(fs.fill_months(((r["period"], r["n"]) for r in counts), first=span[0], last=last))
        where = f"moment of truth '{fix['moment']}'" if by_moment else f"stage '{fix['stage']}'"
        complaints = SeriesEvidence(
            kind="complaints",
            name=f"Complaints about this {'moment' if by_moment else 'stage'}",
            unit=COMPLAINT_UNIT,
            direction=Direction.LOWER_BETTER,
            readings=readings,
            evidence=fe.assess(readings, charter=charter, direction=Direction.LOWER_BETTER, unit=COMPLAINT_UNIT),
            scope=where,
        )
    return FixEvidence(fix_id, charter, tuple(kpis), complaints)

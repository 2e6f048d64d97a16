"""KPI tiles: each KPI with its last reading in each of the 13 months up to the
chosen one, its change and its red/amber/green against target."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from cxroom.insights.health import Rag
from cxroom.insights.kpi_standing import KpiDefinition, kpis_worst_first
from cxroom.queries.wall.months import SPARK_PERIODS, as_date

# Each KPI with its last reading in each of the 13 months up to the chosen one.
KPIS = """
WITH r AS (
    SELECT kpi_id, date_trunc('month', period)::DATE AS month, arg_max(value, period) AS value
    FROM kpi_readings
    WHERE period >= $from12 AND period < $next
    GROUP BY kpi_id, month
)
SELECT k.id, k.stage_id, k.name, k.unit, k.direction, k.target, k.warning, k.definition,
       m.name AS moment_name, coalesce(m.is_key, false) AS key_moment, r.month, r.value
FROM kpis k
JOIN stages s ON s.id = k.stage_id AND NOT s.archived
LEFT JOIN moments m ON m.id = k.moment_id
LEFT JOIN r ON r.kpi_id = k.id
ORDER BY s.position, key_moment DESC, coalesce(m.position, 1000000), k.id, r.month
"""


def _nan_to_none(value: Any) -> Any:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value


@dataclass(frozen=True)
class KpiTile(KpiDefinition):
    definition: str
    moment_name: str | None
    key_moment: bool
    months: tuple[date, ...]  # SPARK_PERIODS + 1 months ending at the chosen month
    values: tuple[float | None, ...]

    @property
    def value(self) -> float | None:
        return self.values[-1] if self.values else None

    @property
    def previous(self) -> float | None:
        return self.values[-2] if len(self.values) > 1 else None

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def rag(self) -> Rag:
        return self.rag_of(self.value)

    @property
    def spark(self) -> list[float]:
        """The last SPARK_PERIODS readings that exist (gaps dropped)."""
        return [v for v in self.values[-SPARK_PERIODS:] if v is not None]


def kpi_tiles(rows: list[dict[str, Any]], series: tuple[date, ...]) -> dict[int, list[KpiTile]]:
    """Each stage's KPI tiles for the series' last month, worst first (kpis_worst_first)."""
    by_kpi: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_kpi[int(row["id"])].append(row)
    tiles: dict[int, list[KpiTile]] = defaultdict(list)
    for kpi_rows in by_kpi.values():
        first = kpi_rows[0]
        values = {as_date(r["month"]): float(r["value"]) for r in kpi_rows if r["month"] is not None}
        tiles[int(first["stage_id"])].append(
            KpiTile(
                id=int(first["id"]),
                stage_id=int(first["stage_id"]),
                name=first["name"],
                unit=first["unit"],
                direction=first["direction"],
                target=_nan_to_none(first["target"]),
                warning=_nan_to_none(first["warning"]),
                definition=first["definition"],
                moment_name=first["moment_name"],
                key_moment=bool(first["key_moment"]),
                months=series,
                values=tuple(values.get(m) for m in series),
            )
        )
    return {stage_id: kpis_worst_first(stage_tiles) for stage_id, stage_tiles in tiles.items()}

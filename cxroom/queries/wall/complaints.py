"""Complaints on the wall: per stage the month's count against last month and the
12-month average, the top categories and the newest verbatims (masked)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cxroom.queries.wall.months import add_months, as_date, series_months

TOP_CATEGORIES = 3
VERBATIMS_PER_STAGE = 2

# Complaints per stage (NULL: not yet mapped to a stage) and month, 13 months.
COMPLAINTS_MONTHLY = """
SELECT stage_id, date_trunc('month', received_at)::DATE AS month, count(*) AS n
FROM complaints
WHERE received_at >= $from12 AND received_at < $next
GROUP BY stage_id, month
"""

TOP_CATEGORIES_SQL = """
WITH c AS (
    SELECT stage_id, category,
           count(*) FILTER (WHERE received_at >= $month) AS n,
           count(*) FILTER (WHERE received_at < $month) AS previous
    FROM complaints
    WHERE stage_id IS NOT NULL AND received_at >= $prev AND received_at < $next
    GROUP BY stage_id, category
)
SELECT stage_id, category, n, previous
FROM c
WHERE n > 0
QUALIFY row_number() OVER (PARTITION BY stage_id ORDER BY n DESC, category) <= $top
ORDER BY stage_id, n DESC, category
"""

# The newest verbatims per stage: a top-N aggregate (max_by with N), cheaper than
# ranking every complaint of the month with a window function.
RECENT_VERBATIMS = """
WITH newest AS (
    SELECT stage_id,
           max_by({'received_at': received_at, 'category': category, 'source': source, 'verbatim': verbatim},
                  received_at, $per_stage) AS items
    FROM complaints
    WHERE stage_id IS NOT NULL AND received_at >= $month AND received_at < $next
      AND verbatim IS NOT NULL AND length(trim(verbatim)) > 0
    GROUP BY stage_id
), flat AS (SELECT stage_id, unnest(items) AS item FROM newest)
SELECT stage_id, item.received_at AS received_at, item.category AS category, item.source AS source,
       item.verbatim AS verbatim
FROM flat
ORDER BY stage_id, received_at DESC
"""


@dataclass(frozen=True)
class ComplaintSummary:
    this_month: int
    last_month: int
    average_12: float | None  # mean of the previous (up to) 12 months with data
    months: tuple[date, ...]
    counts: tuple[int, ...]

    @property
    def change_vs_last(self) -> float | None:
        """Percent change vs last month (None when last month had none)."""
        if not self.last_month:
            return None
        return (self.this_month / self.last_month - 1.0) * 100.0

    @property
    def change_vs_average(self) -> float | None:
        if not self.average_12:
            return None
        return (self.this_month / self.average_12 - 1.0) * 100.0


@dataclass(frozen=True)
class CategoryCount:
    category: str
    count: int
    previous: int


@dataclass(frozen=True)
class Verbatim:
    received_at: datetime
    category: str
    source: str
    text: str  # masked


def complaint_summaries(
    rows: list[dict[str, Any]], month: date, first_complaint: date | None
) -> tuple[dict[int, ComplaintSummary], int]:
    counts: dict[int | None, dict[date, int]] = defaultdict(dict)
    for row in rows:
        counts[row["stage_id"]][as_date(row["month"])] = int(row["n"])
    series = series_months(month)
    previous = [m for m in series[:-1] if first_complaint is not None and m >= first_complaint]
    summaries = {}
    for stage_id, per_month in counts.items():
        if stage_id is None:
            continue
        average = sum(per_month.get(m, 0) for m in previous) / len(previous) if previous else None
        summaries[int(stage_id)] = ComplaintSummary(
            this_month=per_month.get(month, 0),
            last_month=per_month.get(add_months(month, -1), 0),
            average_12=average,
            months=series,
            counts=tuple(per_month.get(m, 0) for m in series),
        )
    unassigned = counts.get(None, {}).get(month, 0)
    return summaries, unassigned


def empty_complaints(month: date, first_complaint: date | None) -> ComplaintSummary:
    series = series_months(month)
    has_history = first_complaint is not None and first_complaint < month
    return ComplaintSummary(0, 0, 0.0 if has_history else None, series, tuple(0 for _ in series))

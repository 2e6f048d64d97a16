"""What changed since the last review: this review's snapshot beside the
snapshot of the review before it (KPIs across their target, moments on the
reliability ladder, complaint shifts, fixes that moved, survey scores)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import pandas as pd

from cxroom import fix_status
from cxroom.formatting import fmt_count, month_label
from cxroom.queries.reviews.listing import PREVIOUS_REVIEW
from cxroom.queries.reviews.months import params_for

FIX_STATUS_ORDER = tuple(s.value for s in fix_status.LANES)


class Reader(Protocol):
    """The store, or an open transaction holding a provisional snapshot
    (cxroom.services.review_snapshot.provisional): the comparison reads either alike."""

    def fetch_df(self, sql: str, params: Any = None) -> pd.DataFrame: ...

    def fetch_dicts(self, sql: str, params: Any = None) -> list[dict[str, Any]]: ...

    def fetch_value(self, sql: str, params: Any = None) -> Any: ...


# -- SQL: since the last review -----------------------------------------------------------------

SNAPSHOT = "SELECT review_id, month, as_of FROM review_snapshots WHERE review_id = ?"

KPI_CROSSINGS = """
SELECT coalesce(c.stage_id, p.stage_id) AS stage_id, st.name AS stage, coalesce(c.name, p.name) AS kpi,
       coalesce(c.unit, p.unit) AS unit, p.value AS before, c.value AS now, c.target,
       p.status AS status_before, c.status AS status_now,
       CASE WHEN c.status = 'green' THEN 'onto target' ELSE 'off target' END AS change
FROM review_snapshot_kpis c
JOIN review_snapshot_kpis p ON p.kpi_id = c.kpi_id AND p.review_id = $previous
LEFT JOIN stages st ON st.id = c.stage_id
WHERE c.review_id = $current
  AND (c.status = 'green') <> (p.status = 'green')
  AND c.status <> 'none' AND p.status <> 'none'
ORDER BY change DESC, st.position, kpi
"""

MOMENT_CHANGES = """
SELECT st.name AS stage, c.name AS moment, c.is_key, p.reliability AS before, c.reliability AS now,
       CASE WHEN list_position(['broken', 'unreliable', 'reliable', 'differentiating'], c.reliability)
               > list_position(['broken', 'unreliable', 'reliable', 'differentiating'], p.reliability)
            THEN 'up' ELSE 'down' END AS direction
FROM review_snapshot_moments c
JOIN review_snapshot_moments p ON p.moment_id = c.moment_id AND p.review_id = $previous
LEFT JOIN stages st ON st.id = c.stage_id
WHERE c.review_id = $current AND c.reliability <> p.reliability
ORDER BY direction DESC, st.position, moment
"""

COMPLAINT_SHIFTS_BY_STAGE = """
WITH c AS (SELECT stage_id, sum(n)::BIGINT AS n FROM review_snapshot_complaints
           WHERE review_id = $current GROUP BY stage_id),
     p AS (SELECT stage_id, sum(n)::BIGINT AS n FROM review_snapshot_complaints
           WHERE review_id = $previous GROUP BY stage_id)
SELECT coalesce(st.name, 'Not yet mapped to a stage') AS stage, coalesce(p.n, 0) AS before, coalesce(c.n, 0) AS now,
       coalesce(c.n, 0) - coalesce(p.n, 0) AS change,
       CASE WHEN coalesce(p.n, 0) > 0 THEN round(100.0 * (coalesce(c.n, 0) - p.n) / p.n, 1) END AS change_pct
FROM c FULL JOIN p ON p.stage_id IS NOT DISTINCT FROM c.stage_id
LEFT JOIN stages st ON st.id = coalesce(c.stage_id, p.stage_id)
ORDER BY st.position NULLS LAST
"""

COMPLAINT_SHIFTS_BY_CATEGORY = """
WITH c AS (SELECT stage_id, category, n FROM review_snapshot_complaints WHERE review_id = $current),
     p AS (SELECT stage_id, category, n FROM review_snapshot_complaints WHERE review_id = $previous)
SELECT coalesce(st.name, 'Not yet mapped') AS stage, coalesce(c.category, p.category) AS category,
       coalesce(p.n, 0) AS before, coalesce(c.n, 0) AS now, coalesce(c.n, 0) - coalesce(p.n, 0) AS change,
       CASE WHEN coalesce(p.n, 0) > 0 THEN round(100.0 * (coalesce(c.n, 0) - p.n) / p.n, 1) END AS change_pct
FROM c FULL JOIN p ON p.stage_id IS NOT DISTINCT FROM c.stage_id AND p.category = c.category
LEFT JOIN stages st ON st.id = coalesce(c.stage_id, p.stage_id)
WHERE coalesce(c.n, 0) <> coalesce(p.n, 0)
ORDER BY abs(coalesce(c.n, 0) - coalesce(p.n, 0)) DESC, stage, category
LIMIT $limit
"""

# Fixes that progressed, slipped (went overdue, moved their due date, went
# back, or were dropped), were chartered, or completed between two snapshots.
FIX_CHANGES = f"""
WITH c AS (SELECT * FROM review_snapshot_fixes WHERE review_id = $current),
     p AS (SELECT * FROM review_snapshot_fixes WHERE review_id = $previous),
     days AS (SELECT max(as_of::DATE) FILTER (WHERE review_id = $current) AS day_now,
                     max(as_of::DATE) FILTER (WHERE review_id = $previous) AS day_before
              FROM review_snapshots),
     j AS (
         SELECT coalesce(c.fix_id, p.fix_id) AS fix_id, coalesce(c.title, p.title) AS title,
                coalesce(c.stage_id, p.stage_id) AS stage_id, p.status AS before, c.status AS now,
                p.due_on AS due_before, c.due_on AS due_now,
                list_position($order, p.status) AS rank_before, list_position($order, c.status) AS rank_now,
                days.day_now, days.day_before
         FROM c FULL JOIN p ON p.fix_id = c.fix_id CROSS JOIN days
     ),
     classified AS (
         SELECT j.*,
                CASE
                    WHEN j.before IS NULL THEN 'chartered'
                    WHEN j.now IS NULL THEN NULL
                    WHEN j.now = 'dropped' AND j.before <> 'dropped' THEN 'slipped: dropped'
                    WHEN j.now = 'celebrated' AND j.before <> 'celebrated' THEN 'completed: celebrated'
                    WHEN j.rank_now > j.rank_before THEN 'progressed'
                    WHEN j.rank_now < j.rank_before THEN 'slipped: went back'
                    WHEN j.due_now > j.due_before THEN 'slipped: due date moved'
                    WHEN {fix_status.overdue_sql("j.now", "j.due_now", "j.day_now")}
                         AND NOT coalesce({fix_status.overdue_sql("j.before", "j.due_before", "j.day_before")}, false)
                         THEN 'slipped: now overdue'
                END AS change
         FROM j
     )
SELECT x.fix_id, x.title, st.name AS stage, x.before, x.now, x.due_now AS due_on, x.change
FROM classified x LEFT JOIN stages st ON st.id = x.stage_id
WHERE x.change IS NOT NULL
ORDER BY CASE WHEN x.change LIKE 'slipped%' THEN 0 WHEN x.change = 'chartered' THEN 2 ELSE 1 END, st.position, x.title
"""

SURVEY_CHANGES = """
SELECT c.survey, c.text, c.kind, round(p.score, 1) AS before, round(c.score, 1) AS now,
       round(c.score - p.score, 1) AS change,
       p.n AS n_before, c.n AS n_now
FROM review_snapshot_surveys c
JOIN review_snapshot_surveys p ON p.question_id = c.question_id AND p.review_id = $previous
WHERE c.review_id = $current AND c.score IS NOT NULL AND p.score IS NOT NULL
ORDER BY abs(c.score - p.score) DESC
"""

SNAPSHOT_COUNTS = f"""
SELECT (SELECT count(*) FROM review_snapshot_kpis WHERE review_id = $review) AS kpis,
       (SELECT count(*) FILTER (WHERE status = 'green') FROM review_snapshot_kpis WHERE review_id = $review)
           AS kpis_on_target,
       (SELECT coalesce(sum(n), 0) FROM review_snapshot_complaints WHERE review_id = $review) AS complaints,
       (SELECT count(*) FILTER (WHERE reliability = 'broken') FROM review_snapshot_moments WHERE review_id = $review)
           AS broken_moments,
       (SELECT count(*) FILTER (WHERE {fix_status.active_sql("status")}) FROM review_snapshot_fixes
        WHERE review_id = $review) AS active_fixes
"""


# -- reads: what changed since the last review ----------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    review_id: int
    previous_id: int
    month: date
    previous_month: date
    kpi_crossings: pd.DataFrame
    moment_changes: pd.DataFrame
    complaints_by_stage: pd.DataFrame
    complaints_by_category: pd.DataFrame
    fix_changes: pd.DataFrame
    survey_changes: pd.DataFrame
    counts: dict[str, int]
    previous_counts: dict[str, int]

    def headline(self) -> list[str]:
        """A few plain sentences for the minutes, counts through cxroom.formatting."""
        onto = int((self.kpi_crossings["change"] == "onto target").sum()) if not self.kpi_crossings.empty else 0
        off = len(self.kpi_crossings) - onto
        lines = [f"KPIs: {fmt_count(onto, 'KPI')} moved onto target, {off:,} fell off target."]
        up = int((self.moment_changes["direction"] == "up").sum()) if not self.moment_changes.empty else 0
        lines.append(
            f"Moments of truth: {up:,} climbed and {len(self.moment_changes) - up:,} slipped on the reliability ladder."
        )
        before, now = self.previous_counts.get("complaints", 0), self.counts.get("complaints", 0)
        lines.append(
            f"Complaints: {fmt_count(now, 'complaint')} in {month_label(self.month)}, "
            f"against {before:,} in {month_label(self.previous_month)}."
        )
        if not self.fix_changes.empty:
            kinds = self.fix_changes["change"].map(lambda c: c.split(":")[0]).value_counts()
            words = {
                "chartered": "newly chartered",
                "progressed": "moved forward",
                "completed": "celebrated",
                "slipped": "slipped",
            }
            parts = [f"{int(kinds[k]):,} {words[k]}" for k in words if k in kinds]
            # Across the room, not this review's own charters (the minutes list those by name).
            lines.append("Fix teams across the room: " + ", ".join(parts) + ".")
        return lines


def comparison(store: Reader, review_id: int) -> Comparison | None:
    """This review's snapshot beside the one before it (None when either is missing)."""
    current = store.fetch_dicts(SNAPSHOT, [review_id])
    if not current:
        return None
    value = store.fetch_value(PREVIOUS_REVIEW, {"review": review_id, "snapshot_only": True})
    previous_id = None if value is None else int(value)
    if previous_id is None:
        return None
    previous = store.fetch_dicts(SNAPSHOT, [previous_id])[0]
    values = {
        "current": review_id,
        "previous": previous_id,
        "limit": 12,
        "order": list(FIX_STATUS_ORDER),
    }

    def frame(sql: str) -> pd.DataFrame:
        return store.fetch_df(sql, params_for(sql, values))

    def counts(rid: int) -> dict[str, int]:
        row = store.fetch_dicts(SNAPSHOT_COUNTS, {"review": rid})[0]
        return {k: int(v or 0) for k, v in row.items()}

    return Comparison(
        review_id=review_id,
        previous_id=previous_id,
        month=current[0]["month"],
        previous_month=previous["month"],
        kpi_crossings=frame(KPI_CROSSINGS),
        moment_changes=frame(MOMENT_CHANGES),
        complaints_by_stage=frame(COMPLAINT_SHIFTS_BY_STAGE),
        complaints_by_category=frame(COMPLAINT_SHIFTS_BY_CATEGORY),
        fix_changes=frame(FIX_CHANGES),
        survey_changes=frame(SURVEY_CHANGES),
        counts=counts(review_id),
        previous_counts=counts(previous_id),
    )

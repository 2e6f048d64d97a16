"""The snapshot a review freezes when it closes: the KPIs, complaints and
survey scores of the month the review looked at, and the reliability of every
moment and the status of every fix as they stood when it closed. Reopening
drops it; closing again takes a new one. Runs inside the closing (or
reopening) command's transaction."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar, cast

from cxroom.insights.agenda import next_month, review_month
from cxroom.store import Store, Tx, utcnow
from cxroom.survey_sql import survey_score

T = TypeVar("T")
REVIEW_HELD_ON = "SELECT held_on FROM reviews WHERE id = ?"

# The month of data a review looks at: the month before it is held, or the
# latest month the room has data for when that month is not loaded yet (the
# same statement as cxroom.queries.reviews.listing.DATA_MONTH; a test keeps them in step).
DATA_MONTH = """
SELECT max(month) FROM (
    SELECT date_trunc('month', max(period))::DATE AS month FROM kpi_readings WHERE period < $before
    UNION ALL
    SELECT date_trunc('month', max(received_at))::DATE FROM complaints WHERE received_at < $before
)
"""

# The snapshot taken when a review closes. Parameters: $review, $month (first
# day of the month the review looked at), $next (first day of the month
# after), $as_of (when the review closed).
SNAPSHOT_HEADER = "INSERT INTO review_snapshots VALUES ($review, $month, $as_of, $actor)"

# KPI status by the same rule as cxroom.insights.health.kpi_rag (a test keeps
# the two in step): on target, within the warning threshold, or off target.
SNAPSHOT_KPIS = """
INSERT INTO review_snapshot_kpis
SELECT $review, k.id, k.stage_id, k.moment_id, k.name, k.unit, k.direction, k.target, k.warning, r.value,
       CASE
           WHEN r.value IS NULL OR k.target IS NULL THEN 'none'
           WHEN (k.direction = 'higher_better' AND r.value >= k.target)
             OR (k.direction = 'lower_better' AND r.value <= k.target) THEN 'green'
           WHEN k.warning IS NOT NULL AND ((k.direction = 'higher_better' AND r.value >= k.warning)
             OR (k.direction = 'lower_better' AND r.value <= k.warning)) THEN 'amber'
           ELSE 'red'
       END
FROM kpis k
JOIN stages s ON s.id = k.stage_id AND NOT s.archived
LEFT JOIN (
    SELECT kpi_id, arg_max(value, period) AS value
    FROM kpi_readings
    WHERE period >= $month AND period < $next
    GROUP BY kpi_id
) r ON r.kpi_id = k.id
"""

SNAPSHOT_COMPLAINTS = """
INSERT INTO review_snapshot_complaints
SELECT $review, stage_id, category, count(*)
FROM complaints
WHERE received_at >= $month AND received_at < $next
GROUP BY stage_id, category
"""

# NPS = % promoters (9-10) - % detractors (0-6); CSAT = % answering 4-5;
# CES and percent = mean (as on the wall).
SNAPSHOT_SURVEYS = """
INSERT INTO review_snapshot_surveys
SELECT $review, q.id, q.survey, q.text, q.kind, count(*),
       {score}
FROM survey_responses r
JOIN survey_questions q ON q.id = r.question_id
WHERE r.answered_at >= $month AND r.answered_at < $next
GROUP BY q.id, q.survey, q.text, q.kind
""".replace("{score}", survey_score())

# A moment's reliability as it stood at $as_of, from its history (moments
# created later are left out; without any history, its current state).
SNAPSHOT_MOMENTS = """
INSERT INTO review_snapshot_moments
WITH h AS (
    SELECT moment_id, min(changed_at) AS first_at,
           arg_max(to_state, changed_at) FILTER (WHERE changed_at <= $as_of) AS state
    FROM moment_state_history
    GROUP BY moment_id
)
SELECT $review, m.id, m.stage_id, m.name, m.is_key, coalesce(h.state, m.reliability)
FROM moments m
JOIN stages s ON s.id = m.stage_id AND NOT s.archived
LEFT JOIN h ON h.moment_id = m.id
WHERE h.first_at IS NULL OR h.first_at <= $as_of
"""

# A fix's status as it stood at $as_of, from its timeline.
SNAPSHOT_FIXES = """
INSERT INTO review_snapshot_fixes
WITH u AS (
    SELECT fix_id, min(happened_at) AS first_at,
           arg_max(to_status, happened_at) FILTER (WHERE happened_at <= $as_of AND to_status IS NOT NULL) AS status
    FROM fix_updates
    GROUP BY fix_id
)
SELECT $review, f.id, f.stage_id, f.title, coalesce(u.status, f.status), f.due_on, f.chartered_on
FROM fixes f
LEFT JOIN u ON u.fix_id = f.id
WHERE CASE WHEN u.first_at IS NULL THEN f.chartered_on <= CAST($as_of AS DATE) ELSE u.first_at <= $as_of END
"""

SNAPSHOT_TABLES = (
    "review_snapshot_kpis",
    "review_snapshot_complaints",
    "review_snapshot_surveys",
    "review_snapshot_moments",
    "review_snapshot_fixes",
    "review_snapshots",
)
DELETE_SNAPSHOT = {table: f"DELETE FROM {table} WHERE review_id = ?" for table in SNAPSHOT_TABLES}


def data_month(tx: Tx | Store, held_on: date) -> date:
    """The month of data a review held on ``held_on`` looks at."""
    wanted = review_month(held_on)
    return tx.fetch_value(DATA_MONTH, {"before": next_month(wanted)}) or wanted


def take(tx: Tx, review_id: int, *, month: date, as_of: datetime, actor: str) -> None:
    params = {"review": review_id, "month": month, "next": next_month(month), "as_of": as_of}
    tx.execute(SNAPSHOT_HEADER, {**params_for(SNAPSHOT_HEADER, params), "actor": actor})
    for sql in (SNAPSHOT_KPIS, SNAPSHOT_COMPLAINTS, SNAPSHOT_SURVEYS, SNAPSHOT_MOMENTS, SNAPSHOT_FIXES):
        tx.execute(sql, params_for(sql, params))


# Not an error: it carries the read out of the transaction it rolls back.
class _Discard(Exception):
    def __init__(self, value: object) -> None:
        super().__init__("provisional snapshot discarded")
        self.value = value


def provisional(store: Store, review_id: int, read: Callable[[Tx], T], *, when: datetime | None = None) -> T:
    """``read`` run on this review's snapshot as the room stands now, and nothing kept: the snapshot
    is taken in a transaction that is rolled back. So "since the last review" shows while a review
    is planned or in session, on the same statements closing it will use (it changes nothing, so
    it needs no permission and bumps no data version)."""
    try:
        with store.transaction("system") as tx:
            month = data_month(tx, tx.fetch_value(REVIEW_HELD_ON, [review_id]))
            drop(tx, review_id)  # none while open; a closed review is compared on its own snapshot
            take(tx, review_id, month=month, as_of=when or utcnow(), actor="system")
            raise _Discard(read(tx))
    except _Discard as kept:
        return cast(T, kept.value)


def drop(tx: Tx, review_id: int) -> None:
    for table in SNAPSHOT_TABLES:
        tx.execute(DELETE_SNAPSHOT[table], [review_id])


def params_for(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """Only the named parameters a statement uses (DuckDB refuses unused ones)."""
    return {name: value for name, value in params.items() if f"${name}" in sql}

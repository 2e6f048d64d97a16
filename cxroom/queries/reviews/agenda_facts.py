"""The facts the agenda is proposed from: per stage, its KPIs against target,
its complaint categories month by month, its survey scores, the state of its
moments of truth and its fixes (cxroom.insights.agenda proposes from them)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from cxroom.insights.agenda_facts import (
    AgendaInputs,
    CategorySeries,
    FixFacts,
    KpiFacts,
    MomentFacts,
    StageFacts,
    SurveyFacts,
)
from cxroom.queries.customer_math import stage_losses
from cxroom.queries.reviews.follow_up import earlier_decisions
from cxroom.queries.reviews.listing import LAST_REVIEW_BEFORE, data_month
from cxroom.queries.reviews.months import month_params, monthly_kpi_values, params_for
from cxroom.queries.themes import theme_facts
from cxroom.store import Store
from cxroom.survey_sql import survey_score

# -- SQL: the facts the agenda is proposed from -------------------------------------------
# Parameters: $month (first day of the review month), $prev (the month before),
# $next (the month after), $from (first month of the complaint history),
# $since (the previous review, or the month's start), $review (or NULL).

STAGE_FACTS = "SELECT id, slug, name, position FROM stages WHERE NOT archived ORDER BY position, id"

KPI_FACTS = f"""
WITH r AS ({monthly_kpi_values("$prev")}
)
SELECT k.id, k.stage_id, k.name, k.unit, k.direction, k.target, k.warning,
       max(r.value) FILTER (WHERE r.month = $month) AS value,
       max(r.value) FILTER (WHERE r.month = $prev) AS previous_value,
       k.moment_id, any_value(m.name) AS moment_name, coalesce(any_value(m.is_key), false) AS key_moment
FROM kpis k
JOIN stages s ON s.id = k.stage_id AND NOT s.archived
LEFT JOIN moments m ON m.id = k.moment_id
LEFT JOIN r ON r.kpi_id = k.id
GROUP BY k.id, k.stage_id, k.name, k.unit, k.direction, k.target, k.warning, k.moment_id
ORDER BY k.stage_id, k.id
"""

# Dense monthly counts (0 for a month without complaints) per stage and
# category, oldest first, ending with the review month.
CATEGORY_SERIES = """
WITH months AS (
    SELECT unnest(generate_series($from, $month, INTERVAL 1 MONTH))::DATE AS month
),
counts AS (
    SELECT stage_id, category, date_trunc('month', received_at)::DATE AS month, count(*) AS n
    FROM complaints
    WHERE stage_id IS NOT NULL AND received_at >= $from AND received_at < $next
      AND (CAST($stage AS BIGINT) IS NULL OR stage_id = $stage)
    GROUP BY stage_id, category, month
),
cats AS (SELECT DISTINCT stage_id, category FROM counts)
SELECT c.stage_id, c.category, list(coalesce(n.n, 0) ORDER BY m.month) AS counts
FROM cats c
CROSS JOIN months m
LEFT JOIN counts n ON n.stage_id = c.stage_id AND n.category = c.category AND n.month = m.month
GROUP BY c.stage_id, c.category
ORDER BY c.stage_id, c.category
"""

SURVEY_FACTS = """
WITH scored AS (
    SELECT r.question_id, date_trunc('month', r.answered_at)::DATE AS month, count(*) AS n,
           {score} AS score
    FROM survey_responses r
    JOIN survey_questions q ON q.id = r.question_id
    WHERE r.answered_at >= $prev AND r.answered_at < $next
    GROUP BY r.question_id, month
),
stages_of AS (
    SELECT qs.question_id, list(qs.stage_id ORDER BY st.position) AS stage_ids
    FROM survey_question_stages qs JOIN stages st ON st.id = qs.stage_id AND NOT st.archived
    WHERE CAST($stage AS BIGINT) IS NULL OR qs.stage_id = $stage
    GROUP BY qs.question_id
)
SELECT q.id AS question_id, so.stage_ids, q.survey, q.text, q.kind,
       max(sc.score) FILTER (WHERE sc.month = $month) AS score,
       coalesce(max(sc.n) FILTER (WHERE sc.month = $month), 0) AS n,
       max(sc.score) FILTER (WHERE sc.month = $prev) AS previous_score,
       coalesce(max(sc.n) FILTER (WHERE sc.month = $prev), 0) AS previous_n
FROM survey_questions q
JOIN stages_of so ON so.question_id = q.id
LEFT JOIN scored sc ON sc.question_id = q.id
GROUP BY q.id, so.stage_ids, q.survey, q.text, q.kind
ORDER BY q.id
""".replace("{score}", survey_score(kind="any_value(q.kind)"))

# A moment's state at the end of the review month and at $since, and when it
# entered its state (the current state when it has no history).
MOMENT_FACTS = """
WITH h AS (
    SELECT moment_id,
           arg_max(to_state, changed_at) FILTER (WHERE changed_at < $next) AS state_end,
           max(changed_at) FILTER (WHERE changed_at < $next) AS state_since,
           arg_max(to_state, changed_at) FILTER (WHERE changed_at < $since) AS state_before
    FROM moment_state_history
    GROUP BY moment_id
)
SELECT m.id, m.stage_id, m.name, m.is_key,
       coalesce(h.state_end, m.reliability) AS state,
       coalesce(h.state_before, h.state_end, m.reliability) AS state_before,
       h.state_since
FROM moments m
JOIN stages s ON s.id = m.stage_id AND NOT s.archived
LEFT JOIN h ON h.moment_id = m.id
WHERE CAST($stage AS BIGINT) IS NULL OR m.stage_id = $stage
ORDER BY s.position, m.position, m.id
"""

FIX_FACTS = """
WITH c AS (SELECT fix_id, max(happened_at) AS celebrated_at FROM fix_updates
           WHERE to_status = 'celebrated' GROUP BY fix_id)
SELECT f.id, f.stage_id, f.title, f.status, f.lead, f.due_on, f.moment_id, c.celebrated_at,
       EXISTS (SELECT 1 FROM fix_presentations p WHERE p.fix_id = f.id AND p.review_id = $review)
           AS presented_in_this_review
FROM fixes f
JOIN stages s ON s.id = f.stage_id AND NOT s.archived
LEFT JOIN c ON c.fix_id = f.id
ORDER BY s.position, f.due_on NULLS LAST, f.id
"""


def agenda_inputs(store: Store, *, held_on: date, review_id: int | None = None) -> AgendaInputs:
    """Everything the agenda is proposed from, for a review held on ``held_on``."""
    month = data_month(store, held_on)
    last = store.fetch_value(LAST_REVIEW_BEFORE, [held_on])
    since = datetime.combine(last, datetime.min.time()) if last else datetime.combine(month, datetime.min.time())
    values = month_params(month, since=since, review=review_id, stage=None)

    def rows(sql: str) -> list[dict[str, Any]]:
        return store.fetch_dicts(sql, params_for(sql, values))

    return AgendaInputs(
        month=month,
        held_on=held_on,
        since=since,
        stages=tuple(StageFacts(**r) for r in rows(STAGE_FACTS)),
        kpis=tuple(KpiFacts(**r) for r in rows(KPI_FACTS)),
        categories=tuple(
            CategorySeries(r["stage_id"], r["category"], tuple(int(n) for n in r["counts"]))
            for r in rows(CATEGORY_SERIES)
        ),
        surveys=tuple(SurveyFacts(**{**r, "stage_ids": tuple(r["stage_ids"])}) for r in rows(SURVEY_FACTS)),
        moments=tuple(MomentFacts(**r) for r in rows(MOMENT_FACTS)),
        fixes=tuple(FixFacts(**r) for r in rows(FIX_FACTS)),
        losses=stage_losses(store, month),
        decisions=tuple(earlier_decisions(store, held_on=held_on, review_id=review_id, since=since)),
        themes=theme_facts(store, month),
    )

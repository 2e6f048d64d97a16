"""Reads of the room review: the list of reviews, one review with its agenda,
findings, decisions and fixes; the facts the agenda is proposed from; the
evidence shown for a stage or a fix in presenter mode; the comparison of two
review snapshots; and the minutes (Markdown and print-ready HTML).

Aggregation happens in DuckDB; Python only shapes the rows.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from cxroom import fix_status
from cxroom.insights.agenda import (
    AgendaInputs,
    AgendaKind,
    AgendaSection,
    CategorySeries,
    FixFacts,
    KpiFacts,
    MomentFacts,
    StageFacts,
    SurveyFacts,
    next_month,
    review_month,
)
from cxroom.store import Store
from cxroom.survey_sql import survey_score
from cxroom.textsafe import escape_markdown

HISTORY_MONTHS = 24  # complaint history fed to the unusual-rise rule (plus the month itself)
TREND_MONTHS = 13  # months in the presenter's trend charts
VERBATIMS_SHOWN = 3
FIX_STATUS_ORDER = tuple(s.value for s in fix_status.LANES)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def _params(sql: str, values: dict[str, Any]) -> dict[str, Any]:
    """Only the named parameters a statement uses (DuckDB refuses unused ones)."""
    return {name: value for name, value in values.items() if f"${name}" in sql}


# -- SQL: reviews ------------------------------------------------------------------

REVIEWS = """
WITH f AS (SELECT review_id, count(*) AS findings FROM review_findings GROUP BY review_id),
     d AS (SELECT review_id, count(*) AS decisions FROM review_decisions GROUP BY review_id),
     x AS (SELECT chartered_review_id AS review_id, count(*) AS fixes FROM fixes
           WHERE chartered_review_id IS NOT NULL GROUP BY chartered_review_id),
     a AS (SELECT review_id, count(*) AS agenda_items FROM review_agenda_items GROUP BY review_id)
SELECT r.id, r.held_on, r.kind, r.title, r.status, r.attendees, r.closed_at, r.version,
       coalesce(a.agenda_items, 0) AS agenda_items, coalesce(f.findings, 0) AS findings,
       coalesce(d.decisions, 0) AS decisions, coalesce(x.fixes, 0) AS fixes_chartered,
       s.review_id IS NOT NULL AS has_snapshot
FROM reviews r
LEFT JOIN f ON f.review_id = r.id LEFT JOIN d ON d.review_id = r.id
LEFT JOIN x ON x.review_id = r.id LEFT JOIN a ON a.review_id = r.id
LEFT JOIN review_snapshots s ON s.review_id = r.id
ORDER BY r.held_on DESC, r.id DESC
"""

REVIEW = """
SELECT r.id, r.held_on, r.kind, r.title, r.status, r.attendees, r.notes, r.closed_at, r.version,
       s.month AS snapshot_month, s.as_of AS snapshot_as_of
FROM reviews r LEFT JOIN review_snapshots s ON s.review_id = r.id
WHERE r.id = ?
"""

# The review held before this one (by date, then id): wins and changes count from it.
PREVIOUS_REVIEW = """
SELECT id, held_on FROM reviews
WHERE (held_on, id) < (SELECT (held_on, id) FROM reviews WHERE id = $review)
  AND ($snapshot_only = false OR id IN (SELECT review_id FROM review_snapshots))
ORDER BY held_on DESC, id DESC
LIMIT 1
"""

LAST_REVIEW_BEFORE = "SELECT max(held_on) FROM reviews WHERE held_on < ?"

# The month of data a review looks at: the month before it is held, or the
# latest month the room has data for when that month is not loaded yet.
# (cxroom.services.reviews takes its snapshot of the same month; a test keeps
# the two statements in step.)
DATA_MONTH = """
SELECT max(month) FROM (
    SELECT date_trunc('month', max(period))::DATE AS month FROM kpi_readings WHERE period < $before
    UNION ALL
    SELECT date_trunc('month', max(received_at))::DATE FROM complaints WHERE received_at < $before
)
"""

AGENDA = """
SELECT a.id, a.review_id, a.position, a.kind, a.section, a.title, a.reasons, a.stage_id, a.moment_id, a.fix_id,
       a.minutes, a.source, a.version, s.name AS stage_name, s.slug AS stage_slug, m.name AS moment_name,
       f.title AS fix_title
FROM review_agenda_items a
LEFT JOIN stages s ON s.id = a.stage_id
LEFT JOIN moments m ON m.id = a.moment_id
LEFT JOIN fixes f ON f.id = a.fix_id
WHERE a.review_id = ?
ORDER BY a.position, a.id
"""

FINDINGS = """
WITH ev AS (SELECT finding_id, list(label ORDER BY label) AS labels FROM review_finding_evidence GROUP BY finding_id),
     fx AS (SELECT l.finding_id, list(f.id ORDER BY f.id) AS fix_ids, list(f.title ORDER BY f.id) AS fix_titles
            FROM review_finding_fixes l JOIN fixes f ON f.id = l.fix_id GROUP BY l.finding_id)
SELECT rf.id, rf.review_id, rf.text, rf.evidence, rf.created_by, rf.created_at, rf.version,
       rf.stage_id, s.slug AS stage_slug, s.name AS stage_name, rf.moment_id, m.name AS moment_name,
       coalesce(ev.labels, []) AS evidence_labels, coalesce(fx.fix_ids, []) AS fix_ids,
       coalesce(fx.fix_titles, []) AS fix_titles
FROM review_findings rf
LEFT JOIN stages s ON s.id = rf.stage_id
LEFT JOIN moments m ON m.id = rf.moment_id
LEFT JOIN ev ON ev.finding_id = rf.id
LEFT JOIN fx ON fx.finding_id = rf.id
WHERE rf.review_id = ?
ORDER BY rf.created_at, rf.id
"""

DECISIONS = """
SELECT d.id, d.text, d.owner, d.due_on, d.finding_id, f.text AS finding_text, d.created_by, d.created_at, d.version
FROM review_decisions d
LEFT JOIN review_findings f ON f.id = d.finding_id
WHERE d.review_id = ?
ORDER BY d.created_at, d.id
"""

FIXES_CHARTERED = """
WITH mem AS (SELECT fm.fix_id, list(fm.person || ' (' || si.name || ')' ORDER BY fm.person) AS members
             FROM fix_members fm JOIN silos si ON si.id = fm.silo_id GROUP BY fm.fix_id)
SELECT f.id, f.title, f.problem, f.status, f.sponsor, f.lead, f.due_on, f.chartered_on,
       s.name AS stage_name, m.name AS moment_name, coalesce(mem.members, []) AS members
FROM fixes f
JOIN stages s ON s.id = f.stage_id
LEFT JOIN moments m ON m.id = f.moment_id
LEFT JOIN mem ON mem.fix_id = f.id
WHERE f.chartered_review_id = ?
ORDER BY f.id
"""

PRESENTATIONS = """
SELECT f.id, f.title, f.status, f.lead, f.results, f.recommendations, p.presented_at, s.name AS stage_name
FROM fix_presentations p
JOIN fixes f ON f.id = p.fix_id
JOIN stages s ON s.id = f.stage_id
WHERE p.review_id = ?
ORDER BY p.presented_at, f.id
"""

ACTIVE_FIXES = """
SELECT f.id, f.title, f.status, f.lead, f.stage_id, s.name AS stage_name,
       EXISTS (SELECT 1 FROM fix_presentations p WHERE p.fix_id = f.id AND p.review_id = $review) AS presented
FROM fixes f JOIN stages s ON s.id = f.stage_id
WHERE f.status <> 'dropped'
ORDER BY f.status = 'celebrated', s.position, f.id
"""

STAGE_CHOICES = """
SELECT id, slug, name FROM stages WHERE NOT archived ORDER BY position, id
"""

MOMENT_CHOICES = """
SELECT m.id, m.stage_id, s.slug AS stage_slug, m.name
FROM moments m JOIN stages s ON s.id = m.stage_id
WHERE NOT s.archived
ORDER BY s.position, m.position, m.id
"""

SILO_CHOICES = "SELECT name FROM silos ORDER BY name"

# -- SQL: the facts the agenda is proposed from -------------------------------------------
# Parameters: $month (first day of the review month), $prev (the month before),
# $next (the month after), $from (first month of the complaint history),
# $since (the previous review, or the month's start), $review (or NULL).

STAGE_FACTS = "SELECT id, slug, name, position FROM stages WHERE NOT archived ORDER BY position, id"

KPI_FACTS = """
WITH r AS (
    SELECT kpi_id, date_trunc('month', period)::DATE AS month, arg_max(value, period) AS value
    FROM kpi_readings
    WHERE period >= $prev AND period < $next
    GROUP BY kpi_id, month
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

# -- SQL: the evidence of one stage (presenter mode) ----------------------------------------

STAGE = "SELECT id, slug, name, customer_goal, description, colour FROM stages WHERE id = ?"

KPI_TRENDS = """
WITH r AS (
    SELECT kpi_id, date_trunc('month', period)::DATE AS month, arg_max(value, period) AS value
    FROM kpi_readings
    WHERE period >= $from AND period < $next
    GROUP BY kpi_id, month
)
SELECT r.kpi_id, r.month, r.value
FROM r JOIN kpis k ON k.id = r.kpi_id
WHERE k.stage_id = $stage
ORDER BY r.kpi_id, r.month
"""

STAGE_COMPLAINTS_MONTHLY = """
WITH months AS (SELECT unnest(generate_series($from, $month, INTERVAL 1 MONTH))::DATE AS month),
     c AS (SELECT date_trunc('month', received_at)::DATE AS month, count(*) AS n
           FROM complaints
           WHERE stage_id = $stage AND received_at >= $from AND received_at < $next
           GROUP BY month)
SELECT m.month, coalesce(c.n, 0) AS complaints
FROM months m LEFT JOIN c ON c.month = m.month
ORDER BY m.month
"""

# The masked text (presenter mode is on a shared screen); the page masks again, which
# changes nothing, and covers a row whose masked text is not stored yet. Duplicates are
# dropped by what is shown, so two complaints differing only in a card number read once.
VERBATIMS = """
SELECT received_at, category, source, coalesce(verbatim_masked, verbatim) AS verbatim
FROM complaints
WHERE stage_id = $stage AND received_at >= $month AND received_at < $next
  AND verbatim IS NOT NULL AND length(trim(verbatim)) > 0
QUALIFY row_number() OVER (PARTITION BY coalesce(verbatim_masked, verbatim) ORDER BY received_at DESC, id DESC) = 1
ORDER BY (category IN (SELECT unnest($categories::VARCHAR[]))) DESC, received_at DESC, id DESC
LIMIT $limit
"""

CALLS = """
SELECT c.id, c.title, c.media_sha256 AS sha256, md.mime, c.duration_s, c.clip_start_s, c.clip_end_s,
       c.transcript, c.recorded_at, c.channel, m.name AS moment_name
FROM calls c
JOIN media md ON md.sha256 = c.media_sha256
LEFT JOIN moments m ON m.id = c.moment_id
WHERE c.stage_id = $stage AND c.on_wall
ORDER BY (c.moment_id IS NOT DISTINCT FROM $moment) DESC, c.recorded_at DESC, c.id
"""

ARTIFACTS = """
SELECT a.id, a.title, a.kind, a.caption, a.asks_of_customer, a.media_sha256 AS sha256, md.mime,
       m.name AS moment_name
FROM artifacts a
JOIN media md ON md.sha256 = a.media_sha256
LEFT JOIN moments m ON m.id = a.moment_id
WHERE a.stage_id = $stage
ORDER BY (a.moment_id IS NOT DISTINCT FROM $moment) DESC, a.position, a.id
"""

# -- SQL: a fix team's presentation -------------------------------------------------------------

FIX = """
SELECT f.id, f.title, f.problem, f.status, f.sponsor, f.lead, f.chartered_on, f.due_on, f.findings,
       f.recommendations, f.results, f.stage_id, s.name AS stage_name, f.moment_id, m.name AS moment_name
FROM fixes f JOIN stages s ON s.id = f.stage_id LEFT JOIN moments m ON m.id = f.moment_id
WHERE f.id = ?
"""

FIX_MEMBERS = """
SELECT fm.person, si.name AS silo FROM fix_members fm JOIN silos si ON si.id = fm.silo_id
WHERE fm.fix_id = ? ORDER BY si.name, fm.person
"""

FIX_FINDINGS = """
SELECT rf.text, rf.evidence, r.title AS review_title, r.held_on
FROM review_finding_fixes l
JOIN review_findings rf ON rf.id = l.finding_id
JOIN reviews r ON r.id = rf.review_id
WHERE l.fix_id = ?
ORDER BY r.held_on, rf.id
"""

FIX_PRESENTED_IN = """
SELECT r.id, r.title, r.held_on FROM fix_presentations p JOIN reviews r ON r.id = p.review_id
WHERE p.fix_id = ? ORDER BY r.held_on
"""

FIX_TIMELINE = """
SELECT happened_at, author, from_status, to_status, note FROM fix_updates WHERE fix_id = ? ORDER BY happened_at, id
"""

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


# -- shapes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    id: int
    held_on: date
    kind: str
    title: str
    status: str
    attendees: tuple[str, ...]
    notes: str
    closed_at: datetime | None
    version: int
    snapshot_month: date | None = None
    snapshot_as_of: datetime | None = None
    data_month: date | None = None

    @property
    def closed(self) -> bool:
        return self.status == "closed"

    @property
    def month(self) -> date:
        """The month of data the review looks at (its snapshot's, once closed)."""
        return self.snapshot_month or self.data_month or review_month(self.held_on)

    @property
    def status_label(self) -> str:
        return {"planned": "Planned", "in_session": "In session", "closed": "Closed"}.get(self.status, self.status)


@dataclass(frozen=True)
class AgendaItem:
    id: int
    review_id: int
    position: int
    kind: AgendaKind
    section: AgendaSection
    title: str
    reasons: tuple[str, ...]
    stage_id: int | None
    moment_id: int | None
    fix_id: int | None
    minutes: int
    source: str
    version: int
    stage_name: str | None = None
    stage_slug: str | None = None
    moment_name: str | None = None
    fix_title: str | None = None


@dataclass(frozen=True)
class Finding:
    id: int
    review_id: int
    text: str
    evidence: str
    created_by: str
    created_at: datetime
    version: int
    stage_id: int | None
    stage_slug: str | None
    stage_name: str | None
    moment_id: int | None
    moment_name: str | None
    evidence_labels: tuple[str, ...] = ()
    fix_ids: tuple[int, ...] = ()
    fix_titles: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return " · ".join(p for p in (self.stage_name, self.moment_name) if p) or "The whole room"


@dataclass(frozen=True)
class Decision:
    id: int
    text: str
    owner: str
    due_on: date | None
    finding_id: int | None
    finding_text: str | None
    created_by: str
    created_at: datetime
    version: int


@dataclass(frozen=True)
class Choices:
    """Options for the capture forms."""

    stages: tuple[tuple[str, str], ...]  # (slug, name)
    moments: dict[str, tuple[str, ...]]  # stage slug -> moment names
    silos: tuple[str, ...]
    stage_ids: dict[str, int] = field(default_factory=dict)  # stage slug -> id


def data_month(store: Store, held_on: date) -> date:
    """The month of data a review held on ``held_on`` looks at."""
    wanted = review_month(held_on)
    found = store.fetch_value(DATA_MONTH, {"before": next_month(wanted)})
    return found or wanted


def _review(row: dict[str, Any]) -> Review:
    return Review(
        id=int(row["id"]),
        held_on=row["held_on"],
        kind=row["kind"],
        title=row["title"],
        status=row["status"],
        attendees=tuple(row["attendees"] or ()),
        notes=row["notes"] or "",
        closed_at=row["closed_at"],
        version=int(row["version"]),
        snapshot_month=row.get("snapshot_month"),
        snapshot_as_of=row.get("snapshot_as_of"),
        data_month=row.get("data_month"),
    )


# -- reads: reviews ---------------------------------------------------------------------


def list_reviews(store: Store) -> pd.DataFrame:
    return store.fetch_df(REVIEWS)


def get_review(store: Store, review_id: int) -> Review | None:
    rows = store.fetch_dicts(REVIEW, [review_id])
    if not rows:
        return None
    return _review({**rows[0], "data_month": data_month(store, rows[0]["held_on"])})


def previous_review_id(store: Store, review_id: int, *, with_snapshot: bool = False) -> int | None:
    sql_params = {"review": review_id, "snapshot_only": with_snapshot}
    value = store.fetch_value(PREVIOUS_REVIEW, sql_params)
    return None if value is None else int(value)


def agenda(store: Store, review_id: int) -> list[AgendaItem]:
    rows = store.fetch_dicts(AGENDA, [review_id])
    return [
        AgendaItem(
            **{
                **row,
                "kind": AgendaKind(row["kind"]),
                "section": AgendaSection(row["section"]),
                "reasons": tuple(row["reasons"] or ()),
            }
        )
        for row in rows
    ]


def findings(store: Store, review_id: int) -> list[Finding]:
    rows = store.fetch_dicts(FINDINGS, [review_id])
    return [
        Finding(
            **{
                **row,
                "evidence_labels": tuple(row["evidence_labels"]),
                "fix_ids": tuple(int(i) for i in row["fix_ids"]),
                "fix_titles": tuple(row["fix_titles"]),
            }
        )
        for row in rows
    ]


def decisions(store: Store, review_id: int) -> list[Decision]:
    return [Decision(**row) for row in store.fetch_dicts(DECISIONS, [review_id])]


def fixes_chartered(store: Store, review_id: int) -> list[dict[str, Any]]:
    return store.fetch_dicts(FIXES_CHARTERED, [review_id])


def presentations(store: Store, review_id: int) -> list[dict[str, Any]]:
    return store.fetch_dicts(PRESENTATIONS, [review_id])


def fixes_for_presenting(store: Store, review_id: int) -> list[dict[str, Any]]:
    """Every fix that is not dropped, with whether it presented in this review."""
    return store.fetch_dicts(ACTIVE_FIXES, {"review": review_id})


def choices(store: Store) -> Choices:
    rows = store.fetch_dicts(STAGE_CHOICES)
    stages = tuple((r["slug"], r["name"]) for r in rows)
    moments: dict[str, list[str]] = {slug: [] for slug, _ in stages}
    for row in store.fetch_dicts(MOMENT_CHOICES):
        moments.setdefault(row["stage_slug"], []).append(row["name"])
    silos = tuple(r["name"] for r in store.fetch_dicts(SILO_CHOICES))
    return Choices(stages, {k: tuple(v) for k, v in moments.items()}, silos, {r["slug"]: int(r["id"]) for r in rows})


# -- reads: the facts behind the agenda -----------------------------------------------------


def _month_params(month: date, **extra: Any) -> dict[str, Any]:
    return {
        "month": month,
        "prev": add_months(month, -1),
        "next": next_month(month),
        "from": add_months(month, -HISTORY_MONTHS),
        **extra,
    }


def agenda_inputs(store: Store, *, held_on: date, review_id: int | None = None) -> AgendaInputs:
    """Everything the agenda is proposed from, for a review held on ``held_on``."""
    month = data_month(store, held_on)
    last = store.fetch_value(LAST_REVIEW_BEFORE, [held_on])
    since = datetime.combine(last, datetime.min.time()) if last else datetime.combine(month, datetime.min.time())
    values = _month_params(month, since=since, review=review_id, stage=None)

    def rows(sql: str) -> list[dict[str, Any]]:
        return store.fetch_dicts(sql, _params(sql, values))

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
    )


# -- reads: a stage's evidence ----------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    speaker: str
    text: str


@dataclass(frozen=True)
class CallClip:
    id: int
    title: str
    sha256: str
    mime: str
    duration_s: float
    clip_start_s: int
    clip_end_s: int
    segments: tuple[Segment, ...]
    recorded_at: datetime
    channel: str
    moment_name: str | None

    @property
    def clip_segments(self) -> tuple[Segment, ...]:
        """Transcript lines inside the highlighted clip."""
        return tuple(s for s in self.segments if s.end > self.clip_start_s and s.start < self.clip_end_s)


@dataclass(frozen=True)
class Artifact:
    id: int
    title: str
    kind: str
    caption: str
    asks_of_customer: str
    sha256: str
    mime: str
    moment_name: str | None


@dataclass(frozen=True)
class Verbatim:
    received_at: datetime
    category: str
    source: str
    text: str  # as stored: mask it before showing it


@dataclass(frozen=True)
class StageEvidence:
    stage_id: int
    slug: str
    name: str
    customer_goal: str
    colour: str
    month: date
    kpis: tuple[KpiFacts, ...]
    kpi_trends: dict[int, tuple[tuple[date, float], ...]]
    complaints_monthly: pd.DataFrame  # month, complaints (TREND_MONTHS rows)
    categories: tuple[CategorySeries, ...]
    verbatims: tuple[Verbatim, ...]
    surveys: tuple[SurveyFacts, ...]
    moments: tuple[MomentFacts, ...]
    calls: tuple[CallClip, ...]
    artifacts: tuple[Artifact, ...] = field(default_factory=tuple)


def parse_transcript(raw: Any) -> tuple[Segment, ...]:
    if raw is None or raw == "":
        return ()
    try:
        data = json.loads(raw) if isinstance(raw, str) else raw
        return tuple(
            Segment(float(s["start"]), float(s["end"]), str(s.get("speaker", "")), str(s.get("text", ""))) for s in data
        )
    except (ValueError, TypeError, KeyError):
        return ()


def stage_evidence(
    store: Store,
    stage_id: int,
    month: date,
    *,
    moment_id: int | None = None,
    since: datetime | None = None,
) -> StageEvidence | None:
    """What the room shows for one stage in presenter mode, for the review month.
    Verbatims of categories that rose unusually come first."""
    stage_rows = store.fetch_dicts(STAGE, [stage_id])
    if not stage_rows:
        return None
    stage = stage_rows[0]
    values = _month_params(
        month,
        stage=stage_id,
        moment=moment_id,
        since=since or datetime.combine(month, datetime.min.time()),
        review=None,
        limit=VERBATIMS_SHOWN,
    )
    trend_values = {**values, "from": add_months(month, -(TREND_MONTHS - 1))}

    def rows(sql: str, params: dict[str, Any] = values) -> list[dict[str, Any]]:
        return store.fetch_dicts(sql, _params(sql, params))

    categories = tuple(
        CategorySeries(r["stage_id"], r["category"], tuple(int(n) for n in r["counts"])) for r in rows(CATEGORY_SERIES)
    )
    values["categories"] = [c.category for c in categories if c.check().unusual]
    kpis = tuple(KpiFacts(**r) for r in rows(KPI_FACTS) if r["stage_id"] == stage_id)
    trends: dict[int, list[tuple[date, float]]] = {}
    for r in rows(KPI_TRENDS, trend_values):
        trends.setdefault(int(r["kpi_id"]), []).append((r["month"], float(r["value"])))
    calls = tuple(
        CallClip(
            id=int(r["id"]),
            title=r["title"],
            sha256=r["sha256"],
            mime=r["mime"],
            duration_s=float(r["duration_s"]),
            clip_start_s=int(r["clip_start_s"] or 0),
            clip_end_s=int(r["clip_end_s"] if r["clip_end_s"] is not None else r["duration_s"]),
            segments=parse_transcript(r["transcript"]),
            recorded_at=r["recorded_at"],
            channel=r["channel"],
            moment_name=r["moment_name"],
        )
        for r in rows(CALLS)
    )
    return StageEvidence(
        stage_id=stage_id,
        slug=stage["slug"],
        name=stage["name"],
        customer_goal=stage["customer_goal"],
        colour=stage["colour"],
        month=month,
        kpis=kpis,
        kpi_trends={k: tuple(v) for k, v in trends.items()},
        complaints_monthly=store.fetch_df(STAGE_COMPLAINTS_MONTHLY, _params(STAGE_COMPLAINTS_MONTHLY, trend_values)),
        categories=categories,
        verbatims=tuple(Verbatim(r["received_at"], r["category"], r["source"], r["verbatim"]) for r in rows(VERBATIMS)),
        surveys=tuple(SurveyFacts(**{**r, "stage_ids": tuple(r["stage_ids"])}) for r in rows(SURVEY_FACTS)),
        moments=tuple(MomentFacts(**r) for r in rows(MOMENT_FACTS)),
        calls=calls,
        artifacts=tuple(Artifact(**r) for r in rows(ARTIFACTS)),
    )


# -- reads: a fix team's presentation ------------------------------------------------------------


@dataclass(frozen=True)
class FixPresentation:
    id: int
    title: str
    problem: str
    status: str
    sponsor: str
    lead: str
    chartered_on: date
    due_on: date | None
    findings: str
    recommendations: str
    results: str
    stage_id: int
    stage_name: str
    moment_id: int | None
    moment_name: str | None
    members: tuple[tuple[str, str], ...]
    review_findings: tuple[str, ...]
    presented_in: tuple[tuple[int, str], ...]
    timeline: tuple[tuple[datetime, str, str], ...]  # when, status, note


def fix_presentation(store: Store, fix_id: int) -> FixPresentation | None:
    rows = store.fetch_dicts(FIX, [fix_id])
    if not rows:
        return None
    fix = rows[0]
    return FixPresentation(
        **fix,
        members=tuple((r["person"], r["silo"]) for r in store.fetch_dicts(FIX_MEMBERS, [fix_id])),
        review_findings=tuple(r["text"] for r in store.fetch_dicts(FIX_FINDINGS, [fix_id])),
        presented_in=tuple((int(r["id"]), r["title"]) for r in store.fetch_dicts(FIX_PRESENTED_IN, [fix_id])),
        timeline=tuple(
            (r["happened_at"], r["to_status"] or "", r["note"]) for r in store.fetch_dicts(FIX_TIMELINE, [fix_id])
        ),
    )


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
        """A few plain sentences for the minutes."""
        lines = []
        onto = int((self.kpi_crossings["change"] == "onto target").sum()) if not self.kpi_crossings.empty else 0
        off = len(self.kpi_crossings) - onto
        lines.append(f"KPIs: {onto} moved onto target, {off} fell off target.")
        up = int((self.moment_changes["direction"] == "up").sum()) if not self.moment_changes.empty else 0
        lines.append(
            f"Moments of truth: {up} climbed, {len(self.moment_changes) - up} slipped on the reliability ladder."
        )
        before, now = self.previous_counts.get("complaints", 0), self.counts.get("complaints", 0)
        lines.append(f"Complaints: {now:,} in {self.month:%B %Y} vs {before:,} in {self.previous_month:%B %Y}.")
        if not self.fix_changes.empty:
            kinds = self.fix_changes["change"].map(lambda c: c.split(":")[0]).value_counts()
            parts = [f"{int(kinds[k])} {k}" for k in ("chartered", "progressed", "completed", "slipped") if k in kinds]
            lines.append("Fixes: " + ", ".join(parts) + ".")
        return lines


def comparison(store: Store, review_id: int) -> Comparison | None:
    """This review's snapshot beside the one before it (None when either is missing)."""
    current = store.fetch_dicts(SNAPSHOT, [review_id])
    if not current:
        return None
    previous_id = previous_review_id(store, review_id, with_snapshot=True)
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
        return store.fetch_df(sql, _params(sql, values))

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


# -- the minutes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Minutes:
    review: Review
    agenda: tuple[AgendaItem, ...]
    findings: tuple[Finding, ...]
    decisions: tuple[Decision, ...]
    fixes_chartered: tuple[dict[str, Any], ...]
    presentations: tuple[dict[str, Any], ...]
    wins: tuple[str, ...]
    changes: tuple[str, ...]


def minutes(store: Store, review_id: int) -> Minutes | None:
    review = get_review(store, review_id)
    if review is None:
        return None
    items = tuple(agenda(store, review_id))
    shown = tuple(presentations(store, review_id))
    wins = [
        line
        for item in items
        if item.kind is AgendaKind.WIN
        for line in ((item.title, *item.reasons) if item.fix_id is not None else item.reasons)
    ]
    wins += [f"{p['title']}: {p['results']}" for p in shown if p["status"] == "celebrated" and p["results"]]
    compared = comparison(store, review_id)
    return Minutes(
        review=review,
        agenda=items,
        findings=tuple(findings(store, review_id)),
        decisions=tuple(decisions(store, review_id)),
        fixes_chartered=tuple(fixes_chartered(store, review_id)),
        presentations=shown,
        wins=tuple(wins),
        changes=tuple(compared.headline()) if compared else (),
    )


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value:%d %b %Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    return ""


def _status_text(review: Review) -> str:
    return f"Closed on {_when(review.closed_at)}" if review.closed_at else review.status_label


def minutes_markdown(m: Minutes) -> str:
    r = m.review
    e = escape_markdown
    out = [
        f"# Minutes: {e(r.title)}",
        "",
        f"- **Held on:** {_when(r.held_on)} ({e(r.kind)} review of {r.month:%B %Y} data)",
        f"- **Status:** {_status_text(r)}",
        f"- **Attendees:** {', '.join(e(a) for a in r.attendees) or 'none recorded'}",
        "",
        "## Agenda",
        "",
    ]
    out += [f"{i.position}. {e(i.title)} ({i.minutes} min)" for i in m.agenda] or ["No agenda."]
    out += ["", "## Findings", ""]
    for f in m.findings:
        out.append(f"- **{e(f.where)}:** {e(f.text)}")
        if f.evidence:
            out.append(f"  - Evidence: {e(f.evidence)}")
        if f.fix_titles:
            out.append(f"  - Fix chartered: {', '.join(e(t) for t in f.fix_titles)}")
    if not m.findings:
        out.append("No findings recorded.")
    out += ["", "## Decisions", ""]
    for d in m.decisions:
        due = f", due {_when(d.due_on)}" if d.due_on else ""
        out.append(f"- {e(d.text)} (owner: {e(d.owner)}{due})")
    if not m.decisions:
        out.append("No decisions recorded.")
    out += ["", "## Fixes chartered", ""]
    for x in m.fixes_chartered:
        due = f", due {_when(x['due_on'])}" if x["due_on"] else ""
        out.append(
            f"- **{e(x['title'])}** at {e(x['stage_name'])}: lead {e(x['lead'])}, sponsor {e(x['sponsor'])}{due}"
        )
        out.append(f"  - Problem: {e(x['problem'])}")
        out.append(f"  - Team: {', '.join(e(p) for p in x['members'])}")
    if not m.fixes_chartered:
        out.append("No fixes chartered.")
    out += ["", "## Results presented", ""]
    for p in m.presentations:
        out.append(f"- **{e(p['title'])}** ({e(p['status'])}, lead {e(p['lead'])})")
        if p["results"]:
            out.append(f"  - Results: {e(p['results'])}")
    if not m.presentations:
        out.append("No fix team presented.")
    out += ["", "## Wins", ""]
    out += [f"- {e(w)}" for w in m.wins] or ["None this time."]
    out += ["", "## Since the last review", ""]
    out += [f"- {e(c)}" for c in m.changes] or ["No comparison: the review is not closed, or it is the first one."]
    return "\n".join(out) + "\n"


_PRINT_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46rem; margin: 2rem auto; color: #1b2430;
       line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid #ccd;
     padding-bottom: .2rem; margin-top: 1.6rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } dt { font-weight: bold; }
li { margin-bottom: .35rem; } .muted { color: #556; font-size: .92rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } li { break-inside: avoid; } }
@page { margin: 18mm; }
"""


def minutes_html(m: Minutes) -> str:
    """Print-ready, self-contained HTML. Every piece of user text is escaped."""
    r = m.review

    def e(value: Any) -> str:
        return html.escape(str(value or ""), quote=True)

    def items(lines: list[str], empty: str) -> str:
        if not lines:
            return f"<p class='muted'>{e(empty)}</p>"
        return "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"

    findings_html = []
    for f in m.findings:
        extra = f"<br><span class='muted'>Evidence: {e(f.evidence)}</span>" if f.evidence else ""
        if f.fix_titles:
            extra += f"<br><span class='muted'>Fix chartered: {e(', '.join(f.fix_titles))}</span>"
        findings_html.append(f"<strong>{e(f.where)}:</strong> {e(f.text)}{extra}")
    decisions_html = [
        f"{e(d.text)} <span class='muted'>(owner: {e(d.owner)}"
        + (f", due {e(_when(d.due_on))}" if d.due_on else "")
        + ")</span>"
        for d in m.decisions
    ]
    fixes_html = [
        f"<strong>{e(x['title'])}</strong> at {e(x['stage_name'])}: lead {e(x['lead'])}, sponsor {e(x['sponsor'])}"
        + (f", due {e(_when(x['due_on']))}" if x["due_on"] else "")
        + f"<br><span class='muted'>Problem: {e(x['problem'])}</span>"
        + f"<br><span class='muted'>Team: {e(', '.join(x['members']))}</span>"
        for x in m.fixes_chartered
    ]
    presented_html = [
        f"<strong>{e(p['title'])}</strong> ({e(p['status'])}, lead {e(p['lead'])})"
        + (f"<br><span class='muted'>Results: {e(p['results'])}</span>" if p["results"] else "")
        for p in m.presentations
    ]
    agenda_html = "".join(f"<li>{e(i.title)} <span class='muted'>({i.minutes} min)</span></li>" for i in m.agenda)
    body = f"""
<h1>Minutes: {e(r.title)}</h1>
<dl>
<dt>Held on</dt><dd>{e(_when(r.held_on))} ({e(r.kind)} review of {e(f"{r.month:%B %Y}")} data)</dd>
<dt>Status</dt><dd>{e(_status_text(r))}</dd>
<dt>Attendees</dt><dd>{e(", ".join(r.attendees)) or "none recorded"}</dd>
</dl>
<h2>Agenda</h2>
{"<ol>" + agenda_html + "</ol>" if m.agenda else "<p class='muted'>No agenda.</p>"}
<h2>Findings</h2>
{items(findings_html, "No findings recorded.")}
<h2>Decisions</h2>
{items(decisions_html, "No decisions recorded.")}
<h2>Fixes chartered</h2>
{items(fixes_html, "No fixes chartered.")}
<h2>Results presented</h2>
{items(presented_html, "No fix team presented.")}
<h2>Wins</h2>
{items([e(w) for w in m.wins], "None this time.")}
<h2>Since the last review</h2>
{items([e(c) for c in m.changes], "No comparison: the review is not closed, or it is the first one.")}
"""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>Minutes: {e(r.title)}</title><style>{_PRINT_CSS}</style></head><body>{body}</body></html>\n"
    )

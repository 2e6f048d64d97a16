"""What presenter mode shows on the room's screen: the evidence of one stage
for the review month (KPIs and their trends, complaints, verbatims, surveys,
moments, a call clip, artifacts) and a fix team's presentation."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

from cxroom.insights.agenda_facts import CategorySeries, KpiFacts, MomentFacts, SurveyFacts
from cxroom.queries.artifact_versions import CURRENT_ONLY
from cxroom.queries.reviews.agenda_facts import CATEGORY_SERIES, KPI_FACTS, MOMENT_FACTS, SURVEY_FACTS
from cxroom.queries.reviews.months import add_months, month_params, monthly_kpi_values, params_for
from cxroom.store import Store

TREND_MONTHS = 13  # months in the presenter's trend charts
VERBATIMS_SHOWN = 3


# -- SQL: the evidence of one stage (presenter mode) ----------------------------------------

STAGE = "SELECT id, slug, name, customer_goal, description, colour FROM stages WHERE id = ?"

KPI_TRENDS = f"""
WITH r AS ({monthly_kpi_values("$from")}
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

ARTIFACTS = f"""
SELECT a.id, a.title, a.kind, a.caption, a.asks_of_customer, a.media_sha256 AS sha256, md.mime,
       m.name AS moment_name
FROM artifacts a
JOIN media md ON md.sha256 = a.media_sha256
LEFT JOIN moments m ON m.id = a.moment_id
WHERE a.stage_id = $stage AND {CURRENT_ONLY}
ORDER BY (a.moment_id IS NOT DISTINCT FROM $moment) DESC, a.position, a.id
"""  # the current version of each artifact

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
    values = month_params(
        month,
        stage=stage_id,
        moment=moment_id,
        since=since or datetime.combine(month, datetime.min.time()),
        review=None,
        limit=VERBATIMS_SHOWN,
    )
    trend_values = {**values, "from": add_months(month, -(TREND_MONTHS - 1))}

    def rows(sql: str, params: dict[str, Any] = values) -> list[dict[str, Any]]:
        return store.fetch_dicts(sql, params_for(sql, params))

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
        complaints_monthly=store.fetch_df(STAGE_COMPLAINTS_MONTHLY, params_for(STAGE_COMPLAINTS_MONTHLY, trend_values)),
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

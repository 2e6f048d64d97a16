"""Reads for the Wall: every stage column for one month, in a handful of queries.

One query per kind of evidence for ALL stages (never one per stage), each
aggregated in DuckDB, so the wall costs the same ten queries whether the room
has 7 stages and 30 thousand complaints or 20 stages and 30 million. The
results are small (stages x months) and are shaped here into frozen view
models the UI renders as they are.

Customer text (verbatims, transcripts) leaves this module masked
(``cxroom.privacy``): the UI never sees the raw text.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from cxroom import fix_status
from cxroom.insights.health import Rag, StageHealth, SurveyChange, kpi_rag, stage_health
from cxroom.privacy import mask_personal_data
from cxroom.store import Store
from cxroom.survey_sql import survey_score

__all__ = [
    "ArtifactView",
    "CallView",
    "CategoryCount",
    "ComplaintSummary",
    "FixView",
    "KpiTile",
    "MomentView",
    "Segment",
    "SiloView",
    "StageColumn",
    "StageInfo",
    "SurveyComment",
    "SurveyTile",
    "Verbatim",
    "WallData",
    "add_months",
    "default_month",
    "last_complete_month",
    "load_wall",
    "months_with_data",
]

SPARK_PERIODS = 12  # periods in a sparkline, ending at the chosen month
TOP_CATEGORIES = 3
VERBATIMS_PER_STAGE = 2
SURVEY_COMMENTS_PER_STAGE = 2
CELEBRATED_SHOWN_MONTHS = 3  # a celebrated fix stays on the wall this long
TRANSCRIPT_EXCERPT_CHARS = 320

# -- SQL ------------------------------------------------------------------
# Parameters: $month (first day of the chosen month), $next (first day of the
# next month), $prev (previous month), $from12 (12 months before $month).

STAGES = """
SELECT id, slug, name, customer_goal, description, colour, position
FROM stages
WHERE NOT archived
ORDER BY position, id
"""

ROOM_NAME = "SELECT value FROM meta WHERE key = 'room_name'"

# Months that have any complaint, KPI reading or survey answer, newest first.
# Every month, however old: a room holds at most a few hundred distinct months
# (imports quarantine dates before CXROOM_OLDEST_DATE and after tomorrow), and
# the DISTINCT runs in DuckDB, so the list stays small whatever the row count.
MONTHS_WITH_DATA = """
SELECT month FROM (
    SELECT DISTINCT date_trunc('month', received_at)::DATE AS month FROM complaints
    UNION
    SELECT DISTINCT date_trunc('month', period)::DATE FROM kpi_readings
    UNION
    SELECT DISTINCT date_trunc('month', answered_at)::DATE FROM survey_responses
)
ORDER BY month DESC
"""

DATA_RANGE = """
SELECT (SELECT min(received_at) FROM complaints) AS first_complaint,
       (SELECT max(finished_at) FROM import_batches WHERE status = 'committed') AS loaded_at
"""

# A moment's state at the end of the month and at its start, from its history
# (the current state when it has no history).
MOMENTS = """
WITH hist AS (
    SELECT moment_id,
           arg_max(to_state, changed_at) FILTER (WHERE changed_at < $next) AS state_at_end,
           arg_max(to_state, changed_at) FILTER (WHERE changed_at < $month) AS state_at_start
    FROM moment_state_history
    GROUP BY moment_id
)
SELECT m.id, m.stage_id, m.name, m.description, m.is_key,
       coalesce(h.state_at_end, m.reliability) AS state,
       coalesce(h.state_at_start, h.state_at_end, m.reliability) AS previous_state
FROM moments m
JOIN stages s ON s.id = m.stage_id AND NOT s.archived
LEFT JOIN hist h ON h.moment_id = m.id
ORDER BY s.position, m.position, m.id
"""

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

# The newest open-text comments of the month's survey responses, per stage (through the
# questions linked to it). A response answers several questions and every answer row
# carries its comment, so responses are made distinct first.
RECENT_SURVEY_COMMENTS = """
WITH commented AS (
    SELECT DISTINCT qs.stage_id, q.survey, r.response_id, r.answered_at, r.comment_masked,
           CASE WHEN r.comment_masked IS NULL THEN r.comment END AS unmasked
    FROM survey_responses r
    JOIN survey_question_stages qs ON qs.question_id = r.question_id
    JOIN survey_questions q ON q.id = r.question_id
    WHERE r.comment IS NOT NULL AND r.answered_at >= $month AND r.answered_at < $next
)
SELECT stage_id, survey, answered_at, comment_masked, unmasked
FROM commented
QUALIFY row_number() OVER (PARTITION BY stage_id ORDER BY answered_at DESC, response_id) <= $per_stage
ORDER BY stage_id, answered_at DESC, response_id
"""

# Score of a question in a month, by its kind: NPS = % promoters (9-10) -
# % detractors (0-6); CSAT = % answering 4-5; CES and percent = mean.
SURVEY_SCORES = """
WITH scored AS (
    SELECT r.question_id, date_trunc('month', r.answered_at)::DATE AS month, count(*) AS n,
           {score} AS score
    FROM survey_responses r
    JOIN survey_questions q ON q.id = r.question_id
    WHERE r.answered_at >= $from12 AND r.answered_at < $next
    GROUP BY r.question_id, q.kind, month
)
SELECT qs.stage_id, q.id AS question_id, q.survey, q.text, q.kind, sc.month, sc.n, sc.score
FROM survey_question_stages qs
JOIN survey_questions q ON q.id = qs.question_id
JOIN stages st ON st.id = qs.stage_id AND NOT st.archived
LEFT JOIN scored sc ON sc.question_id = q.id
ORDER BY st.position, q.id, sc.month
""".replace("{score}", survey_score())

ARTIFACTS = """
SELECT a.id, a.stage_id, a.title, a.kind, a.caption, a.asks_of_customer, a.version_label, a.issued_on,
       a.media_sha256 AS sha256, md.mime, md.width, md.height, m.name AS moment_name
FROM artifacts a
JOIN stages s ON s.id = a.stage_id AND NOT s.archived
JOIN media md ON md.sha256 = a.media_sha256
LEFT JOIN moments m ON m.id = a.moment_id
ORDER BY s.position, a.position, a.id
"""

WALL_CALLS = """
SELECT c.id, c.stage_id, c.title, c.media_sha256 AS sha256, md.mime, c.duration_s, c.clip_start_s,
       c.clip_end_s, c.transcript, c.recorded_at, c.channel, m.name AS moment_name
FROM calls c
JOIN stages s ON s.id = c.stage_id AND NOT s.archived
JOIN media md ON md.sha256 = c.media_sha256
LEFT JOIN moments m ON m.id = c.moment_id
WHERE c.on_wall
ORDER BY s.position, c.recorded_at DESC, c.id
"""

SILOS = """
SELECT ss.stage_id, si.name, ss.role
FROM stage_silos ss
JOIN silos si ON si.id = ss.silo_id
ORDER BY ss.stage_id, ss.role = 'owner' DESC, si.name
"""

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
FIXES = FIX_VIEW + f"""
JOIN stages s ON s.id = f.stage_id AND NOT s.archived
WHERE {fix_status.active_sql()}
   OR (f.status = 'celebrated' AND c.celebrated_at >= $celebrated_since)
ORDER BY s.position, f.status = 'celebrated', f.due_on NULLS LAST, f.id
"""



# -- months -----------------------------------------------------------------


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month`` (negative: before)."""
    index = month.year * 12 + (month.month - 1) + count
    return date(index // 12, index % 12 + 1, 1)


def last_complete_month(today: date | None = None) -> date:
    today = today or date.today()
    return add_months(today.replace(day=1), -1)


def months_with_data(store: Store) -> list[date]:
    """Every month with any complaint, KPI reading or survey answer, newest first."""
    return [_as_date(row[0]) for row in store.execute(MONTHS_WITH_DATA)]


def default_month(months: Sequence[date], today: date | None = None) -> date:
    """The last complete calendar month that has data: min(last complete month, latest data month).

    A room without any data defaults to the last complete month.
    """
    last_complete = last_complete_month(today)
    complete = [m for m in months if m <= last_complete]
    return max(complete) if complete else last_complete


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def _month_params(month: date) -> dict[str, date]:
    return {
        "month": month,
        "next": add_months(month, 1),
        "prev": add_months(month, -1),
        "from12": add_months(month, -SPARK_PERIODS),
    }


def _nan_to_none(value: Any) -> Any:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value


# -- view models ----------------------------------------------------------------


@dataclass(frozen=True)
class StageInfo:
    id: int
    slug: str
    name: str
    customer_goal: str
    description: str
    colour: str
    position: int


@dataclass(frozen=True)
class MomentView:
    id: int
    stage_id: int
    name: str
    description: str
    is_key: bool
    state: str
    previous_state: str

    @property
    def moved(self) -> int:
        """+1 moved up the ladder during the month, -1 down, 0 unchanged."""
        ladder = ["broken", "unreliable", "reliable", "differentiating"]
        before, after = ladder.index(self.previous_state), ladder.index(self.state)
        return (after > before) - (after < before)


@dataclass(frozen=True)
class KpiTile:
    id: int
    stage_id: int
    name: str
    unit: str
    direction: str
    target: float | None
    warning: float | None
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
        return kpi_rag(self.value, self.target, self.warning, self.direction)

    @property
    def spark(self) -> list[float]:
        """The last SPARK_PERIODS readings that exist (gaps dropped)."""
        return [v for v in self.values[-SPARK_PERIODS:] if v is not None]


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


@dataclass(frozen=True)
class SurveyComment:
    answered_at: datetime
    survey: str
    text: str  # masked


def survey_comment_from_row(row: dict[str, Any]) -> SurveyComment:
    """A comment as the masked roles see it; a row stored without its masked text (SQL
    outside the room's imports) is masked here, never shown as stored."""
    text = row["comment_masked"]
    if text is None:
        text = mask_personal_data(row["unmasked"] or "")
    return SurveyComment(row["answered_at"], row["survey"], text)


@dataclass(frozen=True)
class SurveyTile:
    question_id: int
    survey: str
    text: str
    kind: str
    months: tuple[date, ...]
    scores: tuple[float | None, ...]
    counts: tuple[int, ...]

    @property
    def score(self) -> float | None:
        return self.scores[-1] if self.scores else None

    @property
    def n(self) -> int:
        return self.counts[-1] if self.counts else 0

    @property
    def previous(self) -> float | None:
        return self.scores[-2] if len(self.scores) > 1 else None

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous

    @property
    def spark(self) -> list[float]:
        return [v for v in self.scores[-SPARK_PERIODS:] if v is not None]

    def as_change(self) -> SurveyChange:
        previous_n = self.counts[-2] if len(self.counts) > 1 else 0
        return SurveyChange(self.kind, self.score, self.n, self.previous, previous_n)


@dataclass(frozen=True)
class ArtifactView:
    id: int
    stage_id: int
    title: str
    kind: str
    caption: str
    asks_of_customer: str
    version_label: str
    issued_on: date | None
    sha256: str
    mime: str
    width: int | None
    height: int | None
    moment_name: str | None

    @property
    def is_pdf(self) -> bool:
        return self.mime == "application/pdf"


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    speaker: str
    text: str  # masked


@dataclass(frozen=True)
class CallView:
    id: int
    stage_id: int
    title: str
    sha256: str
    mime: str
    duration_s: float
    clip_start_s: int
    clip_end_s: int | None
    recorded_at: datetime
    channel: str
    moment_name: str | None
    transcript: tuple[Segment, ...]

    @property
    def clip_end(self) -> int:
        return self.clip_end_s if self.clip_end_s is not None else int(self.duration_s)

    def clip_segments(self) -> list[Segment]:
        """Transcript segments that overlap the highlighted clip."""
        return [s for s in self.transcript if s.end > self.clip_start_s and s.start < self.clip_end]

    def excerpt(self, limit: int = TRANSCRIPT_EXCERPT_CHARS) -> str:
        """The clip's words as 'Speaker: text' lines, cut at ``limit`` characters."""
        lines = [f"{s.speaker}: {s.text}" for s in self.clip_segments()] or [
            f"{s.speaker}: {s.text}" for s in self.transcript[:3]
        ]
        text = "\n".join(lines)
        if len(text) <= limit:
            return text
        cut = text[:limit].rsplit(" ", 1)[0]
        return cut + " …"


@dataclass(frozen=True)
class SiloView:
    name: str
    role: str


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


@dataclass(frozen=True)
class StageColumn:
    stage: StageInfo
    health: StageHealth
    moments: tuple[MomentView, ...] = ()
    kpis: tuple[KpiTile, ...] = ()
    complaints: ComplaintSummary | None = None
    categories: tuple[CategoryCount, ...] = ()
    verbatims: tuple[Verbatim, ...] = ()
    surveys: tuple[SurveyTile, ...] = ()
    survey_comments: tuple[SurveyComment, ...] = ()
    artifacts: tuple[ArtifactView, ...] = ()
    calls: tuple[CallView, ...] = ()
    silos: tuple[SiloView, ...] = ()
    fixes: tuple[FixView, ...] = ()


@dataclass(frozen=True)
class WallData:
    room_name: str
    month: date
    months: tuple[date, ...]  # months with data, newest first
    columns: tuple[StageColumn, ...]
    unassigned_this_month: int
    loaded_at: datetime | None

    def column(self, slug: str) -> StageColumn | None:
        return next((c for c in self.columns if c.stage.slug == slug), None)


# -- assembling ---------------------------------------------------------------


def _series_months(month: date) -> tuple[date, ...]:
    return tuple(add_months(month, i) for i in range(-SPARK_PERIODS, 1))


def _group(rows: Iterable[dict[str, Any]], key: str = "stage_id") -> dict[Any, list[dict[str, Any]]]:
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def parse_transcript(raw: Any) -> tuple[Segment, ...]:
    """Transcript JSON (a list of {start, end, speaker, text}) as masked segments; bad JSON gives ()."""
    if raw is None:
        return ()
    try:
        items = json.loads(raw) if isinstance(raw, str) else raw
    except (TypeError, ValueError):
        return ()
    if not isinstance(items, list):
        return ()
    segments = []
    for item in items:
        if not isinstance(item, dict):
            continue
        try:
            segments.append(
                Segment(
                    float(item.get("start", 0)),
                    float(item.get("end", 0)),
                    str(item.get("speaker", "")),
                    mask_personal_data(str(item.get("text", ""))),
                )
            )
        except (TypeError, ValueError):
            continue
    return tuple(segments)


def call_from_row(row: dict[str, Any]) -> CallView:
    return CallView(
        id=int(row["id"]),
        stage_id=int(row["stage_id"]),
        title=row["title"],
        sha256=row["sha256"],
        mime=row["mime"],
        duration_s=float(row["duration_s"]),
        clip_start_s=int(row["clip_start_s"]),
        clip_end_s=None if row["clip_end_s"] is None else int(row["clip_end_s"]),
        recorded_at=row["recorded_at"],
        channel=row["channel"],
        moment_name=row["moment_name"],
        transcript=parse_transcript(row["transcript"]),
    )


def artifact_from_row(row: dict[str, Any]) -> ArtifactView:
    return ArtifactView(
        id=int(row["id"]),
        stage_id=int(row["stage_id"]),
        title=row["title"],
        kind=row["kind"],
        caption=row["caption"],
        asks_of_customer=row["asks_of_customer"],
        version_label=row["version_label"],
        issued_on=row["issued_on"],
        sha256=row["sha256"],
        mime=row["mime"],
        width=row["width"],
        height=row["height"],
        moment_name=row["moment_name"],
    )


def stage_info(row: dict[str, Any]) -> StageInfo:
    return StageInfo(
        id=int(row["id"]),
        slug=row["slug"],
        name=row["name"],
        customer_goal=row["customer_goal"],
        description=row["description"],
        colour=row["colour"],
        position=int(row["position"]),
    )


def _kpi_tiles(rows: list[dict[str, Any]], series: tuple[date, ...]) -> dict[int, list[KpiTile]]:
    by_kpi: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_kpi[int(row["id"])].append(row)
    tiles: dict[int, list[KpiTile]] = defaultdict(list)
    for kpi_rows in by_kpi.values():
        first = kpi_rows[0]
        values = {_as_date(r["month"]): float(r["value"]) for r in kpi_rows if r["month"] is not None}
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
    return tiles


def _survey_tiles(rows: list[dict[str, Any]], series: tuple[date, ...]) -> dict[int, list[SurveyTile]]:
    by_pair: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_pair[(int(row["stage_id"]), int(row["question_id"]))].append(row)
    tiles: dict[int, list[SurveyTile]] = defaultdict(list)
    for (stage_id, question_id), pair_rows in by_pair.items():
        first = pair_rows[0]
        scored = {_as_date(r["month"]): r for r in pair_rows if r["month"] is not None}
        tiles[stage_id].append(
            SurveyTile(
                question_id=question_id,
                survey=first["survey"],
                text=first["text"],
                kind=first["kind"],
                months=series,
                scores=tuple(None if m not in scored else float(scored[m]["score"]) for m in series),
                counts=tuple(0 if m not in scored else int(scored[m]["n"]) for m in series),
            )
        )
    return tiles


def _complaint_summaries(
    rows: list[dict[str, Any]], month: date, first_complaint: date | None
) -> tuple[dict[int, ComplaintSummary], int]:
    counts: dict[int | None, dict[date, int]] = defaultdict(dict)
    for row in rows:
        counts[row["stage_id"]][_as_date(row["month"])] = int(row["n"])
    series = _series_months(month)
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
    series = _series_months(month)
    has_history = first_complaint is not None and first_complaint < month
    return ComplaintSummary(0, 0, 0.0 if has_history else None, series, tuple(0 for _ in series))


def load_wall(store: Store, month: date, *, months: Sequence[date] | None = None) -> WallData:
    """Everything the wall shows for ``month`` (first day of a month), for every stage."""
    month = month.replace(day=1)
    params = _month_params(month)
    series = _series_months(month)
    stages = [stage_info(r) for r in store.fetch_dicts(STAGES)]
    if months is None:
        months = months_with_data(store)
    first_row = store.fetch_dicts(DATA_RANGE)[0]
    first_complaint = None if first_row["first_complaint"] is None else _as_date(first_row["first_complaint"])
    if first_complaint is not None:
        first_complaint = first_complaint.replace(day=1)

    moments = _group(store.fetch_dicts(MOMENTS, {"month": params["month"], "next": params["next"]}))
    kpis = _kpi_tiles(store.fetch_dicts(KPIS, {"from12": params["from12"], "next": params["next"]}), series)
    complaint_rows = store.fetch_dicts(COMPLAINTS_MONTHLY, {"from12": params["from12"], "next": params["next"]})
    complaints, unassigned = _complaint_summaries(complaint_rows, month, first_complaint)
    categories = _group(
        store.fetch_dicts(
            TOP_CATEGORIES_SQL,
            {"month": params["month"], "prev": params["prev"], "next": params["next"], "top": TOP_CATEGORIES},
        )
    )
    verbatims = _group(
        store.fetch_dicts(
            RECENT_VERBATIMS,
            {"month": params["month"], "next": params["next"], "per_stage": VERBATIMS_PER_STAGE},
        )
    )
    surveys = _survey_tiles(
        store.fetch_dicts(SURVEY_SCORES, {"from12": params["from12"], "next": params["next"]}), series
    )
    survey_comments = _group(
        store.fetch_dicts(
            RECENT_SURVEY_COMMENTS,
            {"month": params["month"], "next": params["next"], "per_stage": SURVEY_COMMENTS_PER_STAGE},
        )
    )
    artifacts = _group(store.fetch_dicts(ARTIFACTS))
    calls = _group(store.fetch_dicts(WALL_CALLS))
    silos = _group(store.fetch_dicts(SILOS))
    fixes = _group(store.fetch_dicts(FIXES, {"celebrated_since": add_months(month, 1 - CELEBRATED_SHOWN_MONTHS)}))

    columns = []
    for stage in stages:
        sid = stage.id
        stage_kpis = tuple(kpis.get(sid, ()))
        summary = complaints.get(sid) or empty_complaints(month, first_complaint)
        stage_surveys = tuple(surveys.get(sid, ()))
        health = stage_health(
            [k.rag for k in stage_kpis],
            summary.this_month if summary.average_12 is not None else None,
            summary.average_12,
            [s.as_change() for s in stage_surveys],
        )
        columns.append(
            StageColumn(
                stage=stage,
                health=health,
                moments=tuple(
                    MomentView(
                        id=int(r["id"]),
                        stage_id=sid,
                        name=r["name"],
                        description=r["description"],
                        is_key=bool(r["is_key"]),
                        state=r["state"],
                        previous_state=r["previous_state"],
                    )
                    for r in moments.get(sid, ())
                ),
                kpis=stage_kpis,
                complaints=summary,
                categories=tuple(
                    CategoryCount(r["category"], int(r["n"]), int(r["previous"])) for r in categories.get(sid, ())
                ),
                verbatims=tuple(
                    Verbatim(r["received_at"], r["category"], r["source"], mask_personal_data(r["verbatim"]))
                    for r in verbatims.get(sid, ())
                ),
                surveys=stage_surveys,
                survey_comments=tuple(survey_comment_from_row(r) for r in survey_comments.get(sid, ())),
                artifacts=tuple(artifact_from_row(r) for r in artifacts.get(sid, ())),
                calls=tuple(call_from_row(r) for r in calls.get(sid, ())),
                silos=tuple(SiloView(r["name"], r["role"]) for r in silos.get(sid, ())),
                fixes=tuple(fix_from_row(r, sid) for r in fixes.get(sid, ())),
            )
        )
    return WallData(
        room_name=str(store.fetch_value(ROOM_NAME) or "Customer Room"),
        month=month,
        months=tuple(months),
        columns=tuple(columns),
        unassigned_this_month=unassigned,
        loaded_at=first_row["loaded_at"],
    )

"""Reads for one stage's detail page: the complaint table (filtered, searched
and limited in DuckDB), KPI and survey histories, every artifact and call, all
fixes, and each moment's reliability history.

The complaint filter is built from fixed SQL fragments; every value the user
typed is a bound parameter.

Customer text is masked (cxroom/privacy.py) unless the filter asks for personal
data, which the page offers only to roles that may see it. Masked, the search,
the filters and the rows all use ``verbatim_masked``, the masked text stored at
import: a search never looks at what the reader cannot see (searching the
original would let a viewer find a card number digit by digit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from cxroom import fix_status
from cxroom.privacy import mask_personal_data
from cxroom.queries.artifact_versions import CURRENT_ONLY
from cxroom.queries.wall.artifacts import ArtifactView, artifact_from_row
from cxroom.queries.wall.calls import CallView, call_from_row
from cxroom.queries.wall.fixes import FIX_VIEW, FixView, fix_from_row
from cxroom.queries.wall.months import add_months
from cxroom.queries.wall.stages import StageInfo, stage_info
from cxroom.queries.wall.surveys import SURVEY_SCORES
from cxroom.store import Store

__all__ = [
    "CommentFilter",
    "CommentPage",
    "ComplaintFilter",
    "ComplaintOptions",
    "ComplaintPage",
    "MomentHistory",
    "StageEvidence",
    "complaint_options",
    "complaint_trend",
    "complaints_page",
    "kpi_history",
    "stage_by_slug",
    "stage_evidence",
    "survey_comments_page",
    "survey_trend",
]

HISTORY_MONTHS = 24
MAX_ROWS = 500
TREND_CATEGORIES = 6

# Survey comments of the responses to the stage's questions: one row per response (every
# answer row of a response carries its comment). Searched like complaints: on the masked
# text unless the reader may see personal data ({text}); {where} is built from fixed fragments.
SURVEY_COMMENTS = """
WITH commented AS (
    SELECT DISTINCT q.survey, r.response_id, r.answered_at, r.comment, r.comment_masked
    FROM survey_responses r
    JOIN survey_question_stages qs ON qs.question_id = r.question_id AND qs.stage_id = $stage_id
    JOIN survey_questions q ON q.id = r.question_id
    WHERE r.comment IS NOT NULL{period}
)
SELECT {select}
FROM commented
WHERE {where}
"""
COMMENT_ROWS = (
    "answered_at, survey, {text} AS comment, response_id, CASE WHEN {text} IS NULL THEN comment END AS unmasked"
)
COMMENT_ORDER = " ORDER BY answered_at DESC, response_id LIMIT $limit"

STAGE_BY_SLUG = """
SELECT id, slug, name, customer_goal, description, colour, position
FROM stages
WHERE slug = ? AND NOT archived
"""

COMPLAINT_OPTIONS = """
SELECT 'category' AS kind, category AS value, count(*) AS n FROM complaints WHERE stage_id = ? GROUP BY category
UNION ALL
SELECT 'source', source, count(*) FROM complaints WHERE stage_id = ? GROUP BY source
UNION ALL
SELECT 'severity', severity, count(*) FROM complaints WHERE stage_id = ? GROUP BY severity
ORDER BY kind, n DESC, value
"""

COMPLAINT_RANGE = """
SELECT min(received_at)::DATE AS first, max(received_at)::DATE AS last FROM complaints WHERE stage_id = ?
"""

# The WHERE clause is assembled from these fragments only (see _where).
_FILTER_FRAGMENTS = {
    "stage": "stage_id = $stage_id",
    "since": "received_at >= $since",
    "until": "received_at < $until",
    "categories": "list_contains($categories, category)",
    "sources": "list_contains($sources, source)",
    "severities": "list_contains($severities, severity)",
    "with_text": "verbatim IS NOT NULL AND length(trim(verbatim)) > 0",
    "search": (
        "({text} ILIKE $pattern ESCAPE '\\' OR category ILIKE $pattern ESCAPE '\\' "
        "OR subcategory ILIKE $pattern ESCAPE '\\' OR external_id ILIKE $pattern ESCAPE '\\')"
    ),
}
# The text a search reads and a row shows: as imported, or masked.
_TEXT = {True: "verbatim", False: "verbatim_masked"}

COMPLAINTS_COUNT = "SELECT count(*) FROM complaints WHERE {where}"
# unmasked: a row stored before its masked text was (only by SQL outside the room's inserts).
COMPLAINTS_ROWS = """
SELECT received_at, source, channel, category, subcategory, severity, {text} AS verbatim, external_id,
       CASE WHEN {text} IS NULL THEN verbatim END AS unmasked
FROM complaints
WHERE {where}
ORDER BY received_at DESC, id DESC
LIMIT $limit
"""

# Monthly complaints of the stage by category: the top categories by name, the rest as "Other".
COMPLAINT_TREND = """
WITH monthly AS (
    SELECT date_trunc('month', received_at)::DATE AS month, category, count(*) AS n
    FROM complaints
    WHERE stage_id = $stage_id AND received_at >= $since AND received_at < $until
    GROUP BY month, category
), top AS (
    SELECT category FROM monthly GROUP BY category ORDER BY sum(n) DESC, category LIMIT $top
)
SELECT month, CASE WHEN category IN (SELECT category FROM top) THEN category ELSE 'Other categories' END AS category,
       sum(n)::BIGINT AS n
FROM monthly
GROUP BY ALL
ORDER BY month, n DESC
"""

KPI_HISTORY = """
SELECT k.id AS kpi_id, k.name, k.unit, k.direction, k.target, k.warning, k.definition, m.name AS moment_name,
       date_trunc('month', r.period)::DATE AS month, arg_max(r.value, r.period) AS value
FROM kpis k
LEFT JOIN moments m ON m.id = k.moment_id
LEFT JOIN kpi_readings r ON r.kpi_id = k.id AND r.period >= $since AND r.period < $until
WHERE k.stage_id = $stage_id
GROUP BY ALL
ORDER BY k.id, month
"""

MOMENTS_WITH_HISTORY = """
SELECT m.id, m.name, m.description, m.is_key, m.reliability, h.from_state, h.to_state, h.changed_at,
       h.changed_by, h.reason
FROM moments m
LEFT JOIN moment_state_history h ON h.moment_id = m.id
WHERE m.stage_id = ?
ORDER BY m.position, m.id, h.changed_at DESC
"""

STAGE_ARTIFACTS = f"""
SELECT a.id, a.stage_id, a.title, a.kind, a.caption, a.asks_of_customer, a.version_label, a.issued_on,
       a.media_sha256 AS sha256, md.mime, md.width, md.height, m.name AS moment_name
FROM artifacts a
JOIN media md ON md.sha256 = a.media_sha256
LEFT JOIN moments m ON m.id = a.moment_id
WHERE a.stage_id = ? AND {CURRENT_ONLY}
ORDER BY a.position, a.id
"""  # earlier versions show beside their replacement

STAGE_CALLS = """
SELECT c.id, c.stage_id, c.title, c.media_sha256 AS sha256, md.mime, c.duration_s, c.clip_start_s,
       c.clip_end_s, c.transcript, c.recorded_at, c.channel, m.name AS moment_name
FROM calls c
JOIN media md ON md.sha256 = c.media_sha256
LEFT JOIN moments m ON m.id = c.moment_id
WHERE c.stage_id = ?
ORDER BY c.on_wall DESC, c.recorded_at DESC, c.id
"""

STAGE_FIXES = (
    FIX_VIEW
    + f"""
WHERE f.stage_id = ?
ORDER BY NOT {fix_status.active_sql()}, f.chartered_on DESC, f.id
"""
)


@dataclass(frozen=True)
class ComplaintFilter:
    """What the complaint table shows. Hashable, so it can key a cache."""

    search: str = ""
    categories: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None  # inclusive: the last day shown
    with_text_only: bool = False
    limit: int = 200
    show_personal_data: bool = False  # only for roles that may (permissions.may_see_personal_data)


@dataclass(frozen=True)
class ComplaintOptions:
    categories: tuple[str, ...]
    sources: tuple[str, ...]
    severities: tuple[str, ...]
    first: date | None
    last: date | None


@dataclass(frozen=True)
class ComplaintPage:
    total: int
    rows: pd.DataFrame  # at most filter.limit rows, newest first, verbatims masked unless asked not to


@dataclass(frozen=True)
class CommentFilter:
    """Which survey comments the stage page lists. Hashable, so it can key a cache."""

    search: str = ""
    since: date | None = None
    until: date | None = None  # exclusive: the first day not shown
    limit: int = 200
    show_personal_data: bool = False  # only for roles that may (permissions.may_see_personal_data)


@dataclass(frozen=True)
class CommentPage:
    total: int
    rows: pd.DataFrame  # answered_at, survey, comment (masked unless asked not to), response_id; newest first


@dataclass(frozen=True)
class MomentHistory:
    id: int
    name: str
    description: str
    is_key: bool
    state: str
    changes: tuple[tuple[datetime, str | None, str, str, str], ...]  # when, from, to, who, why


@dataclass(frozen=True)
class StageEvidence:
    moments: tuple[MomentHistory, ...]
    artifacts: tuple[ArtifactView, ...]
    calls: tuple[CallView, ...]
    fixes: tuple[FixView, ...]


def stage_by_slug(store: Store, slug: str) -> StageInfo | None:
    rows = store.fetch_dicts(STAGE_BY_SLUG, [slug])
    return stage_info(rows[0]) if rows else None


def complaint_options(store: Store, stage_id: int) -> ComplaintOptions:
    rows = store.fetch_dicts(COMPLAINT_OPTIONS, [stage_id, stage_id, stage_id])
    span = store.fetch_dicts(COMPLAINT_RANGE, [stage_id])[0]

    def values(kind: str) -> tuple[str, ...]:
        return tuple(r["value"] for r in rows if r["kind"] == kind)

    return ComplaintOptions(values("category"), values("source"), values("severity"), span["first"], span["last"])


def _like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _where(stage_id: int, flt: ComplaintFilter) -> tuple[str, dict[str, Any]]:
    parts = [_FILTER_FRAGMENTS["stage"]]
    params: dict[str, Any] = {"stage_id": stage_id}
    if flt.since is not None:
        parts.append(_FILTER_FRAGMENTS["since"])
        params["since"] = flt.since
    if flt.until is not None:
        parts.append(_FILTER_FRAGMENTS["until"])
        params["until"] = pd.Timestamp(flt.until) + pd.Timedelta(days=1)
    for name, chosen in (("categories", flt.categories), ("sources", flt.sources), ("severities", flt.severities)):
        if chosen:
            parts.append(_FILTER_FRAGMENTS[name])
            params[name] = list(chosen)
    if flt.with_text_only:
        parts.append(_FILTER_FRAGMENTS["with_text"])
    search = flt.search.strip()
    if search:
        parts.append(_FILTER_FRAGMENTS["search"].format(text=_TEXT[flt.show_personal_data]))
        params["pattern"] = _like_pattern(search)
    return " AND ".join(parts), params


def complaints_page(store: Store, stage_id: int, flt: ComplaintFilter) -> ComplaintPage:
    """The total matching the filter, and the newest ``flt.limit`` of them (verbatims masked
    unless ``flt.show_personal_data``)."""
    where, params = _where(stage_id, flt)
    total = int(store.fetch_value(COMPLAINTS_COUNT.format(where=where), params) or 0)
    limit = max(1, min(int(flt.limit), MAX_ROWS))
    text = _TEXT[flt.show_personal_data]
    rows = store.fetch_df(COMPLAINTS_ROWS.format(where=where, text=text), {**params, "limit": limit})
    rows["verbatim"] = [
        v if isinstance(v, str) else mask_personal_data(raw) if isinstance(raw, str) else ""
        for v, raw in zip(rows["verbatim"], rows.pop("unmasked"), strict=True)
    ]
    return ComplaintPage(total, rows)


def _window(month: date) -> dict[str, date]:
    return {"since": add_months(month, 1 - HISTORY_MONTHS), "until": add_months(month, 1)}


def complaint_trend(store: Store, stage_id: int, month: date) -> pd.DataFrame:
    """Complaints per month and category for the 24 months up to ``month`` (top 6 categories + other)."""
    return store.fetch_df(COMPLAINT_TREND, {"stage_id": stage_id, "top": TREND_CATEGORIES, **_window(month)})


def kpi_history(store: Store, stage_id: int, month: date) -> pd.DataFrame:
    """One row per KPI and month (value NaN-free; a KPI without readings has one row with no month)."""
    return store.fetch_df(KPI_HISTORY, {"stage_id": stage_id, **_window(month)})


def survey_trend(store: Store, stage_id: int, month: date) -> pd.DataFrame:
    """Score and responses per question affecting the stage, per month, for 24 months."""
    window = _window(month)
    # SURVEY_SCORES takes the 12-month window as $from12; widen it to the history window.
    frame = store.fetch_df(SURVEY_SCORES, {"from12": window["since"], "next": window["until"]})
    return frame[frame["stage_id"] == stage_id].reset_index(drop=True)


def stage_evidence(store: Store, stage_id: int) -> StageEvidence:
    moments: dict[int, dict[str, Any]] = {}
    for row in store.fetch_dicts(MOMENTS_WITH_HISTORY, [stage_id]):
        entry = moments.setdefault(
            int(row["id"]),
            {"row": row, "changes": []},
        )
        if row["changed_at"] is not None:
            entry["changes"].append(
                (row["changed_at"], row["from_state"], row["to_state"], row["changed_by"], row["reason"])
            )
    return StageEvidence(
        moments=tuple(
            MomentHistory(
                id=mid,
                name=e["row"]["name"],
                description=e["row"]["description"],
                is_key=bool(e["row"]["is_key"]),
                state=e["row"]["reliability"],
                changes=tuple(e["changes"]),
            )
            for mid, e in moments.items()
        ),
        artifacts=tuple(artifact_from_row(r) for r in store.fetch_dicts(STAGE_ARTIFACTS, [stage_id])),
        calls=tuple(call_from_row(r) for r in store.fetch_dicts(STAGE_CALLS, [stage_id])),
        fixes=tuple(fix_from_row(r, stage_id) for r in store.fetch_dicts(STAGE_FIXES, [stage_id])),
    )


def survey_comments_page(store: Store, stage_id: int, flt: CommentFilter) -> CommentPage:
    """The survey comments of the stage matching the filter (their total, and the newest
    ``flt.limit``), searched and shown masked unless ``flt.show_personal_data``."""
    text = "comment" if flt.show_personal_data else "comment_masked"
    params: dict[str, Any] = {"stage_id": stage_id}
    period = ""
    if flt.since is not None:
        period += " AND r.answered_at >= $since"
        params["since"] = flt.since
    if flt.until is not None:
        period += " AND r.answered_at < $until"
        params["until"] = flt.until
    where = "TRUE"
    if flt.search.strip():
        where = f"({text} ILIKE $pattern ESCAPE '\\' OR survey ILIKE $pattern ESCAPE '\\')"
        params["pattern"] = _like_pattern(flt.search.strip())
    total = int(store.fetch_value(SURVEY_COMMENTS.format(period=period, select="count(*)", where=where), params) or 0)
    limit = max(1, min(int(flt.limit), MAX_ROWS))
    rows = store.fetch_df(
        SURVEY_COMMENTS.format(period=period, select=COMMENT_ROWS.format(text=text), where=where) + COMMENT_ORDER,
        {**params, "limit": limit},
    )
    rows["comment"] = [
        v if isinstance(v, str) else mask_personal_data(raw) if isinstance(raw, str) else ""
        for v, raw in zip(rows["comment"], rows.pop("unmasked"), strict=True)
    ]
    return CommentPage(total, rows)

"""The whole wall for one month: every stage column assembled from the reads of
each kind of evidence (one query per kind for all stages, never one per stage)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cxroom.insights.health import StageHealth, stage_health
from cxroom.insights.kpi_standing import moments_worst_first
from cxroom.privacy import mask_personal_data
from cxroom.queries.wall.artifacts import ARTIFACTS, ArtifactView, artifact_from_row
from cxroom.queries.wall.calls import WALL_CALLS, CallView, call_from_row
from cxroom.queries.wall.complaints import (
    COMPLAINTS_MONTHLY,
    RECENT_VERBATIMS,
    TOP_CATEGORIES,
    TOP_CATEGORIES_SQL,
    VERBATIMS_PER_STAGE,
    CategoryCount,
    ComplaintSummary,
    Verbatim,
    complaint_summaries,
    empty_complaints,
)
from cxroom.queries.wall.fixes import CELEBRATED_SHOWN_MONTHS, FIXES, FixView, fix_from_row
from cxroom.queries.wall.kpis import KPIS, KpiTile, kpi_tiles
from cxroom.queries.wall.months import SPARK_PERIODS, add_months, as_date, months_with_data, series_months
from cxroom.queries.wall.stages import (
    MOMENTS,
    SILOS,
    STAGES,
    MomentView,
    SiloView,
    StageInfo,
    moment_from_row,
    stage_info,
)
from cxroom.queries.wall.surveys import (
    RECENT_SURVEY_COMMENTS,
    SURVEY_COMMENTS_PER_STAGE,
    SURVEY_SCORES,
    SurveyComment,
    SurveyTile,
    survey_comment_from_row,
    survey_tiles,
)
from cxroom.store import Store

# -- SQL ------------------------------------------------------------------
# Parameters: $month (first day of the chosen month), $next (first day of the
# next month), $prev (previous month), $from12 (12 months before $month).

ROOM_NAME = "SELECT value FROM meta WHERE key = 'room_name'"

DATA_RANGE = """
SELECT (SELECT min(received_at) FROM complaints) AS first_complaint,
       (SELECT max(finished_at) FROM import_batches WHERE status = 'committed') AS loaded_at
"""


def _month_params(month: date) -> dict[str, date]:
    return {
        "month": month,
        "next": add_months(month, 1),
        "prev": add_months(month, -1),
        "from12": add_months(month, -SPARK_PERIODS),
    }


@dataclass(frozen=True)
class StageColumn:
    stage: StageInfo
    health: StageHealth  # its band, score and ``explanation`` in words
    moments: tuple[MomentView, ...] = ()  # worst first: broken, then unreliable, ...; key moments first
    kpis: tuple[KpiTile, ...] = ()  # worst first: off target, near, on target, no target
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


def _group(rows: Iterable[dict[str, Any]], key: str = "stage_id") -> dict[Any, list[dict[str, Any]]]:
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def load_wall(store: Store, month: date, *, months: Sequence[date] | None = None) -> WallData:
    """Everything the wall shows for ``month`` (first day of a month), for every stage."""
    month = month.replace(day=1)
    params = _month_params(month)
    series = series_months(month)
    stages = [stage_info(r) for r in store.fetch_dicts(STAGES)]
    if months is None:
        months = months_with_data(store)
    first_row = store.fetch_dicts(DATA_RANGE)[0]
    first_complaint = None if first_row["first_complaint"] is None else as_date(first_row["first_complaint"])
    if first_complaint is not None:
        first_complaint = first_complaint.replace(day=1)

    moments = _group(store.fetch_dicts(MOMENTS, {"month": params["month"], "next": params["next"]}))
    kpis = kpi_tiles(store.fetch_dicts(KPIS, {"from12": params["from12"], "next": params["next"]}), series)
    complaint_rows = store.fetch_dicts(COMPLAINTS_MONTHLY, {"from12": params["from12"], "next": params["next"]})
    complaints, unassigned = complaint_summaries(complaint_rows, month, first_complaint)
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
    surveys = survey_tiles(
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
        stage_moments = tuple(moments_worst_first([moment_from_row(r) for r in moments.get(sid, ())]))
        health = stage_health(
            stage_kpis,
            summary.this_month if summary.average_12 is not None else None,
            summary.average_12,
            [s.as_change() for s in stage_surveys],
            stage_moments,
        )
        columns.append(
            StageColumn(
                stage=stage,
                health=health,
                moments=stage_moments,
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

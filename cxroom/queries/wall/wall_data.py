"""The whole wall for one month: every stage column assembled from the reads of
each kind of evidence (one query per kind for all stages, never one per stage), run
from ``READS``, the wall's read of every kind of the registry."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cxroom import evidence_kinds
from cxroom.insights.customer_math import StageLosses
from cxroom.insights.health import StageHealth, stage_health
from cxroom.insights.kpi_standing import moments_worst_first
from cxroom.privacy import mask_personal_data
from cxroom.queries.customer_math import CustomerMath, load_customer_math
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
    losses: StageLosses | None = None  # customers lost at this stage this month (customer math)


@dataclass(frozen=True)
class WallData:
    room_name: str
    month: date
    months: tuple[date, ...]  # months with data, newest first
    columns: tuple[StageColumn, ...]
    unassigned_this_month: int
    loaded_at: datetime | None
    customer_math: CustomerMath | None = None  # the room's customers in and out (None: not read)

    def column(self, slug: str) -> StageColumn | None:
        return next((c for c in self.columns if c.stage.slug == slug), None)


def _group(rows: Iterable[dict[str, Any]], key: str = "stage_id") -> dict[Any, list[dict[str, Any]]]:
    grouped: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


@dataclass(frozen=True)
class WallWindow:
    """What every kind's read is given: the month, its query parameters, the months of a
    sparkline and the first month with complaints (months before it are not 'no complaints')."""

    month: date
    params: dict[str, date]
    series: tuple[date, ...]
    first_complaint: date | None


@dataclass(frozen=True)
class KindRead:
    """A kind's evidence for the whole wall, read with one query per kind for all stages:
    ``per_stage`` answers its fields of a stage's StageColumn, ``room`` its fields of WallData."""

    per_stage: Callable[[int], dict[str, Any]]
    room: dict[str, Any] = field(default_factory=dict)


def _kpis(store: Store, w: WallWindow) -> KindRead:
    kpis = kpi_tiles(store.fetch_dicts(KPIS, {"from12": w.params["from12"], "next": w.params["next"]}), w.series)
    return KindRead(lambda sid: {"kpis": tuple(kpis.get(sid, ()))})


def _complaints(store: Store, w: WallWindow) -> KindRead:
    p = w.params
    monthly = store.fetch_dicts(COMPLAINTS_MONTHLY, {"from12": p["from12"], "next": p["next"]})
    complaints, unassigned = complaint_summaries(monthly, w.month, w.first_complaint)
    categories = _group(
        store.fetch_dicts(
            TOP_CATEGORIES_SQL, {"month": p["month"], "prev": p["prev"], "next": p["next"], "top": TOP_CATEGORIES}
        )
    )
    verbatims = _group(
        store.fetch_dicts(RECENT_VERBATIMS, {"month": p["month"], "next": p["next"], "per_stage": VERBATIMS_PER_STAGE})
    )
    return KindRead(
        lambda sid: {
            "complaints": complaints.get(sid) or empty_complaints(w.month, w.first_complaint),
            "categories": tuple(
                CategoryCount(r["category"], int(r["n"]), int(r["previous"])) for r in categories.get(sid, ())
            ),
            "verbatims": tuple(
                Verbatim(r["received_at"], r["category"], r["source"], mask_personal_data(r["verbatim"]))
                for r in verbatims.get(sid, ())
            ),
        },
        room={"unassigned_this_month": unassigned},
    )


def _surveys(store: Store, w: WallWindow) -> KindRead:
    p = w.params
    surveys = survey_tiles(store.fetch_dicts(SURVEY_SCORES, {"from12": p["from12"], "next": p["next"]}), w.series)
    comments = _group(
        store.fetch_dicts(
            RECENT_SURVEY_COMMENTS, {"month": p["month"], "next": p["next"], "per_stage": SURVEY_COMMENTS_PER_STAGE}
        )
    )
    return KindRead(
        lambda sid: {
            "surveys": tuple(surveys.get(sid, ())),
            "survey_comments": tuple(survey_comment_from_row(r) for r in comments.get(sid, ())),
        }
    )


def _artifacts(store: Store, w: WallWindow) -> KindRead:
    artifacts = _group(store.fetch_dicts(ARTIFACTS))
    return KindRead(lambda sid: {"artifacts": tuple(artifact_from_row(r) for r in artifacts.get(sid, ()))})


def _calls(store: Store, w: WallWindow) -> KindRead:
    calls = _group(store.fetch_dicts(WALL_CALLS))
    return KindRead(lambda sid: {"calls": tuple(call_from_row(r) for r in calls.get(sid, ()))})


def _movements(store: Store, w: WallWindow) -> KindRead:
    cm = load_customer_math(store, w.month)
    return KindRead(lambda sid: {"losses": cm.by_stage.get(sid)}, room={"customer_math": cm})


# The wall's read of each kind of evidence (cxroom.evidence_kinds); load_wall runs them all.
READS: dict[str, Callable[[Store, WallWindow], KindRead]] = evidence_kinds.attach(
    "wall read",
    {
        "complaints": _complaints,
        "kpis": _kpis,
        "surveys": _surveys,
        "artifacts": _artifacts,
        "calls": _calls,
        "movements": _movements,
    },
)


def _health(fields: dict[str, Any], moments: Sequence[MomentView]) -> StageHealth:
    summary: ComplaintSummary = fields["complaints"]
    return stage_health(
        fields["kpis"],
        summary.this_month if summary.average_12 is not None else None,
        summary.average_12,
        [s.as_change() for s in fields["surveys"]],
        moments,
    )


def load_wall(store: Store, month: date, *, months: Sequence[date] | None = None) -> WallData:
    """Everything the wall shows for ``month`` (first day of a month), for every stage."""
    month = month.replace(day=1)
    params = _month_params(month)
    stages = [stage_info(r) for r in store.fetch_dicts(STAGES)]
    if months is None:
        months = months_with_data(store)
    first_row = store.fetch_dicts(DATA_RANGE)[0]
    first_complaint = None if first_row["first_complaint"] is None else as_date(first_row["first_complaint"])
    if first_complaint is not None:
        first_complaint = first_complaint.replace(day=1)
    window = WallWindow(month, params, series_months(month), first_complaint)
    reads = [read(store, window) for read in READS.values()]

    moments = _group(store.fetch_dicts(MOMENTS, {"month": params["month"], "next": params["next"]}))
    silos = _group(store.fetch_dicts(SILOS))
    fixes = _group(store.fetch_dicts(FIXES, {"celebrated_since": add_months(month, 1 - CELEBRATED_SHOWN_MONTHS)}))

    columns = []
    for stage in stages:
        sid = stage.id
        evidence: dict[str, Any] = {}
        for kind_read in reads:
            evidence.update(kind_read.per_stage(sid))
        stage_moments = tuple(moments_worst_first([moment_from_row(r) for r in moments.get(sid, ())]))
        columns.append(
            StageColumn(
                stage=stage,
                health=_health(evidence, stage_moments),
                moments=stage_moments,
                silos=tuple(SiloView(r["name"], r["role"]) for r in silos.get(sid, ())),
                fixes=tuple(fix_from_row(r, sid) for r in fixes.get(sid, ())),
                **evidence,
            )
        )
    room: dict[str, Any] = {"unassigned_this_month": 0}
    for kind_read in reads:
        room.update(kind_read.room)
    return WallData(
        room_name=str(store.fetch_value(ROOM_NAME) or "Customer Room"),
        month=month,
        months=tuple(months),
        columns=tuple(columns),
        loaded_at=first_row["loaded_at"],
        **room,
    )

"""How each kind of evidence (cxroom.evidence_kinds) is drawn: its block in a wall
column and its tab on the stage page. The column and the stage page iterate
``VIEWS``; the block and tab bodies live in the kind's own module (kpi_tiles,
complaints, surveys, artifacts, voices)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from cxroom import evidence_kinds
from cxroom.evidence_kinds import EvidenceKind
from cxroom.queries.stage import StageEvidence
from cxroom.queries.wall.wall_data import StageColumn
from cxroom.ui.prose import Prose
from cxroom.ui.wall import customer_math_stage
from cxroom.ui.wall.artifacts import artifacts_block, artifacts_gallery
from cxroom.ui.wall.complaints import complaints_block, complaints_tab
from cxroom.ui.wall.kpi_tiles import MAX_KPIS_ON_WALL, kpis_block, kpis_tab
from cxroom.ui.wall.surveys import survey_lines, surveys_tab
from cxroom.ui.wall.voices import call_block, calls_list


@dataclass(frozen=True)
class InColumn:
    """What a wall column hands each kind's block. ``key`` is the column's key."""

    col: StageColumn
    month: date
    key: str
    prose: Prose
    wall_screen: bool
    roomy: bool  # the wall screen is split so that its columns are wide


@dataclass(frozen=True)
class OnStagePage:
    """What the stage page hands each kind's tab. ``key`` is the page's key."""

    col: StageColumn
    evidence: StageEvidence
    month: date
    version: int
    db: str
    key: str


@dataclass(frozen=True)
class KindView:
    kind: EvidenceKind
    count: Callable[[OnStagePage], int | None]  # shown in the tab's title; None shows the label alone
    wall_block: Callable[[InColumn], None]
    stage_tab: Callable[[OnStagePage], None]

    def tab_title(self, page: OnStagePage) -> str:
        n = self.count(page)
        return self.kind.label if n is None else f"{self.kind.label} ({n:,})"


def _kpis_in_column(c: InColumn) -> None:
    limit = 2 if c.wall_screen else MAX_KPIS_ON_WALL
    kpis_block(c.col, c.month, key=f"{c.key}-kpis", prose=c.prose, limit=limit, compact=c.wall_screen)


def _complaints_in_column(c: InColumn) -> None:
    slug = c.col.stage.slug
    if c.wall_screen:
        # A wide wall-screen column has room for the top categories and one verbatim.
        complaints_block(
            c.col,
            c.month,
            key=slug,
            prose=c.prose,
            wall_screen=True,
            categories=1 if c.roomy else 0,
            verbatims=1 if c.roomy else 0,
            in_column=True,
        )
    else:
        # The top two categories and the newest verbatim; the rest is on the stage page.
        complaints_block(c.col, c.month, key=slug, prose=c.prose, categories=2, verbatims=1, in_column=True)


def _surveys_in_column(c: InColumn) -> None:
    if not c.wall_screen or c.roomy:
        survey_lines(c.col, key=f"{c.key}-surveys", prose=c.prose, empty_note=not c.wall_screen)


def _artifacts_in_column(c: InColumn) -> None:
    if not c.wall_screen:
        artifacts_block(c.col, key=f"{c.key}-art", prose=c.prose, wall_screen=c.wall_screen, limit=1)


def _call_in_column(c: InColumn) -> None:
    if not c.wall_screen:
        call_block(c.col, key=f"{c.key}-call", prose=c.prose, wall_screen=c.wall_screen)


def _kind(key: str) -> EvidenceKind:
    return next(k for k in evidence_kinds.KINDS if k.key == key)


def _trend_tab(body: Callable[..., None], suffix: str) -> Callable[[OnStagePage], None]:
    """A stage tab drawn from the month's column and the cached reads of the data version."""
    return lambda p: body(p.col, p.month, p.version, p.db, key=f"{p.key}-{suffix}")


VIEWS: dict[str, KindView] = evidence_kinds.attach(
    "wall block and stage tab",
    {
        "complaints": KindView(
            _kind("complaints"),
            count=lambda p: p.col.complaints.this_month if p.col.complaints else None,
            wall_block=_complaints_in_column,
            stage_tab=_trend_tab(complaints_tab, "complaints"),
        ),
        "kpis": KindView(
            _kind("kpis"),
            count=lambda p: len(p.col.kpis),
            wall_block=_kpis_in_column,
            stage_tab=_trend_tab(kpis_tab, "kpis"),
        ),
        "surveys": KindView(
            _kind("surveys"),
            count=lambda p: len(p.col.surveys),
            wall_block=_surveys_in_column,
            stage_tab=_trend_tab(surveys_tab, "surveys"),
        ),
        "artifacts": KindView(
            _kind("artifacts"),
            count=lambda p: len(p.evidence.artifacts),
            wall_block=_artifacts_in_column,
            stage_tab=lambda p: artifacts_gallery(p.evidence.artifacts, key=f"{p.key}-gallery"),
        ),
        "calls": KindView(
            _kind("calls"),
            count=lambda p: len(p.evidence.calls),
            wall_block=_call_in_column,
            stage_tab=lambda p: calls_list(p.evidence.calls, key=f"{p.key}-calls"),
        ),
        "movements": KindView(
            _kind("movements"), customer_math_stage.count, customer_math_stage.in_column, customer_math_stage.tab
        ),
    },
)


def in_wall_order(views: dict[str, KindView]) -> list[KindView]:
    return sorted(views.values(), key=lambda v: v.kind.wall_rank)

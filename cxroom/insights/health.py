"""Red/amber/green of a KPI, and the health signal of a stage.

Pure functions on plain numbers, so the formula can be tested exhaustively and
shown, word for word, in the wall's help tooltip (``HEALTH_FORMULA``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = [
    "HEALTH_FORMULA",
    "Band",
    "Component",
    "Rag",
    "StageHealth",
    "SurveyChange",
    "complaint_score",
    "kpi_rag",
    "kpi_score",
    "stage_health",
    "survey_score",
]


class Rag(StrEnum):
    """A KPI's state against its target (NONE: no target or no reading)."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NONE = "none"

    @property
    def icon(self) -> str:
        return {"green": "✔", "amber": "⚠", "red": "✖", "none": "○"}[self.value]

    @property
    def word(self) -> str:
        return {"green": "on target", "amber": "near target", "red": "off target", "none": "no target"}[self.value]


class Band(StrEnum):
    HEALTHY = "healthy"
    WATCH = "watch"
    AT_RISK = "at_risk"
    NO_DATA = "no_data"

    @property
    def icon(self) -> str:
        return {"healthy": "✔", "watch": "⚠", "at_risk": "✖", "no_data": "○"}[self.value]

    @property
    def word(self) -> str:
        return {"healthy": "Healthy", "watch": "Watch", "at_risk": "At risk", "no_data": "No data"}[self.value]

    @property
    def colour(self) -> str:
        """A Streamlit colour name (badges, coloured markdown)."""
        return {"healthy": "green", "watch": "orange", "at_risk": "red", "no_data": "gray"}[self.value]


def kpi_rag(value: float | None, target: float | None, warning: float | None, direction: str) -> Rag:
    """GREEN when the value meets the target, AMBER when it misses the target but
    still meets the warning threshold, RED otherwise. ``direction`` is
    ``higher_better`` or ``lower_better``. Without a warning threshold a miss is RED.
    """
    if value is None or target is None:
        return Rag.NONE
    higher = direction == "higher_better"

    def meets(threshold: float) -> bool:
        return value >= threshold if higher else value <= threshold

    if meets(target):
        return Rag.GREEN
    if warning is not None and meets(warning):
        return Rag.AMBER
    return Rag.RED


# -- the three components -------------------------------------------------

KPI_WEIGHT = 0.5
COMPLAINT_WEIGHT = 0.3
SURVEY_WEIGHT = 0.2
HEALTHY_FROM = 75.0
WATCH_FROM = 50.0
# Complaints: each 1 % above the 12-month average costs this many points.
COMPLAINT_POINTS_PER_PCT = 2.0
# Surveys: each point lost (in % of the question's scale) costs this many points.
SURVEY_POINTS_PER_PCT = 5.0
MIN_SURVEY_RESPONSES = 30
# Width of each survey kind's scale, to express a change as % of the scale.
SCALE_WIDTH = {"nps": 200.0, "csat": 100.0, "percent": 100.0, "ces": 6.0}

HEALTH_FORMULA = f"""\
**Stage health** (0-100) for the chosen month, from three signals:

- **KPIs vs target** (weight {KPI_WEIGHT:.0%}): each KPI with a target scores 100 on target,
  50 between target and warning, 0 beyond warning; the average counts.
- **Complaint trend** (weight {COMPLAINT_WEIGHT:.0%}): this month's complaints vs the average of
  the previous 12 months; at or below average scores 100, each 1 % above costs
  {COMPLAINT_POINTS_PER_PCT:g} points (+50 % or more scores 0).
- **Survey change** (weight {SURVEY_WEIGHT:.0%}): each survey question affected by the stage, vs
  last month, with at least {MIN_SURVEY_RESPONSES} answers both months; holding or improving scores 100,
  each point lost (as % of the question's scale) costs {SURVEY_POINTS_PER_PCT:g} points.

A signal without data is left out and the others are re-weighted.
**✔ Healthy** ≥ {HEALTHY_FROM:g} · **⚠ Watch** {WATCH_FROM:g}-{HEALTHY_FROM - 1:g} · **✖ At risk** < {WATCH_FROM:g}.
"""


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, value))


def kpi_score(rags: Sequence[Rag]) -> float | None:
    points = {Rag.GREEN: 100.0, Rag.AMBER: 50.0, Rag.RED: 0.0}
    scored = [points[r] for r in rags if r is not Rag.NONE]
    return sum(scored) / len(scored) if scored else None


def complaint_score(this_month: int | None, average: float | None) -> float | None:
    """100 at or below the 12-month average, minus 2 points per 1 % above it."""
    if this_month is None or average is None or average <= 0:
        return None
    pct_above = (this_month / average - 1.0) * 100.0
    return _clamp(100.0 - COMPLAINT_POINTS_PER_PCT * max(0.0, pct_above))


@dataclass(frozen=True)
class SurveyChange:
    """One survey question's score this month and last month."""

    kind: str
    score: float | None
    n: int
    previous_score: float | None
    previous_n: int

    @property
    def usable(self) -> bool:
        return (
            self.score is not None
            and self.previous_score is not None
            and self.n >= MIN_SURVEY_RESPONSES
            and self.previous_n >= MIN_SURVEY_RESPONSES
        )

    @property
    def change_pct_of_scale(self) -> float:
        assert self.score is not None and self.previous_score is not None
        return (self.score - self.previous_score) / SCALE_WIDTH.get(self.kind, 100.0) * 100.0


def survey_score(changes: Sequence[SurveyChange]) -> float | None:
    """Response-weighted mean over usable questions of 100 - 5 x (points lost in % of scale)."""
    usable = [c for c in changes if c.usable]
    if not usable:
        return None
    total = sum(c.n for c in usable)
    weighted = sum(_clamp(100.0 + SURVEY_POINTS_PER_PCT * min(0.0, c.change_pct_of_scale)) * c.n for c in usable)
    return weighted / total


# -- the stage --------------------------------------------------------------


@dataclass(frozen=True)
class Component:
    name: str
    score: float | None
    weight: float


@dataclass(frozen=True)
class StageHealth:
    score: float | None
    band: Band
    components: tuple[Component, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        if self.score is None:
            return f"{self.band.icon} {self.band.word}"
        return f"{self.band.icon} {self.band.word} · {self.score:.0f}"

    def explain(self) -> str:
        """One line per component, for the tooltip under the formula."""
        parts = []
        for comp in self.components:
            shown = "no data" if comp.score is None else f"{comp.score:.0f}"
            parts.append(f"{comp.name}: {shown}")
        return " · ".join(parts)


def band_for(score: float | None) -> Band:
    if score is None:
        return Band.NO_DATA
    if score >= HEALTHY_FROM:
        return Band.HEALTHY
    if score >= WATCH_FROM:
        return Band.WATCH
    return Band.AT_RISK


def stage_health(
    kpi_rags: Sequence[Rag],
    complaints_this_month: int | None,
    complaints_average: float | None,
    survey_changes: Sequence[SurveyChange] = (),
) -> StageHealth:
    """Combine the three signals as HEALTH_FORMULA says."""
    components = (
        Component("KPIs vs target", kpi_score(kpi_rags), KPI_WEIGHT),
        Component("Complaint trend", complaint_score(complaints_this_month, complaints_average), COMPLAINT_WEIGHT),
        Component("Survey change", survey_score(survey_changes), SURVEY_WEIGHT),
    )
    present = [c for c in components if c.score is not None]
    if not present:
        return StageHealth(None, Band.NO_DATA, components)
    weight = sum(c.weight for c in present)
    score = sum(c.score * c.weight for c in present if c.score is not None) / weight
    return StageHealth(round(score, 1), band_for(score), components)

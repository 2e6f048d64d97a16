"""Red/amber/green of a KPI, and the health signal of a stage.

Pure functions on plain numbers, so the formula can be tested exhaustively and
shown, word for word, in the wall's help tooltip (``HEALTH_FORMULA``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from cxroom.formatting import fmt_count, fmt_kpi, fmt_target, times_usual

__all__ = [
    "HEALTH_FORMULA",
    "Band",
    "Component",
    "KpiReading",
    "MomentReading",
    "Rag",
    "StageHealth",
    "SurveyChange",
    "complaint_score",
    "kpi_rag",
    "kpi_score",
    "moment_score",
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
        """A symbol character, for text that is not Streamlit Markdown."""
        return {"green": "✔", "amber": "⚠", "red": "✖", "none": "○"}[self.value]

    @property
    def material(self) -> str:
        """A Material icon (Streamlit's ``:material/...:``): symbol fonts are missing on some wall PCs."""
        return {
            "green": ":material/check_circle:",
            "amber": ":material/warning:",
            "red": ":material/cancel:",
            "none": ":material/radio_button_unchecked:",
        }[self.value]

    @property
    def word(self) -> str:
        return {"green": "on target", "amber": "near target", "red": "off target", "none": "no target"}[self.value]

    @property
    def rank(self) -> int:
        """Worst first: off target, near target, on target, no target."""
        return {"red": 0, "amber": 1, "green": 2, "none": 3}[self.value]


class Band(StrEnum):
    HEALTHY = "healthy"
    WATCH = "watch"
    AT_RISK = "at_risk"
    NO_DATA = "no_data"

    @property
    def icon(self) -> str:
        """A symbol character, for text that is not Streamlit Markdown."""
        return {"healthy": "✔", "watch": "⚠", "at_risk": "✖", "no_data": "○"}[self.value]

    @property
    def material(self) -> str:
        """A Material icon (Streamlit's ``:material/...:``)."""
        return {
            "healthy": ":material/check_circle:",
            "watch": ":material/warning:",
            "at_risk": ":material/error:",
            "no_data": ":material/radio_button_unchecked:",
        }[self.value]

    @property
    def word(self) -> str:
        return {"healthy": "Healthy", "watch": "Needs attention", "at_risk": "At risk", "no_data": "No data"}[
            self.value
        ]

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


# -- the four components -------------------------------------------------

KPI_WEIGHT = 0.4
MOMENT_WEIGHT = 0.2
COMPLAINT_WEIGHT = 0.25
SURVEY_WEIGHT = 0.15
HEALTHY_FROM = 75.0
WATCH_FROM = 50.0
# Complaints: each 1 % above the 12-month average costs this many points.
COMPLAINT_POINTS_PER_PCT = 2.0
# Surveys: each point lost (in % of the question's scale) costs this many points.
SURVEY_POINTS_PER_PCT = 5.0
MIN_SURVEY_RESPONSES = 30
# Width of each survey kind's scale, to express a change as % of the scale.
SCALE_WIDTH = {"nps": 200.0, "csat": 100.0, "percent": 100.0, "ces": 6.0}
# The reliability ladder of a moment of truth, worst first, and what each rung scores.
LADDER = ("broken", "unreliable", "reliable", "differentiating")
MOMENT_POINTS = {"broken": 0.0, "unreliable": 50.0, "reliable": 100.0, "differentiating": 100.0}
KEY_MOMENT_COUNTS = 2  # a key moment counts as this many moments

HEALTH_FORMULA = f"""\
**Stage health** (0-100) for the chosen month, from four signals:

- **KPIs vs target** (weight {KPI_WEIGHT:.0%}): each KPI with a target scores 100 on target,
  50 between target and warning, 0 beyond warning; the average counts.
- **Moments of truth** (weight {MOMENT_WEIGHT:.0%}): broken scores 0, unreliable 50, reliable or
  differentiating 100; a key moment counts {KEY_MOMENT_COUNTS} times.
- **Complaint trend** (weight {COMPLAINT_WEIGHT:.0%}): this month's complaints vs the average of
  the previous 12 months; at or below average scores 100, each 1 % above costs
  {COMPLAINT_POINTS_PER_PCT:g} points (+50 % or more scores 0).
- **Survey change** (weight {SURVEY_WEIGHT:.0%}): each survey question affected by the stage, vs
  last month, with at least {MIN_SURVEY_RESPONSES} answers both months; holding or improving scores 100,
  each point lost (as % of the question's scale) costs {SURVEY_POINTS_PER_PCT:g} points.

A signal without data is left out and the others are re-weighted.
**Healthy** ≥ {HEALTHY_FROM:g} · **Needs attention** {WATCH_FROM:g}-{HEALTHY_FROM - 1:g} · **At risk** < {WATCH_FROM:g}.
A stage with a KPI off target or a broken moment of truth is never Healthy, whatever its score.
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


def moment_score(moments: Sequence[MomentReading]) -> float | None:
    """The mean of the moments' points, a key moment counting KEY_MOMENT_COUNTS times."""
    weighted = [
        (MOMENT_POINTS[m.state], KEY_MOMENT_COUNTS if m.is_key else 1) for m in moments if m.state in MOMENT_POINTS
    ]
    total = sum(w for _, w in weighted)
    return sum(p * w for p, w in weighted) / total if total else None


# -- the stage --------------------------------------------------------------


class KpiReading(Protocol):
    """What the health of a stage reads of a KPI (the wall's tile and the agenda's fact both are one)."""

    @property
    def name(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def direction(self) -> str: ...
    @property
    def target(self) -> float | None: ...
    @property
    def value(self) -> float | None: ...
    @property
    def rag(self) -> Rag: ...


class MomentReading(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def is_key(self) -> bool: ...


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
    reasons: tuple[str, ...] = ()  # the parts of the score in plain words, the worst first
    capped: bool = False  # the score alone would read Healthy; an off-target KPI or a broken moment says not

    @property
    def label(self) -> str:
        """'Needs attention · 61' (the icon, ``band.material`` or ``band.icon``, is the page's choice)."""
        if self.score is None:
            return self.band.word
        return f"{self.band.word} · {self.score:.0f}"

    @property
    def explanation(self) -> str:
        """'Needs attention: 1 KPI off target (Claims settled within 10 days, 44.8% against target ≥ 70.0%);
        a broken moment of truth (Claim settled); complaints about as usual'."""
        if not self.reasons:
            return f"{self.band.word}: nothing measured this month"
        return f"{self.band.word}: " + "; ".join(self.reasons)

    def explain(self) -> str:
        """The score of each component, for the method under the formula."""
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


def _kpi_reasons(kpis: Sequence[KpiReading]) -> list[str]:
    def named(rag: Rag) -> list[str]:
        return [
            f"{k.name}, {fmt_kpi(k.value, k.unit)} against {fmt_target(k.target, k.unit, k.direction)}"
            for k in kpis
            if k.rag is rag
        ]

    reasons = []
    for rag in (Rag.RED, Rag.AMBER):
        if names := named(rag):
            reasons.append(f"{fmt_count(len(names), 'KPI')} {rag.word} ({'; '.join(names)})")
    measured = [k for k in kpis if k.rag is not Rag.NONE]
    if measured and not reasons:
        reasons.append("every KPI on target" if len(measured) > 1 else "its KPI on target")
    return reasons


def _moment_reasons(moments: Sequence[MomentReading]) -> list[str]:
    reasons = []
    for state in ("broken", "unreliable"):
        names = [m.name for m in moments if m.state == state]
        if names:
            words = fmt_count(len(names), f"{state} moment of truth", f"{state} moments of truth")
            reasons.append(f"{words} ({', '.join(names)})")
    if moments and not reasons:
        reasons.append("every moment of truth reliable")
    return reasons


def _complaint_reason(this_month: int | None, average: float | None) -> list[str]:
    if this_month is None or average is None or average <= 0:
        return []
    return [f"complaints {times_usual(this_month, average)}"]


def _survey_reason(changes: Sequence[SurveyChange]) -> list[str]:
    usable = [c for c in changes if c.usable]
    fell = [c for c in usable if c.change_pct_of_scale < 0]
    if not usable:
        return []
    if fell:
        return [f"{fmt_count(len(fell), 'survey score')} lower than last month"]
    return ["survey scores holding"]


def stage_health(
    kpis: Sequence[KpiReading],
    complaints_this_month: int | None,
    complaints_average: float | None,
    survey_changes: Sequence[SurveyChange] = (),
    moments: Sequence[MomentReading] = (),
) -> StageHealth:
    """Combine the four signals as HEALTH_FORMULA says; an off-target KPI or a broken moment
    of truth caps the band below Healthy. The reasons say why, worst first."""
    components = (
        Component("KPIs vs target", kpi_score([k.rag for k in kpis]), KPI_WEIGHT),
        Component("Moments of truth", moment_score(moments), MOMENT_WEIGHT),
        Component("Complaint trend", complaint_score(complaints_this_month, complaints_average), COMPLAINT_WEIGHT),
        Component("Survey change", survey_score(survey_changes), SURVEY_WEIGHT),
    )
    reasons = (
        _kpi_reasons(kpis)
        + _moment_reasons(moments)
        + _complaint_reason(complaints_this_month, complaints_average)
        + _survey_reason(survey_changes)
    )
    present = [c for c in components if c.score is not None]
    if not present:
        return StageHealth(None, Band.NO_DATA, components, tuple(reasons))
    weight = sum(c.weight for c in present)
    score = sum(c.score * c.weight for c in present if c.score is not None) / weight
    band = band_for(score)
    broken = any(k.rag is Rag.RED for k in kpis) or any(m.state == "broken" for m in moments)
    capped = band is Band.HEALTHY and broken
    return StageHealth(round(score, 1), Band.WATCH if capped else band, components, tuple(reasons), capped)

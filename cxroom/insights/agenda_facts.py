"""The plain facts a review's agenda is proposed from: stages, KPIs, complaint series,
survey scores, moments of truth and fixes, each as the review month saw them.

cxroom.queries.reviews.agenda_facts gathers them from the room; cxroom.insights.agenda
proposes the agenda from them. The judgements that belong to a single fact (is this KPI
red, did this survey score fall, did this category rise unusually) live with the fact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from cxroom.formatting import fmt_count, fmt_kpi, fmt_number, fmt_survey
from cxroom.insights.customer_math import LossFacts
from cxroom.insights.early_warning import RiseCheck, unusual_rise
from cxroom.insights.follow_up import DecisionFacts
from cxroom.insights.health import MIN_SURVEY_RESPONSES, Rag, SurveyChange
from cxroom.insights.kpi_standing import KpiDefinition

__all__ = [
    "MIN_SURVEY_RESPONSES",
    "SURVEY_FALL_PCT_OF_SCALE",
    "AgendaInputs",
    "CategorySeries",
    "FixFacts",
    "KpiFacts",
    "MomentFacts",
    "StageFacts",
    "SurveyFacts",
]

SURVEY_FALL_PCT_OF_SCALE = 3.0  # a fall of at least 3 % of the question's scale


@dataclass(frozen=True)
class StageFacts:
    id: int
    slug: str
    name: str
    position: int


@dataclass(frozen=True)
class KpiFacts(KpiDefinition):
    value: float | None  # the review month
    previous_value: float | None  # the month before
    moment_id: int | None = None
    moment_name: str | None = None
    key_moment: bool = False

    @property
    def rag(self) -> Rag:
        return self.rag_of(self.value)

    @property
    def previous_rag(self) -> Rag:
        return self.rag_of(self.previous_value)

    def describe(self) -> str:
        value = fmt_kpi(self.value, self.unit)
        target = "" if self.target is None else f" against a target of {fmt_kpi(self.target, self.unit)}"
        return f"{self.name}: {value}{target}"


@dataclass(frozen=True)
class CategorySeries:
    """Monthly complaint counts of one category at one stage, oldest first,
    ending with the review month (months without complaints are 0)."""

    stage_id: int
    category: str
    counts: tuple[int, ...]

    def check(self) -> RiseCheck:
        return unusual_rise(self.counts)


@dataclass(frozen=True)
class SurveyFacts(SurveyChange):
    """A survey question's score in the review month and the month before (kind, score, n,
    previous_score, previous_n: health's SurveyChange), and what it asks."""

    question_id: int
    stage_ids: tuple[int, ...]
    survey: str
    text: str

    @property
    def fell(self) -> bool:
        """Lower by SURVEY_FALL_PCT_OF_SCALE or more, with enough answers both months (health's rule)."""
        return self.usable and -self.change_pct_of_scale >= SURVEY_FALL_PCT_OF_SCALE

    def describe(self) -> str:
        before, now = fmt_survey(self.previous_score, self.kind), fmt_survey(self.score, self.kind)
        return f"{self.survey} · {self.text}: down from {before} to {now} ({fmt_count(self.n, 'answer')})"


@dataclass(frozen=True)
class MomentFacts:
    id: int
    stage_id: int
    name: str
    is_key: bool
    state: str  # at the end of the review month
    state_before: str  # at the last review (or the month's start)
    state_since: datetime | None = None  # when it entered its current state


@dataclass(frozen=True)
class FixFacts:
    id: int
    stage_id: int
    title: str
    status: str
    lead: str
    due_on: date | None
    presented_in_this_review: bool = False
    celebrated_at: datetime | None = None
    moment_id: int | None = None


@dataclass(frozen=True)
class ThemeFacts:
    """A theme of what customers say at a stage that is new or rising this month
    (cxroom/insights/themes.py's trend_signal)."""

    stage_id: int
    title: str
    signal: str  # 'new' or 'rising'
    this_month: int
    before: float  # its monthly average over the months before

    def describe(self) -> str:
        if self.signal == "new":
            return f"{self.title}: {fmt_count(self.this_month)} texts this month, none before"
        return (
            f"{self.title}: {fmt_count(self.this_month)} texts this month "
            f"against {fmt_number(self.before)} a month before"
        )


@dataclass(frozen=True)
class AgendaInputs:
    month: date  # the month of data the review looks at
    held_on: date
    since: datetime  # wins and state changes count from here (the last review, or the month's start)
    stages: Sequence[StageFacts] = ()
    kpis: Sequence[KpiFacts] = ()
    categories: Sequence[CategorySeries] = ()
    surveys: Sequence[SurveyFacts] = ()
    moments: Sequence[MomentFacts] = ()
    fixes: Sequence[FixFacts] = ()
    losses: Sequence[LossFacts] = ()  # customers lost per stage (customer math)
    decisions: Sequence[DecisionFacts] = ()  # of earlier reviews: they come back as open, overdue or done
    themes: Sequence[ThemeFacts] = ()

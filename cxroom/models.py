"""Pydantic models for everything that crosses a boundary: forms, imports,
configuration and URL state. This module imports nothing else of cxroom, so
every layer may use it."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)]
Slug = Annotated[str, StringConstraints(strip_whitespace=True, pattern=SLUG_PATTERN, max_length=60)]


class Reliability(StrEnum):
    """The ladder a moment of truth climbs."""

    BROKEN = "broken"
    UNRELIABLE = "unreliable"
    RELIABLE = "reliable"
    DIFFERENTIATING = "differentiating"

    @property
    def rank(self) -> int:
        return list(Reliability).index(self)


class SiloRole(StrEnum):
    OWNER = "owner"
    CONTRIBUTOR = "contributor"


class ArtifactKind(StrEnum):
    LETTER = "letter"
    BILL = "bill"
    EMAIL = "email"
    PACKAGING = "packaging"
    LABEL = "label"
    WEB_PAGE = "web_page"
    FORM = "form"
    OTHER = "other"


class Direction(StrEnum):
    HIGHER_BETTER = "higher_better"
    LOWER_BETTER = "lower_better"


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class QuestionKind(StrEnum):
    NPS = "nps"  # 0-10, score = %promoters - %detractors
    CSAT = "csat"  # 1-5, score = % answering 4 or 5
    CES = "ces"  # 1-7 where 7 = very easy; score = the mean (higher is better, as the wall and health read it)
    PERCENT = "percent"  # 0-100, score = mean


class Severity(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    CRITICAL = "critical"


class ReviewKind(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class ReviewStatus(StrEnum):
    PLANNED = "planned"
    IN_SESSION = "in_session"
    CLOSED = "closed"


class FixStatus(StrEnum):
    CHARTERED = "chartered"
    DIAGNOSING = "diagnosing"
    RECOMMENDING = "recommending"
    IMPLEMENTING = "implementing"
    RESULTS = "results"
    CELEBRATED = "celebrated"
    DROPPED = "dropped"


class _Input(BaseModel):
    """Inputs reject unknown fields, so a typo in a form or file is an error."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StageCreate(_Input):
    slug: Slug
    name: Name
    customer_goal: Text = ""
    description: Text = ""
    position: int | None = Field(default=None, ge=0, description="None appends at the end of the wall")
    colour: Annotated[str, StringConstraints(pattern=HEX_COLOUR)] = "#4C78A8"


class StageUpdate(_Input):
    name: Name | None = None
    customer_goal: Text | None = None
    description: Text | None = None
    colour: Annotated[str, StringConstraints(pattern=HEX_COLOUR)] | None = None
    archived: bool | None = None


class SiloCreate(_Input):
    name: Name
    description: Text = ""


class MomentCreate(_Input):
    stage_slug: Slug
    name: Name
    description: Text = ""
    drives_revenue: bool = False
    forms_relationship: bool = False
    rescues_at_risk: bool = False
    grows_wallet: bool = False
    reliability: Reliability = Reliability.UNRELIABLE
    is_key: bool = False
    position: int | None = Field(default=None, ge=0)


class ReliabilityChange(_Input):
    moment_id: int
    to_state: Reliability
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
    expected_version: int


class ArtifactCreate(_Input):
    stage_slug: Slug
    moment_name: Name | None = None
    title: Name
    kind: ArtifactKind
    media_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    caption: Text = ""
    asks_of_customer: Text = ""
    version_label: Annotated[str, StringConstraints(max_length=60)] = ""
    issued_on: date | None = None


class TranscriptSegment(BaseModel):
    start: float = Field(ge=0)
    end: float = Field(ge=0)
    speaker: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
    text: Annotated[str, StringConstraints(max_length=5000)]

    @model_validator(mode="after")
    def _ordered(self) -> TranscriptSegment:
        if self.end < self.start:
            raise ValueError("a transcript segment cannot end before it starts")
        return self


class CallCreate(_Input):
    stage_slug: Slug
    moment_name: Name | None = None
    title: Name
    media_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    duration_s: float = Field(gt=0)
    clip_start_s: int = Field(default=0, ge=0)
    clip_end_s: int | None = Field(default=None, ge=1)
    transcript: list[TranscriptSegment] = []
    recorded_at: datetime
    channel: Annotated[str, StringConstraints(max_length=40)] = "phone"
    consent: bool = False
    tags: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]] = []

    @model_validator(mode="after")
    def _clip_inside_call(self) -> CallCreate:
        end = self.clip_end_s if self.clip_end_s is not None else int(self.duration_s)
        if end <= self.clip_start_s:
            raise ValueError("the highlighted clip must end after it starts")
        if self.clip_start_s >= self.duration_s:
            raise ValueError("the highlighted clip starts after the recording ends")
        return self


def check_warning_side(direction: Direction, target: float | None, warning: float | None) -> None:
    """The warning threshold sits on the bad side of the target (the rule every KPI form shares)."""
    if target is None or warning is None:
        return
    if direction is Direction.HIGHER_BETTER and warning > target:
        raise ValueError("for a higher-is-better KPI the warning threshold must be at or below the target")
    if direction is Direction.LOWER_BETTER and warning < target:
        raise ValueError("for a lower-is-better KPI the warning threshold must be at or above the target")


class KpiCreate(_Input):
    stage_slug: Slug
    moment_name: Name | None = None
    name: Name
    unit: Annotated[str, StringConstraints(max_length=20)] = ""
    direction: Direction
    target: float | None = None
    warning: float | None = None
    frequency: Frequency = Frequency.MONTHLY
    silo_name: Name | None = None
    definition: Text = ""

    @model_validator(mode="after")
    def _warning_on_the_right_side(self) -> KpiCreate:
        check_warning_side(self.direction, self.target, self.warning)
        return self


class SurveyQuestionCreate(_Input):
    survey: Name
    text: Name
    kind: QuestionKind
    stage_slugs: list[Slug] = []


class CategoryRuleCreate(_Input):
    source: Name | None = Field(default=None, description="None: applies to every source")
    category: Name
    subcategory: Name | None = None
    stage_slug: Slug
    moment_name: Name | None = None


class ReviewCreate(_Input):
    held_on: date
    kind: ReviewKind = ReviewKind.MONTHLY
    title: Name
    attendees: list[Name] = []


class FindingCreate(_Input):
    review_id: int
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=5000)]
    stage_slug: Slug | None = None
    moment_name: Name | None = None
    evidence: Text = ""


class DecisionCreate(_Input):
    review_id: int
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=5000)]
    owner: Name
    due_on: date | None = None
    finding_id: int | None = None


class FixMember(_Input):
    person: Name
    silo_name: Name


class FixCreate(_Input):
    title: Name
    problem: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=5000)]
    stage_slug: Slug
    moment_name: Name | None = None
    sponsor: Name
    lead: Name
    members: list[FixMember]
    chartered_on: date
    due_on: date | None = None
    chartered_review_id: int | None = None
    kpi_names: list[Name] = []

    @model_validator(mode="after")
    def _cross_functional(self) -> FixCreate:
        silos = {m.silo_name.casefold() for m in self.members}
        if len(silos) < 2:
            raise ValueError("a fix team needs members from at least two silos; one silo alone is not cross-functional")
        if self.due_on is not None and self.due_on < self.chartered_on:
            raise ValueError("the due date cannot be before the charter date")
        return self


class WallQuery(BaseModel):
    """The wall's URL state (?month=YYYY-MM&stage=slug&mode=wall&screen=2&of=3)."""

    month: str | None = None
    stage: str | None = None
    mode: str | None = None
    screen: int = 1
    of: int = 1

    @field_validator("month")
    @classmethod
    def _month_format(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", value):
            raise ValueError(f"'{value}' is not a month; use YYYY-MM, for example 2026-10")
        return value

    @model_validator(mode="after")
    def _screens(self) -> WallQuery:
        if self.of < 1 or self.of > 12:
            raise ValueError("of= must be between 1 and 12 screens")
        if self.screen < 1 or self.screen > self.of:
            raise ValueError(f"screen= must be between 1 and {self.of}")
        return self


class DisplayPlaylist(BaseModel):
    """What a wall-screen link shows in turn: the wall (each page of it), a spotlight on each
    stage, the fix board and the celebrations, each for so many seconds (0: left out); and how
    often the screen fetches fresh data when it stays on one screen."""

    model_config = ConfigDict(frozen=True)

    wall_s: int = Field(default=60, ge=3, le=3600)  # the wall is always in the playlist
    spotlight_s: int = Field(default=15, ge=0, le=3600)  # per stage; 0 leaves the screen out
    fixes_s: int = Field(default=30, ge=0, le=3600)
    celebrations_s: int = Field(default=20, ge=0, le=3600)
    refresh_s: int = Field(default=60, ge=5, le=3600)

    @field_validator("spotlight_s", "fixes_s", "celebrations_s")
    @classmethod
    def _short_but_readable(cls, value: int) -> int:
        if 0 < value < 3:
            raise ValueError("a screen shown for less than 3 seconds cannot be read; use 0 to leave it out")
        return value

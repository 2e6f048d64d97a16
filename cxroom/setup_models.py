"""Pydantic input models of the room set-up and curation pages: editing,
reordering and archiving what the room is made of, and starting a new room.

Like ``cxroom.models`` (whose types it reuses) this module imports nothing
else of cxroom, so every layer may use it. Edits are full replacements of
what a form shows (an unchecked box means False, an empty target means no
target), and carry the version the person saw, for optimistic concurrency.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from cxroom.models import (
    HEX_COLOUR,
    ArtifactKind,
    Direction,
    Frequency,
    Name,
    QuestionKind,
    SiloRole,
    Text,
    TranscriptSegment,
    check_warning_side,
)

Colour = Annotated[str, StringConstraints(pattern=HEX_COLOUR)]
Version = Annotated[int, Field(ge=1, description="the version of the record the person saw")]


def slugify(name: str, *, max_length: int = 60) -> str:
    """A URL-safe slug for a stage or room name: 'Get help (24/7)' -> 'get-help-24-7'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", plain).strip("-")[:max_length].strip("-")
    return slug or "stage"


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class VersionedRef(_Input):
    """A record as the person saw it: its id and its version."""

    id: int
    expected_version: Version


class NewOrder(_Input):
    """A new order of stages (or of the moments of one stage): first is leftmost/topmost."""

    items: list[VersionedRef] = Field(min_length=1)

    @field_validator("items")
    @classmethod
    def _unique(cls, items: list[VersionedRef]) -> list[VersionedRef]:
        ids = [i.id for i in items]
        if len(set(ids)) != len(ids):
            raise ValueError("each record may appear only once in the new order")
        return items


class MomentEdit(_Input):
    """A moment of truth as the edit form shows it (its reliability changes with a reason, elsewhere)."""

    name: Name
    description: Text = ""
    drives_revenue: bool = False
    forms_relationship: bool = False
    rescues_at_risk: bool = False
    grows_wallet: bool = False
    is_key: bool = False


class SiloEdit(_Input):
    name: Name
    description: Text = ""


class AccountabilityCell(_Input):
    """One cell of the stages x silos matrix: the role the person saw, and the role they want."""

    stage_id: int
    silo_id: int
    before: SiloRole | None
    after: SiloRole | None


class AccountabilityChange(_Input):
    cells: list[AccountabilityCell] = Field(min_length=1)


class KpiDefinition(_Input):
    """A KPI's definition as the edit form shows it (its readings are not touched)."""

    stage_id: int
    moment_id: int | None = None
    name: Name
    unit: Annotated[str, StringConstraints(max_length=20)] = ""
    direction: Direction
    target: float | None = None
    warning: float | None = None
    frequency: Frequency = Frequency.MONTHLY
    silo_id: int | None = None
    definition: Text = ""

    @model_validator(mode="after")
    def _warning_on_the_right_side(self) -> KpiDefinition:
        check_warning_side(self.direction, self.target, self.warning)
        return self


class QuestionEdit(_Input):
    """A survey question and the stages its answers speak about."""

    survey: Name
    text: Name
    kind: QuestionKind
    stage_ids: list[int] = []


class ArtifactEdit(_Input):
    stage_id: int
    moment_id: int | None = None
    title: Name
    kind: ArtifactKind
    caption: Text = ""
    asks_of_customer: Text = ""
    version_label: Annotated[str, StringConstraints(max_length=60)] = ""
    issued_on: date | None = None


class ClipEdit(_Input):
    """Which part of a call plays on the wall, and its transcript (None: leave the transcript as it is)."""

    clip_start_s: int = Field(ge=0)
    clip_end_s: int | None = Field(default=None, ge=1)
    transcript: list[TranscriptSegment] | None = None

    @model_validator(mode="after")
    def _ordered(self) -> ClipEdit:
        if self.clip_end_s is not None and self.clip_end_s <= self.clip_start_s:
            raise ValueError("the clip must end after it starts")
        return self


class NewRoom(_Input):
    """A new, empty room of one's own (the demo room stays as it is)."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]

    @property
    def slug(self) -> str:
        return slugify(self.name, max_length=40)


__all__ = [
    "AccountabilityCell",
    "AccountabilityChange",
    "ArtifactEdit",
    "ClipEdit",
    "Colour",
    "KpiDefinition",
    "MomentEdit",
    "NewOrder",
    "NewRoom",
    "QuestionEdit",
    "SiloEdit",
    "Version",
    "VersionedRef",
    "slugify",
]

"""What a dropped file asks for: the options of its sidecar NAME.json (or the folder's
defaults.json), validated with pydantic before anything is read.

Import options are the fields of cxroom.importers.report.ImportOptions, taken by
name, so an option added there is accepted here without a change.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from cxroom import evidence_kinds
from cxroom.errors import InvalidInputError
from cxroom.importers.report import ImportOptions
from cxroom.inbox.layout import DEFAULTS_NAME, IMPORT_KINDS, SIDECAR_SUFFIX, read_json

IMPORT_OPTION_NAMES = frozenset(f.name for f in dataclasses.fields(ImportOptions))


class _Job(BaseModel):
    model_config = ConfigDict(extra="forbid")

    file_name: str | None = Field(default=None, max_length=300, description="the name shown in reports")


class ImportJob(_Job):
    source: str | None = Field(default=None, max_length=200)
    mapping: dict[str, Any] | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    dry_run: bool = False

    @field_validator("options")
    @classmethod
    def _known_options(cls, value: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(value) - IMPORT_OPTION_NAMES)
        if unknown:
            raise ValueError(f"unknown import options {unknown}; known: {sorted(IMPORT_OPTION_NAMES)}")
        return value

    def import_options(self) -> ImportOptions:
        try:
            return ImportOptions(**self.options)
        except TypeError as exc:
            raise InvalidInputError(f"The import options are not valid: {exc}.") from exc


class CallJob(_Job):
    stage: str = Field(min_length=1, max_length=100)
    title: str | None = Field(default=None, max_length=300)
    moment: str | None = None
    recorded_at: datetime | None = None
    clip_start: int = Field(default=0, ge=0)
    clip_end: int | None = Field(default=None, ge=0)
    transcript: list[dict[str, Any]] | None = None
    consent: bool = False
    tags: list[str] = Field(default_factory=list)


ArtifactKind = Literal["letter", "bill", "email", "packaging", "label", "web_page", "form", "other"]


class ArtifactJob(_Job):
    stage: str = Field(min_length=1, max_length=100)
    title: str | None = Field(default=None, max_length=300)
    kind: ArtifactKind = "other"
    moment: str | None = None
    caption: str = ""
    issued_on: date | None = None
    replaces: int | None = Field(default=None, ge=1)  # a new version of this artifact
    fix: int | None = Field(default=None, ge=1)  # the fix that changed it


Job = ImportJob | CallJob | ArtifactJob
# Every importable kind takes an import job; the kinds added one file at a time have their own.
JOB_MODELS: dict[str, type[_Job]] = evidence_kinds.attach(
    "inbox job",
    {**dict.fromkeys(IMPORT_KINDS, ImportJob), "calls": CallJob, "artifacts": ArtifactJob},
)


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def _read_options(path: Path, what: str) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = read_json(path)
    except (OSError, ValueError) as exc:
        raise InvalidInputError(f"{what} {path.name} is not valid JSON: {exc}.") from exc
    if not isinstance(data, dict):
        raise InvalidInputError(f"{what} {path.name} must hold a JSON object of options.")
    return data


def load_job(kind: str, data_file: Path) -> Job:
    """The folder's defaults overlaid with the file's own sidecar, validated for ``kind``."""
    merged = _read_options(data_file.parent / DEFAULTS_NAME, "The folder's defaults")
    merged.update(_read_options(sidecar_of(data_file), "The options file"))
    return parse_job(kind, merged)


def parse_job(kind: str, data: dict[str, Any]) -> Job:
    try:
        return JOB_MODELS[kind].model_validate(data)  # type: ignore[return-value]
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'options'}: {e['msg']}" for e in exc.errors())
        raise InvalidInputError(f"The options for this {kind} file are not valid: {problems}.") from exc

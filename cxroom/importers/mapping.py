"""Column mappings: which column of a file feeds which field of the room, and
how to recognise the usual headers (the CFPB export in its several shapes,
call-centre KPI sheets, survey exports) without asking.

Mappings name columns by their header text as it appears in the file. They are
pydantic models so that a mapping saved for a source last month (JSON in the
database, or a --mapping file) is validated the same way as one made now.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from cxroom import evidence_kinds
from cxroom.errors import InvalidInputError
from cxroom.importers.movement_mapping import MovementMapping

Header = Annotated[str, StringConstraints(max_length=300)]

# Scales of each survey question kind (inclusive): the survey pass checks answers against them
# and a mapping proposal takes a numeric column as questions of a kind when it fits the scale.
SCALES: dict[str, tuple[float, float]] = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "percent": (0, 100)}

# Date formats a person can choose (label -> strptime format). "iso" and
# "excel" are handled specially.
DATE_FORMATS: dict[str, str] = {
    "iso": "YYYY-MM-DD (ISO, optional time)",
    "%d-%m-%Y": "DD-MM-YYYY",
    "%m-%d-%Y": "MM-DD-YYYY",
    "%d/%m/%Y": "DD/MM/YYYY",
    "%m/%d/%Y": "MM/DD/YYYY",
    "%d.%m.%Y": "DD.MM.YYYY",
    "%Y/%m/%d": "YYYY/MM/DD",
    "%d-%m-%Y %H:%M:%S": "DD-MM-YYYY HH:MM:SS",
    "%m-%d-%Y %H:%M:%S": "MM-DD-YYYY HH:MM:SS",
    "%d/%m/%Y %H:%M:%S": "DD/MM/YYYY HH:MM:SS",
    "%m/%d/%Y %H:%M:%S": "MM/DD/YYYY HH:MM:SS",
    "%d/%m/%Y %H:%M": "DD/MM/YYYY HH:MM",
    "%m/%d/%Y %H:%M": "MM/DD/YYYY HH:MM",
    # Two-digit years: read by strptime's %y rule (00-68 -> 20xx, 69-99 -> 19xx), stated
    # wherever such a format is used (TWO_DIGIT_YEAR_RULE below).
    "%d/%m/%y": "DD/MM/YY",
    "%m/%d/%y": "MM/DD/YY",
    "%d-%m-%y": "DD-MM-YY",
    "%m-%d-%y": "MM-DD-YY",
    "%d.%m.%y": "DD.MM.YY",
    "excel": "Excel serial day number",
    "month": "YYYY-MM (a month)",
}

# The one rule for two-digit years: C's, Python's and DuckDB's strptime %y (no hand-written
# conversion). With the room's date window it reads a two-digit year as a recent year or quarantines it.
TWO_DIGIT_YEAR_RULE = "00-68 are 2000-2068, 69-99 are 1969-1999 (the strptime %y rule)"

# Friendly aliases accepted on the command line (--date-format DD-MM-YYYY).
DATE_FORMAT_ALIASES: dict[str, str] = {label.upper(): key for key, label in DATE_FORMATS.items()}
DATE_FORMAT_ALIASES.update({"ISO": "iso", "EXCEL": "excel", "YYYY-MM": "month", "AUTO": "auto"})


def normalise_date_format(value: str | None) -> str | None:
    if value is None or value == "" or value.lower() == "auto":
        return None
    if value in DATE_FORMATS:
        return value
    alias = DATE_FORMAT_ALIASES.get(value.strip().upper())
    if alias is None:
        choices = ", ".join(sorted({v for v in DATE_FORMATS.values()}))
        raise InvalidInputError(
            f"Unknown date format {value!r}; use one of: {choices}, or a strptime format like %d-%m-%Y."
        )
    return None if alias == "auto" else alias


class _Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ComplaintMapping(_Mapping):
    """Which header feeds each complaint field (None: not in this file)."""

    received_at: Header
    category: Header
    external_id: Header | None = None
    subcategory: Header | None = None
    verbatim: Header | None = None
    channel: Header | None = None
    severity: Header | None = None
    date_format: str | None = Field(default=None, description="None: detect from the values")


class CallMeasure(_Mapping):
    """One KPI of a per-call file: ``rate`` (% of yes in a yes/no column), ``mean`` (of a
    numeric column, empty cells left out) or ``count`` (calls in the period)."""

    column: Header
    measure: Literal["rate", "mean", "count"]


class KpiMapping(_Mapping):
    """Long form (kpi_name + period + value columns) or wide form (period + one column per KPI),
    or a per-call file (one row per call) aggregated per day or month into the ``measures``."""

    layout: Literal["long", "wide"] = "wide"
    period: Header | None = Field(
        default=None, description="date/month column; None with index/start or a fixed period"
    )
    kpi_name: Header | None = None
    value: Header | None = None
    # wide form: header -> KPI name in the room (headers not listed are ignored)
    kpi_columns: dict[Header, Header] = {}
    # files without a date column: number rows from an index column (or the row number)
    index: Header | None = None
    start: str | None = Field(default=None, description="period of index 1 (YYYY-MM-DD or YYYY-MM)")
    frequency: Literal["daily", "weekly", "monthly"] = "daily"
    fixed_period: str | None = Field(default=None, description="every row belongs to this period (YYYY-MM)")
    date_format: str | None = None
    # per-call files: aggregate the rows per day or month; KPI name in the room -> measure
    aggregate: Literal["day", "month"] | None = None
    measures: dict[Header, CallMeasure] = {}

    @model_validator(mode="after")
    def _complete(self) -> KpiMapping:
        if self.aggregate is not None:
            if self.period is None:
                raise ValueError("a per-call file needs its date column (period) to aggregate per day or month")
            if not self.measures:
                raise ValueError("a per-call file needs at least one measure (a rate, a mean or the call count)")
            return self
        if self.layout == "long" and (self.kpi_name is None or self.value is None):
            raise ValueError("a long-form KPI file needs a KPI-name column and a value column")
        if self.layout == "wide" and not self.kpi_columns:
            raise ValueError("a wide KPI file needs at least one KPI column")
        if self.period is None and self.start is None and self.fixed_period is None:
            raise ValueError(
                "the file has no period column: give a start period and frequency (rows are numbered by "
                "their index), or one period for the whole file"
            )
        return self


class SurveyMapping(_Mapping):
    """Wide form (one row per respondent, one column per question) or long form (one row per answer)."""

    layout: Literal["long", "wide"] = "wide"
    survey: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    response_id: Header | None = Field(default=None, description="None: a content hash of the row")
    answered_at: Header | None = None
    fixed_period: str | None = Field(default=None, description="YYYY-MM for files without dates")
    # wide form: header -> question kind (nps, csat, ces, percent)
    questions: dict[Header, Literal["nps", "csat", "ces", "percent"]] = {}
    # long form
    question: Header | None = None
    value: Header | None = None
    default_kind: Literal["nps", "csat", "ces", "percent"] = "csat"
    na_values: list[Annotated[str, StringConstraints(max_length=40)]] = []
    date_format: str | None = None
    # open-text answers (a title and a message, a "comment" column): joined in this order,
    # one line each, empty cells skipped, into the response's comment
    comments: list[Header] = Field(default=[], max_length=10)

    @field_validator("comments", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        """A mapping file may name one comment column as a plain string."""
        if value is None:
            return []
        return [value] if isinstance(value, str) else value

    @model_validator(mode="after")
    def _complete(self) -> SurveyMapping:
        if self.layout == "wide" and not self.questions:
            raise ValueError("a wide survey file needs at least one question (rating) column")
        if self.layout == "long" and (self.question is None or self.value is None):
            raise ValueError("a long survey file needs a question column and a value column")
        if self.answered_at is None and self.fixed_period is None:
            raise ValueError("the file has no date column: give the period the answers belong to (YYYY-MM)")
        return self


Mapping = ComplaintMapping | KpiMapping | SurveyMapping | MovementMapping
MAPPING_MODELS: dict[str, type[BaseModel]] = evidence_kinds.attach(
    "mapping model",
    {"complaints": ComplaintMapping, "kpis": KpiMapping, "surveys": SurveyMapping, "movements": MovementMapping},
    needed=lambda kind: kind.importable,
)


def column_fields(model: type[BaseModel]) -> list[tuple[str, bool]]:
    """(field, required) for each field of a mapping model that names one column of the file
    (a text field other than the date format), in the model's order."""
    return [
        (name, field.is_required())
        for name, field in model.model_fields.items()
        if name != "date_format" and field.annotation in (str, str | None)
    ]


def parse_mapping(kind: str, data: dict[str, object]) -> Mapping:
    model = MAPPING_MODELS[kind]
    try:
        return model.model_validate(data)  # type: ignore[return-value]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'mapping'}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise InvalidInputError(f"The {kind} column mapping is not complete: {problems}.") from exc


def load_mapping_file(kind: str, path: Path) -> dict[str, object]:
    """A --mapping JSON file: {"received_at": "Date received", ...}."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidInputError(f"There is no mapping file {path}.") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInputError(f"The mapping file {path} is not valid JSON: {exc}.") from exc
    if not isinstance(data, dict):
        raise InvalidInputError(f"The mapping file {path} must hold a JSON object.")
    return data


# -- header recognition ------------------------------------------------------


def norm_header(text: str) -> str:
    """'Date_received', 'date received', 'Date-Received?' -> 'date received'."""
    return re.sub(r"[\s_\-?]+", " ", text.replace("\ufeff", "")).strip().casefold()


# Canonical field -> known headers, best first (normalised form).
COMPLAINT_SYNONYMS: dict[str, list[str]] = {
    "received_at": [
        "date received",
        "received at",
        "received",
        "date submitted",
        "submitted at",
        "complaint date",
        "created",
        "created at",
        "date",
        "opened",
    ],
    "category": ["issue", "category", "complaint category", "reason", "topic", "product"],
    "subcategory": ["sub issue", "subcategory", "sub category", "sub reason", "subtopic"],
    "verbatim": [
        "consumer complaint narrative",
        "narrative",
        "verbatim",
        "complaint text",
        "description",
        "comment",
        "comments",
        "text",
    ],
    "external_id": ["complaint id", "complaint", "id", "ticket id", "case id", "case number", "reference"],
    "channel": ["submitted via", "channel", "source channel", "origin", "via"],
    "severity": ["severity", "priority"],
}

KPI_SYNONYMS: dict[str, list[str]] = {
    "period": ["period", "date", "month", "week", "day", "reporting period"],
    "kpi_name": ["kpi", "kpi name", "metric", "measure", "indicator"],
    "value": ["value", "reading", "actual", "result"],
    "index": ["index", "row", "#", "n"],
}

SURVEY_SYNONYMS: dict[str, list[str]] = {
    "response_id": ["response id", "respondent id", "respondent", "review id", "id", "response"],
    "answered_at": [
        "answered at",
        "date",
        "response date",
        "submitted at",
        "completed at",
        "survey date",
        # Olist: the customer's answer time; the creation date is when the survey was sent
        "review answer timestamp",
        "answer timestamp",
        "review date",
        "review creation date",
        "created at",
    ],
    "question": ["question", "question text", "item"],
    "value": ["value", "score", "rating", "answer"],
}


def _find(headers: list[str], candidates: list[str], taken: set[str]) -> str | None:
    normalised = {norm_header(h): h for h in reversed(headers) if h}
    for candidate in candidates:
        found = normalised.get(candidate)
        if found is not None and found not in taken:
            return found
    return None


def suggest_complaint_mapping(headers: list[str]) -> dict[str, str | None]:
    """Best guess for each complaint field from the headers (None: not found)."""
    taken: set[str] = set()
    out: dict[str, str | None] = {}
    for fld in ("received_at", "external_id", "subcategory", "verbatim", "channel", "severity", "category"):
        found = _find(headers, COMPLAINT_SYNONYMS[fld], taken)
        out[fld] = found
        if found:
            taken.add(found)
    return {f: out[f] for f in COMPLAINT_SYNONYMS}


def looks_like_cfpb(headers: list[str]) -> bool:
    names = {norm_header(h) for h in headers}
    return "issue" in names and ("complaint id" in names) and ("product" in names)


def suggest_kpi_fields(headers: list[str]) -> dict[str, str | None]:
    taken: set[str] = set()
    out: dict[str, str | None] = {}
    for fld in ("kpi_name", "value", "period", "index"):
        found = _find(headers, KPI_SYNONYMS[fld], taken)
        out[fld] = found
        if found:
            taken.add(found)
    return out


def suggest_survey_fields(headers: list[str]) -> dict[str, str | None]:
    taken: set[str] = set()
    out: dict[str, str | None] = {}
    for fld in ("question", "value", "response_id", "answered_at"):
        found = _find(headers, SURVEY_SYNONYMS[fld], taken)
        out[fld] = found
        if found:
            taken.add(found)
    return out


# Open-text answer columns: a header that is one of these words, or holds one of them as a
# word ("review_comment_message", "Additional comments", "Feedback text"), and is not a number.
_COMMENT_WORDS = re.compile(
    r"\b(comments?|verbatim|feedback|remarks?|open (answer|text|ended)|free text|"
    r"review (text|title|message)|testimonial|suggestions?|why)\b"
)


def suggest_survey_comments(headers: list[str], skip: set[str]) -> list[str]:
    """Headers that look like open-text answers, in file order (Olist: title, then message).
    ``skip``: the rating columns and the id and date columns already taken."""
    return [h for h in headers if h and h not in skip and _COMMENT_WORDS.search(norm_header(h))]

"""What an import is asked and what it answers: the options of one file, the report of an import
(or of a dry run) and the first look at a file that a preview gives.

Plain data shared by the service that runs an import, the import passes that fill the report,
the inbox that carries options in a job file, and the pages and CLI that show the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

Progress = Callable[[float, str], None]


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    kind: str
    source: str
    file_name: str
    batch_id: int | None = None
    rows_read: int = 0
    rows_imported: int = 0
    rows_duplicate: int = 0
    rows_rejected: int = 0
    values_rejected: int = 0  # bad values quarantined from rows whose other values were imported
    values_empty: int = 0  # values left empty or marked not available (no value, not an error)
    rows_future: int = 0  # rows quarantined because they are dated after tomorrow (UTC)
    comments_imported: int = 0  # survey responses (not rows: a long file has a row per answer) with a comment
    errors: list[dict[str, Any]] = field(default_factory=list)
    errors_total: int = 0
    committed: bool = False
    dry_run: bool = False
    notes: list[str] = field(default_factory=list)
    file_kind: str = "csv"
    encoding: str = "utf-8"
    # the encoding of the rows that were not UTF-8, and how many rows needed it
    encoding_fallback: str | None = None
    rows_encoding_fallback: int = 0
    delimiter: str = ","
    date_format: str | None = None
    mapping: dict[str, Any] = field(default_factory=dict)
    unmapped_categories: list[dict[str, Any]] = field(default_factory=list)
    date_rules: dict[str, Any] = field(default_factory=dict)
    # a per-call KPI file: {"per": "day"|"month", "rows": calls read into readings, "periods": n,
    # "measures": {KPI: {"column", "measure"}}, "description": the aggregation in words}
    aggregation: dict[str, Any] = field(default_factory=dict)
    elapsed_s: float = 0.0

    @property
    def balanced(self) -> bool:
        return self.rows_read == self.rows_imported + self.rows_duplicate + self.rows_rejected

    def to_json(self) -> dict[str, Any]:
        """The CLI's --json answer (keys documented in docs/listening.md)."""
        return {
            "batch_id": self.batch_id,
            "rows_read": self.rows_read,
            "rows_imported": self.rows_imported,
            "rows_duplicate": self.rows_duplicate,
            "rows_rejected": self.rows_rejected,
            "values_rejected": self.values_rejected,
            "values_empty": self.values_empty,
            "rows_future": self.rows_future,
            "comments_imported": self.comments_imported,
            "errors": self.errors,
            "errors_total": self.errors_total,
            "committed": self.committed,
            "dry_run": self.dry_run,
            "kind": self.kind,
            "source": self.source,
            "file_name": self.file_name,
            "file_kind": self.file_kind,
            "encoding": self.encoding,
            "encoding_fallback": self.encoding_fallback,
            "rows_encoding_fallback": self.rows_encoding_fallback,
            "delimiter": self.delimiter,
            "date_format": self.date_format,
            "date_rules": self.date_rules,
            "notes": self.notes,
            "mapping": self.mapping,
            "unmapped_categories": self.unmapped_categories,
            "aggregation": self.aggregation,
            "elapsed_s": round(self.elapsed_s, 3),
        }


@dataclass
class ImportOptions:
    """Everything about how to read one file, beyond the mapping."""

    date_format: str | None = None
    na_values: list[str] = field(default_factory=list)
    period: str | None = None  # YYYY-MM: surveys/KPIs without dates
    start: str | None = None  # KPI files numbered by an index: period of index 1
    frequency: str | None = None  # daily | weekly | monthly (with start)
    delimiter: str | None = None
    sheet: str | None = None
    survey_kind: str = "csat"
    # the encoding of the lines that are not UTF-8 (None: detect; asked for when detection is unsure)
    encoding: str | None = None
    # KPI files with one row per call: aggregate them per "day" or "month" (None: one row per period)
    aggregate: str | None = None


@dataclass
class FilePreview:
    """A first look at a file, to choose the mapping before importing."""

    file_kind: str
    encoding: str
    delimiter: str
    headers: list[str]
    rows_read: int
    sample: pd.DataFrame
    suggested: dict[str, Any]
    saved: dict[str, Any] | None
    source: str
    date_columns: dict[str, dict[str, Any]]  # header -> {format, label, ambiguous, message}
    numeric_columns: dict[str, dict[str, float]]  # header -> {min, max, zeros, values}
    notes: list[str]
    # True when only the first rows were read (rows_read counts those; the import reads all)
    sampled: bool = False
    encoding_fallback: str | None = None
    rows_encoding_fallback: int = 0

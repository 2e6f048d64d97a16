"""Listening: import complaint, KPI and survey files as batches, set-wise.

One import is one transaction: the batch row, the imported rows, the
quarantined (rejected) rows, the file description and the saved column mapping
commit together or not at all (a kill -9 half-way leaves nothing). The file is
read by DuckDB into a staging table (cxroom.importers.stage); typing,
validation, de-duplication and mapping to stages are SQL over that table, never
a Python loop over rows.

Every import answers with an ImportReport whose counts always satisfy
rows_read = rows_imported + rows_duplicate + rows_rejected, and whose errors
name the row (data-row number as in the file), the column and the reason.
A bad value in a row whose other values are good (one rating of twelve) is
quarantined on its own (values_rejected) and the row's good values are kept.
Dates are read and bounded by cxroom.importers.dates.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from pydantic import ValidationError

from cxroom import audio, scratch
from cxroom.errors import CxroomError, InvalidInputError, NotFoundError
from cxroom.importers import dates, per_call, superseded
from cxroom.importers import sqlexpr as sx
from cxroom.importers.bounds import ImportLimits
from cxroom.importers.mapping import (
    DATE_FORMATS,
    ComplaintMapping,
    KpiMapping,
    Mapping,
    SurveyMapping,
    looks_like_cfpb,
    normalise_date_format,
    parse_mapping,
    suggest_complaint_mapping,
    suggest_kpi_fields,
    suggest_survey_comments,
    suggest_survey_fields,
)
from cxroom.importers.sniff import DEFAULT_MAX_IMPORT_BYTES, ImportFileError
from cxroom.importers.stage import Staged, stage_file
from cxroom.media import MediaStore
from cxroom.migrations.steps import masked_for_insert
from cxroom.models import ArtifactCreate, CallCreate, TranscriptSegment
from cxroom.permissions import Action
from cxroom.services import _lookup, evidence, media_tx
from cxroom.settings import Settings
from cxroom.store import Store, Tx, utcnow

Progress = Callable[[float, str], None]

# The report lists at most this many errors; errors_total tells how many there were.
MAX_REPORTED_ERRORS = 1000

# Scales of each survey question kind (inclusive).
SCALES: dict[str, tuple[float, float]] = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7), "percent": (0, 100)}
SEVERITIES = ("low", "normal", "high", "critical")


def max_import_bytes(environ: dict[str, str] | None = None) -> int:
    """The size limit of one import file (CXROOM_MAX_IMPORT_MB, default 1024 MB)."""
    env = os.environ if environ is None else environ
    raw = env.get("CXROOM_MAX_IMPORT_MB")
    try:
        return int(float(raw) * 1024 * 1024) if raw else DEFAULT_MAX_IMPORT_BYTES
    except ValueError:
        return DEFAULT_MAX_IMPORT_BYTES


def import_limits(settings: Settings | None = None) -> ImportLimits:
    """What one import may expand to, from the settings (CXROOM_MAX_UNCOMPRESSED_MB and friends)."""
    settings = settings or Settings.from_env()
    return ImportLimits(
        max_uncompressed_bytes=settings.max_uncompressed_bytes,
        max_rows=settings.max_import_rows,
        max_cell_bytes=settings.max_cell_bytes,
        preview_rows=settings.preview_rows,
    )


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


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""

    def __init__(self, payload: Any) -> None:
        super().__init__("dry run")
        self.payload = payload


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


# ---------------------------------------------------------------------------
# public entry points


def import_file(
    store: Store,
    *,
    kind: str,
    path: Path | str,
    source: str | None = None,
    mapping: dict[str, Any] | None = None,
    options: ImportOptions | None = None,
    dry_run: bool = False,
    actor: str,
    progress: Progress | None = None,
    max_bytes: int | None = None,
    file_name: str | None = None,
    limits: ImportLimits | None = None,
) -> ImportReport:
    """Import one file of ``kind`` (complaints | kpis | surveys) as one batch.

    ``mapping`` names the column for each field (see cxroom.importers.mapping);
    None uses the mapping saved for ``source``, else the recognised headers.
    Raises ImportFileError/InvalidInputError when nothing can be imported (no
    batch is written then); row-level problems go to the quarantine instead.
    """
    if kind not in ("complaints", "kpis", "surveys"):
        raise InvalidInputError(f"Unknown import kind {kind!r}; use complaints, kpis or surveys.")
    path = Path(path)
    options = options or ImportOptions()
    started = time.perf_counter()
    display_name = file_name or path.name
    limit = max_bytes if max_bytes is not None else max_import_bytes()
    window = dates.window()
    # Copies live in the room's scratch folder, which the next start cleans if this process is killed.
    with scratch.workdir(store.path, "import") as workdir:
        try:
            with store.transaction(actor) as tx:
                if not dry_run:
                    tx.require(Action.IMPORT)
                staged = stage_file(
                    tx,
                    path,
                    workdir,
                    max_bytes=limit,
                    delimiter=options.delimiter,
                    sheet=options.sheet,
                    progress=progress,
                    encoding=options.encoding,
                    limits=limits or import_limits(),
                )
                src = _default_source(kind, source, staged, display_name)
                resolved = resolve_mapping(tx, kind=kind, source=src, staged=staged, mapping=mapping, options=options)
                report = ImportReport(
                    kind=kind,
                    source=src,
                    file_name=display_name,
                    dry_run=dry_run,
                    file_kind=staged.info.kind,
                    encoding=staged.info.encoding,
                    encoding_fallback=staged.info.decoding.fallback,
                    rows_encoding_fallback=staged.info.decoding.fallback_rows,
                    delimiter=staged.info.delimiter,
                    notes=list(staged.notes),
                    mapping=resolved.model_dump(),
                    date_rules=window.to_json(),
                )
                batch_id = None
                if not dry_run:
                    batch_id = int(
                        tx.fetch_value(
                            "INSERT INTO import_batches (kind, source, file_name, file_sha256, started_at, "
                            "created_by) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                            [kind, src, display_name[:300], staged.info.sha256, utcnow(), actor],
                        )
                    )
                report.batch_id = batch_id
                if progress:
                    progress(0.45, "Checking values")
                if isinstance(resolved, ComplaintMapping):
                    _run_complaints(tx, staged, resolved, report, batch_id, progress, window)
                elif isinstance(resolved, KpiMapping):
                    _run_kpis(tx, staged, resolved, report, batch_id, progress, window)
                else:
                    _run_surveys(tx, staged, resolved, report, batch_id, progress, window)
                report.rows_read = staged.rows_read
                report.rows_duplicate = report.rows_read - report.rows_imported - report.rows_rejected
                _collect_errors(tx, staged, report)
                _note_future_rows(tx, staged, report, window)
                if dry_run:
                    raise _DryRun(report)
                if progress:
                    progress(0.9, "Saving the quarantine and the batch")
                _finish_batch(tx, staged, resolved, report, batch_id, actor)
                report.committed = True
        except _DryRun as signal:
            report = signal.payload
    report.elapsed_s = time.perf_counter() - started
    if progress:
        progress(1.0, "Done")
    return report


def undo_batch(store: Store, *, batch_id: int, actor: str) -> dict[str, int]:
    """Take a whole batch back out and put back the KPI readings it replaced (see
    cxroom.importers.superseded); the batch is marked undone."""
    with store.transaction(actor) as tx:
        tx.require(Action.IMPORT)
        batch = tx.fetch_dicts("SELECT * FROM import_batches WHERE id = ?", [batch_id])
        if not batch:
            raise NotFoundError(f"There is no import batch #{batch_id}.")
        if batch[0]["status"] == "undone":
            raise InvalidInputError(f"Batch #{batch_id} was already undone.")
        removed = {
            "complaints": int(tx.fetch_value("DELETE FROM complaints WHERE batch_id = ?", [batch_id]) or 0),
            "kpi_readings": int(tx.fetch_value("DELETE FROM kpi_readings WHERE batch_id = ?", [batch_id]) or 0),
            "survey_responses": int(tx.fetch_value("DELETE FROM survey_responses WHERE batch_id = ?", [batch_id]) or 0),
        }
        removed["kpi_readings_restored"] = superseded.restore_replaced(tx, batch_id)
        tx.execute("UPDATE import_batches SET status = 'undone' WHERE id = ?", [batch_id])
        tx.audit("undo", "import_batch", batch_id, {"status": batch[0]["status"]}, {"status": "undone", **removed})
        return removed


def save_source_mapping(store: Store, *, kind: str, source: str, mapping: dict[str, Any], actor: str) -> None:
    """Remember the column mapping for a source (validated first)."""
    parsed = parse_mapping(kind, mapping)
    with store.transaction(actor) as tx:
        tx.require(Action.IMPORT)
        _save_mapping(tx, kind, source, parsed, actor)


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


def preview_file(
    store: Store,
    *,
    kind: str,
    path: Path | str,
    source: str | None = None,
    options: ImportOptions | None = None,
    sample_rows: int = 20,
    max_bytes: int | None = None,
    file_name: str | None = None,
    limits: ImportLimits | None = None,
) -> FilePreview:
    """Read the first rows of a file (nothing is written) and propose a mapping for it.

    The preview runs inside the app, so it reads a bounded sample
    (``limits.preview_rows`` data rows, after the same checks as an import).
    Raises EncodingUncertainError when the file is not all UTF-8 and the
    encoding of the other lines cannot be told: the caller asks for it.
    """
    path = Path(path)
    options = options or ImportOptions()
    limit = max_bytes if max_bytes is not None else max_import_bytes()
    limits = limits or import_limits()
    with scratch.workdir(store.path, "preview") as workdir:
        try:
            with store.transaction("preview") as tx:
                staged = stage_file(
                    tx,
                    path,
                    workdir,
                    max_bytes=limit,
                    delimiter=options.delimiter,
                    sheet=options.sheet,
                    encoding=options.encoding,
                    limits=limits,
                    sample_rows=limits.preview_rows,
                )
                src = _default_source(kind, source, staged, file_name or path.name)
                cols = ", ".join(f"c{i}" for i in range(len(staged.headers)))
                sample = tx.execute(f"SELECT {cols} FROM {staged.table} ORDER BY rn LIMIT {int(sample_rows)}").df()
                sample.columns = staged.headers
                profile = _profile_columns(tx, staged)
                saved = _saved_mapping(tx, kind, src)
                raise _DryRun(
                    FilePreview(
                        file_kind=staged.info.kind,
                        encoding=staged.info.encoding,
                        delimiter=staged.info.delimiter,
                        headers=staged.headers,
                        rows_read=staged.rows_read,
                        sample=sample,
                        suggested=suggest_mapping(
                            kind, staged.headers, profile[1], src, options,
                            _flag_columns(tx, staged) if kind == "kpis" and options.aggregate else None,
                        ),
                        saved=saved if saved and _mapping_fits(saved, staged.headers) else None,
                        source=src,
                        date_columns=profile[0],
                        numeric_columns=profile[1],
                        notes=list(staged.notes),
                        sampled=staged.rows_read >= limits.preview_rows,
                        encoding_fallback=staged.info.decoding.fallback,
                        rows_encoding_fallback=staged.info.decoding.fallback_rows,
                    )
                )
        except _DryRun as signal:
            return signal.payload
    raise AssertionError("unreachable")  # pragma: no cover


def suggest_mapping(
    kind: str,
    headers: list[str],
    numeric: dict[str, dict[str, float]],
    source: str,
    options: ImportOptions | None = None,
    flags: set[str] | None = None,
) -> dict[str, Any]:
    """A mapping proposal from the headers (and, for surveys/KPIs, which columns hold numbers;
    for per-call KPI files, which hold yes/no flags)."""
    options = options or ImportOptions()
    if kind == "complaints":
        out: dict[str, Any] = dict(suggest_complaint_mapping(headers))
        out["date_format"] = normalise_date_format(options.date_format)
        return out
    if kind == "kpis":
        fields = suggest_kpi_fields(headers)
        if options.aggregate:
            measures = per_call.suggest_measures(
                headers, flags or set(), set(numeric), {h for h in (fields["period"],) if h}
            )
            return {
                "layout": "wide",
                "period": fields["period"],
                "aggregate": options.aggregate,
                "measures": {name: {"column": h, "measure": how} for name, (h, how) in measures.items()},
                "date_format": normalise_date_format(options.date_format),
            }
        if fields["kpi_name"] and fields["value"]:
            return {
                "layout": "long",
                "kpi_name": fields["kpi_name"],
                "value": fields["value"],
                "period": fields["period"],
                "fixed_period": options.period,
                "date_format": normalise_date_format(options.date_format),
            }
        skip = {fields["period"], fields["index"]}
        kpi_columns = {h: h for h in headers if h not in skip and h in numeric}
        return {
            "layout": "wide",
            "period": fields["period"],
            "index": fields["index"],
            "kpi_columns": kpi_columns,
            "start": options.start,
            "frequency": options.frequency or "daily",
            "fixed_period": options.period,
            "date_format": normalise_date_format(options.date_format),
        }
    fields = suggest_survey_fields(headers)
    na = list(options.na_values)
    if fields["question"] and fields["value"]:
        return {
            "layout": "long",
            "survey": source,
            "question": fields["question"],
            "value": fields["value"],
            "response_id": fields["response_id"],
            "answered_at": fields["answered_at"],
            "fixed_period": options.period,
            "default_kind": options.survey_kind,
            "na_values": na,
            "date_format": normalise_date_format(options.date_format),
            "comments": suggest_survey_comments(headers, {h for h in fields.values() if h} | set(numeric)),
        }
    low, high = SCALES[options.survey_kind]
    questions = {
        h: options.survey_kind
        for h, stats in numeric.items()
        if h not in (fields["response_id"], fields["answered_at"])
        and stats["integers"] == stats["numbers"]
        and stats["min"] >= min(low, 0)
        and stats["max"] <= high
        and stats["max"] > 0
    }
    if any(numeric[h]["min"] == 0 for h in questions) and low > 0 and not na:
        na = ["0"]  # 0 on a 1-5 scale: not applicable (the airline survey); shown so it can be changed
    return {
        "layout": "wide",
        "survey": source,
        "response_id": fields["response_id"],
        "answered_at": fields["answered_at"],
        "fixed_period": options.period,
        "questions": questions,
        "na_values": na,
        "date_format": normalise_date_format(options.date_format),
        "comments": suggest_survey_comments(headers, {h for h in fields.values() if h} | set(numeric)),
    }


# ---------------------------------------------------------------------------
# mapping resolution


def _default_source(kind: str, source: str | None, staged: Staged, file_name: str) -> str:
    if source and source.strip():
        return source.strip()[:200]
    if kind == "complaints" and looks_like_cfpb(staged.headers):
        return "cfpb"
    return Path(file_name).stem[:200] or kind


def _saved_mapping(tx: Tx, kind: str, source: str) -> dict[str, Any] | None:
    raw = tx.fetch_value("SELECT mapping FROM source_mappings WHERE kind = ? AND source = ?", [kind, source])
    return json.loads(raw) if raw else None


def _mapping_fits(mapping: dict[str, Any], headers: list[str]) -> bool:
    return all(h in headers for h in _referenced_headers(mapping))


def _referenced_headers(mapping: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for key, value in mapping.items():
        if key in (
            "date_format",
            "layout",
            "survey",
            "start",
            "frequency",
            "fixed_period",
            "default_kind",
            "na_values",
            "aggregate",
        ):
            continue
        if key == "measures" and isinstance(value, dict):  # KPI name -> {column, measure}
            names.extend(str(v["column"]) for v in value.values() if isinstance(v, dict) and "column" in v)
            continue
        if isinstance(value, str):
            names.append(value)
        elif isinstance(value, dict):
            names.extend(value.keys())
        elif isinstance(value, list):  # survey comment columns
            names.extend(str(v) for v in value)
    return names


def _profile_columns(tx: Tx, staged: Staged) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, float]]]:
    """Which columns hold dates (and in which format) and which hold numbers, from all values."""
    dates: dict[str, dict[str, Any]] = {}
    numeric: dict[str, dict[str, float]] = {}
    for i, header in enumerate(staged.headers):
        col = f"c{i}"
        row = tx.fetch_one(
            f"SELECT count(*) FILTER (WHERE NOT {sx.is_missing(col)}), "
            f"count({sx.number(col)}) FILTER (WHERE NOT {sx.is_missing(col)}), "
            f"min({sx.number(col)}), max({sx.number(col)}), "
            f"count(*) FILTER (WHERE {sx.number(col)} = floor({sx.number(col)})), "
            f"count(*) FILTER (WHERE regexp_matches(trim({col}), '[0-9]+[-/.][0-9]+[-/.][0-9]+')) "
            f"FROM {staged.table}"
        )
        assert row is not None
        values, nums, low, high, integers, datey = (int(row[0]), int(row[1]), row[2], row[3], int(row[4]), int(row[5]))
        # Mostly numbers is enough: a rating or KPI column with a few bad cells is still that
        # column (its bad cells are quarantined on import), not a column to leave out unsaid.
        if nums and nums * 2 >= values:
            numeric[header] = {
                "values": values,
                "numbers": nums,
                "min": float(low),
                "max": float(high),
                "integers": integers,
                "zeros": 0,
            }
        if values and datey * 2 >= values:
            det = sx.detect_date_format(tx, staged.table, col, include_month=True)
            dates[header] = {
                "format": det.chosen,
                "label": det.label if det.chosen else None,
                "ambiguous": det.ambiguous,
                "message": det.message(header),
                "fits": det.fits,
            }
    for header, stats in numeric.items():
        col = staged.col(header)
        stats["zeros"] = int(tx.fetch_value(f"SELECT count(*) FROM {staged.table} WHERE {sx.number(col)} = 0"))
    return dates, numeric


def resolve_mapping(
    tx: Tx, *, kind: str, source: str, staged: Staged, mapping: dict[str, Any] | None, options: ImportOptions
) -> Mapping:
    """The explicit mapping, else the one saved for the source, else the recognised headers."""
    if mapping is None:
        saved = _saved_mapping(tx, kind, source)
        if saved and kind == "kpis" and bool(options.aggregate) != bool(saved.get("aggregate")):
            saved = None  # a per-call import and a period-per-row import of one source read different columns
        if saved and _mapping_fits(saved, staged.headers):
            mapping = saved
            staged.notes.append(f"Using the column mapping saved for source '{source}'.")
        else:
            numeric = _profile_columns(tx, staged)[1] if kind != "complaints" else {}
            flags = _flag_columns(tx, staged) if kind == "kpis" and options.aggregate else set()
            mapping = suggest_mapping(kind, staged.headers, numeric, source, options, flags)
    mapping = dict(mapping)
    if kind == "complaints":
        missing = [f for f in ("received_at", "category") if not mapping.get(f)]
        if missing:
            names = {"received_at": "the date received", "category": "the category (issue)"}
            raise ImportFileError(
                "Required column missing: no column holds "
                + " and ".join(names[m] for m in missing)
                + ". The file's columns are: "
                + ", ".join(repr(h) for h in staged.headers)
                + ". Map them explicitly (CLI: --mapping FILE)."
            )
    # Options given now win over a saved mapping's.
    explicit_format = normalise_date_format(options.date_format)
    if explicit_format:
        mapping["date_format"] = explicit_format
    if kind in ("kpis", "surveys") and options.period:
        mapping["fixed_period"] = options.period
    if kind == "kpis" and options.aggregate:
        mapping["aggregate"] = options.aggregate
    if kind == "kpis" and options.start:
        mapping["start"] = options.start
        if options.frequency:
            mapping["frequency"] = options.frequency
    if kind == "surveys" and options.na_values:
        mapping["na_values"] = list(options.na_values)
    if kind == "surveys":
        mapping["survey"] = mapping.get("survey") or source
    parsed = parse_mapping(kind, mapping)
    unknown = [h for h in _referenced_headers(parsed.model_dump()) if h not in staged.headers]
    if unknown:
        raise ImportFileError(
            "The mapping names column(s) the file does not have: "
            + ", ".join(repr(u) for u in unknown)
            + ". The file's columns are: "
            + ", ".join(repr(h) for h in staged.headers)
            + "."
        )
    return parsed


# ---------------------------------------------------------------------------
# shared pieces


def _err(header: str, condition: str, message_sql: str) -> str:
    """A list element: an error struct when ``condition`` holds, else NULL."""
    return f"CASE WHEN {condition} THEN {{'column': {sx.lit(header)}, 'message': {message_sql}}} END"


def _errs(parts: list[str]) -> str:
    if not parts:
        return 'CAST([] AS STRUCT("column" VARCHAR, message VARCHAR)[])'
    return f"list_filter([{', '.join(parts)}], lambda e: e IS NOT NULL)"


def _shown(col: str) -> str:
    """A value quoted in an error message (cut to 60 characters)."""
    return f"'''' || left(trim({col}), 60) || ''''"


def _date_expr(
    tx: Tx,
    staged: Staged,
    header: str,
    fmt: str | None,
    window: dates.DateWindow,
    report: ImportReport,
    *,
    months: bool = False,
    empty_message: str = "the date is empty",
) -> tuple[str, list[str]]:
    """(SQL timestamp, NULL unless read and inside the window; its error-list elements) for a date
    column. A format that cannot be chosen with certainty (DD-MM or MM-DD) stops the import."""
    col = staged.col(header)
    assert col is not None
    fmt = fmt or _detect_format(tx, staged, header, months=months)
    _state_format(report, fmt)
    errors = dates.column_errors(header, col, fmt, window, empty_message=empty_message)
    return dates.within(sx.date(col, fmt), window), errors


def _detect_format(tx: Tx, staged: Staged, header: str, *, months: bool = False) -> str:
    col = staged.col(header)
    assert col is not None
    det = sx.detect_date_format(tx, staged.table, col, include_month=months)
    if det.ambiguous or det.chosen is None:
        raise ImportFileError(det.message(header))
    return det.chosen


def _state_format(report: ImportReport, fmt: str) -> None:
    """The report names the format the dates were read in (and the two-digit-year rule when it applies)."""
    report.date_format = DATE_FORMATS.get(fmt, fmt)
    note = dates.format_note(fmt)
    if note and note not in report.notes:
        report.notes.append(note)


def _collect_errors(tx: Tx, staged: Staged, report: ImportReport) -> None:
    """The first errors (by row) and their total, from the checked rows and the parser's rejects."""
    union = (
        f"SELECT rn, struct_extract(e, 'column') AS col, struct_extract(e, 'message') AS message "
        f"FROM (SELECT rn, unnest(errs) AS e FROM chk_{staged.table} "
        f"WHERE len(errs) > 0) UNION ALL SELECT rn, coalesce(col, ''), message FROM {staged.rejects}"
    )
    report.errors_total = int(tx.fetch_value(f"SELECT count(*) FROM ({union})"))
    rows = tx.fetch_all(f"SELECT rn, col, message FROM ({union}) ORDER BY rn, col LIMIT {MAX_REPORTED_ERRORS}")
    report.errors = [{"row": int(r[0]), "column": r[1], "message": r[2]} for r in rows]


def _note_future_rows(tx: Tx, staged: Staged, report: ImportReport, window: dates.DateWindow) -> None:
    """Rows dated in the future are counted and said in one line, not only row by row: a file
    numbered from a start date, or exported with a wrong year, can run years ahead."""
    # The message is DateWindow.too_new's; its date is this import's newest day.
    suffix = f"% is in the future (after {window.newest.isoformat()})"
    report.rows_future = int(
        tx.fetch_value(
            f"SELECT count(DISTINCT rn) FROM (SELECT rn, unnest(errs) AS e FROM chk_{staged.table} "
            "WHERE len(errs) > 0) WHERE struct_extract(e, 'message') LIKE ?",
            [suffix],
        )
        or 0
    )
    if report.rows_future:
        report.notes.append(
            f"{report.rows_future} row(s) are dated in the future (after {window.newest.isoformat()}, "
            "tomorrow UTC): they are quarantined, not imported; check the file's dates or the start period."
        )


def _finish_batch(
    tx: Tx, staged: Staged, mapping: Mapping, report: ImportReport, batch_id: int | None, actor: str
) -> None:
    raw = "[" + ", ".join(f"s.c{i}" for i in range(len(staged.headers))) + "]"
    columns = "(batch_id, row_number, errors, raw, raw_line, values_only)"
    tx.execute(
        f"INSERT INTO import_rejects {columns} SELECT ?, c.rn, c.errs, {raw}, NULL, c.partial "
        f"FROM chk_{staged.table} c JOIN {staged.table} s USING (rn) WHERE len(c.errs) > 0",
        [batch_id],
    )
    tx.execute(
        f"INSERT INTO import_rejects {columns} SELECT ?, rn, [{{'column': coalesce(col, ''), 'message': message}}], "
        f"NULL, raw_line, FALSE FROM {staged.rejects}",
        [batch_id],
    )
    tx.execute(
        "UPDATE import_batches SET finished_at = ?, rows_read = ?, rows_imported = ?, rows_duplicate = ?, "
        "rows_rejected = ? WHERE id = ?",
        [utcnow(), report.rows_read, report.rows_imported, report.rows_duplicate, report.rows_rejected, batch_id],
    )
    summary = report.to_json()
    summary.pop("errors")
    tx.execute(
        "INSERT INTO import_batch_files VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            batch_id,
            staged.headers,
            staged.info.kind,
            staged.info.encoding,
            staged.info.delimiter,
            json.dumps(mapping.model_dump()),
            json.dumps(summary, default=str),
        ],
    )
    _save_mapping(tx, report.kind, report.source, mapping, actor)
    tx.audit(
        "import",
        "import_batch",
        batch_id,
        None,
        {
            k: summary[k]
            for k in ("kind", "source", "file_name", "rows_read", "rows_imported", "rows_duplicate", "rows_rejected")
        },
    )


def _save_mapping(tx: Tx, kind: str, source: str, mapping: Mapping, actor: str) -> None:
    tx.execute(
        "INSERT INTO source_mappings VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, source) DO UPDATE SET "
        "mapping = excluded.mapping, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        [kind, source, json.dumps(mapping.model_dump()), utcnow(), actor],
    )


# ---------------------------------------------------------------------------
# complaints

# Most specific rule wins, exactly as services.evidence.APPLY_RULES_SQL resolves it: a
# rule for this source beats a rule for every source, then a rule for the sub-category
# beats one for the whole category (score = 2 * source + subcategory), and the moment is
# the best-scoring rule's that names a moment (arg_max skips NULLs). Here the rules that
# can apply to one batch (one source) are reduced to the best per (category,
# subcategory-or-NULL); each complaint looks up its exact (category, subcategory) and its
# category-wide entry, and the higher score wins (never a tie: one is odd, one even).
_BEST_RULES = """
CREATE TEMP TABLE {table} AS
SELECT cat, sub, max(score) AS score, arg_max(stage_id, score) AS stage_id,
       max(score) FILTER (WHERE moment_id IS NOT NULL) AS moment_score, arg_max(moment_id, score) AS moment_id
FROM (
    SELECT lower(category) AS cat, lower(subcategory) AS sub, stage_id, moment_id,
           (source IS NOT NULL)::INT * 2 + (subcategory IS NOT NULL)::INT AS score
    FROM category_rules
    WHERE source IS NULL OR source = {source}
)
GROUP BY cat, sub
"""


def _run_complaints(
    tx: Tx,
    staged: Staged,
    m: ComplaintMapping,
    report: ImportReport,
    batch_id: int | None,
    progress: Progress | None,
    window: dates.DateWindow,
) -> None:
    """Validate, de-duplicate and insert complaints in a few set-wise statements.

    For speed on million-row files every value is typed once: one scan of the
    staging table writes typ_* (each row as it would be stored, NULL where a
    required value is missing or unreadable); the rejected rows are found in it
    and explained in chk_* (only those rows), and the good rows are inserted
    from it, with their stage and moment from the category rules, in one INSERT.
    Typing once costs less than typing twice (once to check, once to insert).
    """
    t, typ = staged.table, f"typ_{staged.table}"
    c_date, c_cat = staged.col(m.received_at), staged.col(m.category)
    c_id, c_sub, c_verb, c_chan, c_sev = (
        staged.col(h) for h in (m.external_id, m.subcategory, m.verbatim, m.channel, m.severity)
    )
    assert c_date and c_cat
    severity = f"coalesce(lower({sx.text(c_sev)}), 'normal')" if c_sev else "'normal'"
    date_missing, cat_missing = sx.is_missing(c_date), sx.is_missing(c_cat)
    allowed = ", ".join(sx.lit(s) for s in SEVERITIES)
    # A row is rejected when its date or category is missing or unreadable, or its severity is unknown.
    rejected = "received_at IS NULL OR category IS NULL" + (f" OR severity NOT IN ({allowed})" if c_sev else "")
    ident = sx.text(c_id) if c_id else "CAST(NULL AS VARCHAR)"

    def check(fmt: str) -> int:
        """Type every row with date format ``fmt`` and explain the rejected ones; returns how many."""
        date_sql = dates.within(sx.date(c_date, fmt), window)
        tx.execute(f"DROP TABLE IF EXISTS {typ}")
        tx.execute(
            f"CREATE TEMP TABLE {typ} AS SELECT rn, {ident} AS ident, {date_sql} AS received_at, "
            f"coalesce({sx.text(c_chan)}, '') AS channel, {sx.text(c_cat)} AS category, "
            f"coalesce({sx.text(c_sub)}, '') AS subcategory, {sx.raw_text(c_verb)} AS verbatim, "
            f"{severity} AS severity FROM {t}"
        )
        n_bad = int(tx.fetch_value(f"SELECT count(*) FROM {typ} WHERE {rejected}"))
        errors = [
            *dates.column_errors(m.received_at, c_date, fmt, window, empty_message="the date is empty"),
            _err(m.category, cat_missing, "'the category is empty'"),
        ]
        if c_sev:
            errors.append(
                _err(
                    m.severity,
                    f"{severity} NOT IN ({allowed})",
                    f"'severity must be low, normal, high or critical, not ' || {_shown(c_sev)}",
                )
            )
        which = f"rn IN (SELECT rn FROM {typ} WHERE {rejected})" if n_bad else "FALSE"
        tx.execute(f"DROP TABLE IF EXISTS chk_{t}")
        tx.execute(
            f"CREATE TEMP TABLE chk_{t} AS SELECT rn, {_errs(errors)} AS errs, FALSE AS partial FROM {t} WHERE {which}"
        )
        return n_bad

    # Most files have ISO dates, so ISO is tried first and detection over all
    # values runs only when some date did not read as ISO (a rejected row).
    fmt = m.date_format or "iso"
    n_bad = check(fmt)
    if m.date_format is None and n_bad:
        not_iso = int(
            tx.fetch_value(
                f"SELECT count(*) FROM {t} WHERE rn IN (SELECT rn FROM chk_{t}) AND NOT {date_missing} "
                f"AND {sx.date(c_date, 'iso')} IS NULL"
            )
        )
        if not_iso:
            fmt = _detect_format(tx, staged, m.received_at)
            n_bad = check(fmt)
    _state_format(report, fmt)
    report.rows_rejected = staged.rows_unparsable + n_bad
    # Rows without an id (no id column, or an empty id) are identified by a hash of
    # their content plus its occurrence number, so the same file imported twice is recognised.
    # One scan of the typed rows tells how many lack an id and whether the file may repeat
    # one (distinct hashes of the ids: fewer than the ids only if an id repeats, or, very
    # rarely, two hashes collide, and then the exact de-duplication below runs anyway).
    missing_ids, repeated_ids, last_rn = tx.fetch_one(
        f"SELECT count(*) FILTER (WHERE ident IS NULL), count(ident) - count(DISTINCT hash(ident)), max(rn) FROM {typ}"
    ) or (0, 0, 0)
    hashed = 0
    if missing_ids:
        id_missing = sx.is_missing(c_id) if c_id else "TRUE"
        content = "concat_ws(chr(31), " + ", ".join(f"coalesce(c{i}, '')" for i in range(len(staged.headers))) + ")"
        tx.execute(
            f"CREATE TEMP TABLE hid_{t} AS SELECT rn, "
            f"'hash:' || h || ':' || row_number() OVER (PARTITION BY h ORDER BY rn) "
            f"AS external_id FROM (SELECT rn, md5({content}) AS h FROM {t} WHERE {id_missing})"
        )
        hashed = int(tx.fetch_value(f"SELECT count(*) FROM hid_{t}"))
    if hashed:
        report.notes.append(f"{hashed} row(s) have no complaint id; they are recognised by their content.")
    ext = "coalesce(ident, h.external_id)" if hashed else "ident"
    joins = f" LEFT JOIN hid_{t} h USING (rn)" if hashed else ""
    where = [f"NOT ({rejected})"] if n_bad else ["TRUE"]
    if tx.fetch_value("SELECT count(*) FROM (SELECT 1 FROM complaints WHERE source = ? LIMIT 1)", [report.source]):
        where.append(
            f"NOT EXISTS (SELECT 1 FROM complaints x WHERE x.source = {sx.lit(report.source)} "
            f"AND x.external_id = {ext})"
        )
    qualify = ""
    if c_id and int(repeated_ids or 0):
        qualify = f" QUALIFY row_number() OVER (PARTITION BY {ext} ORDER BY rn) = 1"
    select = (
        f"SELECT rn, {sx.lit(report.source)} AS source, {ext} AS external_id, received_at, channel, category, "
        f"subcategory, verbatim, severity, {'NULL' if batch_id is None else int(batch_id)} AS batch_id "
        f"FROM {typ}{joins} WHERE {' AND '.join(where)}{qualify}"
    )
    if progress:
        progress(0.65, "Adding new complaints")
    if batch_id is None:
        report.rows_imported = int(tx.fetch_value(f"SELECT count(*) FROM ({select})"))
        return
    # The stage and moment come from the category rules in the same INSERT: updating a
    # million rows afterwards costs more than the two small joins.
    stage_sql, rule_joins = "NULL, NULL", ""
    if tx.fetch_value("SELECT count(*) FROM category_rules"):
        tx.execute(_BEST_RULES.format(table=f"rul_{t}", source=sx.lit(report.source)))
        stage_sql = ", ".join(
            f"CASE WHEN s.{score} IS NOT NULL AND (g.{score} IS NULL OR s.{score} > g.{score}) THEN s.{col} "
            f"ELSE g.{col} END"
            for col, score in (("stage_id", "score"), ("moment_id", "moment_score"))
        )
        rule_joins = (
            f" LEFT JOIN rul_{t} s ON s.sub IS NOT NULL AND s.cat = lower(n.category) "
            f"AND s.sub = lower(n.subcategory) LEFT JOIN rul_{t} g ON g.sub IS NULL AND g.cat = lower(n.category)"
        )
    # Ids are given, not drawn row by row: the id sequence's default makes DuckDB insert on one
    # thread (1M rows: 1.08 s against 0.58 s with ids given, the same CPU). One statement reserves
    # an id per staged row from the sequence, and row rn takes the rn-th (rejected and duplicate
    # rows leave gaps, as a sequence may). If the ids reserved are not one run, the default is used.
    id_col, id_sql = "", ""
    first, last, reserved = tx.fetch_one(
        "SELECT min(v), max(v), count(*) FROM (SELECT nextval('seq_complaint') AS v FROM range(?))", [int(last_rn or 0)]
    ) or (None, None, 0)
    if reserved and last - first + 1 == reserved:
        id_col, id_sql = "id, ", f"{int(first) - 1} + n.rn, "
    # The masked verbatim is written with the row (masked once per distinct text, in Python).
    masked, masked_join = masked_for_insert(tx, typ, "n.verbatim")
    report.rows_imported = int(
        tx.fetch_value(
            f"INSERT INTO complaints ({id_col}source, external_id, received_at, channel, category, subcategory, "
            f"verbatim, verbatim_masked, severity, batch_id, stage_id, moment_id) SELECT {id_sql}n.source, "
            f"n.external_id, n.received_at, n.channel, n.category, n.subcategory, n.verbatim, {masked}, "
            f"n.severity, n.batch_id, {stage_sql} FROM ({select}) n{rule_joins}{masked_join}"
        )
        or 0
    )
    if progress:
        progress(0.8, "Mapping categories to stages")
    rows = tx.fetch_all(
        "SELECT category, subcategory, count(*) AS n FROM complaints WHERE batch_id = ? AND stage_id IS NULL "
        "GROUP BY ALL ORDER BY n DESC, category LIMIT 50",
        [batch_id],
    )
    report.unmapped_categories = [{"category": r[0], "subcategory": r[1], "rows": int(r[2])} for r in rows]


# ---------------------------------------------------------------------------
# KPIs


def _parse_period(value: str, what: str, window: dates.DateWindow) -> date:
    return dates.parse_day(value, what, window)


def _kpi_ids(tx: Tx) -> dict[str, tuple[int, str]]:
    return {str(r[1]).casefold(): (int(r[0]), str(r[2])) for r in tx.fetch_all("SELECT id, name, frequency FROM kpis")}


def _run_kpis(
    tx: Tx,
    staged: Staged,
    m: KpiMapping,
    report: ImportReport,
    batch_id: int | None,
    progress: Progress | None,
    window: dates.DateWindow,
) -> None:
    if m.aggregate:
        _run_per_call(tx, staged, m, report, batch_id, window)
        return
    t = staged.table
    kpis = _kpi_ids(tx)
    # -- the period of each row
    period_errors: list[str] = []
    if m.period:
        date_sql, period_errors = _date_expr(
            tx, staged, m.period, m.date_format, window, report, months=True, empty_message="the period is empty"
        )
        period_sql = f"CAST({date_sql} AS DATE)"
    elif m.start:
        start = _parse_period(m.start, "The start period", window)
        step = {"daily": "1 DAY", "weekly": "7 DAY", "monthly": "1 MONTH"}[m.frequency]
        if m.index:
            col = staged.col(m.index)
            assert col
            raw_index, index_header, shown = f"try_cast(trim({col}) AS BIGINT)", m.index, _shown(col)
        else:
            raw_index, index_header, shown = "rn", "", "'row ' || rn"
        # Bounded so that no index counts past the dates DuckDB holds (that would stop the import).
        index_sql = f"(CASE WHEN {raw_index} BETWEEN 1 AND {dates.MAX_INDEX} THEN {raw_index} END)"
        counted = f"CAST(DATE '{start.isoformat()}' + ({index_sql} - 1) * INTERVAL {step} AS DATE)"
        counted_shown = "'''' || CAST(" + counted + " AS VARCHAR) || ''' (' || " + shown + " || ')'"
        period_errors = [
            _err(
                index_header,
                f"{index_sql} IS NULL",
                f"'the index must be a whole number from 1 to {dates.MAX_INDEX}: ' || coalesce({shown}, 'empty')",
            ),
            *dates.range_errors(sx.lit(index_header), counted, counted_shown, window),
        ]
        period_sql = dates.within(counted, window)
        report.notes.append(
            f"Periods were numbered from {start.isoformat()} ({m.frequency}) by "
            + (f"column '{m.index}'." if m.index else "row number.")
        )
    else:
        assert m.fixed_period
        period_sql = f"DATE '{_parse_period(m.fixed_period, 'The period', window).isoformat()}'"
    # -- the readings, one per (row, KPI)
    if m.layout == "wide":
        _note_unused_columns(staged, m, report)
        known = {h: kpis[name.casefold()] for h, name in m.kpi_columns.items() if name.casefold() in kpis}
        unknown = [name for name in m.kpi_columns.values() if name.casefold() not in kpis]
        if unknown:
            report.notes.append(
                "Not imported: no KPI named "
                + ", ".join(repr(u) for u in unknown)
                + " in this room. Create the KPI (Listening page or Room setup), then import again."
            )
        if not known:
            raise ImportFileError(
                "None of the file's KPI columns matches a KPI of this room ("
                + ", ".join(repr(u) for u in unknown)
                + "). Create the KPIs first, then import."
            )
        parts = []
        for header, (kpi_id, _freq) in known.items():
            col = staged.col(header)
            parts.append(
                f"SELECT rn, {sx.lit(header)} AS header, {kpi_id} AS kpi_id, {sx.number(col)} AS value, "
                f"{col} AS raw, {sx.is_missing(col)} AS missing, {period_sql} AS period FROM {t}"
            )
        readings_sql = " UNION ALL ".join(parts)
    else:
        name_col, value_col = staged.col(m.kpi_name), staged.col(m.value)
        assert name_col and value_col
        tx.execute(
            f"CREATE TEMP TABLE kn_{t} AS SELECT unnest(?::VARCHAR[]) AS kname, unnest(?::BIGINT[]) AS kpi_id",
            [list(kpis), [v[0] for v in kpis.values()]],
        )
        readings_sql = (
            f"SELECT rn, {sx.lit(m.value)} AS header, kn.kpi_id, {sx.number(value_col)} AS value, {value_col} AS raw, "
            f"{sx.is_missing(value_col)} AS missing, {period_sql} AS period, trim({name_col}) AS kpi_text "
            f"FROM {t} LEFT JOIN kn_{t} kn ON kn.kname = lower(trim({name_col}))"
        )
    # Monthly/weekly KPIs keep one reading per month/week: the period's first day.
    tx.execute(
        f"CREATE TEMP TABLE rd_{t} AS SELECT r.*, CASE k.frequency WHEN 'monthly' THEN CAST(date_trunc('month', "
        f"r.period) AS DATE) WHEN 'weekly' THEN CAST(date_trunc('week', r.period) AS DATE) ELSE r.period END "
        f"AS kperiod FROM ({readings_sql}) r LEFT JOIN kpis k ON k.id = r.kpi_id"
    )
    value_errors = [
        _err_dyn(
            "header",
            "NOT missing AND value IS NULL",
            "'not a number (use 12.5, 1,234, 94.01% or H:MM:SS): ' || '''' || left(trim(raw), 60) || ''''",
        ),
        _err_dyn("header", "NOT missing AND value IS NOT NULL AND NOT isfinite(value)", "'not a finite number'"),
    ]
    if m.layout == "long":
        value_errors.append(
            f"CASE WHEN kpi_id IS NULL THEN {{'column': {sx.lit(m.kpi_name or '')}, 'message': "
            f"CASE WHEN kpi_text IS NULL OR kpi_text = '' THEN 'the KPI name is empty' ELSE "
            f"'no KPI named ''' || left(kpi_text, 80) || ''' in this room; create it first' END}} END"
        )
        value_errors.append(
            f"CASE WHEN missing THEN {{'column': {sx.lit(m.value or '')}, 'message': 'the value is empty'}} END"
        )
    # A reading is good when it is a finite number for a known KPI; a bad one is quarantined on
    # its own and the row's good readings are kept (values_rejected), unless the row has none.
    good = "NOT {p}missing AND {p}value IS NOT NULL AND isfinite({p}value) AND {p}kpi_id IS NOT NULL"
    tx.execute(
        f"CREATE TEMP TABLE rde_{t} AS SELECT rn, flatten(list({_errs(value_errors)})) AS errs, "
        f"count(*) FILTER (WHERE {good.format(p='')}) AS n_values, count(*) FILTER (WHERE missing) AS n_empty "
        f"FROM rd_{t} GROUP BY rn"
    )
    # In-file conflicts: the same KPI and period given by two rows.
    tx.execute(
        f"CREATE TEMP TABLE rdd_{t} AS SELECT rn, list({{'column': header, 'message': 'the same KPI and period "
        f"were already given in row ' || first_rn}}) AS errs FROM (SELECT rn, header, min(rn) OVER "
        f"(PARTITION BY kpi_id, kperiod) AS first_rn FROM rd_{t} WHERE kpi_id IS NOT NULL AND NOT missing "
        f"AND kperiod IS NOT NULL) WHERE rn > first_rn GROUP BY rn"
    )
    _check_rows(
        tx,
        t,
        row_errors=f"list_concat({_errs(period_errors)}, coalesce(d.errs, []))",
        joins=f"LEFT JOIN rde_{t} e USING (rn) LEFT JOIN rdd_{t} d USING (rn)",
        nothing="the row has no KPI values",
    )
    _count_rows(tx, staged, report, empty_from=f"rde_{t}" if m.layout == "wide" else None)
    # Readings of good rows that are new or change a value; a row whose readings all exist unchanged is a duplicate.
    tx.execute(
        f"CREATE TEMP TABLE rdn_{t} AS SELECT r.rn, r.kpi_id, r.kperiod AS period, r.value FROM rd_{t} r "
        f"JOIN chk_{t} c ON c.rn = r.rn AND (len(c.errs) = 0 OR c.partial) "
        f"LEFT JOIN kpi_readings k ON k.kpi_id = r.kpi_id AND k.period = r.kperiod "
        f"WHERE {good.format(p='r.')} AND (k.kpi_id IS NULL OR k.value IS DISTINCT FROM r.value)"
    )
    report.rows_imported = int(tx.fetch_value(f"SELECT count(DISTINCT rn) FROM rdn_{t}"))
    changed = int(
        tx.fetch_value(
            f"SELECT count(*) FROM rdn_{t} n JOIN kpi_readings k ON k.kpi_id = n.kpi_id AND k.period = n.period"
        )
    )
    if changed:
        report.notes.append(f"{changed} existing KPI reading(s) were replaced by new values (undo restores them).")
    if batch_id is not None:
        # The readings replaced are kept, keyed by this batch, so that undo puts them back exactly.
        superseded.keep_replaced(tx, batch_id, f"rdn_{t}")
        tx.execute(
            f"INSERT INTO kpi_readings SELECT kpi_id, period, value, ? FROM rdn_{t} "
            "ON CONFLICT (kpi_id, period) DO UPDATE SET value = excluded.value, batch_id = excluded.batch_id",
            [batch_id],
        )


def _flag_columns(tx: Tx, staged: Staged) -> set[str]:
    """Headers whose cells are mostly a yes or a no (Y/N, yes/no, true/false). Mostly, as for
    numbers: a flag column with a few bad cells is still that column (they are quarantined)."""
    found = set()
    for header in staged.headers:
        col = staged.col(header)
        assert col
        values, flags = tx.fetch_one(
            f"SELECT count(*) FILTER (WHERE NOT {sx.is_missing(col)}), count({per_call.flag(col)}) FROM {staged.table}"
        ) or (0, 0)
        if values and flags * 2 > values:
            found.add(header)
    return found


def _run_per_call(
    tx: Tx, staged: Staged, m: KpiMapping, report: ImportReport, batch_id: int | None, window: dates.DateWindow
) -> None:
    """One row per call, aggregated per day or month into KPI readings (cxroom.importers.per_call).

    Every call row is accounted for: a row whose date is missing, unreadable or outside the
    room's window is quarantined whole; an unreadable flag or number is quarantined on its own
    and the row's other values still count; empty cells are left out of means and rates. A call
    row is imported when its period's readings are new or change a value, a duplicate when
    they are all stored already, unchanged.
    """
    t = staged.table
    assert m.aggregate and m.period
    _note_unused_columns(staged, m, report)
    kpis = _kpi_ids(tx)
    unknown = [name for name in m.measures if name.casefold() not in kpis]
    known = {name: spec for name, spec in m.measures.items() if name.casefold() in kpis}
    if unknown:
        report.notes.append(
            "Not imported: no KPI named " + ", ".join(repr(u) for u in unknown)
            + " in this room. Create the KPI (Listening page or Room setup), then import again."
        )
    if not known:
        raise ImportFileError(
            "None of the per-call measures matches a KPI of this room (" + ", ".join(repr(u) for u in unknown)
            + "). Create the KPIs first (or name them in the mapping's measures), then import."
        )
    # A KPI kept per month cannot take daily values (its readings are dated the first of the month).
    coarse = {"day": ("weekly", "monthly"), "month": ("weekly",)}[m.aggregate]
    mismatched = [n for n in known if kpis[n.casefold()][1] in coarse]
    if mismatched:
        raise ImportFileError(
            f"KPI(s) {', '.join(repr(n) for n in mismatched)} are kept "
            f"{'/'.join(sorted({kpis[n.casefold()][1] for n in mismatched}))}: aggregate per "
            + ("month (--aggregate month)." if m.aggregate == "day" else "day, or change the KPI's frequency.")
        )
    date_sql, period_errors = _date_expr(
        tx, staged, m.period, m.date_format, window, report, empty_message="the date is empty"
    )
    specs = list(known.items())
    typed = ", ".join(
        f"{per_call.value_sql(staged.col(spec.column) or 'NULL', spec.measure)} AS v{i}"
        for i, (_name, spec) in enumerate(specs)
    )
    tx.execute(
        f"CREATE TEMP TABLE pc_{t} AS SELECT rn, {per_call.period_sql(date_sql, m.aggregate)} AS period, {typed} "
        f"FROM {t}"
    )
    # Value errors: a flag that is neither yes nor no, a number that is not one (empty cells are no value).
    value_errors, good, empty = [], [], []
    for i, (_name, spec) in enumerate(specs):
        if spec.measure == "count":
            good.append("1")
            continue
        col = staged.col(spec.column)
        assert col
        missing = sx.is_missing(col)
        what = "yes or no (Y/N)" if spec.measure == "rate" else "a number"
        value_errors.append(
            _err(spec.column, f"NOT {missing} AND p.v{i} IS NULL", f"'not {what}: ' || {_shown(col)}")
        )
        good.append(f"(p.v{i} IS NOT NULL)::INT")
        empty.append(f"({missing})::INT")
    tx.execute(
        f"CREATE TEMP TABLE pce_{t} AS SELECT s.rn, {_errs(value_errors)} AS errs, "
        f"{' + '.join(good)} AS n_values, {' + '.join(empty) or '0'} AS n_empty "
        f"FROM {t} s JOIN pc_{t} p USING (rn)"
    )
    _check_rows(
        tx, t, row_errors=_errs(period_errors), joins=f"LEFT JOIN pce_{t} e USING (rn)",
        nothing="the row has no value to aggregate",
    )
    # Empty cells are counted once per measure reading them (values_empty), never as errors.
    _count_rows(tx, staged, report, empty_from=f"pce_{t}")
    aggregates = " UNION ALL ".join(
        f"SELECT p.period, {kpis[name.casefold()][0]} AS kpi_id, {per_call.measure_sql(f'p.v{i}', spec.measure)} "
        f"AS value FROM pc_{t} p JOIN chk_{t} c ON c.rn = p.rn AND (len(c.errs) = 0 OR c.partial) "
        f"WHERE p.period IS NOT NULL GROUP BY p.period HAVING count(p.v{i}) > 0"
        for i, (name, spec) in enumerate(specs)
    )
    tx.execute(f"CREATE TEMP TABLE pca_{t} AS {aggregates}")
    tx.execute(
        f"CREATE TEMP TABLE rdn_{t} AS SELECT a.kpi_id, a.period, a.value FROM pca_{t} a "
        f"LEFT JOIN kpi_readings k ON k.kpi_id = a.kpi_id AND k.period = a.period "
        f"WHERE k.kpi_id IS NULL OR k.value IS DISTINCT FROM a.value"
    )
    periods, calls = tx.fetch_one(
        f"SELECT count(DISTINCT p.period), count(*) FROM pc_{t} p JOIN chk_{t} c ON c.rn = p.rn "
        f"AND (len(c.errs) = 0 OR c.partial)"
    ) or (0, 0)
    report.rows_imported = int(
        tx.fetch_value(
            f"SELECT count(*) FROM pc_{t} p JOIN chk_{t} c ON c.rn = p.rn AND (len(c.errs) = 0 OR c.partial) "
            f"WHERE p.period IN (SELECT period FROM rdn_{t})"
        )
        or 0
    )
    description = per_call.describe({n: (s.column, s.measure) for n, s in specs}, m.aggregate)
    report.aggregation = {
        "per": m.aggregate,
        "rows": int(calls),
        "periods": int(periods),
        "readings": int(tx.fetch_value(f"SELECT count(*) FROM pca_{t}") or 0),
        "measures": {n: {"column": s.column, "measure": s.measure} for n, s in specs},
        "description": description,
    }
    report.notes.append(f"{description} {int(calls)} call row(s) gave {int(periods)} period(s).")
    changed = int(
        tx.fetch_value(
            f"SELECT count(*) FROM rdn_{t} n JOIN kpi_readings k ON k.kpi_id = n.kpi_id AND k.period = n.period"
        )
    )
    if changed:
        report.notes.append(f"{changed} existing KPI reading(s) were replaced by new values (undo restores them).")
    if batch_id is not None:
        superseded.keep_replaced(tx, batch_id, f"rdn_{t}")
        tx.execute(
            f"INSERT INTO kpi_readings SELECT kpi_id, period, value, ? FROM rdn_{t} "
            "ON CONFLICT (kpi_id, period) DO UPDATE SET value = excluded.value, batch_id = excluded.batch_id",
            [batch_id],
        )


def _check_rows(tx: Tx, t: str, *, row_errors: str, joins: str, nothing: str) -> None:
    """chk_<t>: each row's errors, and whether only some of its values are bad (``partial``).

    ``row_errors`` (date, id, repeats) reject the whole row; the value errors of the
    ``e`` join (errs, n_values good values) reject it only when no value is good.
    """
    tx.execute(
        f"CREATE TEMP TABLE chk_{t} AS SELECT rn, list_concat(row_errs, value_errs, CASE WHEN n_values = 0 "
        f"AND len(value_errs) = 0 THEN [{{'column': '', 'message': {sx.lit(nothing)}}}] ELSE [] END) AS errs, "
        f"len(row_errs) = 0 AND n_values > 0 AND len(value_errs) > 0 AS partial FROM (SELECT s.rn, "
        f"{row_errors} AS row_errs, coalesce(e.errs, []) AS value_errs, coalesce(e.n_values, 0) AS n_values "
        f"FROM {t} s {joins})"
    )


def _count_rows(tx: Tx, staged: Staged, report: ImportReport, *, empty_from: str | None) -> None:
    """Rows rejected whole, bad values of imported rows, and values left empty (not errors)."""
    t = staged.table
    rejected, values_rejected = tx.fetch_one(
        f"SELECT count(*) FILTER (WHERE len(errs) > 0 AND NOT partial), "
        f"coalesce(sum(len(errs)) FILTER (WHERE partial), 0) FROM chk_{t}"
    ) or (0, 0)
    report.rows_rejected = staged.rows_unparsable + int(rejected)
    report.values_rejected = int(values_rejected)
    if empty_from:
        report.values_empty = int(tx.fetch_value(f"SELECT coalesce(sum(n_empty), 0) FROM {empty_from}"))
    if report.values_rejected:
        report.notes.append(
            f"{report.values_rejected} bad value(s) were quarantined from rows whose other values were imported."
        )
    if report.values_empty:
        report.notes.append(
            f"{report.values_empty} value(s) were empty or marked not available "
            f"({', '.join(m for m in sx.MISSING_MARKERS if m)} or the not-applicable values) and were skipped."
        )


def _note_unused_columns(staged: Staged, m: Mapping, report: ImportReport) -> None:
    """A wide file's columns that the mapping leaves out are named, never dropped without a word."""
    used = set(_referenced_headers(m.model_dump()))
    unused = [h for h in staged.headers if h not in used]
    if unused:
        report.notes.append(
            "Not imported: column(s) " + ", ".join(repr(h) for h in unused[:30])
            + (f" and {len(unused) - 30} more" if len(unused) > 30 else "")
            + " (not in the column mapping)."
        )


def _err_dyn(header_sql: str, condition: str, message_sql: str) -> str:
    return f"CASE WHEN {condition} THEN {{'column': {header_sql}, 'message': {message_sql}}} END"


# ---------------------------------------------------------------------------
# surveys


def _run_surveys(
    tx: Tx,
    staged: Staged,
    m: SurveyMapping,
    report: ImportReport,
    batch_id: int | None,
    progress: Progress | None,
    window: dates.DateWindow,
) -> None:
    t = staged.table
    na = [v for v in m.na_values]
    # -- when each response was given
    date_errors: list[str] = []
    if m.answered_at:
        answered_sql, date_errors = _date_expr(tx, staged, m.answered_at, m.date_format, window, report, months=True)
    else:
        assert m.fixed_period
        answered_sql = f"TIMESTAMP '{_parse_period(m.fixed_period, 'The period', window).isoformat()}'"
        report.notes.append(f"Every answer is dated {m.fixed_period} (the file has no date column).")
    # -- who answered
    id_errors: list[str] = []
    if m.response_id:
        col = staged.col(m.response_id)
        assert col
        rid_sql = sx.text(col)
        id_errors = [_err(m.response_id, f"{sx.is_missing(col)}", "'the response id is empty'")]
    else:
        content = "concat_ws(chr(31), " + ", ".join(f"coalesce(c{i}, '')" for i in range(len(staged.headers))) + ")"
        rid_sql = (
            f"'hash:' || md5({content}) || ':' || row_number() OVER (PARTITION BY md5({content}) ORDER BY rn)"
            if m.layout == "wide"
            else f"'hash:' || md5({content})"
        )
    # -- the questions (created when new; in a dry run they vanish with the rollback)
    if m.layout == "wide":
        wanted = dict(m.questions)
        _note_unused_columns(staged, m, report)
    else:
        qcol = staged.col(m.question)
        assert qcol
        texts = tx.fetch_all(f"SELECT DISTINCT trim({qcol}) FROM {t} WHERE NOT {sx.is_missing(qcol)}")
        wanted = {str(r[0]): m.default_kind for r in texts}
    for text_, kind in wanted.items():
        tx.execute(
            "INSERT INTO survey_questions (survey, text, kind) VALUES (?, ?, ?) ON CONFLICT (survey, text) DO NOTHING",
            [m.survey, text_[:200], kind],
        )
    qrows = tx.fetch_all("SELECT id, text, kind FROM survey_questions WHERE survey = ?", [m.survey])
    qid = {str(r[1]): (int(r[0]), str(r[2])) for r in qrows}
    na_list = tuple(na)
    if m.layout == "wide":
        parts = []
        for header in m.questions:
            col = staged.col(header)
            qid_, kind = qid[header[:200]]
            low, high = SCALES[kind]
            parts.append(
                f"SELECT rn, {sx.lit(header)} AS header, {qid_} AS question_id, {low} AS low, {high} AS high, "
                f"{sx.number(col)} AS value, {col} AS raw, {sx.is_missing(col, na_list)} AS skip FROM {t}"
            )
        answers_sql = " UNION ALL ".join(parts)
    else:
        qcol, vcol = staged.col(m.question), staged.col(m.value)
        assert qcol and vcol
        tx.execute(
            f"CREATE TEMP TABLE q_{t} AS SELECT unnest(?::VARCHAR[]) AS qtext, unnest(?::BIGINT[]) AS question_id, "
            "unnest(?::DOUBLE[]) AS low, unnest(?::DOUBLE[]) AS high",
            [
                list(qid),
                [v[0] for v in qid.values()],
                [SCALES[v[1]][0] for v in qid.values()],
                [SCALES[v[1]][1] for v in qid.values()],
            ],
        )
        answers_sql = (
            f"SELECT rn, {sx.lit(m.value)} AS header, q.question_id, q.low, q.high, {sx.number(vcol)} AS value, "
            f"{vcol} AS raw, {sx.is_missing(vcol, na_list)} AS skip "
            f"FROM {t} LEFT JOIN q_{t} q ON q.qtext = trim({qcol})"
        )
    tx.execute(
        f"CREATE TEMP TABLE resp_{t} AS SELECT rn, {rid_sql} AS response_id, {answered_sql} AS answered_at, "
        f"{_comment_sql(staged, m)} AS comment FROM {t}"
    )
    tx.execute(f"CREATE TEMP TABLE ans_{t} AS {answers_sql}")
    answer_errors = [
        _err_dyn("header", "NOT skip AND value IS NULL", "'not a number: ' || '''' || left(trim(raw), 60) || ''''"),
        _err_dyn(
            "header",
            "NOT skip AND value IS NOT NULL AND (value < low OR value > high)",
            "'out of the scale ' || CAST(low AS INTEGER) || '-' || CAST(high AS INTEGER) || ': ' || "
            "'''' || trim(raw) || '''' || ' (mark it not-applicable if it means that)'",
        ),
    ]
    if m.layout == "long":
        qh = sx.lit(m.question or "")
        answer_errors.append(
            f"CASE WHEN question_id IS NULL THEN {{'column': {qh}, 'message': 'the question is empty'}} END"
        )
    # An answer is good when it is a number on its question's scale; a bad one is quarantined on
    # its own and the respondent's good answers are kept (values_rejected), unless none is good.
    good = "NOT {p}skip AND {p}question_id IS NOT NULL AND {p}value BETWEEN {p}low AND {p}high"
    tx.execute(
        f"CREATE TEMP TABLE anse_{t} AS SELECT rn, flatten(list({_errs(answer_errors)})) AS errs, "
        f"count(*) FILTER (WHERE {good.format(p='')}) AS n_values, count(*) FILTER (WHERE skip) AS n_empty "
        f"FROM ans_{t} GROUP BY rn"
    )
    dup_errors = ""
    if m.layout == "long":
        tx.execute(
            f"CREATE TEMP TABLE ansd_{t} AS SELECT rn, [{{'column': {sx.lit(m.question or '')}, 'message': "
            f"'this respondent already answered this question in row ' || first_rn}}] AS errs FROM ("
            f"SELECT a.rn, min(a.rn) OVER (PARTITION BY r.response_id, a.question_id) AS first_rn FROM ans_{t} a "
            f"JOIN resp_{t} r USING (rn) WHERE a.question_id IS NOT NULL AND r.response_id IS NOT NULL) "
            f"WHERE rn > first_rn"
        )
        dup_errors = f"LEFT JOIN ansd_{t} d USING (rn)"
    else:
        if m.response_id:
            tx.execute(
                f"CREATE TEMP TABLE ansd_{t} AS SELECT rn, [{{'column': {sx.lit(m.response_id)}, 'message': "
                f"'the same response id is already in row ' || first_rn}}] AS errs FROM (SELECT rn, min(rn) OVER "
                f"(PARTITION BY response_id) AS first_rn FROM resp_{t} WHERE response_id IS NOT NULL) "
                f"WHERE rn > first_rn"
            )
            dup_errors = f"LEFT JOIN ansd_{t} d USING (rn)"
    dup_part = "coalesce(d.errs, [])" if dup_errors else "[]"
    _check_rows(
        tx,
        t,
        row_errors=f"list_concat({_errs(date_errors + id_errors)}, {dup_part})",
        joins=f"LEFT JOIN anse_{t} e USING (rn) {dup_errors}",
        nothing="no answers (every rating is empty or not applicable)",
    )
    _count_rows(tx, staged, report, empty_from=f"anse_{t}")
    tx.execute(
        f"CREATE TEMP TABLE ansn_{t} AS SELECT a.rn, r.response_id, a.question_id, a.value, r.answered_at, "
        f"r.comment FROM ans_{t} a JOIN resp_{t} r USING (rn) "
        f"JOIN chk_{t} c ON c.rn = a.rn AND (len(c.errs) = 0 OR c.partial) WHERE {good.format(p='a.')} "
        f"AND NOT EXISTS (SELECT 1 FROM survey_responses x WHERE x.response_id = r.response_id "
        f"AND x.question_id = a.question_id)"
    )
    report.rows_imported, report.comments_imported = (
        int(n or 0)
        for n in tx.fetch_one(
            f"SELECT count(DISTINCT rn), count(DISTINCT response_id) FILTER (WHERE comment IS NOT NULL) FROM ansn_{t}"
        )
        or (0, 0)
    )
    if batch_id is not None:
        # The masked comment is written with the row, masked once per distinct text (as complaints').
        masked, masked_join = (
            masked_for_insert(tx, f"ansn_{t}", "n.comment", column="comment") if m.comments else ("NULL", "")
        )
        tx.execute(
            "INSERT INTO survey_responses (response_id, question_id, value, answered_at, batch_id, comment, "
            f"comment_masked) SELECT n.response_id, n.question_id, n.value, n.answered_at, ?, n.comment, {masked} "
            f"FROM ansn_{t} n{masked_join}",
            [batch_id],
        )
    if m.comments:
        report.notes.append(
            f"{report.comments_imported} response(s) with a comment, from column(s) "
            + ", ".join(repr(h) for h in m.comments)
            + " (personal data masked for the roles that may not see it)."
        )
    report.notes.append(
        f"Survey '{m.survey}': {len(wanted)} question(s)"
        + (f"; not-applicable values: {', '.join(repr(v) for v in na)}" if na else "")
        + "."
    )


def _comment_sql(staged: Staged, m: SurveyMapping) -> str:
    """The response's comment: its open-text cells, trimmed, one line each, empty ones skipped; NULL when none."""
    if not m.comments:
        return "CAST(NULL AS VARCHAR)"
    # trim() alone keeps the line breaks a quoted cell may end with (Olist's messages end in CRLF).
    blank = "chr(32) || chr(9) || chr(10) || chr(13)"
    cells = ", ".join(f"nullif(trim({sx.raw_text(staged.col(h))}, {blank}), '')" for h in m.comments)
    return f"nullif(concat_ws(chr(10), {cells}), '')"


def period_from_index(start: date, frequency: str, index: int) -> date:
    """The period of the ``index``-th row (1-based) counted from ``start`` (used by tests and the UI)."""
    return dates.period_from_index(start, frequency, index)


# ---------------------------------------------------------------------------
# calls and artifacts (files, not tables)


def add_call_recording(
    store: Store,
    media_store: MediaStore,
    *,
    data: bytes,
    original_name: str,
    stage_slug: str,
    title: str,
    recorded_at: datetime,
    moment_name: str | None = None,
    clip_start_s: int = 0,
    clip_end_s: int | None = None,
    transcript: list[dict[str, Any]] | None = None,
    channel: str = "phone",
    consent: bool = False,
    tags: list[str] | None = None,
    actor: str,
) -> int:
    """Store a call recording (telephony WAV converted for browsers) and hang it under a stage.

    Refused means nothing written: size and type of the uploaded bytes first (a
    recording too large is refused before it is converted), then the actor's
    permission, then the recording must decode, and the file is written only in
    the transaction that adds the call (see cxroom/services/media_tx.py).
    """
    media_store.screen(data, allowed={"audio"}, original_name=original_name)
    media_tx.require_now(store, actor, Action.EVIDENCE_EDIT)
    playable, _converted = audio.normalise(data)
    checked = media_store.check(playable, allowed={"audio"}, original_name=original_name)
    duration = checked.media.duration_s
    if not duration:
        raise InvalidInputError(f"The length of the recording {original_name!r} cannot be read.")
    try:
        payload = CallCreate(
            stage_slug=stage_slug,
            moment_name=moment_name,
            title=title,
            media_sha256=checked.media.sha256,
            duration_s=duration,
            clip_start_s=clip_start_s,
            clip_end_s=clip_end_s,
            transcript=[TranscriptSegment.model_validate(seg) for seg in (transcript or [])],
            recorded_at=recorded_at,
            channel=channel,
            consent=consent,
            tags=tags or [],
        )
    except ValidationError as exc:
        raise InvalidInputError(_validation_message(exc)) from exc
    return evidence.add_call(store, payload, checked, media_store=media_store, actor=actor)


def add_artifact_file(
    store: Store,
    media_store: MediaStore,
    *,
    data: bytes,
    original_name: str,
    stage_slug: str,
    title: str,
    kind: str = "other",
    moment_name: str | None = None,
    caption: str = "",
    asks_of_customer: str = "",
    version_label: str = "",
    issued_on: date | None = None,
    actor: str,
) -> int:
    """Store an artifact (image or PDF, type sniffed and structure parsed) and hang it under a stage.

    Refused means nothing written: size and type first, then permission, then the
    file's structure; the file is written in the transaction that adds the artifact.
    """
    media_store.screen(data, allowed={"image", "pdf"}, original_name=original_name)
    media_tx.require_now(store, actor, Action.EVIDENCE_EDIT)
    checked = media_store.check(data, allowed={"image", "pdf"}, original_name=original_name)
    try:
        payload = ArtifactCreate(
            stage_slug=stage_slug,
            moment_name=moment_name,
            title=title,
            kind=kind,
            media_sha256=checked.media.sha256,
            caption=caption,
            asks_of_customer=asks_of_customer,
            version_label=version_label,
            issued_on=issued_on,
        )
    except ValidationError as exc:
        raise InvalidInputError(_validation_message(exc)) from exc
    return evidence.add_artifact(store, payload, checked, media_store=media_store, actor=actor)


def update_call_clip(
    store: Store,
    *,
    call_id: int,
    expected_version: int,
    clip_start_s: int,
    clip_end_s: int | None,
    transcript: list[dict[str, Any]] | None = None,
    actor: str,
) -> None:
    """Change the highlighted clip (and transcript) of a call, unless someone changed it meanwhile."""
    try:
        segments = [TranscriptSegment.model_validate(seg) for seg in (transcript or [])]
    except ValidationError as exc:
        raise InvalidInputError(_validation_message(exc)) from exc
    if clip_start_s < 0 or (clip_end_s is not None and clip_end_s <= clip_start_s):
        raise InvalidInputError("The highlighted clip must start at 0 s or later and end after it starts.")
    with store.transaction(actor) as tx:
        tx.require(Action.EVIDENCE_EDIT)
        before = _lookup.row(tx, "calls", call_id)
        duration = float(before["duration_s"])  # type: ignore[arg-type]
        if clip_start_s >= duration or (clip_end_s is not None and clip_end_s > duration + 1):
            raise InvalidInputError(f"The clip must lie inside the recording (0-{int(duration)} s).")
        values: dict[str, Any] = {"clip_start_s": clip_start_s, "clip_end_s": clip_end_s}
        if transcript is not None:
            values["transcript"] = json.dumps([seg.model_dump() for seg in segments]) if segments else None
        tx.update_versioned("calls", call_id, expected_version, values)
        after = _lookup.row(tx, "calls", call_id)
        tx.audit(
            "update_clip",
            "call",
            call_id,
            {k: before[k] for k in ("clip_start_s", "clip_end_s", "version")},
            {k: after[k] for k in ("clip_start_s", "clip_end_s", "version")},
        )


def _validation_message(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg'].removeprefix('Value error, ')}"
        for e in exc.errors()
    )


__all__ = [
    "CxroomError",
    "FilePreview",
    "ImportOptions",
    "ImportReport",
    "add_artifact_file",
    "add_call_recording",
    "import_file",
    "preview_file",
    "save_source_mapping",
    "undo_batch",
    "update_call_clip",
]

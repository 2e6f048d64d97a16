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

This module orchestrates: it opens the transaction, checks the permission,
stages the file, resolves the mapping (cxroom.importers.resolve), hands the
transaction to the pass of the file's kind (cxroom.importers.passes), and
writes the batch, its quarantine and the mapping used. The passes run their
SQL only through that transaction. Calls and artifacts, which arrive as files
rather than rows, are added by cxroom.services.evidence_files.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from cxroom import evidence_kinds, scratch
from cxroom.errors import InvalidInputError, NotFoundError
from cxroom.importers import dates, passes, resolve, superseded
from cxroom.importers.bounds import ImportLimits
from cxroom.importers.mapping import Mapping, parse_mapping
from cxroom.importers.passes import checks
from cxroom.importers.report import FilePreview, ImportOptions, ImportReport, Progress
from cxroom.importers.sniff import DEFAULT_MAX_IMPORT_BYTES
from cxroom.importers.stage import Staged, stage_file
from cxroom.permissions import Action
from cxroom.settings import Settings
from cxroom.store import Store, Tx, utcnow


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


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""

    def __init__(self, payload: Any) -> None:
        super().__init__("dry run")
        self.payload = payload


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
    """Import one file of ``kind`` (an importable kind of cxroom.evidence_kinds) as one batch.

    ``mapping`` names the column for each field (see cxroom.importers.mapping);
    None uses the mapping saved for ``source``, else the recognised headers.
    Raises ImportFileError/InvalidInputError when nothing can be imported (no
    batch is written then); row-level problems go to the quarantine instead.
    """
    run_pass = passes.for_kind(kind)  # refuses a kind before any file is read
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
                staged = _stage(tx, path, workdir, options, limit, limits or import_limits(), progress=progress)
                src = resolve.default_source(kind, source, staged, display_name)
                resolved = resolve.resolve_mapping(
                    tx, kind=kind, source=src, staged=staged, mapping=mapping, options=options
                )
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
                run_pass(tx, staged, resolved, report, batch_id, progress, window)
                report.rows_read = staged.rows_read
                report.rows_duplicate = report.rows_read - report.rows_imported - report.rows_rejected
                checks.collect_errors(tx, staged, report)
                checks.note_future_rows(tx, staged, report, window)
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
        # Table names come from the registry's constants, never from input.
        removed = {
            kind.table: int(tx.fetch_value(f"DELETE FROM {kind.table} WHERE batch_id = ?", [batch_id]) or 0)
            for kind in evidence_kinds.importable()
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
                staged = _stage(tx, path, workdir, options, limit, limits, sample_rows=limits.preview_rows)
                src = resolve.default_source(kind, source, staged, file_name or path.name)
                cols = ", ".join(f"c{i}" for i in range(len(staged.headers)))
                sample = tx.execute(f"SELECT {cols} FROM {staged.table} ORDER BY rn LIMIT {int(sample_rows)}").df()
                sample.columns = staged.headers
                profile = resolve.profile_columns(tx, staged)
                saved = resolve.saved_mapping(tx, kind, src)
                raise _DryRun(
                    FilePreview(
                        file_kind=staged.info.kind,
                        encoding=staged.info.encoding,
                        delimiter=staged.info.delimiter,
                        headers=staged.headers,
                        rows_read=staged.rows_read,
                        sample=sample,
                        suggested=resolve.suggest_mapping(
                            kind,
                            staged.headers,
                            profile[1],
                            src,
                            options,
                            resolve.flag_columns(tx, staged) if kind == "kpis" and options.aggregate else None,
                        ),
                        saved=saved if saved and resolve.mapping_fits(saved, staged.headers) else None,
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
            preview: FilePreview = signal.payload
            return preview
    raise AssertionError("unreachable")  # pragma: no cover


def _stage(
    tx: Tx,
    path: Path,
    workdir: Path,
    options: ImportOptions,
    max_bytes: int,
    limits: ImportLimits,
    *,
    progress: Progress | None = None,
    sample_rows: int | None = None,
) -> Staged:
    """The file read into staging tables with the options an import or a preview was given."""
    return stage_file(
        tx,
        path,
        workdir,
        max_bytes=max_bytes,
        delimiter=options.delimiter,
        sheet=options.sheet,
        progress=progress,
        encoding=options.encoding,
        limits=limits,
        sample_rows=sample_rows,
    )


# ---------------------------------------------------------------------------
# the batch


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

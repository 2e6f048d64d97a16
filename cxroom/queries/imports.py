"""Reads for Listening: import batches, their quarantine, categories not yet
mapped to a stage, category rules and the column mappings saved per source."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pandas as pd

from cxroom.store import Store

BATCHES_SQL = """
SELECT b.id, b.kind, b.source, b.file_name, b.status, b.started_at, b.finished_at, b.rows_read,
       b.rows_imported, b.rows_duplicate, b.rows_rejected, b.created_by
FROM import_batches b
WHERE b.kind <> 'demo' OR ?
ORDER BY b.id DESC
LIMIT ?
"""

BATCH_SQL = """
SELECT b.*, f.headers, f.file_kind, f.encoding, f.delimiter, f.mapping, f.report
FROM import_batches b LEFT JOIN import_batch_files f ON f.batch_id = b.id
WHERE b.id = ?
"""

QUARANTINE_SQL = """
SELECT row_number, errors, raw, raw_line, coalesce(values_only, false) AS values_only
FROM import_rejects WHERE batch_id = ?
ORDER BY row_number
"""

QUARANTINE_COUNT_SQL = "SELECT count(*) FROM import_rejects WHERE batch_id = ?"

# Rows rejected whole, and bad values skipped from rows that were imported (one entry per value,
# as the import report counts them in values_rejected).
QUARANTINE_COUNTS_SQL = """
SELECT count(*) FILTER (WHERE NOT coalesce(values_only, false)) AS rows_not_imported,
       count(*) FILTER (WHERE values_only) AS rows_with_values_skipped,
       coalesce(sum(len(errors)) FILTER (WHERE values_only), 0) AS values_skipped
FROM import_rejects WHERE batch_id = ?
"""

# What became of a quarantined row, in the quarantine view and its download.
ROW_NOT_IMPORTED = "row not imported"
VALUE_SKIPPED = "value skipped, row imported"
VALUES_SKIPPED = "values skipped, row imported"

UNMAPPED_SQL = """
SELECT source, category, subcategory, count(*) AS complaints,
       min(received_at) AS first_received, max(received_at) AS last_received
FROM complaints
WHERE stage_id IS NULL AND (? IS NULL OR source = ?)
GROUP BY source, category, subcategory
ORDER BY complaints DESC, category, subcategory
LIMIT ?
"""

UNMAPPED_TOTAL_SQL = "SELECT count(*) FROM complaints WHERE stage_id IS NULL AND (? IS NULL OR source = ?)"

RULES_SQL = """
SELECT r.id, r.source, r.category, r.subcategory, s.slug AS stage_slug, s.name AS stage,
       m.name AS moment, r.version,
       (SELECT count(*) FROM complaints c WHERE lower(c.category) = lower(r.category)
          AND (r.subcategory IS NULL OR lower(c.subcategory) = lower(r.subcategory))
          AND (r.source IS NULL OR c.source = r.source)) AS complaints
FROM category_rules r
JOIN stages s ON s.id = r.stage_id
LEFT JOIN moments m ON m.id = r.moment_id
ORDER BY s.position, r.category, r.subcategory NULLS FIRST
"""

STAGE_COUNTS_SQL = """
SELECT s.slug, s.name, s.position, count(c.id) AS complaints
FROM stages s LEFT JOIN complaints c ON c.stage_id = s.id AND (? IS NULL OR c.source = ?)
WHERE NOT s.archived
GROUP BY s.slug, s.name, s.position
ORDER BY s.position
"""

SAVED_MAPPING_SQL = "SELECT mapping FROM source_mappings WHERE kind = ? AND source = ?"

SAVED_MAPPINGS_SQL = """
SELECT kind, source, mapping, updated_at, updated_by FROM source_mappings ORDER BY kind, source
"""

SOURCES_SQL = "SELECT DISTINCT source FROM complaints ORDER BY source"

STAGE_CHOICES_SQL = "SELECT slug, name FROM stages WHERE NOT archived ORDER BY position"

KPI_NAMES_SQL = "SELECT name FROM kpis ORDER BY name"


def batches(store: Store, *, limit: int = 100, include_demo: bool = False) -> pd.DataFrame:
    return store.fetch_df(BATCHES_SQL, [include_demo, limit])


def batch(store: Store, batch_id: int) -> dict[str, Any] | None:
    rows = store.fetch_dicts(BATCH_SQL, [batch_id])
    if not rows:
        return None
    row = rows[0]
    for key in ("mapping", "report"):
        if isinstance(row.get(key), str):
            row[key] = json.loads(row[key])
    return row


def quarantine_count(store: Store, batch_id: int) -> int:
    return int(store.fetch_value(QUARANTINE_COUNT_SQL, [batch_id]) or 0)


def quarantine_counts(store: Store, batch_id: int) -> dict[str, int]:
    """rows_not_imported, rows_with_values_skipped and values_skipped of one batch's quarantine."""
    rows = store.fetch_dicts(QUARANTINE_COUNTS_SQL, [batch_id])
    return {k: int(v or 0) for k, v in rows[0].items()}


def quarantine_outcome(values_only: bool, n_values: int) -> str:
    if not values_only:
        return ROW_NOT_IMPORTED
    return VALUES_SKIPPED if n_values > 1 else VALUE_SKIPPED


def quarantine(store: Store, batch_id: int, *, limit: int | None = None) -> pd.DataFrame:
    """One row per quarantined record: row, column(s), reason(s), its outcome (the row was not
    imported, or only the named values were skipped and the row was imported) and the record's
    cells as read."""
    info = batch(store, batch_id)
    headers: list[str] = list(info["headers"]) if info and info.get("headers") is not None else []
    sql = QUARANTINE_SQL + (f" LIMIT {int(limit)}" if limit else "")
    records = store.fetch_dicts(sql, [batch_id])
    widest = max((len(rec["raw"]) for rec in records if rec["raw"] is not None), default=0)
    labels = _cell_labels([*headers, *(f"column {i + 1}" for i in range(len(headers), widest))])
    rows = []
    for rec in records:
        errors = rec["errors"] or []
        row: dict[str, Any] = {
            "row": rec["row_number"],
            "column": "; ".join(e["column"] for e in errors if e["column"]),
            "reason": "; ".join(e["message"] for e in errors),
            "outcome": quarantine_outcome(bool(rec["values_only"]), len(errors)),
        }
        raw = rec["raw"]
        if raw is None:
            row["raw record"] = rec["raw_line"]
        else:
            row.update(zip(labels, raw, strict=False))
        rows.append(row)
    columns = [*_FIXED_COLUMNS, *labels, "raw record"]
    frame = pd.DataFrame(rows, columns=columns)
    if frame["raw record"].isna().all():
        frame = frame.drop(columns=["raw record"])
    return frame


_FIXED_COLUMNS = ("row", "column", "reason", "outcome")


def _cell_labels(headers: list[str]) -> list[str]:
    """The file's headers as column labels that cannot overwrite the quarantine's own columns or
    each other: a file with its own "reason" column, or two columns named alike, loses no cell."""
    taken = {*_FIXED_COLUMNS, "raw record"}
    labels = []
    for i, header in enumerate(headers):
        label = header
        if label in taken:
            label = f"{header} (column {i + 1})"
        taken.add(label)
        labels.append(label)
    return labels


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """A cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def quarantine_csv(store: Store, batch_id: int) -> bytes:
    """The quarantine as a CSV download (UTF-8 with BOM for Excel), formula injection neutralised."""
    frame = quarantine(store, batch_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise_cell(c) for c in frame.columns])
    for values in frame.itertuples(index=False, name=None):
        writer.writerow(
            ["" if v is None or (isinstance(v, float) and pd.isna(v)) else neutralise_cell(v) for v in values]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def unmapped_categories(store: Store, *, source: str | None = None, limit: int = 200) -> pd.DataFrame:
    """Complaint categories no rule maps to a stage yet, with how many complaints each has."""
    return store.fetch_df(UNMAPPED_SQL, [source, source, limit])


def unmapped_total(store: Store, *, source: str | None = None) -> int:
    return int(store.fetch_value(UNMAPPED_TOTAL_SQL, [source, source]) or 0)


def category_rules(store: Store) -> pd.DataFrame:
    return store.fetch_df(RULES_SQL)


def complaints_per_stage(store: Store, *, source: str | None = None) -> pd.DataFrame:
    return store.fetch_df(STAGE_COUNTS_SQL, [source, source])


def saved_mapping(store: Store, *, kind: str, source: str) -> dict[str, Any] | None:
    raw = store.fetch_value(SAVED_MAPPING_SQL, [kind, source])
    return json.loads(raw) if raw else None


def saved_mappings(store: Store) -> pd.DataFrame:
    return store.fetch_df(SAVED_MAPPINGS_SQL)


def complaint_sources(store: Store) -> list[str]:
    return [r[0] for r in store.execute(SOURCES_SQL)]


def stage_choices(store: Store) -> list[tuple[str, str]]:
    return [(r[0], r[1]) for r in store.execute(STAGE_CHOICES_SQL)]


def kpi_names(store: Store) -> list[str]:
    return [r[0] for r in store.execute(KPI_NAMES_SQL)]

"""The SQL pieces every import pass shares: error-list elements, date columns read and bounded,
each row's check (rejected whole, or only some of its values), the counts and notes of the
report, and the first errors by row."""

from __future__ import annotations

from collections.abc import Callable

from cxroom.importers import dates, resolve
from cxroom.importers import sqlexpr as sx
from cxroom.importers.errors import ImportFileError
from cxroom.importers.mapping import DATE_FORMATS, Mapping
from cxroom.importers.report import ImportReport
from cxroom.importers.stage import Staged
from cxroom.store import Tx

# The report lists at most this many errors; errors_total tells how many there were.
MAX_REPORTED_ERRORS = 1000


def err(header: str, condition: str, message_sql: str) -> str:
    """A list element: an error struct when ``condition`` holds, else NULL."""
    return f"CASE WHEN {condition} THEN {{'column': {sx.lit(header)}, 'message': {message_sql}}} END"


def errs(parts: list[str]) -> str:
    if not parts:
        return 'CAST([] AS STRUCT("column" VARCHAR, message VARCHAR)[])'
    return f"list_filter([{', '.join(parts)}], lambda e: e IS NOT NULL)"


def shown(col: str) -> str:
    """A value quoted in an error message (cut to 60 characters)."""
    return f"'''' || left(trim({col}), 60) || ''''"


def date_expr(
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
    fmt = fmt or detect_format(tx, staged, header, months=months)
    state_format(report, fmt)
    errors = dates.column_errors(header, col, fmt, window, empty_message=empty_message)
    return dates.within(sx.date(col, fmt), window), errors


def detect_format(tx: Tx, staged: Staged, header: str, *, months: bool = False) -> str:
    col = staged.col(header)
    assert col is not None
    det = sx.detect_date_format(tx, staged.table, col, include_month=months)
    if det.ambiguous or det.chosen is None:
        raise ImportFileError(det.message(header))
    return det.chosen


def state_format(report: ImportReport, fmt: str) -> None:
    """The report names the format the dates were read in (and the two-digit-year rule when it applies)."""
    report.date_format = DATE_FORMATS.get(fmt, fmt)
    note = dates.format_note(fmt)
    if note and note not in report.notes:
        report.notes.append(note)


def collect_errors(tx: Tx, staged: Staged, report: ImportReport) -> None:
    """The first errors (by row) and their total, from the checked rows and the parser's rejects."""
    union = (
        f"SELECT rn, struct_extract(e, 'column') AS col, struct_extract(e, 'message') AS message "
        f"FROM (SELECT rn, unnest(errs) AS e FROM chk_{staged.table} "
        f"WHERE len(errs) > 0) UNION ALL SELECT rn, coalesce(col, ''), message FROM {staged.rejects}"
    )
    report.errors_total = int(tx.fetch_value(f"SELECT count(*) FROM ({union})"))
    rows = tx.fetch_all(f"SELECT rn, col, message FROM ({union}) ORDER BY rn, col LIMIT {MAX_REPORTED_ERRORS}")
    report.errors = [{"row": int(r[0]), "column": r[1], "message": r[2]} for r in rows]


def note_future_rows(tx: Tx, staged: Staged, report: ImportReport, window: dates.DateWindow) -> None:
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


def check_rows(tx: Tx, t: str, *, row_errors: str, joins: str, nothing: str) -> None:
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


def count_rows(tx: Tx, staged: Staged, report: ImportReport, *, empty_from: str | None) -> None:
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


def note_unused_columns(staged: Staged, m: Mapping, report: ImportReport) -> None:
    """A wide file's columns that the mapping leaves out are named, never dropped without a word."""
    used = set(resolve.referenced_headers(m.model_dump()))
    unused = [h for h in staged.headers if h not in used]
    if unused:
        report.notes.append(
            "Not imported: column(s) "
            + ", ".join(repr(h) for h in unused[:30])
            + (f" and {len(unused) - 30} more" if len(unused) > 30 else "")
            + " (not in the column mapping)."
        )


def err_dyn(header_sql: str, condition: str, message_sql: str) -> str:
    return f"CASE WHEN {condition} THEN {{'column': {header_sql}, 'message': {message_sql}}} END"


def union_per_column(staged: Staged, headers: list[str], select: Callable[[str, str], str]) -> str:
    """One SELECT per column of a wide file (``select(header, staging column)``), as one UNION ALL:
    a wide file's KPI or question columns read as long rows."""
    parts = []
    for header in headers:
        col = staged.col(header)
        assert col is not None  # the mapping's columns were checked against the staged headers
        parts.append(select(header, col))
    return " UNION ALL ".join(parts)

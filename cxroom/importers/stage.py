"""Read a file, set-wise, into a temporary staging table of text columns.

Every physical record of the file is accounted for: it lands in the staging
table (columns c0..cN, all VARCHAR, plus its data-row number ``rn`` as in the
file), or in the parser-reject table with its row number and the reason
DuckDB gave (missing/too many columns, unterminated quote, ...). Blank lines are
not records and are not counted.

Everything runs on the caller's transaction cursor (the staging tables vanish with it).
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cxroom.errors import CxroomError
from cxroom.importers.bounds import ImportLimits, check_parquet, check_xlsx
from cxroom.importers.sniff import (
    DEFAULT_MAX_IMPORT_BYTES,
    FileInfo,
    ImportFileError,
    blank_record_rows,
    detect_delimiter,
    file_sha256,
    inspect_csv,
    read_header,
    sniff_kind,
)
from cxroom.store import Tx

Progress = Callable[[float, str], None]

_PARSE_REASONS = {
    "MISSING COLUMNS": "the row has fewer columns than the header",
    "TOO MANY COLUMNS": "the row has more columns than the header",
    "UNQUOTED VALUE": "a quote is opened but never closed, or stray quote inside a field",
    "LINE SIZE OVER MAXIMUM": "the row is longer than the 16 MB a row may have",
    "INVALID ENCODING": "the row contains bytes that are not valid text",
    "INVALID STATE": "the row cannot be split into columns",
}


@dataclass
class Staged:
    """A file read into staging tables."""

    info: FileInfo
    table: str  # good records: c0..cN VARCHAR, rn BIGINT
    rejects: str  # parser rejects: rn BIGINT, col VARCHAR, message VARCHAR, raw_line VARCHAR
    headers: list[str]
    rows_staged: int
    rows_unparsable: int
    notes: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return self.rows_staged + self.rows_unparsable

    def col(self, header: str | None) -> str | None:
        """The staging column (c0, c1, ...) holding a header's values."""
        if header is None:
            return None
        try:
            return f"c{self.headers.index(header)}"
        except ValueError:
            return None


def column_names(headers: list[str]) -> list[str]:
    """Unique, non-empty display names for a header row ('' -> 'column 1', duplicates numbered)."""
    seen: dict[str, int] = {}
    out = []
    for i, raw in enumerate(headers):
        name = raw.strip() or f"column {i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def _struct(n: int) -> str:
    return "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(n)) + "}"


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def stage_file(
    tx: Tx,
    path: Path,
    workdir: Path,
    *,
    max_bytes: int = DEFAULT_MAX_IMPORT_BYTES,
    delimiter: str | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
    encoding: str | None = None,
    limits: ImportLimits | None = None,
    sample_rows: int | None = None,
) -> Staged:
    """Sniff and read ``path`` into staging tables on ``tx``'s cursor.

    Compressed inputs are checked against ``limits`` before anything is read;
    ``sample_rows`` reads only the first data rows (an upload preview);
    ``encoding`` names the encoding of the lines of a text file that are not UTF-8.
    """
    limits = limits or ImportLimits()
    kind, size = sniff_kind(path, max_bytes=max_bytes)
    token = secrets.token_hex(4)
    table, rejects = f"stg_{token}", f"rej_{token}"
    tx.execute(f"CREATE TEMP TABLE {rejects} (rn BIGINT, col VARCHAR, message VARCHAR, raw_line VARCHAR)")
    if progress:
        progress(0.05, f"Checking {path.name} ({size / 1e6:,.1f} MB)")
    max_records = None if sample_rows is None else sample_rows + 1
    if kind == "csv":
        staged = _stage_csv_checked(tx, path, size, workdir, table, rejects, delimiter, encoding, max_records, progress)
    elif kind == "xlsx":
        check_xlsx(path, limits)
        info = FileInfo(path=path, kind="xlsx", size_bytes=size, sha256=file_sha256(path))
        staged = _stage_frame(tx, info, _read_xlsx(path, sheet, sample_rows), table, rejects)
    else:
        check_parquet(path, limits)
        info = FileInfo(path=path, kind="parquet", size_bytes=size, sha256=file_sha256(path))
        staged = _stage_parquet(tx, info, table, rejects, sample_rows)
    staged.notes[:0] = staged.info.notes
    if staged.rows_read == 0:
        raise ImportFileError(f"{path.name} has a header row but no data rows.")
    return staged


_GUESS_BYTES = 256 * 1024  # the sample inspect_csv reads its delimiter and header from


def _stage_csv_checked(
    tx: Tx,
    path: Path,
    size: int,
    workdir: Path,
    table: str,
    rejects: str,
    delimiter: str | None,
    encoding: str | None,
    max_records: int | None,
    progress: Progress | None,
) -> Staged:
    """Inspect a text file (encoding, hash, delimiter, header: cxroom.importers.sniff) and read it.

    Inspecting reads the whole file in Python (hash, UTF-8 check), which on a large export is
    a sixth of the import. Most files are UTF-8, so DuckDB reads the file as the first lines
    say it is while Python inspects it on another core; when the inspection agrees (the file
    itself is read, same delimiter and header) that read is kept, otherwise it is dropped and
    the file read again as inspected: the result is the same either way."""
    guess = None if max_records is not None else _guess_delimiter_and_header(path, delimiter)
    if guess is None:
        info = inspect_csv(path, size, workdir, delimiter=delimiter, encoding=encoding, max_records=max_records)
        return _stage_csv(tx, info, table, rejects, progress)
    staged: Staged | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxroom-inspect") as pool:
        inspecting = pool.submit(inspect_csv, path, size, workdir, delimiter=delimiter, encoding=encoding)
        provisional = FileInfo(path=path, kind="csv", size_bytes=size, delimiter=guess[0], headers=guess[1])
        with contextlib.suppress(ImportFileError):  # told again below, by the read of the inspected file
            staged = _stage_csv(tx, provisional, table, rejects, progress)
        info = inspecting.result()
    if staged is not None and (info.readable_path, info.delimiter, info.headers) == (path, *guess):
        staged.info = info
        return staged
    _drop_staged(tx, table, rejects)
    tx.execute(f"CREATE TEMP TABLE {rejects} (rn BIGINT, col VARCHAR, message VARCHAR, raw_line VARCHAR)")
    return _stage_csv(tx, info, table, rejects, progress)


def _guess_delimiter_and_header(path: Path, delimiter: str | None) -> tuple[str, list[str]] | None:
    """What inspect_csv will find if the file is UTF-8; None where its first lines say it is not."""
    with path.open("rb") as fh:
        raw = fh.read(_GUESS_BYTES)
    try:  # (a character cut at the end of the sample is no evidence)
        sample = codecs.getincrementaldecoder("utf-8")().decode(raw, final=False).removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None  # not UTF-8 (UTF-16 and -32 marks included): a UTF-8 copy will be read
    if not sample.strip():
        return None
    chosen = delimiter or detect_delimiter(sample)
    return chosen, read_header(sample, chosen)


def _drop_staged(tx: Tx, table: str, rejects: str) -> None:
    names = [table, f"{table}_raw", f"{table}_skip", f"{table}_errs", f"{table}_scan", rejects]  # tables or views
    found = tx.fetch_all(
        "SELECT table_name, table_type FROM information_schema.tables "
        "WHERE table_schema = 'main' AND table_catalog = 'temp' AND table_name IN (SELECT unnest(?::VARCHAR[]))",
        [names],
    )
    for name, kind in found:
        tx.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} {name}")


def _stage_csv(tx: Tx, info: FileInfo, table: str, rejects: str, progress: Progress | None) -> Staged:
    n = len(info.headers)
    scan, errs = f"{table}_scan", f"{table}_errs"
    if progress:
        progress(0.15, f"Reading {info.path.name}")
    read_csv = (
        f"CREATE TEMP TABLE {table}_raw AS SELECT * FROM read_csv(?, columns = {_struct(n)}, "
        f"auto_detect = false, header = true, delim = {_sql_string(info.delimiter)}, quote = '\"', "
        f"escape = '\"', all_varchar = true, store_rejects = true, rejects_table = '{errs}', "
        f"rejects_scan = '{scan}', max_line_size = 16777216)"
    )
    # Where the blank records are is found in Python while DuckDB reads the file (it lets go of
    # the GIL while it runs): the reader leaves a core idle much of the time.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxroom-blanks") as pool:
        blanks_found = pool.submit(blank_record_rows, info.readable_path)
        try:
            tx.execute(read_csv, [str(info.readable_path)])
        except CxroomError as exc:
            raise ImportFileError(
                f"{info.path.name} cannot be read as CSV: {str(exc).split(' (while running')[0]}"
            ) from exc
        blanks = blanks_found.result()
    # One entry per unparsable record (DuckDB may report several errors for one).
    # DuckDB's 'line' counts records, header included, blank lines included.
    tx.execute(
        f"INSERT INTO {rejects} SELECT line - 1 AS rn, any_value(coalesce(column_name, '')), "
        f"string_agg(error_type, '; ' ORDER BY column_idx), any_value(trim(csv_line, chr(10) || chr(13))) "
        f"FROM {errs} GROUP BY line"
    )
    reasons = " ".join(f"WHEN message LIKE '{key}%' THEN '{text}'" for key, text in _PARSE_REASONS.items())
    tx.execute(f"UPDATE {rejects} SET message = CASE {reasons} ELSE lower(message) END")
    tx.execute(
        f"UPDATE {rejects} SET col = coalesce((?::VARCHAR[])[try_cast(substr(col, 2) AS INTEGER) + 1], '') "
        "WHERE regexp_full_match(col, 'c[0-9]+')",
        [column_names(info.headers)],
    )
    notes = []
    if blanks:
        notes.append(f"{len(blanks)} blank line(s) were skipped (they are not records).")
    return _number_rows(tx, info, table, rejects, blanks, notes)


def _number_rows(tx: Tx, info: FileInfo, table: str, rejects: str, blanks: list[int], notes: list[str]) -> Staged:
    """Give each staged record its data-row number as in the file.

    The k-th staged record's row number is k plus the number of skipped records
    (parser rejects and blank lines) that come before it: with the skipped rows
    sorted s_1 < s_2 < ..., skipped row i has g_i = s_i - i staged rows before it,
    so row(k) = k + #{i : g_i < k}.
    """
    skipped = f"{table}_skip"
    tx.execute(f"CREATE TEMP TABLE {skipped} (s BIGINT)")
    tx.execute(f"INSERT INTO {skipped} SELECT rn FROM {rejects}")
    if blanks:
        tx.execute(f"INSERT INTO {skipped} SELECT unnest(?::BIGINT[])", [blanks])
    n_skipped = int(tx.fetch_value(f"SELECT count(*) FROM {skipped}"))
    cols = ", ".join(f"c{i}" for i in range(len(info.headers)))
    base = tx.fetch_value(f"SELECT min(rowid) FROM {table}_raw")
    if n_skipped == 0 or base is None:
        # The common case: the k-th staged record is data row k. A view, not a copy.
        tx.execute(
            f"CREATE TEMP VIEW {table} AS SELECT {cols}, "
            f"CAST(rowid - {int(base or 0)} + 1 AS BIGINT) AS rn FROM {table}_raw"
        )
    else:
        tx.execute(
            f"CREATE TEMP TABLE {table} AS "
            f"WITH g AS (SELECT s - row_number() OVER (ORDER BY s) AS g FROM {skipped}), "
            f"k AS (SELECT *, CAST(rowid - {int(base)} + 1 AS BIGINT) AS k FROM {table}_raw) "
            f"SELECT {cols}, k + (SELECT count(*) FROM g WHERE g.g < k.k) AS rn FROM k"
        )
    staged_count = int(tx.fetch_value(f"SELECT count(*) FROM {table}"))
    unparsable = int(tx.fetch_value(f"SELECT count(*) FROM {rejects}"))
    return Staged(info, table, rejects, column_names(info.headers), staged_count, unparsable, notes)


def _cell_text(value: Any) -> str | None:
    """An XLSX/Parquet cell as the text a CSV export would have held."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        total = int(value.total_seconds())
        return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(
    path: Path, sheet: str | None, sample_rows: int | None = None
) -> tuple[list[str], list[tuple[int, list[str | None]]]]:
    """Header and (row number, cells) of the first (or named) sheet (its first ``sample_rows`` data rows)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise ImportFileError(f"{path.name} cannot be opened as an Excel workbook ({exc}).") from exc
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise ImportFileError(f"{path.name} has no sheet {sheet!r}; it has {', '.join(wb.sheetnames)}.")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        header: list[str] | None = None
        rows: list[tuple[int, list[str | None]]] = []
        data_row = 0
        for values in ws.iter_rows(values_only=True):
            cells = [_cell_text(v) for v in values]
            if header is None:
                if any(c not in (None, "") for c in cells):
                    header = [c or "" for c in cells]
                continue
            data_row += 1
            if sample_rows is not None and data_row > sample_rows:
                break
            if all(c in (None, "") for c in cells):
                continue  # an empty spreadsheet row is not a record
            rows.append((data_row, cells))
    finally:
        wb.close()
    if header is None:
        raise ImportFileError(f"The first sheet of {path.name} is empty.")
    while header and header[-1] == "":
        header.pop()
    return header, rows


def _stage_frame(
    tx: Tx,
    info: FileInfo,
    content: tuple[list[str], list[tuple[int, list[str | None]]]],
    table: str,
    rejects: str,
) -> Staged:
    header, rows = content
    info.headers = header
    n = len(header)
    good: dict[str, list[Any]] = {f"c{i}": [] for i in range(n)}
    good["rn"] = []
    bad_rows: list[tuple[int, str, str, str]] = []
    for rn, cells in rows:
        extra = [c for c in cells[n:] if c not in (None, "")]
        if extra:
            raw = ",".join("" if c is None else c for c in cells)
            bad_rows.append((rn, "", "the row has more columns than the header", raw))
            continue
        cells = (cells + [None] * n)[:n]
        for i, c in enumerate(cells):
            good[f"c{i}"].append(c)
        good["rn"].append(rn)
    frame = pd.DataFrame(good, dtype=object)
    tx.fetch_all("SELECT 1")  # completes any pending result: register() refuses to run while one is open
    tx.cur.register(f"{table}_frame", frame)
    try:
        cols = ", ".join(f"CAST(c{i} AS VARCHAR) AS c{i}" for i in range(n))
        tx.execute(f"CREATE TEMP TABLE {table} AS SELECT {cols}, CAST(rn AS BIGINT) AS rn FROM {table}_frame")
    finally:
        tx.cur.unregister(f"{table}_frame")
    for bad in bad_rows:
        tx.execute(f"INSERT INTO {rejects} VALUES (?, ?, ?, ?)", list(bad))
    return Staged(info, table, rejects, column_names(header), len(good["rn"]), len(bad_rows))


def _stage_parquet(tx: Tx, info: FileInfo, table: str, rejects: str, sample_rows: int | None = None) -> Staged:
    try:
        described = tx.fetch_all("DESCRIBE SELECT * FROM read_parquet(?)", [str(info.path)])
    except Exception as exc:
        raise ImportFileError(f"{info.path.name} cannot be read as Parquet ({exc}).") from exc
    names = [str(r[0]) for r in described if r[0] != "file_row_number"]
    info.headers = names
    cols = ", ".join(f"CAST({_quote_ident(name)} AS VARCHAR) AS c{i}" for i, name in enumerate(names))
    tx.execute(
        f"CREATE TEMP TABLE {table} AS SELECT {cols}, CAST(file_row_number + 1 AS BIGINT) AS rn "
        "FROM read_parquet(?, file_row_number = true)"
        + ("" if sample_rows is None else f" WHERE file_row_number < {int(sample_rows)}"),
        [str(info.path)],
    )
    count = int(tx.fetch_value(f"SELECT count(*) FROM {table}"))
    return Staged(info, table, rejects, column_names(names), count, 0)


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'

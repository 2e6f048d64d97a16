"""Refuse compressed inputs that expand beyond the room's limits, before reading them.

An XLSX is a zip of XML: 1 MB of it can hold three million rows, or one cell
of 500 MB, and a Parquet file's columns are compressed too. Reading such a file
(openpyxl loads the shared strings into memory, then every row becomes Python
objects; DuckDB materialises every row) takes minutes and gigabytes. So before
anything reads the data, these checks look only at what the file says about
itself and at a bounded stream of its bytes:

- XLSX: the uncompressed sizes in the zip directory (Python's zipfile never
  inflates an entry past its declared size, so the directory is binding), the
  sheet's ``<dimension>``, then one streamed pass over each sheet and the
  shared strings counting rows (stopping at the limit) and measuring the
  longest text between two tags (an upper bound of a cell's length).
- Parquet: the footer's row count and uncompressed sizes.

Every check stops as soon as a limit is passed, so a bomb is refused in the
time it takes to inflate the bytes up to the limit, in a few MB of memory.
"""

from __future__ import annotations

import re
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from cxroom.importers.errors import ImportFileError

# Excel's own sheet size: a sheet that claims more rows was not written by Excel.
EXCEL_MAX_ROWS = 1_048_576
_STREAM_CHUNK = 1024 * 1024
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?[A-Z]*(\d+)"')
_MAX_PARQUET_FOOTER = 16 * 1024 * 1024


@dataclass(frozen=True)
class ImportLimits:
    """What one import may expand to (see cxroom.settings for the settings and defaults)."""

    max_uncompressed_bytes: int = 1024 * 1024 * 1024
    max_rows: int = 10_000_000
    max_cell_bytes: int = 1024 * 1024
    preview_rows: int = 5_000


def _mb(n: float) -> str:
    return f"{n / 1e6:,.1f} MB"


def check_xlsx(path: Path, limits: ImportLimits) -> None:
    """Refuse an XLSX that expands past ``limits`` (reads at most the limits' worth of bytes)."""
    try:
        with zipfile.ZipFile(path) as zf:
            entries = zf.infolist()
            total = sum(e.file_size for e in entries)
            if total > limits.max_uncompressed_bytes:
                raise ImportFileError(
                    f"{path.name} expands to {_mb(total)} when unpacked; the limit is "
                    f"{_mb(limits.max_uncompressed_bytes)} (CXROOM_MAX_UNCOMPRESSED_MB). Nothing was read."
                )
            max_rows = min(limits.max_rows, EXCEL_MAX_ROWS)
            for entry in entries:
                name = entry.filename
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    _scan_part(zf, entry, path.name, limits, max_rows)
                elif name == "xl/sharedStrings.xml":
                    _scan_part(zf, entry, path.name, limits, None)
    except zipfile.BadZipFile as exc:
        raise ImportFileError(f"{path.name} looks like an Excel workbook but is damaged ({exc}).") from exc


def _scan_part(
    zf: zipfile.ZipFile, entry: zipfile.ZipInfo, file_name: str, limits: ImportLimits, max_rows: int | None
) -> None:
    rows = 0
    run = 0  # bytes since the last '<' (text of the cell being read)
    tail = b""
    first = True
    with zf.open(entry) as fh:
        while chunk := fh.read(_STREAM_CHUNK):
            if first and max_rows is not None:
                first = False
                found = _DIMENSION.search(chunk[:4096])
                if found and int(found.group(1)) - 1 > max_rows:
                    raise _too_many_rows(file_name, f"says it has {int(found.group(1)) - 1:,} data rows", max_rows)
            if max_rows is not None:
                rows += len(_ROW_TAG.findall(tail + chunk)) - len(_ROW_TAG.findall(tail))
                tail = chunk[-16:]
                if rows - 1 > max_rows:
                    raise _too_many_rows(file_name, f"has more than {max_rows:,} rows", max_rows)
            opens = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 60)
            if len(opens) == 0:
                longest = run + len(chunk)
                run = longest
            else:
                gaps = np.diff(opens)
                longest = max(run + int(opens[0]), int(gaps.max()) if len(gaps) else 0)
                run = len(chunk) - int(opens[-1]) - 1
            if longest > limits.max_cell_bytes:
                raise ImportFileError(
                    f"{file_name} holds a cell of more than {_mb(limits.max_cell_bytes)}; the limit is "
                    f"{_mb(limits.max_cell_bytes)} (CXROOM_MAX_CELL_KB; Excel itself holds at most 32,767 "
                    "characters in a cell). Nothing was read."
                )


def _too_many_rows(file_name: str, what: str, max_rows: int) -> ImportFileError:
    return ImportFileError(
        f"{file_name}: a sheet {what}; the limit is {max_rows:,} rows (CXROOM_MAX_IMPORT_ROWS, and "
        f"{EXCEL_MAX_ROWS:,} for a workbook, Excel's own). Nothing was read."
    )


def check_parquet(path: Path, limits: ImportLimits) -> None:
    """Refuse a Parquet file whose footer says it expands past ``limits``."""
    import pyarrow.parquet as pq

    with path.open("rb") as fh:
        size = fh.seek(0, 2)
        if size < 12:
            raise ImportFileError(f"{path.name} is too short to be a Parquet file.")
        fh.seek(size - 8)
        footer_len, magic = struct.unpack("<I4s", fh.read(8))
    if magic != b"PAR1" or footer_len > min(_MAX_PARQUET_FOOTER, size):
        raise ImportFileError(f"{path.name} is not a readable Parquet file (its footer is damaged).")
    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as exc:  # pyarrow raises several types for damaged files
        raise ImportFileError(f"{path.name} cannot be read as Parquet ({exc}).") from exc
    if meta.num_rows > limits.max_rows:
        raise ImportFileError(
            f"{path.name} has {meta.num_rows:,} rows; the limit is {limits.max_rows:,} "
            "(CXROOM_MAX_IMPORT_ROWS). Nothing was read."
        )
    total = 0
    columns = max(meta.num_columns, 1)
    for i in range(meta.num_row_groups):
        group = meta.row_group(i)
        group_bytes = sum(group.column(c).total_uncompressed_size for c in range(group.num_columns))
        total += group_bytes
        if group.num_rows and group_bytes / group.num_rows > limits.max_cell_bytes * columns:
            raise ImportFileError(
                f"{path.name} holds rows of {_mb(group_bytes / group.num_rows)} on average in one part; "
                f"a cell may hold at most {_mb(limits.max_cell_bytes)} (CXROOM_MAX_CELL_KB). Nothing was read."
            )
    if total > limits.max_uncompressed_bytes:
        raise ImportFileError(
            f"{path.name} expands to {_mb(total)} when unpacked; the limit is "
            f"{_mb(limits.max_uncompressed_bytes)} (CXROOM_MAX_UNCOMPRESSED_MB). Nothing was read."
        )

"""Look at a data file before reading it: what it really is (from its bytes,
never its name), how its text is encoded, which delimiter it uses, what its
header says, and where its blank records are.

Nothing here reads the data rows into Python: the rows are read set-wise by
DuckDB (see cxroom.importers.stage). This module only inspects the first
kilobytes, streams the file once to check the encoding, and (rarely) scans it
with numpy for blank records.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import mmap
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from cxroom.importers.encoding import (
    Decoding,
    EncodingUncertainError,
    normalise_encoding,
    scan,
    write_utf8_copy,
)
from cxroom.importers.errors import ImportFileError
from cxroom.importers.fallback_encoding import choose_fallback

# A single import may not exceed this unless the caller says otherwise
# (CXROOM_MAX_IMPORT_MB; see docs/listening.md).
DEFAULT_MAX_IMPORT_BYTES = 1024 * 1024 * 1024

DELIMITERS = (",", ";", "\t", "|")
_CHUNK = 16 * 1024 * 1024
_SAMPLE = 256 * 1024

_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Excel (.xls) or Office file; save it as .xlsx or CSV"),
    (b"\x1f\x8b", "a gzip archive; unpack it first"),
    (b"7z\xbc\xaf", "a 7-Zip archive; unpack it first"),
    (b"Rar!", "a RAR archive; unpack it first"),
    (b"RIFF", "an audio or video file"),
    (b"OggS", "an audio file"),
    (b"ID3", "an MP3 audio file"),
    (b"SQLite format 3", "an SQLite database"),
)


@dataclass
class FileInfo:
    """What a file turned out to be."""

    path: Path
    kind: str  # csv | xlsx | parquet
    size_bytes: int
    encoding: str = "utf-8"
    delimiter: str = ","
    headers: list[str] = field(default_factory=list)
    sha256: str = ""
    # the file DuckDB should read (a UTF-8 copy when the original was not UTF-8, or a preview's sample)
    read_path: Path | None = None
    notes: list[str] = field(default_factory=list)
    decoding: Decoding = field(default_factory=lambda: Decoding(encoding="utf-8"))

    @property
    def readable_path(self) -> Path:
        return self.read_path or self.path


def sniff_kind(path: Path, *, max_bytes: int = DEFAULT_MAX_IMPORT_BYTES) -> tuple[str, int]:
    """('csv' | 'xlsx' | 'parquet', size) from the file's bytes; a clear error otherwise."""
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise ImportFileError(f"There is no file {path}.") from exc
    except OSError as exc:
        raise ImportFileError(f"Cannot read {path}: {exc.strerror}.") from exc
    if path.is_dir():
        raise ImportFileError(f"{path} is a folder, not a file.")
    if size == 0:
        raise ImportFileError(f"The file {path.name} is empty (0 bytes).")
    if size > max_bytes:
        raise ImportFileError(
            f"The file {path.name} is {size / 1e6:,.1f} MB; the import limit is {max_bytes / 1e6:,.0f} MB. "
            "Split it, or raise CXROOM_MAX_IMPORT_MB."
        )
    with path.open("rb") as fh:
        head = fh.read(8192)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile as exc:
            raise ImportFileError(f"{path.name} looks like a ZIP/XLSX file but is damaged.") from exc
        if "xl/workbook.xml" in names:
            return "xlsx", size
        raise ImportFileError(f"{path.name} is a ZIP archive, not an Excel workbook or CSV file.")
    if head.startswith(b"PAR1"):
        return "parquet", size
    for signature, what in _BINARY_SIGNATURES:
        if head.startswith(signature):
            raise ImportFileError(f"{path.name} is {what}, not a CSV, XLSX or Parquet file.")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "csv", size  # Excel's "Unicode text": transcoded below
    if b"\x00" in head:
        raise ImportFileError(f"{path.name} contains binary data (NUL bytes); it is not a text (CSV) file.")
    return "csv", size


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def detect_encoding(path: Path, declared: str | None = None) -> tuple[str, str]:
    """(encoding, sha256): 'utf-8', 'utf-16'/'utf-32' (BOM), or the encoding of the lines that are not UTF-8.

    Raises EncodingUncertainError when that cannot be told for sure and none was ``declared``.
    """
    found = scan(path)
    if found.wide:
        return found.wide, found.sha256
    if found.all_utf8:
        return "utf-8", found.sha256
    if declared:
        return normalise_encoding(declared), found.sha256
    return choose_fallback(found.sample, path.name, found.invalid_lines), found.sha256


def _sample_text(path: Path) -> str:
    with path.open("rb") as fh:
        raw = fh.read(_SAMPLE)
    text = raw.decode("utf-8", errors="replace")
    return text.removeprefix("\ufeff")


def detect_delimiter(sample: str) -> str:
    """The delimiter that splits the first records into the most, and most consistent, columns."""
    best, best_score = ",", (-1, -1)
    # drop a possibly cut last record
    cut = sample.rfind("\n")
    body = sample[:cut] if cut > 0 else sample
    for delim in DELIMITERS:
        try:
            rows = list(csv.reader(io.StringIO(body), delimiter=delim, quotechar='"', doublequote=True))[:200]
        except csv.Error:
            continue
        rows = [r for r in rows if r]
        if not rows:
            continue
        width = len(rows[0])
        consistent = sum(1 for r in rows if len(r) == width)
        score = (consistent if width > 1 else 0, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def read_header(sample: str, delimiter: str) -> list[str]:
    try:
        reader = csv.reader(io.StringIO(sample), delimiter=delimiter, quotechar='"', doublequote=True)
        header = next(reader, [])
    except csv.Error as exc:
        raise ImportFileError(f"The header row cannot be read: {exc}.") from exc
    return [h.strip() for h in header]


def inspect_csv(
    path: Path,
    size: int,
    workdir: Path,
    *,
    delimiter: str | None = None,
    encoding: str | None = None,
    max_records: int | None = None,
) -> FileInfo:
    """Encoding, delimiter and header of a text file (writing a UTF-8 copy when needed).

    ``encoding`` names the encoding of the lines that are not UTF-8 (detected
    when None); ``max_records`` limits the copy DuckDB reads to that many
    records, header included (an upload preview's bounded sample).
    """
    found = scan(path)
    info = FileInfo(path=path, kind="csv", size_bytes=size, sha256=found.sha256)
    fallback = None
    if not found.all_utf8 and not found.wide:
        if encoding:
            fallback = normalise_encoding(encoding)
            fallback = None if fallback == "utf-8" else fallback
        else:
            fallback = choose_fallback(found.sample, path.name, found.invalid_lines)
    if found.all_utf8 and max_records is None:
        info.decoding = Decoding(encoding="utf-8")
    else:
        target = workdir / ("sample.csv" if max_records is not None else "utf8-copy.csv")
        info.decoding = write_utf8_copy(path, target, found, fallback, max_records=max_records)
        info.decoding.declared = bool(encoding)
        info.read_path = target
    if encoding and not found.all_utf8 and not fallback and not found.wide:
        info.decoding.encoding = "utf-8"  # declared UTF-8: the other lines are quarantined, not guessed
    info.encoding = info.decoding.encoding
    info.notes.extend(info.decoding.notes())
    sample = _sample_text(info.readable_path)
    if not sample.strip():
        raise ImportFileError(f"The file {path.name} contains only blank lines.")
    info.delimiter = delimiter or detect_delimiter(sample)
    info.headers = read_header(sample, info.delimiter)
    if not any(info.headers):
        raise ImportFileError(f"The first line of {path.name} is empty; the first line must name the columns.")
    return info


def blank_record_rows(path: Path, quote: int = ord('"')) -> list[int]:
    """1-based data-row numbers (header = row 0) of blank records, counted the way csv.reader counts.

    DuckDB skips blank lines silently but still counts them in its line numbers;
    to number every other row as in the file we need to know where they are.
    Runs only when the file contains an empty line at all (fast byte search);
    then scans it in chunks with numpy, tracking quote parity so that blank
    lines inside a quoted narrative are not mistaken for blank records.
    """
    with path.open("rb") as fh:
        if fh.seek(0, 2) == 0:
            return []
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            if re.search(rb"\n\r?\n", mm) is None:  # one pass, 3x faster than two find()s
                return []
        fh.seek(0)
        blanks: list[int] = []
        quotes_before = 0
        record = 0  # index of the record being read; 0 = header
        prev_end = -1  # file offset of the previous record's terminating newline
        offset = 0
        last_byte = -1
        while raw := fh.read(_CHUNK):
            chunk = np.frombuffer(raw, dtype=np.uint8)
            nl = np.flatnonzero(chunk == 10)
            qpos = np.flatnonzero(chunk == quote)
            parity = (np.searchsorted(qpos, nl) + quotes_before) % 2
            for local in nl[parity == 0].tolist():
                end = offset + local
                length = end - prev_end - 1
                before = raw[local - 1] if local > 0 else last_byte
                if (length == 0 or (length == 1 and before == 13)) and record > 0:
                    blanks.append(record)
                record += 1
                prev_end = end
            quotes_before += len(qpos)
            offset += len(raw)
            last_byte = raw[-1]
        return blanks


__all__ = [
    "DEFAULT_MAX_IMPORT_BYTES",
    "Decoding",
    "EncodingUncertainError",
    "FileInfo",
    "ImportFileError",
    "blank_record_rows",
    "detect_delimiter",
    "detect_encoding",
    "file_sha256",
    "inspect_csv",
    "read_header",
    "sniff_kind",
]

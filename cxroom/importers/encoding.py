"""How a text file is encoded, line by line, and a UTF-8 copy of it for DuckDB.

Real exports are not always one encoding: a UTF-8 file gets a row pasted in
from an old Windows tool, and reading the whole file as cp1252 would turn every
UTF-8 row into mojibake ("CafÃ©"). So each line is read as UTF-8 where it is
valid UTF-8 (a legacy encoding almost never produces valid multi-byte UTF-8 by
chance), and only the lines that are not are read with a fallback encoding.

The fallback is chosen by charset-normalizer from the bytes of those lines,
then checked for plausibility (no word mixing scripts, no symbol glued inside a
word; both in cxroom.importers.fallback_encoding). When the plausible candidates
read the bytes as different text and the detector cannot tell them apart, the
encoding is *uncertain*: nothing is guessed, the caller must name it
(``--encoding`` in the CLI, a select in the upload preview).

Two streamed passes, never the whole file in memory: ``scan`` (hash, UTF-8
validity per line, a sample of the lines that are not UTF-8) and
``write_utf8_copy`` (the copy DuckDB reads, counting the rows that needed the
fallback). All encodings handled per line are ASCII-compatible, so a newline
byte is always a newline and a quote byte always a quote.
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from cxroom.importers.errors import ImportFileError

_CHUNK = 16 * 1024 * 1024
# Bytes of non-UTF-8 lines handed to the detector: enough for a language to show.
_SAMPLE_CAP = 512 * 1024
# A "line" without a newline is processed in pieces of this size (bounded memory).
_MAX_CARRY = 64 * 1024 * 1024
# Row numbers of fallback rows quoted in the report.
_LISTED_ROWS = 10

_WIDE = ("utf_16", "utf_32", "utf_16_le", "utf_16_be", "utf_32_le", "utf_32_be")
_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class EncodingUncertainError(ImportFileError):
    """The file is not all UTF-8 and its other encoding cannot be told for sure."""

    def __init__(self, file_name: str, candidates: list[tuple[str, str]], lines: int) -> None:
        self.candidates = candidates  # (encoding, how the first such line reads with it)
        names = ", ".join(name for name, _ in candidates) or "none that decodes it"
        super().__init__(
            f"{lines:,} line(s) of {file_name} are not UTF-8, and their encoding cannot be told for sure "
            f"(it could be {names}). Name the encoding and import again."
        )


@dataclass
class EncodingScan:
    """What the first pass found."""

    sha256: str
    wide: str | None = None  # utf-16 / utf-32 (with BOM): the whole file is transcoded
    invalid_lines: int = 0  # lines that are not valid UTF-8
    utf8_non_ascii: bool = False  # some line is valid UTF-8 with non-ASCII text
    sample: bytes = b""  # first non-UTF-8 lines, for the detector
    first_invalid: bytes = b""

    @property
    def all_utf8(self) -> bool:
        return self.wide is None and self.invalid_lines == 0


@dataclass
class Decoding:
    """How a file's text was read: the report's encoding fields."""

    encoding: str  # utf-8, utf-16, or the legacy encoding when no line is UTF-8 beyond ASCII
    fallback: str | None = None  # encoding of the lines that are not UTF-8
    fallback_rows: int = 0  # data rows (header excluded) with at least one line read with the fallback
    fallback_row_numbers: list[int] = field(default_factory=list)  # the first few, as in the file
    header_fallback: bool = False
    undecodable_rows: int = 0  # rows valid in neither: left as bytes, DuckDB quarantines them
    declared: bool = False

    def notes(self) -> list[str]:
        out = []
        if self.encoding in ("utf-16", "utf-32"):
            out.append(f"The file is {self.encoding.upper()}; it was read as such.")
        elif self.fallback and self.encoding == self.fallback:
            how = "as you said" if self.declared else "detected"
            out.append(f"The file is not UTF-8; it was read as {self.fallback} ({how}).")
        elif self.fallback:
            rows = ", ".join(str(n) for n in self.fallback_row_numbers)
            more = " …" if self.fallback_rows > len(self.fallback_row_numbers) else ""
            head = " and the header" if self.header_fallback else ""
            out.append(
                f"{self.fallback_rows:,} row(s){head} are not UTF-8 and were read as {self.fallback} "
                f"(rows {rows}{more}); every other row is UTF-8."
            )
        if self.undecodable_rows:
            out.append(
                f"{self.undecodable_rows:,} row(s) hold bytes that are valid in neither UTF-8 nor "
                f"{self.fallback or 'the named encoding'}; they are quarantined, not guessed."
            )
        return out


def normalise_encoding(name: str) -> str:
    """A codec name as Python spells it ('Windows-1251' -> 'cp1251'); a clear error for an unknown one."""
    try:
        codec = codecs.lookup(name.strip())
    except LookupError as exc:
        raise ImportFileError(f"{name!r} is not an encoding this room knows (try cp1252, cp1250, cp1251).") from exc
    if codec.name in ("utf-8-sig",):
        return "utf-8"
    return codec.name


def scan(path: Path) -> EncodingScan:
    """Hash the file and find its lines that are not UTF-8 (one streamed pass)."""
    digest = hashlib.sha256()
    result = EncodingScan(sha256="")
    sample = bytearray()
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(0)
        wide = _wide_bom(head)
        if wide:
            while chunk := fh.read(_CHUNK):
                digest.update(chunk)
            result.sha256, result.wide = digest.hexdigest(), wide
            return result
        for block in _blocks(fh, digest):
            try:
                text = block.decode("utf-8")
            except UnicodeDecodeError:
                for line in block.split(b"\n"):
                    try:
                        if not line.decode("utf-8").isascii():
                            result.utf8_non_ascii = True
                    except UnicodeDecodeError:
                        result.invalid_lines += 1
                        if not result.first_invalid:
                            result.first_invalid = line[:200]
                        if len(sample) < _SAMPLE_CAP:
                            sample += line[: _SAMPLE_CAP - len(sample)] + b"\n"
                continue
            if not result.utf8_non_ascii and not text.isascii():
                result.utf8_non_ascii = True
    result.sha256, result.sample = digest.hexdigest(), bytes(sample)
    return result


def _wide_bom(head: bytes) -> str | None:
    for bom in _BOMS:
        if head.startswith(bom):
            return "utf-32" if len(bom) == 4 else "utf-16"
    return None


def _blocks(fh: BinaryIO, digest: hashlib._Hash | None = None) -> Iterator[bytes]:
    """The file in blocks that end on a newline (the last one may not)."""
    carry = b""
    while chunk := fh.read(_CHUNK):
        if digest is not None:
            digest.update(chunk)
        block = carry + chunk
        cut = block.rfind(b"\n") + 1
        if cut == 0 and len(block) < _MAX_CARRY:
            carry = block
            continue
        cut = cut or len(block)
        carry = block[cut:]
        yield block[:cut]
    if carry:
        yield carry


def write_utf8_copy(
    path: Path, target: Path, found: EncodingScan, fallback: str | None, *, max_records: int | None = None
) -> Decoding:
    """Write the UTF-8 copy DuckDB reads, and count the rows that needed ``fallback``.

    ``max_records`` stops after that many records (header included): the
    bounded sample an upload preview reads.
    """
    if found.wide:
        _transcode_whole(path, target, found.wide, max_records)
        return Decoding(encoding=found.wide)
    result = Decoding(encoding="utf-8", fallback=fallback if found.invalid_lines else None)
    if result.fallback and not found.utf8_non_ascii:
        result.encoding = result.fallback  # nothing in the file is UTF-8 beyond ASCII: one encoding
    record, in_quotes = 0, False
    counted = bad = False  # this record already counted as a fallback / an undecodable row
    with path.open("rb") as src, target.open("wb") as dst:
        for block in _blocks(src):
            if not in_quotes and b'"' not in block:
                try:
                    block.decode("utf-8")
                except UnicodeDecodeError:
                    pass
                else:  # the common case: copy as is, count records by newlines
                    lines = block.count(b"\n")
                    if max_records is not None and record + lines >= max_records:
                        dst.write(b"\n".join(block.split(b"\n")[: max_records - record]) + b"\n")
                        return result
                    dst.write(block)
                    record += lines
                    continue
            for line, last in _lines(block):
                if not in_quotes:  # a new record starts on this line
                    counted = bad = False
                out = line
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError:
                    try:
                        out = line.decode(fallback).encode("utf-8") if fallback else line
                        decoded = fallback is not None
                    except UnicodeDecodeError:
                        decoded = False
                    if decoded and not counted:
                        counted = True
                        if record == 0:
                            result.header_fallback = True
                        else:
                            result.fallback_rows += 1
                            if len(result.fallback_row_numbers) < _LISTED_ROWS:
                                result.fallback_row_numbers.append(record)
                    elif not decoded and not bad:
                        bad = True  # written as is: DuckDB's reader quarantines the row with its reason
                        result.undecodable_rows += 1
                dst.write(out if last else out + b"\n")
                if line.count(b'"') % 2:
                    in_quotes = not in_quotes
                if not last and not in_quotes:
                    record += 1
                    if max_records is not None and record >= max_records:
                        return result
    return result


def _lines(block: bytes) -> Iterator[tuple[bytes, bool]]:
    """(line without its newline, is it the unterminated last piece) for each line of a block."""
    parts = block.split(b"\n")
    for i, part in enumerate(parts):
        if i == len(parts) - 1:
            if part:
                yield part, True
        else:
            yield part, False


def _transcode_whole(path: Path, target: Path, encoding: str, max_records: int | None) -> None:
    with path.open("r", encoding=encoding, newline="") as src, target.open("w", encoding="utf-8", newline="") as dst:
        if max_records is None:
            while chunk := src.read(_CHUNK // 4):
                dst.write(chunk)
            return
        for n, line in enumerate(src):
            if n >= max_records * 4:  # lines, not records: a generous bound for a preview
                break
            dst.write(line)

"""The CSV read while Python inspects the file (cxroom.importers.stage._stage_csv_checked): a
UTF-8 file is read once, as inspected; a file that turns out otherwise (other lines in
cp1252 past the first 256 kB, a UTF-16 file, a delimiter the first lines do not show) is
staged exactly as reading it after the inspection stages it, with nothing left of the
dropped read."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from cxroom.importers import stage
from cxroom.importers.sniff import inspect_csv
from cxroom.store import Store, Tx

HEADER = "id,date,category,narrative\n"


def _rows(n: int, start: int = 0) -> str:
    return "".join(f'{i},2026-10-{1 + i % 28:02d},Billing,"said ""no"", twice"\n' for i in range(start, start + n))


def _staged(tx: Tx, staged: stage.Staged) -> dict[str, Any]:
    cols = ", ".join(f"c{i}" for i in range(len(staged.headers)))
    return {
        "headers": staged.headers,
        "rows": tx.fetch_all(f"SELECT rn, {cols} FROM {staged.table} ORDER BY rn"),
        "rejects": tx.fetch_all(f"SELECT rn, col, message FROM {staged.rejects} ORDER BY rn"),
        "counts": (staged.rows_staged, staged.rows_unparsable),
        "info": (staged.info.sha256, staged.info.encoding, staged.info.delimiter, staged.info.decoding.fallback_rows),
        "notes": staged.notes,
    }


def _both(
    tmp_path: Path, path: Path, *, delimiter: str | None = None, encoding: str | None = None
) -> tuple[dict[str, Any], dict[str, Any], int]:
    """(staged the overlapped way, staged after inspecting, temp tables left by the first)."""
    store = Store(tmp_path / "room.duckdb")
    try:
        with store.transaction("test") as tx:
            before = len(tx.fetch_all("SELECT table_name FROM information_schema.tables WHERE table_catalog = 'temp'"))
            checked = stage.stage_file(tx, path, tmp_path, delimiter=delimiter, encoding=encoding)
            left = len(tx.fetch_all("SELECT table_name FROM information_schema.tables WHERE table_catalog = 'temp'"))
            overlapped = _staged(tx, checked)
            info = inspect_csv(path, path.stat().st_size, tmp_path, delimiter=delimiter, encoding=encoding)
            tx.execute("CREATE TEMP TABLE rej_serial (rn BIGINT, col VARCHAR, message VARCHAR, raw_line VARCHAR)")
            serial = stage._stage_csv(tx, info, "stg_serial", "rej_serial", None)
            serial.notes[:0] = info.notes
            return overlapped, _staged(tx, serial), left - before
    finally:
        store.close()


def test_a_utf8_file_is_read_once_as_inspected(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text(HEADER + _rows(5000) + "\n" + _rows(10, 5000) + "1,2,3,4,5\n", encoding="utf-8")
    overlapped, serial, tables = _both(tmp_path, path)
    assert overlapped == serial
    assert overlapped["info"][0] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert overlapped["counts"] == (5010, 1) and any("blank line" in n for n in overlapped["notes"])
    # the staging tables of one read: rejects, raw, skip, DuckDB's two reject tables, the numbered rows
    assert tables == 6


@pytest.mark.parametrize("how", ["cp1252-past-the-sample", "utf16", "semicolons-after-a-comma-header"])
def test_a_file_that_is_not_what_its_first_lines_say_is_staged_as_inspected(tmp_path: Path, how: str) -> None:
    path = tmp_path / f"{how}.csv"
    delimiter = encoding = None
    if how == "cp1252-past-the-sample":
        encoding = "cp1252"  # one line does not tell cp1252 from cp1250
        body = (HEADER + _rows(8000)).encode("utf-8")
        assert len(body) > 256 * 1024
        path.write_bytes(body + "9001,2026-10-01,Café,naïve – “quoted”\n".encode("cp1252"))
    elif how == "utf16":
        path.write_text(HEADER + _rows(50) + "51,2026-10-02,Café,ünïcode\n", encoding="utf-16")
    else:
        path.write_text("a;b,c\n1;2,3\n4;5,6\n", encoding="utf-8")
        delimiter = ";"
    overlapped, serial, tables = _both(tmp_path, path, delimiter=delimiter, encoding=encoding)
    assert overlapped == serial
    assert serial["counts"][0] > 0
    assert tables == 6  # the dropped read left nothing behind
    if how == "cp1252-past-the-sample":
        assert overlapped["info"][3] == 1 and "Café" in str(overlapped["rows"][-1])

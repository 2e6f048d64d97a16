"""Compressed inputs that expand beyond the limits are refused before they are read,
quickly and in little memory, on every path: the CLI import, the upload preview
and the import the page runs (both in the app's process), for XLSX and Parquet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from cxroom.importers.bounds import ImportLimits, check_parquet, check_xlsx
from cxroom.importers.sniff import ImportFileError
from cxroom.services.imports import import_file, preview_file
from cxroom.store import Store
from tests.importers.bombs import xlsx_cell, xlsx_rows

REPO = Path(__file__).resolve().parents[2]
# A behaviour limit, not a benchmark: before the checks these files took 2.3-5.2 GB and minutes.
MAX_RSS_MB = 400
MAX_SECONDS = 60

_MEASURE = """
import json, resource, sys, time
from pathlib import Path
start = time.perf_counter()
error = None
try:
    from cxroom.store import Store
    from cxroom.services import imports
    store = Store(sys.argv[1])
    call = imports.preview_file if sys.argv[3] == "preview" else imports.import_file
    extra = {} if sys.argv[3] == "preview" else {"actor": "system"}
    call(store, kind="complaints", path=Path(sys.argv[2]), **extra)
except Exception as exc:
    error = f"{type(exc).__name__}: {exc}"
# VmHWM, not getrusage: Linux carries ru_maxrss across exec, so a child of a large pytest process
# would report the parent's size; VmHWM belongs to this process's own memory map.
hwm = [line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:")]
rss_kb = int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"error": error, "seconds": time.perf_counter() - start, "rss_mb": rss_kb / 1024}))
"""


def measure(path: Path, how: str, tmp: Path) -> dict:
    """Refuse ``path`` in a fresh process: its error, seconds and peak RSS."""
    env = {**os.environ, "CXROOM_DB": str(tmp / "room.duckdb")}
    if how == "cli":
        code = (
            "import json, resource, subprocess, sys, time\n"
            "start = time.perf_counter()\n"
            "p = subprocess.run([sys.executable, '-m', 'cxroom', 'import', 'complaints', sys.argv[1], '--quiet'],"
            " capture_output=True, text=True)\n"
            "print(json.dumps({'error': p.stderr.strip() if p.returncode else None, 'rc': p.returncode,"
            " 'seconds': time.perf_counter() - start,"
            " 'rss_mb': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))\n"
        )
        args = [sys.executable, "-c", code, str(path)]
    else:
        args = [sys.executable, "-c", _MEASURE, str(tmp / "room.duckdb"), str(path), how]
    done = subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    parquet = folder / "rows.parquet"
    duckdb.sql(
        "COPY (SELECT 1 AS \"Complaint ID\", DATE '2024-01-02' AS \"Date received\", 'Billing' AS Issue "
        f"FROM range(30000000)) TO '{parquet}' (FORMAT parquet)"
    )
    return {
        "xlsx 3,000,000 rows": xlsx_rows(folder / "rows.xlsx", 3_000_000),
        "xlsx 3,000,000 rows, no <dimension>": xlsx_rows(folder / "rows-nodim.xlsx", 3_000_000, dimension=False),
        "xlsx one 500 MB cell": xlsx_cell(folder / "cell.xlsx", 500),
        "parquet 30,000,000 rows": parquet,
    }


@pytest.mark.slow
@pytest.mark.parametrize("how", ["cli", "preview", "import"])
@pytest.mark.parametrize(
    "bomb",
    ["xlsx 3,000,000 rows", "xlsx 3,000,000 rows, no <dimension>", "xlsx one 500 MB cell", "parquet 30,000,000 rows"],
)
def test_a_bomb_is_refused_quickly_in_little_memory(
    bombs: dict[str, Path], bomb: str, how: str, tmp_path: Path
) -> None:
    path = bombs[bomb]
    assert path.stat().st_size < 2_000_000  # small files, all of them
    result = measure(path, how, tmp_path)
    print(f"\n{bomb} via {how}: {result}")
    assert result["error"] is not None, "the file was imported"
    assert "limit" in result["error"] and "Nothing was read" in result["error"]
    assert result["rss_mb"] < MAX_RSS_MB
    assert result["seconds"] < MAX_SECONDS
    store = Store(tmp_path / "room.duckdb")
    try:
        assert store.fetch_value("SELECT count(*) FROM complaints") == 0
        assert store.fetch_value("SELECT count(*) FROM import_batches") == 0
    finally:
        store.close()


def test_limits_are_settings(tmp_path: Path) -> None:
    from cxroom.services.imports import import_limits
    from cxroom.settings import Settings

    env = {"CXROOM_MAX_UNCOMPRESSED_MB": "2", "CXROOM_MAX_IMPORT_ROWS": "50", "CXROOM_MAX_CELL_KB": "4",
           "CXROOM_PREVIEW_ROWS": "7", "CXROOM_DB": str(tmp_path / "r.duckdb")}  # fmt: skip
    limits = import_limits(Settings.from_env(env))
    assert limits == ImportLimits(2 * 1024 * 1024, 50, 4096, 7)
    assert import_limits(Settings.from_env({"CXROOM_DB": str(tmp_path / "r.duckdb")})) == ImportLimits()


@pytest.mark.parametrize(
    ("build", "limits", "message"),
    [
        (lambda p: xlsx_rows(p, 60), ImportLimits(max_rows=50), "says it has 60 data rows"),
        (lambda p: xlsx_rows(p, 60, dimension=False), ImportLimits(max_rows=50), "more than 50 rows"),
        (lambda p: xlsx_rows(p, 20_000), ImportLimits(max_uncompressed_bytes=1_000_000), "expands to"),
        (lambda p: xlsx_cell(p, 0.75), ImportLimits(max_cell_bytes=512 * 1024), "holds a cell of more than"),
    ],
)
def test_each_xlsx_limit(tmp_path: Path, build, limits: ImportLimits, message: str) -> None:  # type: ignore[no-untyped-def]
    path = build(tmp_path / "b.xlsx")
    with pytest.raises(ImportFileError, match=message):
        check_xlsx(path, limits)
    check_xlsx(path, ImportLimits())  # the same file is within the defaults


def test_files_within_the_limits_import_and_the_preview_reads_a_sample(empty_store: Store, tmp_path: Path) -> None:
    path = xlsx_rows(tmp_path / "ok.xlsx", 50)
    check_xlsx(path, ImportLimits(max_rows=50))
    preview = preview_file(empty_store, kind="complaints", path=path, limits=ImportLimits(preview_rows=10))
    assert (preview.rows_read, preview.sampled) == (10, True)
    report = import_file(empty_store, kind="complaints", path=path, source="x", actor="system")
    assert report.rows_read == 50 and report.balanced
    parquet = tmp_path / "ok.parquet"
    duckdb.sql(f"COPY (SELECT range AS id, 'x' AS v FROM range(100)) TO '{parquet}' (FORMAT parquet)")
    check_parquet(parquet, ImportLimits(max_rows=100))
    with pytest.raises(ImportFileError, match="100 rows; the limit is 99"):
        check_parquet(parquet, ImportLimits(max_rows=99))
    with pytest.raises(ImportFileError, match="expands to"):
        check_parquet(parquet, ImportLimits(max_uncompressed_bytes=10))


def test_csv_preview_reads_only_the_first_rows(empty_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("Complaint ID,Date received,Issue\n" + "".join(f"{i},2024-01-02,A\n" for i in range(1000)))
    preview = preview_file(empty_store, kind="complaints", path=path, limits=ImportLimits(preview_rows=100))
    assert (preview.rows_read, preview.sampled) == (100, True)
    assert preview_file(empty_store, kind="complaints", path=path).rows_read == 1000

"""The importer against DuckDB's own CSV reader, in a process of its own:
``python bench/import_worker.py CONFIG.json OUT.json``, started by
``python -m cxroom bench`` (cxroom/bench/run.py). It lives outside the cxroom
package because it runs SQL of its own (the CSV, the raw read), which only
queries/services/importers may hold. CPU time is this process's, DuckDB's
threads included.

A complaints CSV of N rows (default 1,000,000) is written once, shaped like a
house export: an id, a date, a category that the room's rules map to a stage
(plus a few it does not know), a sub-category, a free-text narrative in a
third of the rows (commas, quotes and newlines in some), a channel and a
severity. Then, on a fresh copy of the room each time, the raw floor is
``CREATE TABLE ... AS SELECT * FROM read_csv(file)`` (types detected, one
commit) and the import is ``cxroom.services.imports.import_file`` of the same
file (sniffing, validation, de-duplication against the room, category rules,
quarantine, batch, audit, commit). The ratio is import / raw, medians.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cxroom.bench.common import median
from cxroom.store import Store

CSV_SQL = """
COPY (
    SELECT 'BENCH-' || lpad(i::VARCHAR, 8, '0') AS "Complaint ID",
           strftime(DATE '2026-10-31' - INTERVAL (hash(i, 1) % 1095) DAY, '%Y-%m-%d') AS "Date received",
           CASE WHEN hash(i, 2) % 50 = 0 THEN 'Something new ' || (hash(i, 3) % 5)::VARCHAR
                ELSE 'Scale category ' || (1 + hash(i, 3) % 60)::VARCHAR END AS "Issue",
           CASE WHEN hash(i, 4) % 3 = 0 THEN 'Detail ' || (hash(i, 4) % 12)::VARCHAR ELSE '' END AS "Sub-issue",
           CASE WHEN hash(i, 5) % 3 = 0 THEN list_element([
                'Waited on hold for an hour, then the call dropped.',
                'My bill does not match the "quoted" price.',
                'Nobody called me back about my claim.' || chr(10) || 'Third time I write.',
                'The renewal price went up with no explanation, again.'], (1 + hash(i, 6) % 4)::INT)
                ELSE '' END AS "Consumer complaint narrative",
           list_element(['Phone', 'Email', 'Web', 'Social', 'Letter'], (1 + hash(i, 7) % 5)::INT) AS "Submitted via",
           list_element(['low', 'normal', 'normal', 'normal', 'high'], (1 + hash(i, 8) % 5)::INT) AS "Severity"
    FROM range(?) t(i)
) TO '{path}' (HEADER, DELIMITER ',')
"""


def write_csv(path: Path, rows: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    try:
        con.execute(CSV_SQL.format(path=str(path).replace("'", "''")), [rows])
    finally:
        con.close()
    return path


def _raw(store: Store, csv: Path) -> tuple[float, float]:
    """(seconds, CPU seconds of this process: DuckDB's threads included) of the raw read."""
    cur = store.cursor()
    try:
        started, cpu = time.perf_counter(), time.process_time()
        cur.execute("CREATE TABLE bench_raw AS SELECT * FROM read_csv(?)", [str(csv)])
        elapsed = (time.perf_counter() - started, time.process_time() - cpu)
        rows = cur.execute("SELECT count(*) FROM bench_raw").fetchone()
        cur.execute("DROP TABLE bench_raw")
    finally:
        cur.close()
    assert rows is not None
    return elapsed


def _through_inbox(db: Path, folder: Path, csv: Path) -> tuple[float, float]:
    """Seconds from handing ``csv`` to the room's inbox to its report, with the worker thread
    running in this process on ``db`` as it runs in the app's; and of those, the seconds that
    were not the import itself (the copy into the inbox, the claim, the report, the waits)."""
    import threading

    from cxroom.cli import handover as client
    from cxroom.inbox.layout import InboxLayout
    from cxroom.inbox.worker import InboxWorker
    from cxroom.settings import Settings
    from cxroom.store import close_all

    settings = Settings(db_path=db, media_dir=folder / "media", inbox_dir=folder / "inbox")
    layout = InboxLayout(settings.inbox_path)
    layout.ensure()
    stop = threading.Event()
    worker = threading.Thread(target=InboxWorker(lambda: settings).run, args=(stop,), daemon=True)
    worker.start()
    try:
        # In the app the worker is long up and idle when a CLI hands a file over: start the clock
        # once its first poll (which opens the room and writes its snapshot) is done.
        from cxroom.inbox.state import read_status

        deadline = time.monotonic() + 120
        while not read_status(layout).get("room") and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # and idle, between two looks at its folders
        started = time.perf_counter()
        name = client.queue_file(layout, "complaints", csv, {"source": "Bench export"})
        found = client.wait_for_report(layout, "complaints", name, timeout=3600)
        elapsed = time.perf_counter() - started
    finally:
        stop.set()
        worker.join(60)
        close_all()
    if found is None or found[0] != "done":
        raise RuntimeError(f"the inbox import did not finish: {found}")
    return elapsed, elapsed - float(found[1]["elapsed_s"])


def measure_import(db: Path, workdir: Path, *, rows: int, repeat: int) -> dict[str, Any]:
    from cxroom.services.imports import import_file

    csv = workdir / f"complaints-{rows}.csv"
    if not csv.exists():
        print(f"    writing a {rows:,}-row complaints CSV…", file=sys.stderr, flush=True)
        write_csv(csv, rows)
    csv.read_bytes()  # into the page cache, for both readers alike
    raw_s, import_s, raw_cpu, import_cpu, inbox_s, overhead_s = [], [], [], [], [], []
    report: Any = None
    for n in range(repeat):
        copy = workdir / f"import-{n}.duckdb"
        for stale in (copy, Path(f"{copy}.wal")):
            stale.unlink(missing_ok=True)
        shutil.copyfile(db, copy)
        store = Store(copy)
        try:
            print(f"    import {n + 1}/{repeat}: raw read_csv, then the importer…", file=sys.stderr, flush=True)
            wall, cpu = _raw(store, csv)
            raw_s.append(wall)
            raw_cpu.append(cpu)
            started, cpu_started = time.perf_counter(), time.process_time()
            report = import_file(store, kind="complaints", path=csv, source="Bench export", actor="cli")
            import_s.append(time.perf_counter() - started)
            import_cpu.append(time.process_time() - cpu_started)
        finally:
            store.close()
            for stale in (copy, Path(f"{copy}.wal")):
                stale.unlink(missing_ok=True)
        shutil.copyfile(db, copy)
        try:
            print(f"    import {n + 1}/{repeat}: through the inbox…", file=sys.stderr, flush=True)
            total, overhead = _through_inbox(copy, workdir / f"inbox-{n}", csv)
            inbox_s.append(total)
            overhead_s.append(overhead)
        finally:
            for stale in (copy, Path(f"{copy}.wal")):
                stale.unlink(missing_ok=True)
            shutil.rmtree(workdir / f"inbox-{n}", ignore_errors=True)
    assert report is not None
    return {
        "rows": rows,
        "csv_mb": csv.stat().st_size / 1e6,
        "import_s": median(import_s),
        "import_samples": import_s,
        "import_raw_s": median(raw_s),
        # As a CLI run beside the app sees it: from placing the file in the inbox (copied as .part,
        # renamed) to its report in done/, the worker idle and looking as in the app (POLL_S, LOOK_S).
        "import_inbox_s": median(inbox_s),
        "import_inbox_samples": inbox_s,
        # The hand-over's own cost (total minus the worker's import): the machine's load moves
        # the import's seconds a lot from one run to the next, this much less.
        "import_inbox_overhead_s": median(overhead_s),
        "import_inbox_overhead_samples": overhead_s,
        "import_raw_samples": raw_s,
        # CPU time (DuckDB's threads included) is less disturbed by other work on the machine than wall time.
        "import_cpu_s": median(import_cpu),
        "import_raw_cpu_s": median(raw_cpu),
        "rows_imported": report.rows_imported,
        "rows_rejected": report.rows_rejected,
        "rows_duplicate": report.rows_duplicate,
    }


def main(argv: list[str]) -> int:
    cfg = json.loads(Path(argv[0]).read_text())
    out = measure_import(Path(cfg["db"]), Path(cfg["workdir"]), rows=int(cfg["rows"]), repeat=int(cfg["repeat"]))
    Path(argv[1]).write_text(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""A kill -9 during a non-UTF-8 import leaves its UTF-8 copy only in the room's
scratch folder, and the next start removes it; a live process's files stay."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cxroom import scratch
from cxroom.store import Store

REPO = Path(__file__).resolve().parents[2]
ROWS = 300_000


@pytest.mark.slow
def test_kill_9_mid_import_leaves_nothing_after_the_next_start(tmp_path: Path) -> None:
    big = tmp_path / "big-cp1252.csv"
    with big.open("w", encoding="cp1252", newline="") as fh:
        fh.write("Complaint ID,Date received,Issue,Consumer complaint narrative\r\n")
        for i in range(ROWS):
            fh.write(f"{i},2024-01-{i % 28 + 1:02d},Réclamation {i % 40},Müller Straße Größe Ärger {i}\r\n")
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    db = tmp_path / "room" / "room.duckdb"
    env = {**os.environ, "CXROOM_DB": str(db), "TMPDIR": str(system_tmp)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "cxroom", "import", "complaints", str(big)],
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if "Reading" in line:  # the UTF-8 copy is written; DuckDB reads it
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL
    left = [p for p in scratch.scratch_root(db).rglob("*") if p.is_file()]
    assert left and all(p.relative_to(scratch.scratch_root(db)).parts[0].startswith(f"p{proc.pid}-") for p in left)
    assert sum(p.stat().st_size for p in left) > 10_000_000  # the copy really was there
    assert list(system_tmp.iterdir()) == []  # nothing in the system temp folder

    Store(db).close()  # the next start (app, CLI or any write connection)
    assert list(scratch.scratch_root(db).iterdir()) == []


def test_clean_keeps_live_processes_and_foreign_names(tmp_path: Path) -> None:
    db = tmp_path / "room.duckdb"
    root = scratch.scratch_root(db)
    mine = scratch.process_folder(db, "uploads")
    parent = root / f"p{os.getppid()}-import-0a1b"
    dead = root / "p999999999-import-0a1b"
    foreign = root / "notes.txt"
    for folder in (parent, dead):
        folder.mkdir(parents=True)
        (folder / "copy.csv").write_text("x")
    foreign.write_text("keep")
    assert scratch.clean_scratch(db) == [dead]
    assert mine.exists() and parent.exists() and foreign.exists() and not dead.exists()
    with scratch.workdir(db, "import") as work:
        assert work.parent == root and work.name.startswith(f"p{os.getpid()}-import-")
    assert not work.exists()

"""A kill -9 in the middle of a large import leaves all of the batch or none of it."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from cxroom.store import Store
from tests.importers.helpers import cfpb

REPO = Path(__file__).resolve().parents[2]
ROWS = 300_000


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.csv"
    rng = random.Random(3)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Complaint ID,Date received,Issue,Sub-issue,Submitted via,Consumer complaint narrative\r\n")
        for i in range(ROWS):
            fh.write(
                f"{i},2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},Issue {rng.randint(1, 40)},"
                f'Sub {rng.randint(1, 5)},Web,"Narrative {i}, with a comma"\r\n'
            )
    return path


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", ["Reading", "Checking values", "Adding new complaints", "Saving the quarantine"])
def test_kill_9_leaves_all_or_nothing(tmp_path: Path, big_file: Path, kill_at: str) -> None:
    db = tmp_path / "room.duckdb"
    env = {**os.environ, "CXROOM_DB": str(db), "CXROOM_MEDIA": str(tmp_path / "media")}
    base = [sys.executable, "-m", "cxroom.cli.imports", "import", "complaints"]
    first = subprocess.run(
        [*base, str(cfpb("cfpb_boa_sample.csv")), "--quiet"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert first.returncode == 0, first.stderr
    proc = subprocess.Popen(
        [*base, str(big_file), "--source", "big"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if kill_at in line:
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL

    store = Store(db)  # recovers from the WAL like any later process would
    try:
        total = store.fetch_value("SELECT count(*) FROM complaints")
        assert total in (438, 438 + ROWS)
        batches = store.fetch_dicts("SELECT id, rows_imported, status FROM import_batches ORDER BY id")
        assert [b["status"] for b in batches] == ["committed"] * len(batches)
        assert len(batches) == (1 if total == 438 else 2)
        for b in batches:
            rows = store.fetch_value("SELECT count(*) FROM complaints WHERE batch_id = ?", [b["id"]])
            assert rows == b["rows_imported"]
        orphans = store.fetch_value(
            "SELECT count(*) FROM complaints WHERE batch_id NOT IN (SELECT id FROM import_batches)"
        )
        assert orphans == 0
    finally:
        store.close()

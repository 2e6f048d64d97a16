"""kill -9 of the room's server in the middle of an inbox import of a large file: the batch is
all or nothing, and after a restart the file is imported exactly once."""

from __future__ import annotations

import json
import os
import random
import signal
from pathlib import Path

import pytest

from cxroom.inbox.layout import KINDS, InboxLayout
from cxroom.store import Store
from tests.browser.conftest import AppServer
from tests.inbox.helpers import drop, reports, room_with_stages, wait_for

ROWS = 300_000
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.csv"
    rng = random.Random(5)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Complaint ID,Date received,Issue,Sub-issue,Submitted via,Consumer complaint narrative\r\n")
        for i in range(ROWS):
            fh.write(
                f"K{i},2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d},Issue {rng.randint(1, 40)},"
                f'Sub {rng.randint(1, 5)},Web,"Narrative {i}, with a comma"\r\n'
            )
    return path


def _running_message(layout: InboxLayout) -> str:
    try:
        status = json.loads(layout.status_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    return str((status.get("running") or {}).get("message") or "")


@pytest.mark.parametrize("kill_at", ["Reading", "Adding new complaints"])
def test_kill_9_mid_import_then_restart_imports_the_file_exactly_once(
    tmp_path: Path, big_file: Path, kill_at: str
) -> None:
    room = room_with_stages(tmp_path)
    layout = InboxLayout(room.inbox_path)
    server = AppServer(room.db_path, media=room.media_dir, script="serve.py", CXROOM_INBOX_SETTLE_SECONDS="1")
    server.start()
    try:
        drop(layout, "complaints", big_file, options={"source": "big"})
        # A step may last a few tenths of a second now that the file is taken at once: look often.
        wait_for(lambda: kill_at in _running_message(layout), 120, f"the import to reach {kill_at!r}", every=0.02)
        assert server.proc is not None
        os.kill(server.proc.pid, signal.SIGKILL)
        server.proc.wait(timeout=30)
        assert server.proc.returncode == -signal.SIGKILL
        server.proc = None
        # Killed mid-import: the file waits in processing/, and the database has none of the batch.
        assert [p.name for k in KINDS for p in layout.processing(k).iterdir() if p.name.endswith("big.csv")]
        store = Store(room.db_path)
        try:
            assert store.fetch_value("SELECT count(*) FROM complaints") == 0
            assert store.fetch_value("SELECT count(*) FROM import_batches") == 0
        finally:
            store.close()
        server.start()
        done = wait_for(lambda: reports(layout, "done"), 300, "the file to be imported after the restart")
    finally:
        server.stop()
    [report] = done
    assert report["rows_imported"] == ROWS and report["committed"] is True
    assert any("after a restart" in note for note in report["notes"])
    assert all(not any(layout.processing(k).iterdir()) for k in KINDS)
    store = Store(room.db_path)
    try:
        assert store.fetch_value("SELECT count(*) FROM complaints") == ROWS
        assert store.fetch_value("SELECT count(DISTINCT external_id) FROM complaints") == ROWS
        batches = store.fetch_dicts("SELECT id, rows_imported, created_by FROM import_batches")
        assert batches == [{"id": batches[0]["id"], "rows_imported": ROWS, "created_by": "inbox"}]
    finally:
        store.close()

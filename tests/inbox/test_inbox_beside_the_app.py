"""Real processes: the room's server (serve.py, no browser open) and `python -m cxroom` run
beside it. Imports and uploads go through the app's inbox and answer like a direct run;
commands that cannot say what to do instead; `info` answers from the running room."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cxroom.inbox.layout import InboxLayout
from cxroom.services.backup import backup_room
from cxroom.settings import Settings
from cxroom.store import Store
from tests.browser.conftest import AppServer
from tests.importers.helpers import cfpb, csv_rows
from tests.inbox.helpers import drop, reports, room_with_stages, wait_for

REPO = Path(__file__).resolve().parents[2]
BOA = cfpb("cfpb_boa_sample.csv")
PNG = REPO / "data" / "demo" / "artifacts" / "pay-first-bill.png"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def running_room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    room = room_with_stages(tmp_path_factory.mktemp("beside"))
    store = Store(room.db_path)
    backup_room(store, room.media_dir, room.db_path.parent / "backup", actor="cli")  # a real one, for `restore`
    store.close()
    with AppServer(room.db_path, media=room.media_dir, script="serve.py", CXROOM_INBOX_SETTLE_SECONDS="1"):
        # No browser ever connects: the worker must have started with the server.
        wait_for(lambda: InboxLayout(room.inbox_path).status_file.exists(), 30, "the inbox worker to report in")
        yield room


def cli(room: Settings, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CXROOM_DB": str(room.db_path), "CXROOM_MEDIA": str(room.media_dir)}
    return subprocess.run(
        [sys.executable, "-m", "cxroom", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )


def info(room: Settings) -> dict[str, object]:
    result = cli(room, "info", "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_import_beside_the_app_prints_the_report_and_exit_codes_of_a_direct_run(running_room: Settings) -> None:
    _header, rows = csv_rows(BOA)
    first = cli(running_room, "import", "complaints", str(BOA), "--source", "CFPB BoA")
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith(f"batch #1: {len(rows)} rows read, {len(rows)} imported, 0 duplicate, 0 rejected")
    assert "handed to its inbox" in first.stderr
    again = cli(running_room, "import", "complaints", str(BOA), "--source", "CFPB BoA", "--json")
    assert again.returncode == 0, again.stderr
    report = json.loads(again.stdout)
    assert (report["batch_id"], report["rows_imported"], report["rows_duplicate"]) == (2, 0, len(rows))
    assert report["file_name"] == BOA.name and "inbox" not in report
    counted = info(running_room)
    assert counted["tables"]["complaints"] == len(rows)  # type: ignore[index]
    assert counted["inbox"]["done"] >= 2 and counted["inbox"]["worker_running"] is True  # type: ignore[index]


def test_a_failed_import_beside_the_app_exits_1_with_the_reason(running_room: Settings, tmp_path: Path) -> None:
    broken = tmp_path / "readings.csv"
    broken.write_text("nothing,here\n1,2\n", encoding="utf-8")
    result = cli(running_room, "import", "kpis", str(broken))
    assert result.returncode == 1
    assert "error: " in result.stderr and "period" in result.stderr
    assert result.stdout == ""
    missing = cli(running_room, "import", "complaints", str(tmp_path / "absent.csv"))
    assert missing.returncode == 1 and "There is no file" in missing.stderr


def test_add_artifact_beside_the_app(running_room: Settings) -> None:
    result = cli(running_room, "add", "artifact", str(PNG), "--stage", "pay", "--kind", "bill", "--json")
    assert result.returncode == 0, result.stderr
    new_id = json.loads(result.stdout)["artifact_id"]
    assert info(running_room)["tables"]["artifacts"] == 1 and new_id >= 1  # type: ignore[index]
    unknown_stage = cli(running_room, "add", "artifact", str(PNG), "--stage", "nowhere")
    assert unknown_stage.returncode == 1 and "nowhere" in unknown_stage.stderr


def test_no_wait_returns_once_queued_and_the_file_is_imported(running_room: Settings, tmp_path: Path) -> None:
    own = tmp_path / "own.csv"
    own.write_text("id,Date received,Issue\nNW-1,2024-03-01,Late refund\nNW-2,2024-03-02,Late refund\n")
    result = cli(running_room, "import", "complaints", str(own), "--source", "No wait", "--no-wait", "--json")
    assert result.returncode == 0, result.stderr
    queued = json.loads(result.stdout)
    layout = InboxLayout(running_room.inbox_path)
    found = wait_for(lambda: layout.find_report("complaints", queued["name"]), 30, "the queued file's report")
    assert found[0] == "done"
    assert json.loads(found[1].read_text())["rows_imported"] == 2


def test_a_file_dropped_with_no_browser_open_is_imported_and_a_broken_one_fails(
    running_room: Settings, tmp_path: Path
) -> None:
    layout = InboxLayout(running_room.inbox_path)
    before = info(running_room)["tables"]["complaints"]  # type: ignore[index]
    dropped = tmp_path / "dropped.csv"
    dropped.write_text("id,Date received,Issue\nDR-1,2024-04-01,Rude agent\nDR-2,2024-04-02,Rude agent\nDR-3,x,y\n")
    drop(layout, "complaints", dropped, options={"source": "SFTP drop"})
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    drop(layout, "complaints", broken)
    wait_for(lambda: {r.get("file_name") for r in reports(layout, "failed")} >= {"broken.xlsx"}, 30, "broken.xlsx")
    done = wait_for(lambda: [r for r in reports(layout, "done") if r.get("file_name") == "dropped.csv"], 30, "done")
    assert (done[0]["rows_imported"], done[0]["rows_rejected"]) == (2, 1)
    assert info(running_room)["tables"]["complaints"] == before + 2  # type: ignore[index]


@pytest.mark.parametrize(
    ("args", "advice"),
    [
        (["user", "x@example.com", "admin"], "Admin page (People and roles)"),
        (["token", "create"], "Admin page (Wall screens)"),
        (["restore", "BACKUP"], "Stop the app"),
        (["import", "undo", "1"], "Listening page"),
    ],
    ids=["user", "token", "restore", "undo"],
)
def test_commands_that_cannot_go_through_the_inbox_say_what_to_do(
    running_room: Settings, args: list[str], advice: str
) -> None:
    result = cli(running_room, *[str(running_room.db_path.parent / "backup") if a == "BACKUP" else a for a in args])
    assert result.returncode == 1
    assert advice in result.stderr
    assert "Traceback" not in result.stderr

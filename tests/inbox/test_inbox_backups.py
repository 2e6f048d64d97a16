"""Scheduled backups on a real room: taken once a day at the set time, verified against their
manifest, pruned to the newest N (never touching backups taken by hand), recorded."""

from __future__ import annotations

import json
from datetime import datetime, time
from pathlib import Path

import pytest

from cxroom.inbox.backups import BackupSchedule, scheduled_backups
from cxroom.inbox.layout import InboxLayout
from cxroom.inbox.state import WorkerState
from cxroom.services.backup import verify_backup
from cxroom.settings import Settings
from cxroom.store import close_all, open_store
from tests.inbox.helpers import room_with_stages


@pytest.fixture
def room(tmp_path: Path) -> Settings:
    settings = room_with_stages(tmp_path, backup_time=time(2, 30), backup_keep=2)
    yield settings
    close_all()


def run(schedule: BackupSchedule, room: Settings, state: WorkerState, at: datetime) -> bool:
    return schedule.run_if_due(open_store(room.db_path), room, state, actor="schedule", now=at)


def test_backups_run_once_a_day_at_the_time_verified_and_pruned(room: Settings) -> None:
    state = WorkerState(InboxLayout(room.inbox_path))
    manual = room.backup_path / "by-hand"
    manual.mkdir(parents=True)
    (manual / "keep-me.txt").write_text("a backup someone took by hand")
    days = [datetime(2026, 11, d, 2, 30, 5) for d in (1, 2, 3)]
    assert not run(BackupSchedule(), room, state, datetime(2026, 11, 1, 2, 29)), "ran before its time"
    for day in days:
        schedule = BackupSchedule()  # a new process each day: "done today" is read from the folders
        assert run(schedule, room, state, day)
        assert not run(BackupSchedule(), room, state, day.replace(hour=23)), "a second backup the same day"
        last = state.data["backup"]["last"]
        assert last["ok"] is True and last["tables"] > 10 and last["verified_files"] > 0
        verify_backup(Path(last["folder"]))  # raises if a file differs from the manifest
    kept = [p.name for p in scheduled_backups(room.backup_path)]
    assert kept == ["scheduled-20261102-023005", "scheduled-20261103-023005"]
    assert (manual / "keep-me.txt").exists()
    assert state.data["backup"]["last"]["pruned"] == ["scheduled-20261101-023005"]
    store = open_store(room.db_path)
    assert store.fetch_value("SELECT count(*) FROM audit_log WHERE actor = 'schedule' AND action = 'backup'") == 3
    assert store.fetch_value("SELECT count(*) FROM audit_log WHERE action = 'backup_verified'") == 3
    status = json.loads(InboxLayout(room.inbox_path).status_file.read_text())
    assert status["backup"]["last"]["folder"].endswith("scheduled-20261103-023005")


def test_a_failed_backup_is_reported_and_not_retried_every_poll(room: Settings) -> None:
    room.backup_path.parent.mkdir(parents=True, exist_ok=True)
    room.backup_path.write_text("a file where the backup folder should be")
    state = WorkerState(InboxLayout(room.inbox_path))
    schedule = BackupSchedule()
    at = datetime(2026, 11, 5, 3, 0)
    assert run(schedule, room, state, at)
    last = state.data["backup"]["last"]
    assert last["ok"] is False and last["error"]
    assert not run(schedule, room, state, at.replace(minute=1)), "retried at once"


def test_no_schedule_no_backup(tmp_path: Path) -> None:
    room = room_with_stages(tmp_path)
    state = WorkerState(InboxLayout(room.inbox_path))
    assert not run(BackupSchedule(), room, state, datetime(2026, 11, 5, 23, 59))
    assert not room.backup_path.exists()
    close_all()

"""Scheduled backups, run by the inbox worker in the room's own process: once a day at
CXROOM_BACKUP_TIME (local time) into CXROOM_BACKUP_DIR/scheduled-YYYYMMDD-HHMMSS, verified
against its manifest, and only the newest CXROOM_BACKUP_KEEP scheduled backups are kept.

"Already done today" is read from the folder names, so a restart after the backup time
does not take a second one, and a room that was down at the time takes it when it starts.
"""

from __future__ import annotations

import logging
import re
import shutil
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cxroom.errors import CxroomError
from cxroom.inbox.state import WorkerState
from cxroom.services.backup import backup_room, verify_backup
from cxroom.settings import Settings
from cxroom.store import Store

PREFIX = "scheduled-"
_NAME = re.compile(r"^scheduled-(\d{8})-(\d{6})$")
_log = logging.getLogger(__name__)


def scheduled_backups(folder: Path) -> list[Path]:
    """The scheduled backup folders, oldest first (names sort by time)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_dir() and _NAME.match(p.name))


def prune(folder: Path, keep: int, *, current: Path | None = None) -> list[str]:
    """Delete all but the newest ``keep`` complete scheduled backups, and any incomplete one
    (no manifest: a backup cut off by a crash). Backups taken by hand are never touched."""
    found = scheduled_backups(folder)
    complete = [p for p in found if (p / "manifest.json").is_file()]
    doomed = [p for p in found if p not in complete and p != current] + complete[:-keep]
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
    return [p.name for p in doomed]


class BackupSchedule:
    """Remembers the day it last tried, so a failing backup is tried once a day, not every poll."""

    def __init__(self) -> None:
        self.attempted_on: date | None = None

    def due(self, settings: Settings, now: datetime) -> bool:
        if settings.backup_time is None or now.time() < settings.backup_time:
            return False
        if self.attempted_on == now.date():
            return False
        today = f"{PREFIX}{now:%Y%m%d}-"
        return not any(
            p.name.startswith(today) and (p / "manifest.json").is_file()
            for p in scheduled_backups(settings.backup_path)
        )

    def run_if_due(
        self, store: Store, settings: Settings, state: WorkerState, *, actor: str, now: datetime | None = None
    ) -> bool:
        now = now or datetime.now()
        if not self.due(settings, now):
            return False
        self.attempted_on = now.date()
        entry = run_backup(store, settings, actor=actor, now=now)
        state.update(backup={**schedule_description(settings), "last": entry})
        return True


def run_backup(store: Store, settings: Settings, *, actor: str, now: datetime) -> dict[str, Any]:
    """Take, verify and record one scheduled backup, then prune; the answer says how it went."""
    dest = settings.backup_path / f"{PREFIX}{now:%Y%m%d-%H%M%S}"
    started = datetime.now()
    try:
        report = backup_room(store, settings.media_dir, dest, actor=actor)
        manifest = verify_backup(dest)
        pruned = prune(settings.backup_path, settings.backup_keep, current=dest)
        entry: dict[str, Any] = {
            "ok": True,
            "folder": str(dest),
            "at": now.isoformat(timespec="seconds"),
            "seconds": round((datetime.now() - started).total_seconds(), 2),
            "tables": len(report.tables),
            "rows": report.total_rows,
            "media_files": report.media_files,
            "verified_files": len(manifest["files"]),
            "pruned": pruned,
        }
        with store.transaction(actor) as tx:
            tx.audit("backup_verified", "room", str(dest), None, entry)
    except (CxroomError, OSError) as exc:
        _log.exception("scheduled backup failed")
        shutil.rmtree(dest, ignore_errors=True)
        entry = {"ok": False, "folder": str(dest), "at": now.isoformat(timespec="seconds"), "error": str(exc)}
    return entry


def schedule_description(settings: Settings) -> dict[str, Any]:
    return {
        "time": None if settings.backup_time is None else settings.backup_time.strftime("%H:%M"),
        "folder": str(settings.backup_path),
        "keep": settings.backup_keep,
    }

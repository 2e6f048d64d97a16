"""The worker's state in inbox/status.json: written by the worker (atomically), read by the
Listening page, Admin and `cxroom info` — which may run in another process, beside the app,
so the state is a file and not a table."""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from cxroom.inbox.layout import InboxLayout, read_json, split_stamped, write_json_atomically
from cxroom.store import utcnow

# The worker rewrites status.json at least this often; older than ALIVE_S means no worker.
HEARTBEAT_S = 2.0
ALIVE_S = 15.0


class WorkerState:
    """The worker's side: an in-memory dict, written to status.json on every change and heartbeat."""

    def __init__(self, layout: InboxLayout) -> None:
        self.layout = layout
        self._lock = threading.Lock()
        previous = read_status(layout)
        self.data: dict[str, Any] = {
            "pid": os.getpid(),
            "started_at": utcnow().isoformat(timespec="seconds"),
            "heartbeat": None,
            "running": None,
            "processed": {"done": 0, "failed": 0},
            "last_done": previous.get("last_done"),
            "last_error": previous.get("last_error"),
            "room": previous.get("room"),
            "backup": previous.get("backup") or {},
        }
        self._last_write = 0.0

    def update(self, **changes: Any) -> None:
        with self._lock:
            self.data.update(changes)
            self._write()

    def heartbeat(self, force: bool = False) -> None:
        with self._lock:
            if force or time.monotonic() - self._last_write >= HEARTBEAT_S:
                self._write()

    def _write(self) -> None:
        self.data["heartbeat"] = utcnow().isoformat(timespec="seconds")
        try:
            write_json_atomically(self.layout.status_file, self.data, durable=False)  # a snapshot: rewritten often
        except OSError:
            return  # a full disk must not stop imports; the next write tries again
        self._last_write = time.monotonic()


def read_status(layout: InboxLayout) -> dict[str, Any]:
    try:
        data = read_json(layout.status_file)
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def worker_alive(status: dict[str, Any], now: datetime | None = None) -> bool:
    beat = status.get("heartbeat")
    if not beat:
        return False
    try:
        age = ((now or utcnow()) - datetime.fromisoformat(beat)).total_seconds()
    except ValueError:
        return False
    return age <= ALIVE_S


def inbox_summary(folder: Path, *, recent: int = 5) -> dict[str, Any]:
    """What `info --json` prints under "inbox" and the Listening page shows: counts of queued,
    running, done and failed files, the last error, and whether a worker is watching."""
    layout = InboxLayout(folder)
    status = read_status(layout)
    queued = layout.queued()
    done, failed = layout.reports("done"), layout.reports("failed")
    return {
        "folder": str(folder),
        "worker_running": worker_alive(status),
        "worker_heartbeat": status.get("heartbeat"),
        "queued": len(queued),
        "queued_files": [f"{kind}/{path.name}" for kind, path in queued[:recent]],
        "running": status.get("running") if worker_alive(status) else None,
        "done": len(done),
        "failed": len(failed),
        "recent_done": [_report_entry(p) for p in done[:recent]],
        "recent_failed": [_report_entry(p) for p in failed[:recent]],
        "last_error": status.get("last_error"),
        "backup": status.get("backup") or {},
    }


def _report_entry(path: Path) -> dict[str, Any]:
    parts = split_stamped(path.name)
    entry: dict[str, Any] = {"kind": path.parent.name, "report": str(path)}
    if parts:
        entry["claimed_at"] = parts[0].isoformat(timespec="seconds")
    try:
        report = read_json(path)
    except (OSError, ValueError):
        return entry
    entry["file_name"] = report.get("file_name")
    entry["error"] = report.get("error")
    entry["batch_id"] = report.get("batch_id")
    entry["rows_imported"] = report.get("rows_imported")
    return entry

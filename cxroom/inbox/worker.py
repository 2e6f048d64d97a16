"""The inbox worker: one thread in the room's server process that imports dropped files,
one at a time, through the same services as the Listening page, and runs the scheduled
backups.

Crash safety. A file is claimed by writing its validated options as processing/STAMP_NAME.job.json
and then renaming the file next to it (STAMP is the claim time). Its import is one DuckDB
transaction, so a kill -9 leaves the batch whole or absent. On the next start a file still in
processing/ is looked up: a batch (or call, artifact) the worker created under that name after
the claim time means it committed before the crash, and the file goes to done/ without a second
import; otherwise it is imported again. Either way it is imported exactly once.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from cxroom.errors import CxroomError, InvalidInputError
from cxroom.inbox import backups
from cxroom.inbox.jobs import load_job, parse_job, sidecar_of
from cxroom.inbox.layout import (
    JOB_SUFFIX,
    KINDS,
    REPORT_SUFFIX,
    InboxLayout,
    SettleWatch,
    is_data_file,
    read_json,
    split_stamped,
    stamped_name,
    write_json_atomically,
)
from cxroom.inbox.run import ACTOR, after_report, committed_before_crash, run_job
from cxroom.inbox.state import HEARTBEAT_S, WorkerState
from cxroom.inbox.wake import FolderWake
from cxroom.queries import room as room_queries
from cxroom.settings import Settings
from cxroom.store import Store, open_store, utcnow

POLL_S = 0.5
# While idle, the drop folders' names are compared this often between full polls, so a file
# renamed into the inbox is claimed within about LOOK_S (a full poll also opens the room and
# checks the backup schedule; a listing of five nearly empty folders costs microseconds).
LOOK_S = 0.1
STOP_S = 1.0  # with folder notifications, how often an idle worker checks that it is to stop
_log = logging.getLogger(__name__)


class InboxWorker:
    """Polls the inbox of the room that ``settings`` names (read again on every poll, so a room
    switch in the app moves the worker to the new room's inbox)."""

    def __init__(self, settings: Callable[[], Settings] = Settings.from_env, *, poll_s: float = POLL_S) -> None:
        self.settings = settings
        self.poll_s = poll_s
        self._states: dict[Path, WorkerState] = {}
        self._watches: dict[Path, SettleWatch] = {}
        self._versions: dict[Path, int] = {}
        self._schedules: dict[Path, backups.BackupSchedule] = {}
        self._current: WorkerState | None = None
        self._layout: InboxLayout | None = None
        self._wake: tuple[Path, FolderWake] | None = None

    # -- the loop -------------------------------------------------------
    def run(self, stop: threading.Event) -> None:
        beat = threading.Thread(target=self._beat, args=(stop,), name="cxroom-inbox-heartbeat", daemon=True)
        beat.start()
        try:
            self._loop(stop)
        finally:
            self._close_wake()

    def _loop(self, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                worked = self.poll_once()
            except Exception as exc:  # the thread must outlive any one failure (full disk, locked file...)
                _log.exception("inbox poll failed")
                if self._current is not None:
                    self._current.update(last_error=_error_entry(None, None, f"{type(exc).__name__}: {exc}"))
                worked = False
            if not worked:
                self._wait_for_change(stop)

    def _wait_for_change(self, stop: threading.Event) -> None:
        """Wait ``poll_s`` for the next full poll, or less: until a file is placed in, renamed
        into or taken from a drop folder. The kernel says so at once (FolderWake); without its
        notifications the folders' names are compared every LOOK_S. Never a busy loop."""
        layout = self._layout
        deadline = time.monotonic() + self.poll_s
        if layout is None or self.poll_s <= LOOK_S:
            stop.wait(self.poll_s)
            return
        wake = self._wake_for(layout)
        if wake.active:
            # slices of at most STOP_S, so a stop is seen soon even between long full polls
            while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
                if wake.wait(min(left, STOP_S)):
                    return
            return
        before = layout.drop_listing()
        while not stop.wait(min(LOOK_S, max(0.0, deadline - time.monotonic()))):
            if time.monotonic() >= deadline or layout.drop_listing() != before:
                return

    def _wake_for(self, layout: InboxLayout) -> FolderWake:
        """The notifications of this layout's drop folders (a room switch moves them)."""
        if self._wake is None or self._wake[0] != layout.root:
            self._close_wake()
            self._wake = (layout.root, FolderWake(layout.drop(kind) for kind in KINDS))
        return self._wake[1]

    def _close_wake(self) -> None:
        if self._wake is not None:
            self._wake[1].close()
            self._wake = None

    def _beat(self, stop: threading.Event) -> None:
        # A long import blocks the loop; the heartbeat tells readers the worker is still alive.
        while not stop.wait(HEARTBEAT_S):
            state = self._current
            if state is not None:
                state.heartbeat(force=True)

    def poll_once(self) -> bool:
        """Finish any file left in processing/, then import at most one ready file. True if it worked."""
        settings = self.settings()
        layout = InboxLayout(settings.inbox_path)
        layout.ensure()
        state = self._states.get(layout.root)
        if state is None:
            state = self._states[layout.root] = WorkerState(layout)
        schedule_now = backups.schedule_description(settings)
        if {k: v for k, v in state.data["backup"].items() if k != "last"} != schedule_now:
            state.update(backup={**schedule_now, "last": state.data["backup"].get("last")})
        self._current = state
        self._layout = layout
        watch = self._watches.setdefault(layout.root, SettleWatch(settings.inbox_settle_s))
        watch.settle_s = settings.inbox_settle_s
        store = open_store(settings.db_path)
        worked = self._recover(store, settings, layout, state)
        if not worked:
            queued, parts = layout.scan()
            watch.look({p for _, p in queued}, parts)
            ready = next(((k, p) for k, p in queued if watch.ready(p)), None)
            if ready is not None:
                kind, path = ready
                watch.forget(path)
                self._claim_and_run(store, settings, layout, state, kind, path)
                worked = True
        self._refresh_room(store, layout, state)
        schedule = self._schedules.setdefault(layout.root, backups.BackupSchedule())
        if schedule.run_if_due(store, settings, state, actor="schedule"):
            self._refresh_room(store, layout, state)
        state.heartbeat()
        return worked

    # -- claiming and finishing ----------------------------------------
    def _claim_and_run(
        self, store: Store, settings: Settings, layout: InboxLayout, state: WorkerState, kind: str, path: Path
    ) -> None:
        claimed_at = utcnow()
        name = stamped_name(claimed_at, path.name)
        processing = layout.processing(kind)
        try:
            job = load_job(kind, path)
        except InvalidInputError as exc:
            # Nothing can be imported with options that do not validate: the file goes to failed/ as it is.
            self._move_beside(path, layout.failed(kind), name)
            self._finish(store, layout, state, kind, name, path.name, claimed_at, "failed", {"error": str(exc)})
            return
        job_doc = {
            "kind": kind,
            "name": path.name,
            "claimed_at": claimed_at.isoformat(),
            "job": job.model_dump(mode="json"),
        }
        write_json_atomically(processing / (name + JOB_SUFFIX), job_doc)
        os.replace(path, processing / name)
        sidecar_of(path).unlink(missing_ok=True)  # its content is in the job file now
        self._run_claimed(store, settings, layout, state, kind, name, recovering=False)

    def _recover(self, store: Store, settings: Settings, layout: InboxLayout, state: WorkerState) -> bool:
        """Files left in processing/ by a crash (the worker handles one at a time, so between
        files processing/ is empty)."""
        worked = False
        for kind in KINDS:
            folder = layout.processing(kind)
            for job_path in sorted(folder.glob("*" + JOB_SUFFIX)):
                name = job_path.name[: -len(JOB_SUFFIX)]
                if not (folder / name).is_file():
                    job_path.unlink(missing_ok=True)  # the claim never completed; the file is still in the drop folder
                    continue
                self._run_claimed(store, settings, layout, state, kind, name, recovering=True)
                worked = True
            for stray in folder.iterdir():
                if is_data_file(stray) and not (folder / (stray.name + JOB_SUFFIX)).exists():
                    # Not claimed by this worker (copied in by hand): treat it as newly dropped.
                    parts = split_stamped(stray.name)
                    os.replace(stray, layout.drop(kind) / (parts[1] if parts else stray.name))
        return worked

    def _run_claimed(
        self,
        store: Store,
        settings: Settings,
        layout: InboxLayout,
        state: WorkerState,
        kind: str,
        name: str,
        *,
        recovering: bool,
    ) -> None:
        folder = layout.processing(kind)
        doc = read_json(folder / (name + JOB_SUFFIX))
        claimed_at = datetime.fromisoformat(doc["claimed_at"])
        dropped_as = str(doc["name"])
        try:
            job = parse_job(kind, doc["job"])
        except InvalidInputError as exc:
            self._finish(store, layout, state, kind, name, dropped_as, claimed_at, "failed", {"error": str(exc)})
            return
        shown = job.file_name or dropped_as
        if recovering:
            committed = committed_before_crash(store, kind, job, shown, claimed_at)
            if committed is not None:
                self._finish(store, layout, state, kind, name, dropped_as, claimed_at, "done", committed)
                return
        started = time.monotonic()
        running = {"kind": kind, "file": dropped_as, "since": utcnow().isoformat(timespec="seconds"), "progress": 0.0}
        state.update(running=running)

        def progress(fraction: float, message: str) -> None:
            message = message.replace(name, shown)  # the claim's stamped name means nothing to a reader
            state.update(running={**running, "progress": round(fraction, 3), "message": message})

        try:
            report = run_job(store, settings, kind, job, folder / name, shown, progress)
            outcome = "done"
        except CxroomError as exc:
            report, outcome = {"error": " ".join(str(exc).split()), "file_name": shown}, "failed"
        except Exception as exc:  # a bug must not stop the inbox: the file and its report go to failed/
            _log.exception("inbox import of %s failed", name)
            report = {"error": f"unexpected failure ({type(exc).__name__}: {exc}); nothing was committed"}
            report["file_name"] = shown
            outcome = "failed"
        report.setdefault("elapsed_s", round(time.monotonic() - started, 3))
        if recovering:
            report.setdefault("notes", []).append("imported after a restart: the first attempt did not commit")
        self._finish(store, layout, state, kind, name, dropped_as, claimed_at, outcome, report)
        if outcome == "done":
            after_report(store, kind, report)

    def _finish(
        self,
        store: Store,
        layout: InboxLayout,
        state: WorkerState,
        kind: str,
        name: str,
        dropped_as: str,
        claimed_at: datetime,
        outcome: str,
        report: dict[str, Any],
    ) -> None:
        target = layout.done(kind) if outcome == "done" else layout.failed(kind)
        report = {
            **report,
            "inbox": {
                "kind": kind,
                "dropped_as": dropped_as,
                "claimed_at": claimed_at.isoformat(timespec="seconds"),
                "finished_at": utcnow().isoformat(timespec="seconds"),
                "outcome": outcome,
            },
        }
        # The report first: a crash after it leaves the file in processing/, and recovery finds the
        # batch committed and writes the same report again.
        write_json_atomically(target / (name + REPORT_SUFFIX), report)
        processing = layout.processing(kind)
        for moving in (name, name + JOB_SUFFIX):
            if (processing / moving).exists():
                os.replace(processing / moving, target / moving)
        counts = dict(state.data.get("processed") or {})
        counts[outcome] = int(counts.get(outcome, 0)) + 1
        if outcome == "failed":
            entry = _error_entry(kind, dropped_as, str(report.get("error")))
            _audit_failure(store, kind, dropped_as, entry)
            state.update(running=None, processed=counts, last_error=entry)
        else:
            state.update(running=None, processed=counts, last_done={"kind": kind, "file": dropped_as, **_brief(report)})

    @staticmethod
    def _move_beside(path: Path, target: Path, name: str) -> None:
        target.mkdir(parents=True, exist_ok=True)
        os.replace(path, target / name)
        sidecar = sidecar_of(path)
        if sidecar.exists():
            os.replace(sidecar, target / (name + ".options.json"))

    def _refresh_room(self, store: Store, layout: InboxLayout, state: WorkerState) -> None:
        """Keep a snapshot of `info` in status.json, so `cxroom info` beside the app can answer."""
        version = store.data_version()
        if self._versions.get(layout.root) == version and state.data.get("room"):
            return
        self._versions[layout.root] = version
        info = room_queries.room_info(store)
        state.update(room={**info, "data_version": version, "as_of": utcnow().isoformat(timespec="seconds")})


def _brief(report: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "batch_id",
        "rows_read",
        "rows_imported",
        "rows_duplicate",
        "rows_rejected",
        "values_rejected",
        "call_id",
        "artifact_id",
    )
    return {k: report[k] for k in keys if k in report}


def _error_entry(kind: str | None, file: str | None, message: str) -> dict[str, Any]:
    return {"at": utcnow().isoformat(timespec="seconds"), "kind": kind, "file": file, "error": message}


def _audit_failure(store: Store, kind: str, file: str, entry: dict[str, Any]) -> None:
    """A failed file leaves a trace in the audit log (the import itself wrote nothing)."""
    try:
        with store.transaction(ACTOR) as tx:
            tx.audit("inbox_failed", "inbox_file", f"{kind}/{file}", None, entry)
    except CxroomError:
        _log.exception("could not record the failed inbox file %s", file)


# -- one worker per process ------------------------------------------------

_worker: InboxWorker | None = None
_stop = threading.Event()
_thread: threading.Thread | None = None
_start_lock = threading.Lock()


def start_background(settings: Callable[[], Settings] = Settings.from_env, *, poll_s: float = POLL_S) -> InboxWorker:
    """Start the process's one worker thread; later calls return the running worker."""
    global _worker, _thread
    with _start_lock:
        if _worker is None or _thread is None or not _thread.is_alive():
            _stop.clear()
            _worker = InboxWorker(settings, poll_s=poll_s)
            # A daemon thread: stopping the server never waits for an import; an import cut off
            # this way did not commit, and the file is imported again at the next start.
            _thread = threading.Thread(target=_worker.run, args=(_stop,), name="cxroom-inbox", daemon=True)
            _thread.start()
        return _worker


def stop_background(timeout: float = 5.0) -> None:
    global _worker, _thread
    with _start_lock:
        _stop.set()
        if _thread is not None:
            _thread.join(timeout)
        _worker, _thread = None, None

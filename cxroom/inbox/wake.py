"""Waking an inbox waiter the moment a file appears in, or leaves, one of its folders.

The idle worker waits for a file in the drop folders, and the CLI beside the app for its
report in done/ or failed/. Looking at the folders a few times a second costs a share of a
core all day and still answers late by half a look; the kernel's notifications (inotify,
through watchdog, which Streamlit already installs for its own file watching) wake the
waiter at once and cost nothing while nothing happens. Where they cannot be had (another
platform, a folder not there yet, the watch limit reached) the waiter looks every
``fallback_s`` seconds instead, as before. Either way the caller looks at the folders itself
after every wake: a notification says "look now", never what changed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

_log = logging.getLogger(__name__)


class FolderWake:
    """``wait(timeout)`` returns True as soon as a file was created, moved or deleted in one
    of ``folders`` since the last wait (a file growing is not a change: a .part being written
    wakes nobody), False after ``timeout``. ``active`` is False when notifications could not
    be set up: the caller then polls."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self._changed = threading.Event()
        self._observer: Any = None
        try:
            from watchdog.events import FileSystemEvent, FileSystemEventHandler
            from watchdog.observers import Observer

            changed = self._changed

            class _Handler(FileSystemEventHandler):
                def on_any_event(self, event: FileSystemEvent) -> None:
                    if event.event_type in ("created", "moved", "deleted"):
                        changed.set()

            observer = Observer()
            handler = _Handler()
            for folder in folders:
                observer.schedule(handler, str(folder), recursive=False)
            observer.daemon = True
            observer.start()
            self._observer = observer
        except Exception:  # no inotify here, a folder missing, the watch limit reached: poll instead
            _log.debug("folder notifications unavailable; polling", exc_info=True)
            self._observer = None

    @property
    def active(self) -> bool:
        return self._observer is not None

    def wait(self, timeout: float) -> bool:
        if self._observer is None:
            time.sleep(max(0.0, timeout))
            return False
        fired = self._changed.wait(max(0.0, timeout))
        self._changed.clear()
        return fired

    def close(self) -> None:
        observer, self._observer = self._observer, None
        if observer is not None:
            observer.stop()
            observer.join(5)

    def __enter__(self) -> FolderWake:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

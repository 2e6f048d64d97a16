"""The inbox's folders, and the rule for when a dropped file is complete.

    inbox/
      complaints/ kpis/ surveys/ calls/ artifacts/   drop files here (NAME, options in NAME.json)
      <kind>/defaults.json                           the folder's default options (optional)
      processing/<kind>/                             the one file being imported (and its job)
      done/<kind>/  failed/<kind>/                   the file, its job and STAMP_NAME.report.json
      status.json                                    the worker's state (read by the app and the CLI)

A file is complete when it was written as NAME.part and renamed (the writer leaves
the .part alone until it is whole), or when it has not changed for the settle time.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

IMPORT_KINDS = ("complaints", "kpis", "surveys")
MEDIA_KINDS = ("calls", "artifacts")
KINDS = IMPORT_KINDS + MEDIA_KINDS
PART_SUFFIX = ".part"
SIDECAR_SUFFIX = ".json"
DEFAULTS_NAME = "defaults.json"
REPORT_SUFFIX = ".report.json"
JOB_SUFFIX = ".job.json"
STATUS_NAME = "status.json"
# processing/done/failed names start with the claim time (UTC), so the same file dropped twice
# never overwrites the first one's report, and recovery knows when the claim happened.
_STAMP = "%Y%m%dT%H%M%S%fZ"
_STAMPED = re.compile(r"^(\d{8}T\d{12}Z)_(.+)$")


def stamped_name(claimed_at: datetime, name: str) -> str:
    return f"{claimed_at.strftime(_STAMP)}_{name}"


def split_stamped(name: str) -> tuple[datetime, str] | None:
    match = _STAMPED.match(name)
    if not match:
        return None
    return datetime.strptime(match.group(1), _STAMP), match.group(2)


def is_data_file(path: Path) -> bool:
    """A file the worker may import: not a .part, not hidden, not a sidecar or a defaults file."""
    name = path.name
    return (
        path.is_file()
        and not name.startswith(".")
        and not name.endswith(PART_SUFFIX)
        and not name.endswith(SIDECAR_SUFFIX)
    )


def write_json_atomically(path: Path, data: Any) -> None:
    """Readers see the old file or the new one, never half of one (write, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, default=str, ensure_ascii=False)
        fh.flush()
        os.fsync(fh.fileno())
    tmp.replace(path)


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class InboxLayout:
    root: Path

    def drop(self, kind: str) -> Path:
        return self.root / kind

    def processing(self, kind: str) -> Path:
        return self.root / "processing" / kind

    def done(self, kind: str) -> Path:
        return self.root / "done" / kind

    def failed(self, kind: str) -> Path:
        return self.root / "failed" / kind

    @property
    def status_file(self) -> Path:
        return self.root / STATUS_NAME

    def ensure(self) -> None:
        for kind in KINDS:
            for folder in (self.drop(kind), self.processing(kind), self.done(kind), self.failed(kind)):
                folder.mkdir(parents=True, exist_ok=True)

    def queued(self) -> list[tuple[str, Path]]:
        """Data files waiting in the drop folders (complete or not), oldest first."""
        found = []
        for kind in KINDS:
            folder = self.drop(kind)
            if folder.is_dir():
                found += [(kind, p) for p in folder.iterdir() if is_data_file(p)]
        return sorted(found, key=lambda item: _mtime(item[1]))

    def reports(self, outcome: str) -> list[Path]:
        """done or failed reports, newest first."""
        found = []
        for kind in KINDS:
            folder = self.root / outcome / kind
            if folder.is_dir():
                found += [p for p in folder.iterdir() if p.name.endswith(REPORT_SUFFIX)]
        return sorted(found, key=lambda p: p.name.split("_", 1)[0], reverse=True)

    def find_report(self, kind: str, name: str) -> tuple[str, Path] | None:
        """The report of the file dropped as ``name`` (the CLI gives every file a unique name)."""
        for outcome in ("done", "failed"):
            folder = self.root / outcome / kind
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                parts = split_stamped(path.name)
                if parts and parts[1] == name + REPORT_SUFFIX:
                    return outcome, path
        return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@dataclass
class SettleWatch:
    """Decides when a dropped file is complete: unchanged (size and modification time) since the
    previous look, and either renamed after its last write or not modified for ``settle_s``.

    A rename changes a file's ctime but not its mtime, while every write moves both: ctime later
    than mtime therefore means "renamed (NAME.part -> NAME) or chmod'ed after the writer finished",
    and the file is taken without waiting out the settle time."""

    settle_s: float
    _seen: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def ready(self, path: Path, now: float | None = None) -> bool:
        try:
            st = path.stat()
        except OSError:
            self._seen.pop(path, None)
            return False
        signature = (st.st_size, st.st_mtime_ns)
        previous = self._seen.get(path)
        self._seen[path] = signature
        if previous != signature:
            return False
        renamed_after_writing = st.st_ctime_ns > st.st_mtime_ns
        quiet_for = (time.time() if now is None else now) - st.st_mtime
        return renamed_after_writing or quiet_for >= self.settle_s

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)

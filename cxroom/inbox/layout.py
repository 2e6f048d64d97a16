"""The inbox's folders, and the rule for when a dropped file is complete.

    inbox/
      complaints/ kpis/ surveys/ calls/ artifacts/   drop files here (NAME, options in NAME.json)
      <kind>/defaults.json                           the folder's default options (optional)
      processing/<kind>/                             the one file being imported (and its job)
      done/<kind>/  failed/<kind>/                   the file, its job and STAMP_NAME.report.json
      status.json                                    the worker's state (read by the app and the CLI)

A file is complete when it was written as NAME.part and renamed (the writer leaves
the .part alone until it is whole), or when it has not changed for the settle time.
A renamed file is taken at first sight; a file written in place needs two looks and
the settle time (SettleWatch).
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

from cxroom import evidence_kinds

# One folder per kind of evidence: the importable kinds take files of rows, the others
# a call recording or an artifact at a time.
IMPORT_KINDS = evidence_kinds.kind_keys(evidence_kinds.importable())
MEDIA_KINDS = evidence_kinds.kind_keys(evidence_kinds.added_one_at_a_time())
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


def write_json_atomically(path: Path, data: Any, *, durable: bool = True) -> None:
    """Readers see the old file or the new one, never half of one (write, fsync, rename).

    ``durable=False`` skips the fsync (a few ms each on a busy disk) for files a crash may
    lose without harm, such as the worker's status, rewritten at every step of an import."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, default=str, ensure_ascii=False)
        if durable:
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
        return self.scan()[0]

    def scan(self) -> tuple[list[tuple[str, Path]], set[Path]]:
        """One look at the drop folders: the data files waiting (oldest first) and the
        NAME.part files being written."""
        found: list[tuple[str, Path]] = []
        parts: set[Path] = set()
        for kind in KINDS:
            folder = self.drop(kind)
            if folder.is_dir():
                for p in folder.iterdir():
                    if p.name.endswith(PART_SUFFIX):
                        parts.add(p)
                    elif is_data_file(p):
                        found.append((kind, p))
        return sorted(found, key=lambda item: _mtime(item[1])), parts

    def drop_listing(self) -> tuple[tuple[str, ...], ...]:
        """The names in each drop folder: cheap enough to compare every tenth of a second
        while idle (the folders hold only what waits), and unlike a folder's modification
        time it sees every create and rename, however close together."""
        listing = []
        for kind in KINDS:
            try:
                listing.append(tuple(sorted(os.listdir(self.drop(kind)))))
            except OSError:
                listing.append(())
        return tuple(listing)

    def reports(self, outcome: str) -> list[Path]:
        """done or failed reports, newest first."""
        found = []
        for kind in KINDS:
            folder = self.root / outcome / kind
            if folder.is_dir():
                found += [p for p in folder.iterdir() if p.name.endswith(REPORT_SUFFIX)]
        return sorted(found, key=lambda p: p.name.split("_", 1)[0], reverse=True)

    def find_report(self, kind: str, name: str) -> tuple[str, Path] | None:
        """The report of the file dropped as ``name`` (the CLI gives every file a unique name).

        Names only (no stat, no regular expression for the files that cannot match), as the
        CLI asks this many times a second while it waits."""
        wanted = "_" + name + REPORT_SUFFIX
        for outcome in ("done", "failed"):
            folder = self.root / outcome / kind
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            for entry in names:
                if entry.endswith(wanted):
                    parts = split_stamped(entry)
                    if parts and parts[1] == name + REPORT_SUFFIX:
                        return outcome, folder / entry
        return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@dataclass
class SettleWatch:
    """Decides when a dropped file is complete.

    At first sight, a file its writer renamed after the last write: a rename is the writer's
    statement that the file is whole (the CLI's hand-over always writes NAME.part and renames
    it). Two signs of a rename: ``NAME.part`` was there at the previous look and ``NAME`` was
    not, and now it is the other way round; or the file's ctime is later than its mtime (a
    rename changes a file's ctime but not its mtime, while every write moves both, so "renamed
    or chmod'ed after the writer finished"). An empty file is never taken at first sight.

    Otherwise (a file written in place): unchanged in size and modification time since the
    previous look, and not modified for ``settle_s``."""

    settle_s: float
    _seen: dict[Path, tuple[int, int]] = field(default_factory=dict)
    _parts: set[Path] = field(default_factory=set)  # NAME.part files at the previous look
    _present: set[Path] = field(default_factory=set)  # data files at the previous look
    _renamed: set[Path] = field(default_factory=set)  # NAME whose NAME.part was seen renamed to it

    def look(self, present: set[Path], parts: set[Path]) -> None:
        """Record one scan of the drop folders (LOOK at every poll, before asking ``ready``)."""
        for part in self._parts - parts:
            name = part.with_name(part.name[: -len(PART_SUFFIX)])
            if name in present and name not in self._present:
                self._renamed.add(name)
        self._renamed &= present
        self._parts, self._present = parts, present

    def ready(self, path: Path, now: float | None = None) -> bool:
        try:
            st = path.stat()
        except OSError:
            self._seen.pop(path, None)
            return False
        renamed_after_writing = st.st_ctime_ns > st.st_mtime_ns or path in self._renamed
        if renamed_after_writing and st.st_size > 0:
            return True
        signature = (st.st_size, st.st_mtime_ns)
        previous = self._seen.get(path)
        self._seen[path] = signature
        if previous != signature:
            return False
        quiet_for = (time.time() if now is None else now) - st.st_mtime
        return renamed_after_writing or quiet_for >= self.settle_s

    def forget(self, path: Path) -> None:
        self._seen.pop(path, None)
        self._renamed.discard(path)

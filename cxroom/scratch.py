"""The room's scratch folder: ``tmp/`` next to the database.

Imports write UTF-8 copies and preview samples, and uploads wait for their
import, as files here rather than in the system temp folder, so that a process
killed half-way (kill -9, a power cut) leaves nothing behind for long: every
process that opens the room for writing removes what dead processes left.

Each process works in folders named after its process id (``p<pid>-...``), so
one process never removes the files of another that is still running (the CLI
importing while the app shows an upload preview). Only names of that shape are
touched.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_OWNED = re.compile(r"p(\d+)-[a-z]+-[0-9a-f]+")


def scratch_root(db_path: Path) -> Path:
    """The scratch folder of the room whose database is ``db_path``."""
    if str(db_path) == ":memory:":  # a room without a folder (tests, benchmarks)
        return Path(tempfile.gettempdir()) / "cxroom-scratch"
    return Path(db_path).parent / "tmp"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def clean_scratch(db_path: Path) -> list[Path]:
    """Remove what dead processes left in the room's scratch folder; returns what was removed."""
    root = scratch_root(db_path)
    removed: list[Path] = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _OWNED.fullmatch(entry.name)
        if match is None or _alive(int(match.group(1))):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def process_folder(db_path: Path, purpose: str) -> Path:
    """A folder of this process that lives as long as it does (e.g. uploads awaiting import)."""
    folder = scratch_root(db_path) / f"p{os.getpid()}-{purpose}-0"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def workdir(db_path: Path, purpose: str) -> Iterator[Path]:
    """A private folder for one operation, removed when it ends (and by the next start if killed)."""
    root = scratch_root(db_path)
    root.mkdir(parents=True, exist_ok=True)
    folder = root / f"p{os.getpid()}-{purpose}-{secrets.token_hex(4)}"
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)

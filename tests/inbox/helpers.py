"""Helpers for the inbox tests: a room with stages, its inbox, and waiting on real files."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cxroom.inbox.layout import InboxLayout
from cxroom.settings import Settings
from cxroom.store import Store
from tests.importers.helpers import add_stages


def room_with_stages(folder: Path, **settings: Any) -> Settings:
    """A room with the seven stages on disk (closed again, so another process may open it)."""
    room = Settings(db_path=folder / "room.duckdb", media_dir=folder / "media", **settings)
    store = Store(room.db_path)
    add_stages(store)
    store.close()
    return room


def drop(
    layout: InboxLayout, kind: str, source: Path, name: str | None = None, options: dict[str, Any] | None = None
) -> Path:
    """Drop ``source`` the safe way: options first, then the file copied as NAME.part and renamed."""
    name = name or source.name
    folder = layout.drop(kind)
    folder.mkdir(parents=True, exist_ok=True)
    if options is not None:
        (folder / f"{name}.json").write_text(json.dumps(options), encoding="utf-8")
    part = folder / f"{name}.part"
    shutil.copyfile(source, part)
    os.replace(part, folder / name)
    return folder / name


def wait_for(condition: Callable[[], Any], timeout: float, what: str, every: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def reports(layout: InboxLayout, outcome: str) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in layout.reports(outcome)]

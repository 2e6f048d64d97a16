"""Two apps on one room: the second real server cannot open the room's DuckDB
file while the first holds it, and its page in Chromium says so in the room's
own words (which process, what to do), not Streamlit's redacted exception.
When the first app stops, a reload of the second opens the room."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cxroom.store import Store
from tests.browser.conftest import ARTIFACTS, CHROMIUM, IDLE, AppServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]


def _open(page: Any, url: str) -> str:
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid=stApp]", timeout=60_000)
    page.wait_for_timeout(300)
    page.wait_for_selector(IDLE, timeout=60_000)
    return str(page.inner_text("[data-testid=stApp]"))


def test_a_second_app_on_the_same_room_shows_the_rooms_message(chromium: Callable[..., Any], tmp_path: Path) -> None:
    db = tmp_path / "room.duckdb"
    Store(db).close()  # an empty room, migrated
    first = AppServer(db, CXROOM_AUTH="single").start()
    second = AppServer(db, CXROOM_AUTH="single")
    page = chromium(1280, 800)
    try:
        assert "Set up your Customer Room" in _open(page, first.url)  # the first app now holds the file
        second.start()
        text = _open(page, second.url)
        page.screenshot(path=str(ARTIFACTS / "second-app-locked.png"))
        assert first.proc is not None
        assert "The room is open in another process" in text
        assert f"process id {first.proc.pid}" in text
        assert "point CXROOM_DB at another file" in text
        assert str(db) in text
        for leak in ("DatabaseLockedError", "Traceback", "IO Error", "This app has encountered an error"):
            assert leak not in text
        assert page.locator("[data-testid=stException]").count() == 0

        first.stop()  # the other process closes: a reload opens the room
        text = _open(page, second.url)
        assert "The room is open in another process" not in text
        assert "Set up your Customer Room" in text
    finally:
        second.stop()
        first.stop()

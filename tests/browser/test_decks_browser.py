"""The deck buttons in a real Chromium: the wall page and a review page download a PPTX
and a PDF that open, with a slide per stage; a screenshot of the buttons goes to
test-artifacts/."""

from __future__ import annotations

import io
import subprocess
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation

from cxroom.demo import build_demo
from cxroom.media import MediaStore
from cxroom.settings import Settings
from cxroom.store import Store
from tests.browser.conftest import ARTIFACTS, CHROMIUM, IDLE, app_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, int]:
    folder = tmp_path_factory.mktemp("decks-browser")
    settings = Settings(db_path=folder / "room.duckdb", media_dir=folder / "media")
    store = Store(settings.db_path)
    build_demo(store, MediaStore(settings), end_month=date(2026, 10, 1))
    stages = int(store.fetch_value("SELECT count(*) FROM stages WHERE NOT archived"))
    # a summary, then "Customers in and out" when the room has customer movements (the demo has)
    leading = 1 + (1 if store.fetch_value("SELECT count(*) FROM customer_movements") else 0)
    store.close()  # one process per DuckDB file: the app opens it next
    return settings, leading + stages


@pytest.fixture(scope="module")
def app_url(room: tuple[Settings, int]) -> Iterator[str]:
    with app_server(room[0].db_path, media=room[0].media_dir, CXROOM_AUTH="single") as url:
        yield url


def _download(page: Any, label: str) -> bytes:
    with page.expect_download(timeout=120_000) as info:
        page.get_by_role("button", name=label).click()
    return Path(info.value.path()).read_bytes()


def test_the_wall_page_downloads_its_deck_as_pptx_and_pdf(
    chromium: Callable[..., Any], app_url: str, room: tuple[Settings, int], tmp_path: Path
) -> None:
    page = chromium(1920, 1080, accept_downloads=True)
    try:
        page.goto(f"{app_url}/wall?month=2026-10", wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, timeout=60_000)
        button = page.get_by_role("button", name="Deck (PowerPoint)")
        button.scroll_into_view_if_needed(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / "wall-deck-buttons.png"))
        pptx = _download(page, "Deck (PowerPoint)")
        pdf = _download(page, "Deck (PDF)")
    finally:
        page.close()
    assert len(Presentation(io.BytesIO(pptx)).slides) == room[1]
    (tmp_path / "wall.pdf").write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(tmp_path / "wall.pdf")], capture_output=True, text=True, check=True).stdout
    assert f"Pages:           {room[1]}" in info


def test_a_review_page_downloads_its_deck(chromium: Callable[..., Any], app_url: str) -> None:
    page = chromium(1920, 1080, accept_downloads=True)
    try:
        page.goto(f"{app_url}/review?review=2", wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_role("tab", name="Close and minutes").click()
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_role("button", name="Deck (PowerPoint)").scroll_into_view_if_needed(timeout=60_000)
        pptx = _download(page, "Deck (PowerPoint)")
    finally:
        page.close()
    titles = [s.shapes.title.text for s in Presentation(io.BytesIO(pptx)).slides]
    assert titles[0].startswith("Monthly room review") and "Decisions" in titles

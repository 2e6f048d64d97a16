"""The Listening page in a real Chromium: upload a large file, watch the
progress bar, read the report; a 1920x1080 screenshot goes to test-artifacts/."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cxroom.models import StageCreate
from cxroom.services import room
from cxroom.store import Store
from tests.browser.conftest import ARTIFACTS, CHROMIUM, IDLE, app_server

ROWS = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    db = tmp_path / "room.duckdb"
    store = Store(db)
    for slug in ["shop", "buy", "get-started", "pay", "get-help", "claim", "renew"]:
        room.create_stage(store, StageCreate(slug=slug, name=slug.replace("-", " ").title()), actor="system")
    store.close()
    with app_server(db, CXROOM_AUTH="single") as url:
        yield url


@pytest.fixture
def big_csv(tmp_path: Path) -> Path:
    rng = random.Random(5)
    path = tmp_path / "cfpb_export.csv"
    issues = [
        "Incorrect information on your report",
        "Managing an account",
        "Trouble during payment process",
        "Attempts to collect debt not owed",
        "Closing an account",
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Date received,Issue,Sub-issue,Consumer complaint narrative,Submitted via,Complaint ID\n")
        for i in range(ROWS):
            date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if i % 5000 else "31/31/2024"
            fh.write(f'{date},{rng.choice(issues)},,"Narrative {i}, which goes on",Web,{100000 + i}\n')
    return path


def test_upload_shows_progress_and_report(chromium: Callable[..., Any], app_url: str, big_csv: Path) -> None:
    page = chromium(1920, 1080)
    try:
        page.goto(app_url, wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_role("link", name="Listening").click()
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_role("heading", name="Listening").wait_for(timeout=30_000)
        page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(str(big_csv))
        page.get_by_text("First rows of the file").wait_for(timeout=120_000)
        page.wait_for_selector(IDLE, timeout=120_000)
        page.get_by_role("textbox", name="Source (where the file comes from)").fill("cfpb-browser")
        page.keyboard.press("Enter")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_role("button", name="Import", exact=True).click()
        page.wait_for_selector("[data-testid=stProgress]", timeout=60_000)
        page.get_by_text("imported", exact=False).first.wait_for(timeout=120_000)
        page.wait_for_selector(IDLE, timeout=120_000)
        report = page.locator(".st-key-import_report")
        report.wait_for(timeout=30_000)
        text = report.inner_text()
        assert "Rows read" in text and f"{ROWS:,}" in text
        rejected = ROWS // 5000
        assert f"{ROWS - rejected:,}" in text and "Rejected" in text
        assert page.locator("[data-testid=stProgress]").count() >= 1
        report.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "listening-import-report.png"), full_page=False)
    finally:
        page.close()

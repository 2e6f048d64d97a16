"""The Listening page in a real Chromium: upload a large file, watch the
progress bar, read the report; a 1920x1080 screenshot goes to test-artifacts/."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cxroom.models import StageCreate
from cxroom.services import room
from cxroom.store import Store

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
ROWS = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    db = tmp_path / "room.duckdb"
    store = Store(db)
    for slug in ["shop", "buy", "get-started", "pay", "get-help", "claim", "renew"]:
        room.create_stage(store, StageCreate(slug=slug, name=slug.replace("-", " ").title()), actor="system")
    store.close()
    port = _free_port()
    env = {**os.environ, "CXROOM_DB": str(db), "CXROOM_MEDIA": str(tmp_path / "media"), "CXROOM_AUTH": "single"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("streamlit did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


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


def test_upload_shows_progress_and_report(app_url: str, big_csv: Path) -> None:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            page = browser.new_page(viewport={"width": 1920, "height": 1080})
            idle = "[data-testid=stApp][data-test-script-state=notRunning]"
            page.goto(app_url, wait_until="domcontentloaded")
            page.wait_for_selector(idle, timeout=60_000)
            page.get_by_role("link", name="Listening").click()
            page.wait_for_selector(idle, timeout=60_000)
            page.get_by_role("heading", name="Listening").wait_for(timeout=30_000)
            page.locator("[data-testid=stFileUploaderDropzoneInput]").first.set_input_files(str(big_csv))
            page.get_by_text("First rows of the file").wait_for(timeout=120_000)
            page.wait_for_selector(idle, timeout=120_000)
            page.get_by_role("textbox", name="Source (where the file comes from)").fill("cfpb-browser")
            page.keyboard.press("Enter")
            page.wait_for_selector(idle, timeout=60_000)
            page.get_by_role("button", name="Import", exact=True).click()
            page.wait_for_selector("[data-testid=stProgress]", timeout=60_000)
            page.get_by_text("imported", exact=False).first.wait_for(timeout=120_000)
            page.wait_for_selector(idle, timeout=120_000)
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
            browser.close()

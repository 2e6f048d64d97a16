"""The inbox with the wall open in a real Chromium: `python -m cxroom import complaints FILE`
run beside the app succeeds and the wall shows the new count after a refresh; a file dropped
while no browser is open shows on the Listening page and on the wall."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cxroom.demo import build_demo
from cxroom.inbox.layout import InboxLayout
from cxroom.media import MediaStore
from cxroom.settings import Settings
from cxroom.store import Store
from tests.browser.conftest import ARTIFACTS, CHROMIUM, IDLE, AppServer
from tests.inbox.helpers import drop, reports, wait_for

REPO = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("inbox-browser")
    settings = Settings(db_path=folder / "room.duckdb", media_dir=folder / "media")
    store = Store(settings.db_path)
    build_demo(store, MediaStore(settings), end_month=date(2026, 10, 1))
    store.close()
    return settings


@pytest.fixture(scope="module")
def server(room: Settings) -> Iterator[AppServer]:
    with AppServer(
        room.db_path, media=room.media_dir, script="serve.py", CXROOM_AUTH="single", CXROOM_INBOX_SETTLE_SECONDS="1"
    ) as running:
        yield running


def refund_delays(path: Path, prefix: str, n: int) -> Path:
    """n complaints in October 2026 about a refund delay (the demo room lines those up to Pay)."""
    lines = ["Complaint ID,Date received,Issue,Submitted via"]
    lines += [f"{prefix}-{i},2026-10-{1 + i % 28:02d},Refund delay,Web" for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def pay_complaints(page: Any) -> int:
    """The Pay column's "Complaints in October" figure on the wall."""
    metric = page.locator(".st-key-stage-pay [data-testid=stMetric]").filter(has_text="Complaints in October")
    text = metric.locator("[data-testid=stMetricValue]").first.inner_text()
    return int(re.sub(r"[^\d]", "", text))


def open_page(chromium: Callable[..., Any], url: str, ready: str) -> Any:
    page = chromium(1920, 1080)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_selector(ready, timeout=60_000)
    return page


def test_cli_import_beside_the_open_wall_shows_after_a_refresh(
    chromium: Callable[..., Any], server: AppServer, room: Settings, tmp_path: Path
) -> None:
    page = open_page(chromium, server.url, ".st-key-stage-pay [data-testid=stMetric]")
    try:
        before = pay_complaints(page)
        env = {**os.environ, "CXROOM_DB": str(room.db_path), "CXROOM_MEDIA": str(room.media_dir)}
        csv = refund_delays(tmp_path / "cli.csv", "CLI", 37)
        result = subprocess.run(
            [sys.executable, "-m", "cxroom", "import", "complaints", str(csv)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert result.returncode == 0, result.stderr
        assert re.match(r"batch #\d+: 37 rows read, 37 imported, 0 duplicate, 0 rejected", result.stdout)
        page.reload(wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.wait_for_selector(".st-key-stage-pay [data-testid=stMetric]", timeout=60_000)
        assert pay_complaints(page) == before + 37
        page.screenshot(path=str(ARTIFACTS / "inbox-wall-after-cli-import.png"))
    finally:
        page.close()


def test_a_file_dropped_with_no_browser_open_shows_on_listening_and_the_wall(
    chromium: Callable[..., Any], server: AppServer, room: Settings, tmp_path: Path
) -> None:
    layout = InboxLayout(room.inbox_path)
    wall = open_page(chromium, server.url, ".st-key-stage-pay [data-testid=stMetric]")
    before = pay_complaints(wall)
    wall.close()  # no browser open while the file is dropped and imported
    drop(layout, "complaints", refund_delays(tmp_path / "sftp-drop.csv", "DROP", 12), options={"source": "SFTP"})
    wait_for(lambda: [r for r in reports(layout, "done") if r["file_name"] == "sftp-drop.csv"], 60, "the import")
    listening = open_page(chromium, f"{server.url}/listening", ".st-key-inbox-block")
    try:
        block = listening.locator(".st-key-inbox-block")
        block.get_by_text("sftp-drop.csv").first.wait_for(timeout=30_000)
        counts = re.search(r"(\d+) queued · (\d+) running · (\d+) done · (\d+) failed", block.inner_text())
        assert counts is not None and int(counts.group(3)) >= 1, block.inner_text()
        listening.screenshot(path=str(ARTIFACTS / "inbox-listening.png"))
    finally:
        listening.close()
    wall = open_page(chromium, server.url, ".st-key-stage-pay [data-testid=stMetric]")
    try:
        assert pay_complaints(wall) == before + 12
    finally:
        wall.close()

"""A month more than five years old opens on the wall in a real Chromium: by its
URL, and by the year-then-month picker, which rewrites the URL."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from queries.wall_rooms import decade_room

from cxroom.store import Store
from tests.browser.conftest import CHROMIUM, IDLE, app_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]


@pytest.fixture
def decade_db(tmp_path: Path) -> Path:
    db = tmp_path / "room.duckdb"
    store = Store(db)
    decade_room(store)
    store.close()
    return db


def _settled(page: Any) -> None:
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(700)
    page.wait_for_selector(IDLE, timeout=60_000)


def _alpha_complaints(page: Any) -> str:
    return page.inner_text(
        ".st-key-stage-alpha [data-testid=stMetric]:has-text('Complaints in') [data-testid=stMetricValue]"
    )


def test_march_2017_opens_by_url_and_by_picker(chromium: Callable[..., Any], decade_db: Path) -> None:
    store = Store(decade_db)
    try:
        march_2017 = store.fetch_value(
            "SELECT count(*) FROM complaints c JOIN stages s ON s.id = c.stage_id "
            "WHERE s.slug = 'alpha' AND c.received_at >= DATE '2017-03-01' AND c.received_at < DATE '2017-04-01'"
        )
    finally:
        store.close()
    with app_server(decade_db, CXROOM_AUTH="single") as base:
        page = chromium()
        page.goto(f"{base}/?month=2017-03", wait_until="domcontentloaded")
        page.wait_for_selector(".st-key-stage-alpha", timeout=60_000)
        _settled(page)
        body = page.inner_text("[data-testid=stMain]")
        assert "The wall · March 2017" in body
        assert "There is no data" not in body
        assert _alpha_complaints(page) == str(march_2017) == "7"

        # The picker: year 2026, then back to 2019 by the year select; the URL follows.
        page.goto(f"{base}/?month=2026-10", wait_until="domcontentloaded")
        page.wait_for_selector(".st-key-stage-alpha", timeout=60_000)
        _settled(page)
        page.locator(".st-key-wall_month-picker [data-testid=stSelectbox]").first.click()
        page.get_by_role("option", name="2019", exact=True).click()
        page.wait_for_url(re.compile(r"month=2019-10"), timeout=30_000)
        _settled(page)
        assert "The wall · October 2019" in page.inner_text("[data-testid=stMain]")
        page.locator(".st-key-wall_month-picker [data-testid=stSelectbox]").nth(1).click()
        page.get_by_role("option", name="March 2019", exact=True).click()
        page.wait_for_url(re.compile(r"month=2019-03"), timeout=30_000)
        _settled(page)
        assert "The wall · March 2019" in page.inner_text("[data-testid=stMain]")
        page.close()

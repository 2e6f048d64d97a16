"""Customer math in a real Chromium on the demo room at 1920x1080: the band above the wall's
columns with its numbers, definitions and 24-month chart drawn, each column's losses, and the
stage page's tab with its chart and the calls to lost customers. Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest

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
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("customer-math-browser")
    settings = Settings(db_path=folder / "room.duckdb", media_dir=folder / "media")
    store = Store(settings.db_path)
    build_demo(store, MediaStore(settings), end_month=date(2026, 10, 1))
    store.close()  # one process per DuckDB file: the app opens it next
    with app_server(settings.db_path, media=settings.media_dir, CXROOM_AUTH="single") as url:
        yield url


def _open(chromium: Callable[..., Any], url: str) -> Any:
    page = chromium(1920, 1080)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(IDLE, timeout=90_000)
    return page


def test_the_band_sits_above_the_columns_with_its_numbers_and_chart(chromium: Callable[..., Any], app_url: str) -> None:
    page = _open(chromium, f"{app_url}/?month=2026-10")
    try:
        band = page.locator(".st-key-customer-math-band")
        band.wait_for(timeout=60_000)
        band.locator(".js-plotly-plot").wait_for(timeout=60_000)  # the 24-month trend is drawn
        text = band.inner_text()
        for label in ("Customers in", "Customers out", "Net", "Retention", "Value lost", "Why customers left"):
            assert label.casefold() in text.casefold()  # section labels are drawn in capitals
        assert "A household whose first policy starts in the month" in text  # the definitions, beside them
        assert "We called" in text
        box = band.bounding_box()
        columns = page.locator(".st-key-wall-columns").bounding_box()
        assert box and columns and box["y"] + box["height"] <= columns["y"] + 1  # above the columns
        assert box["y"] + box["height"] < 1080 / 2, "the band leaves the wall most of the screen"
        assert page.locator("[class*=st-key-stage-]").filter(has_text="Lost at this stage").count() == 7
        assert page.locator("[data-testid=stException]").count() == 0
        page.screenshot(path=str(ARTIFACTS / "customer-math-wall-1920x1080.png"))
    finally:
        page.close()


def test_the_stage_tab_draws_the_stages_losses_and_its_calls(chromium: Callable[..., Any], app_url: str) -> None:
    page = _open(chromium, f"{app_url}/stage?stage=get-help&month=2026-10")
    try:
        page.get_by_role("tab", name="Customers lost").click()
        panel = page.get_by_role("tabpanel").filter(has_text="Calls to lost customers")
        panel.locator(".js-plotly-plot").wait_for(timeout=60_000)
        assert panel.get_by_text("Lost at this stage:").is_visible()
        assert panel.get_by_text(" called · ").count() > 0
        page.screenshot(path=str(ARTIFACTS / "customer-math-stage-1920x1080.png"), full_page=True)
    finally:
        page.close()

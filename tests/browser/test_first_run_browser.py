"""The first-run guide in a real Chromium, from an EMPTY database: it opens by
itself, and a facilitator adds two stages, a moment of truth, two silos (one
owning a stage) and a KPI, then finishes on the wall, which shows them all.
1920x1080 screenshots of each step go to test-artifacts/ (git-ignored)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cxroom.queries import setup as q
from cxroom.store import Store
from tests.browser.conftest import ARTIFACTS, CHROMIUM, IDLE, AppServer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]


@pytest.fixture
def empty_room(tmp_path: Path) -> Iterator[tuple[str, Path, Callable[[], None]]]:
    """A running app on a database file that does not exist yet, and a way to stop it early."""
    db = tmp_path / "room.duckdb"
    with AppServer(db, CXROOM_AUTH="single") as server:
        yield server.url, db, server.stop


def _settle(page: Any) -> None:
    page.wait_for_timeout(150)  # let the rerun start before waiting for it to end
    page.wait_for_selector(IDLE, timeout=60_000)


def _choose(page: Any, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit select box labelled ``label``."""
    page.locator("[data-testid=stSelectbox]").filter(has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()


def _submit(page: Any, button: str, expect: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()
    page.get_by_text(expect, exact=False).first.wait_for(timeout=30_000)
    _settle(page)


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"first-run-{name}.png"), full_page=False)


def test_first_run_from_an_empty_database_ends_on_the_wall(
    chromium: Callable[..., Any], empty_room: tuple[str, Path, Callable[[], None]]
) -> None:
    url, db, stop_app = empty_room
    page = chromium(1920, 1080)
    try:
        page.goto(url, wait_until="domcontentloaded")
        page.get_by_role("heading", name="Set up your Customer Room").wait_for(timeout=60_000)
        _settle(page)
        page.get_by_text("0 of 5 steps done").wait_for(timeout=30_000)
        _shot(page, "1-empty")

        # 1. The room's name and two stages.
        page.get_by_label("Name of the room (the wall's title)").fill("Acme Insurance")
        _submit(page, "Save name", "The room is now called 'Acme Insurance'")
        for name, goal in [
            ("Shop and compare", "Help me understand what I'm buying"),
            ("Pay", "Charge me the right amount, on time"),
        ]:
            page.get_by_label("Stage name").fill(name)
            page.get_by_label("The customer's goal at this stage").fill(goal)
            _submit(page, "Add stage", f"Stage '{name}' added")
        page.get_by_text("2. Pay").wait_for()
        page.get_by_text("1 of 5 steps done").wait_for(timeout=30_000)
        _shot(page, "2-stages")

        # 2. A moment of truth, in the second stage.
        page.get_by_role("button", name="Next: Moments of truth →").click()
        page.get_by_role("heading", name="2 · Moments of truth").wait_for()
        _settle(page)
        _choose(page, "Stage", "Pay")
        page.get_by_label("Moment", exact=True).fill("First bill matches the quote")
        page.get_by_text("Drives revenue").click()
        page.get_by_text("A key moment").click()
        _submit(page, "Add moment", "Moment of truth 'First bill matches the quote' added")
        page.get_by_text("Pay: First bill matches the quote").wait_for()
        _shot(page, "3-moment")

        # 3. Two silos; one owns Pay.
        page.get_by_role("button", name="Next: Silos →").click()
        page.get_by_role("heading", name="3 · Silos").wait_for()
        _settle(page)
        for silo in ["Billing", "Sales"]:
            page.get_by_label("Silo", exact=True).fill(silo)
            _submit(page, "Add silo", f"Silo '{silo}' added")
        _choose(page, "Pay", "Billing")
        _submit(page, "Save owners", "Owners saved")
        _shot(page, "4-silos")

        # 4. A KPI of the moment.
        page.get_by_role("button", name="Next: KPIs →").click()
        page.get_by_role("heading", name="4 · KPIs").wait_for()
        _settle(page)
        _choose(page, "Stage of the new KPI", "Pay")
        _settle(page)
        page.get_by_label("KPI", exact=True).fill("Bills matching the quote")
        page.get_by_label("Unit").fill("%")
        page.get_by_role("spinbutton", name="Target").fill("99")
        page.get_by_role("spinbutton", name="Warning at").fill("97")
        _choose(page, "Moment of truth", "First bill matches the quote")
        _submit(page, "Add KPI", "KPI 'Bills matching the quote' added")
        _shot(page, "5-kpi")

        # 5. The import step links to Listening; finish on the wall.
        page.get_by_role("button", name="Next: First import →").click()
        page.get_by_role("heading", name="5 · A first import").wait_for()
        _settle(page)
        page.get_by_text("4 of 5 steps done").wait_for(timeout=30_000)
        page.get_by_role("link", name="Open Listening to import a first file").wait_for(timeout=30_000)
        _shot(page, "6-import")
        page.get_by_role("button", name="Finish — show me the wall").click()
        page.get_by_role("heading", name="Set up your Customer Room").wait_for(state="detached", timeout=30_000)
        _settle(page)
        main = page.locator("[data-testid=stMain]")
        main.get_by_role("heading", name="Acme Insurance").wait_for(timeout=30_000)
        for text in ["Shop and compare", "Pay", "First bill matches the quote", "Bills matching the quote", "Billing"]:
            main.get_by_text(text, exact=False).first.wait_for(timeout=30_000)
        _shot(page, "7-wall")
    finally:
        page.close()

    stop_app()  # the app holds the database file; read it once it has stopped
    store = Store(db, read_only=True)
    try:
        progress = q.progress(store)
        assert (progress.stages, progress.moments, progress.silos, progress.kpis) == (2, 1, 2, 1)
        assert progress.accountabilities == 1
    finally:
        store.close()

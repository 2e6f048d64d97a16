"""The fix tracker in a real Chromium on a copy of the demo room: charter a fix
(backdated to December 2025, on the adjuster call-back KPI), post an update,
attach an image, move it to results and celebrate it on its evidence, then
find it on the Celebrations wall. 1920x1080 screenshots go to test-artifacts/."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Error as PlaywrightError

from cxroom.settings import Settings
from cxroom.store import Store
from tests.browser.conftest import ARTIFACTS, CHROMIUM, IDLE, AppServer, copy_db

TITLE = "Call back within a day, every weekday"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]


@pytest.fixture
def room(demo_settings: Settings, tmp_path: Path) -> Settings:
    """A fresh copy of the session's demo room (built once by the real generator)."""
    target = copy_db(demo_settings.db_path, tmp_path / "room.duckdb")
    return Settings(db_path=target, media_dir=tmp_path / "media")


@pytest.fixture
def app(room: Settings) -> Iterator[AppServer]:
    """The app under test; ``stop()`` releases the database so the test can read it."""
    with AppServer(room.db_path, media=room.media_dir, CXROOM_AUTH="single") as server:
        yield server


def settle(page: Any) -> None:
    """Wait for the rerun a click or a keystroke started to finish."""
    page.wait_for_timeout(250)
    page.wait_for_selector(IDLE, timeout=60_000)


def choose(page: Any, key: str, option: str, *, rerun: bool = True) -> None:
    """Pick an option of the selectbox or multiselect with this widget key (in a form: ``rerun=False``).

    ``key`` may hold a ``*`` for the fix version part of the fix page's keys (``move-*-to``).
    """
    box = page.locator(_key(key) + " [role=combobox]")
    for _ in range(5):
        try:
            box.scroll_into_view_if_needed()
            box.click()
            item = page.locator("[role=listbox] [role=option]").filter(has_text=option)
            item.first.wait_for(timeout=5_000)
            item.first.click()
        except PlaywrightError:  # a rerun redrew the widget under the pointer (detached or list closed): again
            page.keyboard.press("Escape")
            settle(page)
            continue
        if rerun:
            settle(page)
        elif page.locator("[role=listbox]").count():
            page.keyboard.press("Escape")  # a multiselect stays open
        return
    raise AssertionError(f"option {option!r} of {key} never showed")


def _key(key: str) -> str:
    """CSS for the element of a widget key; ``move-*-to`` matches ``st-key-move-v3-to``."""
    if "*" not in key:
        return f".st-key-{key}"
    head, tail = key.split("*")
    return f'[class*="st-key-{head}"][class*="{tail} "]'  # Streamlit adds its own classes after the key'


def click(page: Any, key: str) -> None:
    page.locator(_key(key) + " button").first.click()
    settle(page)


def type_into(page: Any, key: str, text: str, *, area: bool = False) -> None:
    """Fill a text field inside a form (no rerun until the form is submitted)."""
    box = page.locator(_key(key) + f" {'textarea' if area else 'input'}")
    box.fill(text)
    box.press("Tab")  # commits the value; Enter would submit the form


def set_date(page: Any, key: str, value: str) -> None:
    """Type a DD/MM/YYYY date into the segmented date field (day, month, year spinbuttons)."""
    page.locator(f".st-key-{key} [data-type=day]").click()
    page.keyboard.type(value.replace("/", ""))
    page.keyboard.press("Tab")
    shown = page.locator(f".st-key-{key} [role=group]").first.inner_text().replace("\n", "")
    assert shown.replace(" ", "") == value, shown


def shot(page: Any, name: str) -> None:
    page.wait_for_timeout(400)  # let charts finish drawing
    page.screenshot(path=str(ARTIFACTS / f"fixes-{name}.png"), full_page=False)


def test_charter_update_attach_and_celebrate_a_fix(
    chromium: Callable[..., Any], app: AppServer, room: Settings, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    picture = tmp_path / "call-back-rota.png"
    img = Image.new("RGB", (640, 360), "#F3F5F8")
    img.paste(Image.new("RGB", (560, 60), "#1F4E79"), (40, 40))
    img.paste(Image.new("RGB", (380, 60), "#15803D"), (40, 140))
    img.paste(Image.new("RGB", (460, 60), "#C2410C"), (40, 240))
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    picture.write_bytes(buffer.getvalue())

    page = chromium(1920, 1080)
    try:
        page.goto(app.url, wait_until="domcontentloaded")  # the frame first: it knows the user
        page.wait_for_selector(IDLE, timeout=60_000)
        page.goto(f"{app.url}/fixes", wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.get_by_role("heading", name="Fix teams").wait_for(timeout=30_000)
        expect(page.locator(".st-key-board-lane-results")).to_contain_text("Renewal letter in plain language")
        shot(page, "1-board")

        # -- charter -------------------------------------------------------------------------------
        page.get_by_role("tab", name="Charter a fix").click()
        choose(page, "charter-stage", "Make a claim")
        type_into(page, "charter-title", TITLE)
        type_into(page, "charter-problem", "Weekend claims wait until Monday for a first call.", area=True)
        choose(page, "charter-moment", rerun=False, option="Adjuster calls back within 24 hours")
        type_into(page, "charter-sponsor", "Paul Hart")
        type_into(page, "charter-person-0", "Robert Chen")
        choose(page, "charter-silo-0", rerun=False, option="Claims")
        type_into(page, "charter-person-1", "Maria Santos")
        choose(page, "charter-silo-1", rerun=False, option="Customer Service")
        type_into(page, "charter-person-2", "Oliver Grant")
        choose(page, "charter-silo-2", rerun=False, option="Digital")
        set_date(page, "charter-chartered", "01/12/2025")
        set_date(page, "charter-due", "30/06/2026")
        choose(page, "charter-kpis", "Adjuster call-back within 24h (24 readings)", rerun=False)
        shot(page, "2-charter-form")
        page.locator(".st-key-charter-submit button").click()
        page.get_by_role("heading", name=TITLE).wait_for(timeout=30_000)
        settle(page)
        expect(page.get_by_text("The team is chartered.")).to_be_visible()
        assert "fix=" in page.url
        shot(page, "3-chartered")

        # -- an update and an attachment -----------------------------------------------------------------
        type_into(page, "note-text", "Weekend rota agreed with the adjusters' team leads.", area=True)
        page.locator(".st-key-note-submit button").click()
        settle(page)
        expect(page.get_by_text("Update posted.")).to_be_visible()
        page.get_by_text("Attach a file").click()
        page.locator(".st-key-attach-file input[type=file]").set_input_files(str(picture))
        settle(page)
        type_into(page, "attach-title", "Weekend call-back rota")
        page.locator(".st-key-attach-submit button").click()
        settle(page)
        expect(page.get_by_text("Attached 'Weekend call-back rota'")).to_be_visible()
        expect(page.locator("[data-testid=stImage]").first).to_be_visible()

        # -- move it along: implementing, results, celebrated ------------------------------------------
        choose(page, "move-*-to", "Implementing")
        type_into(page, "move-*-note", "Rota live from January.", area=True)
        click(page, "move-*-submit")
        choose(page, "move-*-to", "Results")
        type_into(page, "move-*-note", "Six months of data in.", area=True)
        type_into(page, "move-*-results", "Call-backs within 24h rose from 61% to 90%.", area=True)
        click(page, "move-*-submit")
        expect(page.get_by_text("Moved to Results.")).to_be_visible()
        choose(page, "move-*-to", "Celebrated")
        move_form = page.locator("[data-testid=stForm]").filter(has=page.locator(_key("move-*-submit")))
        expect(move_form).to_contain_text("Target met")
        shot(page, "4-ready-to-celebrate")
        click(page, "move-*-submit")
        expect(page.get_by_text("Celebrated! It is on the Celebrations wall.")).to_be_visible()
        page.evaluate("window.scrollTo(0, 0)")
        shot(page, "5-celebrated")

        # -- the Celebrations wall ------------------------------------------------------------------------------
        page.get_by_role("link", name="Celebrations").first.click()
        settle(page)
        wall = page.locator("[class*=st-key-celebration-]").first
        expect(wall).to_contain_text(TITLE)
        expect(wall).to_contain_text("Maria Santos")
        expect(wall).to_contain_text("Target met")
        shot(page, "6-celebrations-wall")
    except Exception:
        page.screenshot(path=str(ARTIFACTS / "fixes-failure.png"), full_page=False)
        raise
    finally:
        page.close()

    app.stop()
    store = Store(room.db_path, read_only=True)
    try:
        row = store.fetch_dicts(
            "SELECT f.status, c.basis, (SELECT count(*) FROM fix_attachments a WHERE a.fix_id = f.id) AS files "
            "FROM fixes f JOIN fix_celebrations c ON c.fix_id = f.id WHERE f.title = ?",
            [TITLE],
        )
    finally:
        store.close()
    assert row == [{"status": "celebrated", "basis": "target_met", "files": 1}]

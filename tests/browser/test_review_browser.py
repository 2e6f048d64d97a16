"""A whole room review in a real Chromium, on a copy of the demo room: plan it,
see the agenda proposed from the data (earlier decisions first), walk it in
presenter mode (a stage slide fits 1920x1080 with its call clip in view),
record a finding, charter a fix team from it, record a decision, have a fix
team present, close the review, download the minutes, see what changed since
the last review; plan the next review, titled by the month it reviews, and find
what changed since and the open decision there (its owner marks it done); then
restart the app and find everything still there.

Screenshots of presenter mode at 1920x1080 go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cxroom.settings import Settings
from cxroom.store import Store
from tests.browser.conftest import ARTIFACTS, CHROMIUM, IDLE, app_server, copy_db
from tests.hostile_text import as_read

FINDING = "Repeat callers are chasing call-backs that were promised and never made."
DECISION = "Every second contact gets a named case owner from December."
FIX_TITLE = "Repeat callers are chasing call-backs that were promised and never made"
REVIEW_TITLE = "Browser walk review"
NEXT_HELD_ON = "20270112"
DELTA_ARROWS = """() => [...document.querySelectorAll('[data-testid=stMetricDelta]')].map(d => [
    d.innerText.replace(/^[^+\\-0-9]*/, '').trim(), !!d.querySelector('[data-testid=stMetricDeltaIcon-Down]')])"""
SPIKE_SIZE = 120
SPIKE = """
INSERT INTO complaints (source, external_id, received_at, channel, category, verbatim, stage_id)
SELECT 'Call centre', 'SPIKE-' || i, TIMESTAMP '2026-10-20 09:00' + i * INTERVAL 7 MINUTE, 'phone',
       'Long wait on phone', CASE WHEN i % 10 = 0 THEN 'The phone line was dead for two days.' END, s.id
FROM range(?) t(i), stages s WHERE s.slug = 'get-help'
"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]


@pytest.fixture
def room(demo_settings: Settings, tmp_path: Path) -> Settings:
    """A private copy of the demo room (the app process holds its own lock on it)."""
    target = copy_db(demo_settings.db_path, tmp_path / "room.duckdb")
    store = Store(target)
    try:
        store.execute(SPIKE, [SPIKE_SIZE])  # the phone lines were down: an unusual rise for the agenda
        store.checkpoint()
    finally:
        store.close()
    return Settings(db_path=target, media_dir=demo_settings.media_dir)


def _idle(page: Any) -> None:
    page.wait_for_timeout(150)
    page.wait_for_selector(IDLE, timeout=30_000)


def _open(page: Any, url: str) -> None:
    page.goto(url)
    _idle(page)


def _start(page: Any, url: str) -> None:
    """Load the frame once on a fresh server. Until some session has run app.py
    (and so st.navigation), Streamlit serves a deep link such as /reviews
    straight from views/ without the frame: no user, no role check."""
    _open(page, url)
    page.get_by_text("Single-user mode").first.wait_for()


def _click(page: Any, locator: Any) -> None:
    locator.click()
    _idle(page)


def _pick(page: Any, label: str, option: str) -> None:
    """Choose in a Streamlit selectbox: open it, type the option, press Enter."""
    box = page.locator("[data-testid=stSelectbox]").filter(has=page.get_by_text(label, exact=True)).first
    box.click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    _idle(page)


def _type(page: Any, label: str, text: str) -> None:
    """Fill a text box and leave it, so its value is sent before the next widget is touched."""
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Tab")
    _idle(page)


def _tab(page: Any, name: str) -> None:
    _click(page, page.get_by_role("tab", name=name))


def _shot(page: Any, name: str) -> None:
    page.wait_for_timeout(800)  # let charts finish drawing
    page.screenshot(path=str(ARTIFACTS / name))


def _plan_anyway(page: Any) -> None:
    """Plan the review. The demo's data ends in October and the room already has a review of
    October's data, so the plan is held back with a warning naming the month of data (not the
    calendar month of the date): go ahead deliberately."""
    from playwright.sync_api import expect

    _click(page, page.get_by_role("button", name="Plan the review and propose its agenda"))
    expect(page.get_by_text("The room already has a review of October 2026 data")).to_be_visible()
    _click(page, page.get_by_role("button", name="Plan another review anyway"))


def _no_statistics_or_ids(page: Any) -> None:
    """Leaders read words: no test statistics, ids or internal names outside a method expander
    (a closed expander's text is not drawn)."""
    shown = page.locator("[data-testid=stMain]").inner_text()
    for word in ("z = ", "Poisson", "p = 0", "None", "(fix ", "by local"):
        assert word not in shown, word


def test_a_whole_review_in_the_browser(chromium: Callable[..., Any], room: Settings) -> None:
    from playwright.sync_api import expect

    page = chromium(1920, 1080, accept_downloads=True)
    try:
        page.set_default_timeout(30_000)
        with app_server(room.db_path, media=room.media_dir, CXROOM_AUTH="single") as url:
            # 1. Plan: the agenda is proposed from the data.
            _start(page, url)
            _open(page, f"{url}/reviews")
            page.get_by_label("Title", exact=True).fill(REVIEW_TITLE)  # inside a form: sent on submit
            page.get_by_label("Attendees (one per line)").fill("Catherine Doyle\nMark Ellison\nLeila Mansour")
            _plan_anyway(page)
            expect(page.get_by_text("Review planned with a proposed agenda")).to_be_visible()
            _click(page, page.get_by_role("link", name="Open the new review"))
            review_id = page.url.split("review=")[1].split("&")[0]
            expect(page.get_by_role("heading", name=REVIEW_TITLE)).to_be_visible()
            expect(page.get_by_text("Where we are letting customers down")).to_be_visible()
            expect(page.get_by_text("KPI off target · Customers with 3+ contacts in a month")).to_be_visible()
            expect(page.get_by_text("Complaints rose unusually · Long wait on phone")).to_be_visible()
            expect(page.get_by_text("Follow-up: decisions from earlier reviews")).to_be_visible()
            _no_statistics_or_ids(page)
            _shot(page, "review-agenda.png")

            # 2. Walk two stages in presenter mode, on the room's screen.
            _click(page, page.get_by_role("link", name="Presenter mode"))
            expect(page.get_by_text("Item 1 of")).to_be_visible()
            expect(page.get_by_text("Decisions from earlier reviews").first).to_be_visible()
            _shot(page, "review-presenter-item-1.png")
            _click(page, page.get_by_role("button", name="Next"))
            page.wait_for_url("**item=2**", timeout=10_000)  # a deep link to the slide on screen
            expect(page.get_by_role("heading", name="Get help", exact=True)).to_be_visible()
            expect(page.get_by_text("Item 2 of")).to_be_visible()
            expect(page.locator("[data-testid=stMetric]").first).to_be_visible()
            _shot(page, "review-presenter-item-2.png")
            expect(
                page.locator("li:visible").filter(has_text="complaints this month, ").first
            ).to_be_visible()  # in words
            audio = page.locator("audio")
            assert audio.count() == 1  # the demo has a call at Get help
            page.wait_for_function("() => document.querySelector('audio').readyState >= 1", timeout=15_000)
            assert page.evaluate("() => document.querySelector('audio').duration") > 5
            box = audio.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 1080, box  # the clip without scrolling
            assert page.evaluate("() => window.scrollY") == 0
            # A fall reads as a fall: the arrow follows the sign of the change as printed.
            deltas = page.evaluate(DELTA_ARROWS)
            assert deltas and all(text.startswith("-") == down for text, down in deltas if text), deltas
            _no_statistics_or_ids(page)
            _shot(page, "review-presenter-item-2.png")
            _pick(page, "Go to", "Fix team:")  # jump to the first fix team on the agenda
            expect(page.get_by_text("A fix team presents")).to_be_visible()
            _shot(page, "review-presenter-fix.png")

            # 3. Capture: a finding, a fix team chartered from it, a decision.
            _open(page, f"{url}/review?review={review_id}")
            _tab(page, "Capture")
            _pick(page, "Stage", "Get help")
            _type(page, "The finding", FINDING)
            _click(page, page.get_by_role("button", name="Record the finding"))
            expect(page.get_by_text("Finding recorded.")).to_be_visible()
            expect(page.get_by_label("The finding", exact=True)).to_have_value("")  # ready for the next one
            expect(page.get_by_text(FINDING).first).to_be_visible()

            _type(page, "The decision", DECISION)
            _pick(page, "Owner", "Mark Ellison")
            _click(page, page.get_by_role("button", name="Record the decision"))
            expect(page.get_by_text("Decision recorded.")).to_be_visible()

            _pick(page, "Sponsor", "Mark Ellison")
            _type(page, "Lead", "Jonas Lindqvist")
            _pick(page, "Silo of the lead", "Customer Service")
            _type(page, "Member 2", "Ines Moreau")
            _pick(page, "Silo of member 2", "Customer Service")
            _click(page, page.get_by_role("button", name="Charter the fix team"))
            expect(page.get_by_text("one silo alone is not cross-functional")).to_be_visible()
            _pick(page, "Silo of member 2", "Digital")
            _click(page, page.get_by_role("button", name="Charter the fix team"))
            expect(page.get_by_text("Fix team chartered")).to_be_visible()
            _shot(page, "review-capture.png")

            # 4. A fix team presents.
            _tab(page, "Teams present")
            _click(page, page.get_by_role("button", name="Mark as presented in this review"))
            expect(page.get_by_text("Presented in this review.")).to_be_visible()

            # 5. Close, and download the minutes.
            _tab(page, "Close and minutes")
            _click(page, page.get_by_text("Everything is captured"))
            _click(page, page.get_by_role("button", name="Close the review"))
            expect(page.get_by_text("Review closed.")).to_be_visible()
            with page.expect_download() as download:
                page.get_by_role("button", name="Minutes as Markdown").click()
            minutes = Path(download.value.path()).read_text(encoding="utf-8")
            with page.expect_download() as download:
                page.get_by_role("button", name="Minutes as printable HTML").click()
            minutes_html = Path(download.value.path()).read_text(encoding="utf-8")
            for text in (FINDING, DECISION, FIX_TITLE):
                assert text in as_read(minutes), text  # the Markdown escapes every punctuation mark
                assert text in minutes_html, text
            (ARTIFACTS / "review-minutes.md").write_text(minutes, encoding="utf-8")

            assert "Decisions from earlier reviews" in minutes_html and "owner Mark Ellison" in minutes_html
            assert "Fixes chartered in this review" in minutes_html

            # 6. What changed since the last review: the new fix is there.
            _tab(page, "Since the last review")
            expect(page.get_by_text("Fixes that progressed or slipped")).to_be_visible()
            expect(page.locator("[data-testid=stTable]").get_by_text(FIX_TITLE)).to_be_visible()
            _shot(page, "review-since-last.png")

            # 7. The next review, while it is only planned: titled by the month it reviews, what changed
            # since this one, and this review's decision back as open; its owner marks it done.
            _open(page, f"{url}/reviews")
            # The date field is made of segments (year, month, day): type into the first, it moves on.
            page.get_by_label("Held on", exact=True).locator("[role=spinbutton]").first.click()
            page.keyboard.type(NEXT_HELD_ON)
            page.keyboard.press("Tab")
            _plan_anyway(page)
            _click(page, page.get_by_role("link", name="Open the new review"))
            next_id = page.url.split("review=")[1].split("&")[0]
            assert next_id != review_id
            caption = page.get_by_text("review of ").first.inner_text()
            month = caption.split("review of ")[1].split(" data")[0]
            expect(page.get_by_role("heading", name=f"Monthly room review · {month}")).to_be_visible()
            decision = page.locator("[class*=st-key-follow-up-decision-]").filter(has_text=DECISION)
            expect(decision).to_be_visible()
            expect(decision).to_contain_text("Open")
            expect(decision).to_contain_text("Owner Mark Ellison · due ")
            _shot(page, "review-next-follow-up.png")
            _click(page, decision.get_by_role("button", name="Mark done"))
            expect(page.get_by_text("Marked done")).to_be_visible()
            done = page.locator("[class*=st-key-follow-up-decision-]").filter(has_text=DECISION)
            expect(done).to_contain_text("Done")
            expect(done.get_by_role("button", name="Mark done")).to_have_count(0)
            _tab(page, "Since the last review")
            expect(page.get_by_text("So far: the room as it stands now")).to_be_visible()
            expect(page.get_by_text("moved onto target")).to_be_visible()
            _shot(page, "review-next-since-last.png")

        # 8. Restart the app: everything is still there.
        with app_server(room.db_path, media=room.media_dir, CXROOM_AUTH="single") as url:
            _start(page, url)
            _open(page, f"{url}/review?review={review_id}")
            expect(page.get_by_text("Closed", exact=True).first).to_be_visible()
            _tab(page, "Capture")
            expect(page.get_by_text(FINDING).first).to_be_visible()
            expect(page.get_by_text(DECISION).first).to_be_visible()
            _tab(page, "Since the last review")
            expect(page.locator("[data-testid=stTable]").get_by_text(FIX_TITLE)).to_be_visible()
    finally:
        page.close()

    # The fix is in the fix tracker's own tables, chartered in this review.
    store = Store(room.db_path)
    try:
        fix = store.fetch_dicts(
            "SELECT f.status, f.chartered_review_id, count(m.person) AS members "
            "FROM fixes f JOIN fix_members m ON m.fix_id = f.id WHERE f.title = ? GROUP BY ALL",
            [FIX_TITLE],
        )
        assert fix == [{"status": "chartered", "chartered_review_id": int(review_id), "members": 2}]
        assert store.fetch_value("SELECT count(*) FROM review_snapshots WHERE review_id = ?", [int(review_id)]) == 1
    finally:
        store.close()

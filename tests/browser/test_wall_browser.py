"""The Wall in a real Chromium, on a demo room with one hostile verbatim added:
every column visible and none overflowing at 1920x1080 and 3840x2160, a call
clip plays from its start, an artifact opens, the wall screen has no chrome,
fits one screen and refreshes by itself, customer text stays text, and the page
comes back by itself after the server restarts. Screenshots go to
test-artifacts/ (git-ignored)."""

from __future__ import annotations

import contextlib
import importlib.util
import shutil
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from queries.wall_rooms import HOSTILE, add_complaints

from cxroom.demo import build_demo
from cxroom.media import MediaStore
from cxroom.settings import Settings
from cxroom.store import Store
from tests.browser.conftest import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, IDLE, AppServer, app_server

SIZES = [(1920, 1080), (3840, 2160)]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("wall-browser")
    settings = Settings(db_path=folder / "room.duckdb", media_dir=folder / "media")
    store = Store(settings.db_path)
    build_demo(store, MediaStore(settings), end_month=date(2026, 10, 1))
    # The newest verbatim of the Pay stage is hostile.
    add_complaints(store, [(datetime(2026, 10, 31, 23, 0), "Refund delay", HOSTILE)])
    store.close()  # one process per DuckDB file: the app opens it next
    return settings


@pytest.fixture(scope="module")
def app_url(room: Settings) -> Iterator[str]:
    with app_server(room.db_path, media=room.media_dir, CXROOM_AUTH="single") as url:
        yield url


@pytest.fixture(scope="module")
def chromium_args() -> list[str]:
    """Call clips are played from a script, without a user gesture."""
    return [*CHROMIUM_ARGS, "--autoplay-policy=no-user-gesture-required"]


def _open(
    chromium: Callable[..., Any], url: str, size: tuple[int, int] = (1920, 1080), ready: str = "[class*=st-key-stage-]"
) -> Any:
    page = chromium(*size)
    page.alerts = []  # type: ignore[attr-defined]
    page.on("dialog", lambda d: (page.alerts.append(d.message), d.dismiss()))  # type: ignore[attr-defined]
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_selector(ready, timeout=60_000)
    with contextlib.suppress(Exception):  # lazy elements (metrics' charts) show a skeleton first
        page.wait_for_function("document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=15_000)
    page.wait_for_timeout(500)
    return page


STAGE_BOXES = """
() => [...document.querySelectorAll('[class*="st-key-stage-"]')]
  .filter(e => /st-key-stage-[a-z0-9-]+(\\s|$)/.test(e.className) && e.closest('.st-key-wall-columns'))
  .map(e => { const r = e.getBoundingClientRect();
              return {key: e.className.match(/st-key-stage-[a-z0-9-]+/)[0], left: r.left, right: r.right,
                      top: r.top, bottom: r.bottom, width: r.width,
                      overflowing: e.scrollWidth > e.clientWidth + 1,
                      clipped: e.scrollHeight - e.clientHeight}; })
"""


def _assert_columns_fit(page: Any, width: int, stages: int = 7) -> list[dict[str, Any]]:
    boxes = page.evaluate(STAGE_BOXES)
    assert len(boxes) == stages, boxes
    for box in boxes:
        assert box["left"] >= 0 and box["right"] <= width + 0.5, box
        assert box["width"] > 150, box
        assert not box["overflowing"], box
    row = page.evaluate(
        "() => { const r = document.querySelector('.st-key-wall-columns [data-testid=stHorizontalBlock]');"
        " return [r.scrollWidth, r.clientWidth]; }"
    )
    assert row[0] <= row[1] + 1, f"the wall scrolls sideways: {row}"
    return boxes


@pytest.mark.parametrize("size", SIZES, ids=["1080p", "4k"])
def test_every_column_is_visible_and_none_overflows(
    chromium: Callable[..., Any], app_url: str, size: tuple[int, int]
) -> None:
    page = _open(chromium, app_url, size)
    try:
        _assert_columns_fit(page, size[0])
        elements = page.evaluate("document.querySelectorAll('[data-testid=stElementContainer]').length")
        assert elements < 400
        assert not page.alerts
        page.screenshot(path=str(ARTIFACTS / f"wall-{size[0]}x{size[1]}.png"))
    finally:
        page.close()


@pytest.mark.parametrize("size", SIZES, ids=["1080p", "4k"])
def test_wall_screen_has_no_chrome_and_fits_one_screen(
    chromium: Callable[..., Any], app_url: str, size: tuple[int, int]
) -> None:
    page = _open(chromium, f"{app_url}/?mode=wall", size)
    try:
        for testid in ("stSidebar", "stHeader", "stToolbar", "stSidebarCollapsedControl"):
            assert not page.locator(f"[data-testid={testid}]").is_visible(), testid
        boxes = _assert_columns_fit(page, size[0])
        root = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
        assert max(b["bottom"] for b in boxes) <= size[1] + 1, "the wall screen would need scrolling"
        # Nothing is cut off at the bottom either.
        clipped = page.evaluate(
            "() => { const w = document.querySelector('.st-key-wall-columns');"
            " return w.scrollHeight - w.clientHeight; }"
        )
        assert clipped <= 2, f"{clipped}px of the wall are cut off"
        assert page.get_by_text("Data as of October 2026").is_visible()
        assert root >= 16 * size[0] / 1920, f"type too small for 3 m: {root}px"
        page.screenshot(path=str(ARTIFACTS / f"wall-screen-{size[0]}x{size[1]}.png"))
    finally:
        page.close()


@pytest.mark.parametrize("query", ["/", "/?mode=wall"], ids=["wall", "wall-screen"])
def test_the_wall_asks_nothing_of_the_internet(chromium: Callable[..., Any], app_url: str, query: str) -> None:
    """A wall screen is often offline: every request (favicon, fonts, icons, media) goes to this server."""
    page = chromium(1920, 1080)
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(f"{app_url}{query}", wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.wait_for_selector("[class*=st-key-stage-]", timeout=60_000)
        page.wait_for_timeout(2_000)
        favicon = page.evaluate("[...document.querySelectorAll('link[rel*=icon]')].map(l => l.href)")
    finally:
        page.close()
    assert len(requests) > 10  # the page, its scripts and styles, the media
    elsewhere = [url for url in requests if not url.startswith((app_url, "data:", "blob:"))]
    assert not elsewhere, elsewhere
    assert favicon and all(href.startswith(app_url) for href in favicon), favicon


def test_wall_screen_split_over_screens(chromium: Callable[..., Any], app_url: str) -> None:
    page = _open(chromium, f"{app_url}/?mode=wall&screen=2&of=3")
    try:
        boxes = _assert_columns_fit(page, 1920, stages=2)
        assert [b["key"] for b in boxes] == ["st-key-stage-pay", "st-key-stage-get-help"]
        page.screenshot(path=str(ARTIFACTS / "wall-screen-2-of-3.png"))
    finally:
        page.close()


def test_wall_screen_refreshes_by_itself(chromium: Callable[..., Any], app_url: str) -> None:
    page = _open(chromium, f"{app_url}/?mode=wall&spotlight=5")
    try:
        spotlight = page.locator("[class*=st-key-spotlight-] h6")
        first = spotlight.inner_text()
        page.wait_for_function(
            "(first) => { const h = document.querySelector('[class*=st-key-spotlight-] h6');"
            " return h && h.innerText !== first; }",
            arg=first,
            timeout=20_000,
        )
        assert spotlight.inner_text() != first
        page.screenshot(path=str(ARTIFACTS / "wall-screen-spotlight.png"))
    finally:
        page.close()


def test_a_call_clip_plays_from_its_start(chromium: Callable[..., Any], app_url: str) -> None:
    page = _open(chromium, app_url)
    try:
        audio = page.locator("[class*=st-key-stage-] audio").first
        audio.wait_for(state="attached", timeout=30_000)
        page.wait_for_function(
            "() => { const a = document.querySelector('[class*=st-key-stage-] audio');"
            " return a && a.readyState >= 1; }",
            timeout=30_000,
        )
        start = page.evaluate("document.querySelector('[class*=st-key-stage-] audio').currentTime")
        assert start > 0, "the player is not positioned at the clip start"
        page.evaluate("document.querySelector('[class*=st-key-stage-] audio').play()")
        page.wait_for_timeout(2_500)
        now = page.evaluate("document.querySelector('[class*=st-key-stage-] audio').currentTime")
        assert now > start + 1.0, (start, now)
    finally:
        page.close()


def test_an_artifact_opens_full_size(chromium: Callable[..., Any], app_url: str) -> None:
    page = _open(chromium, app_url)
    try:
        buttons = page.locator("[class*=st-key-stage-] [class*=-open] button")
        assert buttons.count() > 0
        buttons.first.click()
        dialog = page.locator("[data-testid=stDialog]")
        dialog.wait_for(timeout=30_000)
        page.wait_for_selector(IDLE, timeout=30_000)
        image = dialog.locator("img").first
        image.wait_for(timeout=30_000)
        page.wait_for_function(
            "() => { const i = document.querySelector('[data-testid=stDialog] img'); return i && i.naturalWidth > 0; }",
            timeout=30_000,
        )
        natural = page.evaluate("document.querySelector('[data-testid=stDialog] img').naturalWidth")
        assert natural > 480  # the full image, not the thumbnail
        page.screenshot(path=str(ARTIFACTS / "wall-artifact-dialog.png"))
    finally:
        page.close()


def test_a_pdf_artifact_opens_in_a_viewer(chromium: Callable[..., Any], app_url: str) -> None:
    """st.iframe cannot show a PDF (Chromium blocks its viewer in a sandboxed frame), so the
    dialog uses pdf.js (st.pdf, streamlit[pdf]) or page images: either way pages are drawn."""
    page = _open(chromium, f"{app_url}/stage?stage=get-started", ready="[data-testid=stTab]")
    try:
        page.get_by_role("tab", name="Artifacts").click()
        pdf_tile = page.locator("[class*=st-key-sd-gallery-]").filter(has_text="letter").first
        pdf_tile.get_by_role("button", name="Open full size").click()
        dialog = page.locator("[data-testid=stDialog]")
        dialog.wait_for(timeout=30_000)
        dialog.get_by_role("button", name="Download PDF").wait_for(timeout=30_000)
        if _has_streamlit_pdf():
            # pdf.js draws the pages on canvases, in the component's shadow DOM (Playwright pierces it).
            canvas = dialog.locator("canvas").first
            canvas.wait_for(timeout=30_000)
            box = canvas.bounding_box()
            assert box is not None and box["width"] > 300
        else:
            page.wait_for_function(
                "() => [...document.querySelectorAll('[data-testid=stDialog] img')].some(i => i.naturalWidth > 600)",
                timeout=30_000,
            )
        page.wait_for_timeout(1_500)
        page.screenshot(path=str(ARTIFACTS / "stage-pdf-dialog.png"))
    finally:
        page.close()


def _has_streamlit_pdf() -> bool:
    return importlib.util.find_spec("streamlit_pdf") is not None


def test_hostile_verbatim_renders_as_plain_text(chromium: Callable[..., Any], app_url: str) -> None:
    page = _open(chromium, app_url)
    try:
        column = page.locator(".st-key-stage-pay")
        column.get_by_text("<img src=x onerror=alert(1)>", exact=False).wait_for(timeout=10_000)
        text = column.inner_text()
        assert "<script>alert(2)</script> **bold** [link](http://example.com)" in text
        assert page.locator("img[src='x']").count() == 0
        assert column.locator("a[href^='http://example.com']").count() == 0
        assert column.locator("strong", has_text="bold").count() == 0
        page.wait_for_timeout(500)
        assert not page.alerts
        column.screenshot(path=str(ARTIFACTS / "wall-hostile-verbatim.png"))
    finally:
        page.close()


def test_stage_detail_renders(chromium: Callable[..., Any], app_url: str) -> None:
    page = _open(chromium, f"{app_url}/stage?stage=pay", ready="[data-testid=stTab]")
    try:
        page.get_by_text("complaints match").wait_for(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "stage-pay-1920x1080.png"), full_page=True)
    finally:
        page.close()


@pytest.mark.slow
def test_the_page_recovers_by_itself_after_a_server_restart(
    chromium: Callable[..., Any], room: Settings, tmp_path: Path
) -> None:
    # The module's server holds its DuckDB file (one process per file): restart a copy of the room.
    shutil.copytree(room.db_path.parent, tmp_path / "copy")
    copy = Settings(db_path=tmp_path / "copy" / room.db_path.name, media_dir=tmp_path / "copy" / "media")
    with AppServer(copy.db_path, media=copy.media_dir, CXROOM_AUTH="single") as server:
        page = _open(chromium, f"{server.url}/?mode=wall")
        try:
            server.stop()
            page.wait_for_timeout(2_000)
            server.start()  # on the same port
            # Streamlit's client reconnects on its own and reruns the page: no reload here.
            page.wait_for_function(
                "() => document.querySelectorAll('[class*=st-key-stage-]').length >= 7 && "
                "document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning'",
                timeout=60_000,
            )
            page.wait_for_timeout(1_000)
            assert page.get_by_text("Data as of October 2026").is_visible()
        finally:
            page.close()

"""The wall screen (/display) in a real Chromium against real server processes (serve.py), on
rooms of 7, 10 and 12 stages at 1920x1080 and 3840x2160: what it shows is legible from across
the room and never clipped; the customer is on it; a display link is needed for every byte; the
playlist set in Admin rotates; and a SIGKILLed server is waited out with the last good wall.
Screenshots and the measured figures go to test-artifacts/."""

from __future__ import annotations

import json
import re
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cxroom.formatting import fmt_amount, fmt_count, fmt_count_change, fmt_number
from cxroom.insights.customer_math import StageLosses
from cxroom.models import DisplayPlaylist
from cxroom.queries.customer_math import CustomerMath, load_customer_math
from cxroom.queries.wall.months import default_month, months_with_data
from cxroom.services import display, trust
from cxroom.settings import Settings
from cxroom.store import Store
from tests.browser.conftest import ARTIFACTS, CHROMIUM, IDLE, AppServer, copy_db
from tests.browser.display_rooms import COUNT_CHARACTERS, PERSONAL, build_rooms

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]
SIZES = [(1920, 1080), (3840, 2160)]
REVOKED: dict[int, str] = {}  # a revoked link's plain token, per room
WALL_ONLY = DisplayPlaylist(wall_s=4, spotlight_s=0, fixes_s=0, celebrations_s=0, refresh_s=5)

# Every visible character (text nodes of shown elements inside the viewport) and its font size;
# headline numbers; and whether any column, or anything in one, leaves the viewport or its column.
MEASURE = (
    """
() => {
"""
    + COUNT_CHARACTERS
    + """
  const inside = (r, box) => r.left >= box.left - 1 && r.right <= box.right + 1 && r.top >= box.top - 1
                             && r.bottom <= box.bottom + 1;
  const viewport = {left: 0, top: 0, right: vw, bottom: vh};
  const clipped = [];
  for (const col of document.querySelectorAll('.col')) {
    const box = col.getBoundingClientRect();
    if (!inside(box, viewport) || col.scrollHeight > col.clientHeight + 1) clipped.push(col.dataset.stage);
    for (const el of col.querySelectorAll('h2, p:not([hidden]), li, img, blockquote, figcaption, .num')) {
      const where = col.dataset.stage + ': ' + el.textContent.slice(0, 40);
      if (!inside(el.getBoundingClientRect(), box)) clipped.push(where);
    }
  }
  const band = document.querySelector('.cmath');
  const figs = band && band.querySelector('.figs');
  if (band && (!inside(band.getBoundingClientRect(), viewport) || figs.scrollWidth > figs.clientWidth + 1)) {
    clipped.push('customer math band');
  }
  const root = document.documentElement;
  return {
    band: band ? [...band.querySelectorAll('.fig')].map(f => [f.dataset.label, f.querySelector('.num').textContent,
                  (f.querySelector('.aside') || {}).textContent || '']) : null,
    definitions: band ? band.querySelector('.defs').textContent : null,
    lost: Object.fromEntries([...document.querySelectorAll('.col')].map(
      c => [c.dataset.stage, (c.querySelector('.lost b') || {}).textContent || null])),
    index: Number(document.querySelector('.screen').dataset.index),
    share: chars ? large / chars : 0, chars,
    numbers: [...document.querySelectorAll('.num')].map(e => parseFloat(getComputedStyle(e).fontSize)),
    columns: [...document.querySelectorAll('.col')].map(c => c.dataset.stage),
    news: document.querySelectorAll('.col .news').length,
    clipped, scrollbars: root.scrollWidth > vw || root.scrollHeight > vh,
  };
}
"""
)


@pytest.fixture(scope="module")
def rooms(tmp_path_factory: pytest.TempPathFactory) -> dict[int, tuple[Settings, str]]:
    return build_rooms(tmp_path_factory.mktemp("display-rooms"))


def _serve(settings: Settings, playlist: DisplayPlaylist | None, token: str, db: Path | None = None) -> AppServer:
    """serve.py on ``db`` (a copy of the room, default the room itself) with the link's playlist."""
    path = db or settings.db_path
    if db is not None:
        copy_db(settings.db_path, db)
    if playlist is not None:
        store = Store(path)
        display.set_playlist(store, token_sha256=trust.token_id(token), playlist=playlist, actor="cli")
        store.close()
    return AppServer(path, media=settings.media_dir, script="serve.py", CXROOM_AUTH="single")


@pytest.fixture(scope="module")
def math(rooms: dict[int, tuple[Settings, str]]) -> dict[int, tuple[CustomerMath, dict[str, StageLosses]]]:
    """Each room's customer math as the read model gives it for the month the wall screen shows
    (read before the servers hold the rooms)."""
    found = {}
    for stages, (settings, _token) in rooms.items():
        store = Store(settings.db_path)
        cm = load_customer_math(store, default_month(months_with_data(store)))
        slugs = {int(r["id"]): r["slug"] for r in store.fetch_dicts("SELECT id, slug FROM stages")}
        found[stages] = (cm, {slugs[sid]: losses for sid, losses in cm.by_stage.items()})
        store.close()
    return found


@pytest.fixture(scope="module")
def servers(
    rooms: dict[int, tuple[Settings, str]], math: dict[int, tuple[CustomerMath, dict[str, StageLosses]]]
) -> Iterator[dict[int, AppServer]]:
    started: dict[int, AppServer] = {}
    try:
        for stages, (settings, token) in rooms.items():
            if stages == 7:  # a revoked link, for the token test
                store = Store(settings.db_path)
                REVOKED[7] = trust.create_display_token(store, label="Old screen", actor="cli")
                trust.revoke_display_token(store, token_sha256=trust.token_id(REVOKED[7]), actor="cli")
                store.close()
            started[stages] = _serve(settings, WALL_ONLY, token).start()
        yield started
    finally:
        for server in started.values():
            server.stop()


def _open(chromium: Callable[..., Any], url: str, size: tuple[int, int]) -> Any:
    page = chromium(*size)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(".screen", timeout=60_000)
    return page


def _on(page: Any, selector: str, timeout: float = 20_000) -> None:
    page.wait_for_function(f"document.querySelector({json.dumps(selector)}) !== null", timeout=timeout)
    page.wait_for_timeout(150)  # the swap and the fit run in one task; let the images decode


def _expected_band(cm: CustomerMath) -> list[list[str]]:
    """The band's figures computed here from the read model's month (not from the page's own helper)."""
    m = cm.this_month
    assert m is not None and cm.has_data
    unit = cm.definitions.value_unit
    return [
        ["In", fmt_count(m.customers_in), fmt_amount(m.value_in, unit)],
        ["Lost", fmt_count(m.customers_out), f"{fmt_count(m.downgraded)} downgraded"],
        ["Net", fmt_count_change(m.customers_in - m.customers_out), ""],
        ["Retention", fmt_number(m.retention, "%") if m.retention is not None else "not stated", ""],
        ["Value lost", fmt_amount(m.value_out, unit), ""],
    ]


@pytest.mark.parametrize("stages", [7, 10, 12])
def test_every_column_fits_and_reads_from_across_the_room(
    chromium: Callable[..., Any],
    rooms: dict[int, tuple[Settings, str]],
    servers: dict[int, AppServer],
    math: dict[int, tuple[CustomerMath, dict[str, StageLosses]]],
    stages: int,
) -> None:
    cm, losses = math[stages]
    _settings, token = rooms[stages]
    pages = 2  # 7 -> 4 + 3, 10 -> 5 + 5, 12 -> 6 + 6 columns
    report: dict[str, Any] = {}
    for width, height in SIZES:
        page = _open(chromium, f"{servers[stages].url}/display?token={token}", (width, height))
        seen: list[str] = []
        lost_shown: list[str] = []
        for index in range(pages):
            for _ in range(3):  # a page that swapped between the wait and the measure is waited for again
                _on(page, f'.screen[data-kind="wall"][data-index="{index}"]')
                m = page.evaluate(MEASURE)
                if m["index"] == index:
                    break
            assert m["index"] == index, m
            page.screenshot(path=str(ARTIFACTS / f"display-{stages}-stages-{width}-page{index + 1}.png"))
            report[f"{width}x{height} page {index + 1}"] = {k: m[k] for k in ("share", "chars", "clipped", "news")} | {
                "smallest_number_px": min(m["numbers"])
            }
            assert m["share"] >= 0.9, m
            assert min(m["numbers"]) >= 36 * height / 1080, m["numbers"]
            assert not m["clipped"] and not m["scrollbars"], m
            assert m["news"] >= len(m["columns"]), "every column shows at least its worst news"
            # The customer-math band repeats the read model's month, and each column its own losses.
            assert m["band"] == _expected_band(cm), m["band"]
            assert m["definitions"].startswith(f"In: {cm.definitions.incoming}")
            for slug, shown in m["lost"].items():
                lost = losses.get(slug)
                want = f"{fmt_count(lost.customers)} · {fmt_amount(lost.value, lost.unit)}" if lost else None
                assert shown == (want if lost and lost.customers else None), (slug, shown, want)
            lost_shown += [v for v in m["lost"].values() if v]
            seen += m["columns"]
        assert len(seen) == stages and len(set(seen)) == stages, seen  # every stage, once, over the pages
        assert len(lost_shown) == sum(1 for lost in losses.values() if lost.customers) > 0
        assert abs(len(seen[: len(seen) // 2]) - len(seen[len(seen) // 2 :])) <= 1
        page.close()
    (ARTIFACTS / f"display-{stages}-stages.json").write_text(json.dumps(report, indent=1))


def test_a_split_wall_shows_even_screens_each_on_one_page(
    chromium: Callable[..., Any], rooms: dict[int, tuple[Settings, str]], servers: dict[int, AppServer]
) -> None:
    _settings, token = rooms[10]
    columns = []
    for screen in (1, 2):
        page = _open(chromium, f"{servers[10].url}/display?token={token}&screen={screen}&of=2", (1920, 1080))
        _on(page, '.screen[data-kind="wall"]')
        m = page.evaluate(MEASURE)
        assert len(m["columns"]) == 5 and not m["clipped"] and m["share"] >= 0.9, m
        assert "page" not in page.inner_text(".bar h1")  # five columns fit one page: no paging
        columns += m["columns"]
        page.screenshot(path=str(ARTIFACTS / f"display-10-stages-screen{screen}-of-2.png"))
        page.close()
    assert len(set(columns)) == 10


def test_the_customer_is_on_the_wall_masked_and_as_text(
    chromium: Callable[..., Any], rooms: dict[int, tuple[Settings, str]], servers: dict[int, AppServer]
) -> None:
    _settings, token = rooms[12]
    page = _open(chromium, f"{servers[12].url}/display?token={token}", (1920, 1080))
    pages: dict[int, dict[str, Any]] = {}
    deadline = time.time() + 30
    while len(pages) < 2 and time.time() < deadline:  # one look at each page, read in one go
        shown = page.evaluate(
            """() => ({
                index: Number(document.querySelector('.screen').dataset.index),
                loaded: [...document.querySelectorAll('.col img')].every(i => i.complete),
                text: document.body.innerText,
                hostile: document.querySelectorAll('img[src=x], script:not(:last-of-type)').length,
                columns: [...document.querySelectorAll('.col')].map(c => ({
                    stage: c.dataset.stage, image: (c.querySelector('.artifact img') || {}).naturalWidth || 0,
                    quote: (c.querySelector('.verbatim') || {}).textContent || ''}))})"""
        )
        if shown["loaded"]:
            pages.setdefault(shown["index"], shown)
        page.wait_for_timeout(300)
    assert sorted(pages) == [0, 1]
    for shown in pages.values():
        for col in shown["columns"]:
            assert col["image"] > 0 and col["quote"].startswith("“"), col
    first = pages[0]  # Pay, with the newest verbatim holding personal data and markup
    pay = next(c for c in first["columns"] if c["stage"] == "pay")
    assert "[phone]" in pay["quote"] and "[email]" in pay["quote"] and "<img src=x" in pay["quote"], pay
    assert "07700 900123" not in first["text"] and "jane.doe@example.com" not in first["text"]
    assert "Still no refund" in first["text"] and PERSONAL not in first["text"]
    assert first["hostile"] == 0
    page.close()


def _get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def test_no_valid_link_no_data(
    chromium: Callable[..., Any], rooms: dict[int, tuple[Settings, str]], servers: dict[int, AppServer]
) -> None:
    _settings, token = rooms[7]
    base = servers[7].url
    store_names = ["Larkfield", "Shop and compare", "Make a claim", "%"]
    status, _, ok = _get(f"{base}/display?token={token}")
    # The clock decides which of the two wall pages shows: the first holds Shop and compare, the second Make a claim.
    assert status == 200 and (b"Shop and compare" in ok or b"Make a claim" in ok)
    sha = re.search(rb"display/thumb/([0-9a-f]{64})", ok)
    assert sha is not None
    status, kind, image = _get(f"{base}/display/thumb/{sha.group(1).decode()}?token={token}")
    assert status == 200 and kind.startswith("image/") and len(image) > 100
    for path in (
        "/display",
        "/display?token=",
        "/display?token=not-a-link",
        "/display/screen?token=not-a-link",
        f"/display/thumb/{sha.group(1).decode()}",
        f"/display/thumb/{sha.group(1).decode()}?token=x",
    ):
        status, kind, body = _get(base + path)
        assert status == 403 and kind.startswith("text/html"), path
        assert not any(name.encode() in body for name in store_names), (path, body[:300])
    page = chromium(1920, 1080)
    response = page.goto(f"{base}/display?token=not-a-link")
    assert response.status == 403 and "not valid" in page.inner_text("main.refused")
    page.close()
    # A revoked link says so and shows nothing else; an unknown picture is not served.
    status, _, body = _get(f"{base}/display?token={REVOKED[7]}")
    assert status == 403 and b"was revoked" in body and b"Shop and compare" not in body
    status, _, _ = _get(f"{base}/display/thumb/{'a' * 64}?token={token}")
    assert status == 404
    # The old link form still opens the wall screen, with its split.
    page = _open(chromium, f"{base}/?mode=wall&token={token}&screen=2&of=2", (1920, 1080))
    assert "/display?" in page.url and "screen=2" in page.url
    _on(page, '.screen[data-kind="wall"]')
    assert page.locator(".col").count() in (3, 4)
    page.close()


def test_a_playlist_set_in_admin_rotates_the_screens(
    chromium: Callable[..., Any], rooms: dict[int, tuple[Settings, str]], tmp_path: Path
) -> None:
    settings, token = rooms[7]
    server = _serve(settings, None, token, db=tmp_path / "playlist.duckdb").start()
    try:
        admin = chromium(1920, 1080)
        admin.goto(f"{server.url}/admin", wait_until="domcontentloaded")
        admin.wait_for_selector(IDLE, timeout=60_000)
        admin.get_by_role("tab", name="Wall screens").click()
        admin.get_by_text("Playlist of Screen of 7").click()
        values = {
            "The wall (s per page)": 3,
            "Spotlight (s per stage)": 3,
            "Fix board (s)": 3,
            "Celebrations (s)": 3,
            "Fresh data every (s)": 5,
        }
        for label, value in values.items():
            field = admin.get_by_label(label)
            field.fill(str(value))
            field.press("Tab")
        admin.get_by_role("button", name="Save playlist").click()
        admin.get_by_text("plays it from its next screen").wait_for(timeout=30_000)
        admin.close()

        page = _open(chromium, f"{server.url}/display?token={token}", (1920, 1080))
        assert page.get_attribute("#screen", "data-refresh") == "5"
        kinds: list[str] = []
        deadline = time.time() + 70
        while time.time() < deadline:
            kind = page.get_attribute(".screen", "data-kind")
            if not kinds or kinds[-1] != kind:
                kinds.append(kind)
                page.screenshot(path=str(ARTIFACTS / f"display-playlist-{len(kinds)}-{kind}.png"))
            if len(kinds) >= 5:
                break
            page.wait_for_timeout(400)
        order = ["wall", "spotlight", "fixes", "celebrations"]
        start = order.index(kinds[0])
        assert kinds[:5] == [order[(start + i) % 4] for i in range(5)], kinds
        page.close()
    finally:
        server.stop()


def test_the_wall_waits_out_a_killed_server_and_comes_back_by_itself(
    chromium: Callable[..., Any], rooms: dict[int, tuple[Settings, str]], tmp_path: Path
) -> None:
    settings, token = rooms[7]
    quiet = DisplayPlaylist(wall_s=600, spotlight_s=0, fixes_s=0, celebrations_s=0, refresh_s=5)
    server = _serve(settings, quiet, token, db=tmp_path / "outage.duckdb").start()
    try:
        page = _open(chromium, f"{server.url}/display?token={token}", (1920, 1080))
        _on(page, ".col")
        before = page.inner_text(".wall")
        shown = page.locator(".col").count()  # 4 or 3: which page of the 7 stages the clock is on
        assert server.proc is not None
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait(timeout=20)
        server.proc = None
        page.wait_for_selector("#offline:not([hidden])", timeout=15_000)
        banner = page.inner_text("#offline")
        assert re.fullmatch(r"Reconnecting since \d\d:\d\d", banner.strip()), banner
        assert page.inner_text(".wall") == before  # the last good wall stays up
        body = page.inner_text("body")
        assert "streamlit run" not in body and page.locator("[role=dialog]").count() == 0
        page.screenshot(path=str(ARTIFACTS / "display-outage-1920.png"))
        page.wait_for_timeout(4000)  # down a while longer, still the wall
        assert page.locator(".col").count() == shown and page.inner_text(".wall") == before

        server.start()
        back = time.monotonic()
        page.wait_for_selector("#offline", state="hidden", timeout=15_000)
        recovered_s = time.monotonic() - back
        (ARTIFACTS / "display-outage.json").write_text(json.dumps({"recovered_s": recovered_s}))
        assert recovered_s <= 10, recovered_s
        assert page.locator(".col").count() in (3, 4) and "shown" in page.inner_text(".stamp")
    finally:
        server.stop()

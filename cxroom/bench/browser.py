"""Chromium timings (Playwright with the system browser) and the app server's
resident memory.

Each visit opens a new tab, navigates, and stops the clock when the page is
ready: the floor page when its title is drawn, the wall when every stage
column is in the DOM with content. The browser keeps its HTTP cache between
visits (a wall screen has Streamlit's JavaScript cached after its first
load); the first visit of each server is a warm-up and is reported apart.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cxroom.bench.common import (
    APP,
    CHROMIUM,
    CHROMIUM_ARGS,
    FLOOR_PAGE,
    IDLE,
    BenchError,
    Say,
    median,
    peak_rss_mb,
    room_env,
    rss_mb,
    running,
)
from cxroom.bench.rooms import Room

VIEWPORT = {"width": 1920, "height": 1080}
TIMEOUT_MS = 180_000

FLOOR_READY = "() => [...document.querySelectorAll('h1')].some(h => h.innerText.includes('Floor'))"
# Every stage column of the wall drawn: a keyed container per stage inside the wall's row, each with content.
STAGE_COLUMNS = """
(expected) => {
  const cols = [...document.querySelectorAll('.st-key-wall-columns [class*="st-key-stage-"]')]
    .filter(e => /st-key-stage-[a-z0-9-]+(\\s|$)/.test(e.className));
  return cols.length >= expected && cols.every(e => e.innerText.trim().length > 0);
}
"""


def chromium_available() -> bool:
    if not CHROMIUM.exists():
        return False
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def chromium(extra_args: list[str] | None = None) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *(extra_args or [])])
        try:
            yield browser
        finally:
            browser.close()


def visit(context: Any, url: str, ready: str, arg: Any = None) -> tuple[float, float]:
    """Seconds from navigation to ``ready`` being true, and to the script being idle."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        started = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_function(ready, arg=arg, timeout=TIMEOUT_MS, polling="raf")
        ready_s = time.perf_counter() - started
        page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
        idle_s = time.perf_counter() - started
        if page.locator("[data-testid=stException]").count():
            shown = page.locator("[data-testid=stException]").first.inner_text()
            raise BenchError(f"{url} shows an exception: {shown}")
        if errors:
            raise BenchError(f"{url}: JavaScript error {errors[0]}")
        return ready_s, idle_s
    finally:
        page.close()


def measure_browser(room: Room, *, repeat: int, logs: Path, say: Say = print, quick: bool = False) -> dict[str, Any]:
    """Floor and wall in Chromium at 1920x1080, and the wall server's memory.

    ``quick`` (the smoke test) skips the separate first visits and the wall-screen mode."""
    env = room_env(room.db, room.media)
    out: dict[str, Any] = {"viewport": "1920x1080", "samples": repeat}
    with (
        running(FLOOR_PAGE, env=env, log=logs / "floor-server.log") as floor_server,
        running(APP, env=env, log=logs / f"wall-server-{room.scale}.log") as wall_server,
        chromium() as browser,
    ):
        out["server_rss_idle_mb"] = rss_mb(wall_server.pid)
        context = browser.new_context(viewport=VIEWPORT)
        if not quick:
            say("    Chromium: first visits…")
            out["floor_browser_first_s"] = visit(context, floor_server.url, FLOOR_READY)[0]
            first_ready, first_idle = visit(context, wall_server.url, STAGE_COLUMNS, room.stages)
            out["browser_wall_first_s"], out["browser_wall_first_idle_s"] = first_ready, first_idle
        floor, wall, wall_idle, screen = [], [], [], []
        rss_samples = [rss_mb(wall_server.pid)]
        say(f"    Chromium: {repeat} visits of each page…")
        for _ in range(repeat):
            floor.append(visit(context, floor_server.url, FLOOR_READY)[0])
            ready_s, idle_s = visit(context, wall_server.url, STAGE_COLUMNS, room.stages)
            wall.append(ready_s)
            wall_idle.append(idle_s)
            if not quick:
                screen.append(visit(context, f"{wall_server.url}/?mode=wall", STAGE_COLUMNS, room.stages)[0])
            rss_samples.append(rss_mb(wall_server.pid))
        # The wall left open (as on the wall screen) while memory is read.
        page = context.new_page()
        page.goto(wall_server.url, wait_until="commit", timeout=TIMEOUT_MS)
        page.wait_for_function(STAGE_COLUMNS, arg=room.stages, timeout=TIMEOUT_MS, polling="raf")
        page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
        rss_samples.append(rss_mb(wall_server.pid))
        out.update(
            floor_browser_s=median(floor),
            floor_browser_samples=floor,
            browser_wall_s=median(wall),
            browser_wall_samples=wall,
            browser_wall_idle_s=median(wall_idle),
            browser_wall_screen_s=median(screen) if screen else None,
            server_rss_open_mb=rss_samples[-1],
            server_rss_max_sampled_mb=max(rss_samples),
            server_rss_mb=peak_rss_mb(wall_server.pid),  # VmHWM: the peak, whatever the sampling missed
        )
        page.close()
        context.close()
        log = wall_server.log_text()
        out["server_log_errors"] = [ln for ln in log.splitlines() if "Traceback" in ln or "Error" in ln][:10]
    out["browser_wall_extra_s"] = out["browser_wall_s"] - out["floor_browser_s"]
    return out

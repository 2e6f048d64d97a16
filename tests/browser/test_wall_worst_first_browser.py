"""The normal wall (not the wall screen) in a real Chromium on the demo room, at 1920x1080
and 3840x2160: every stage's worst KPI, as worked out here from the raw readings, is drawn
with its value and its target above the fold, after the stage's broken moments of truth;
the page is much shorter than the 3,232 px it was. Screenshots go to test-artifacts/."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from cxroom.demo import build_demo
from cxroom.media import MediaStore
from cxroom.settings import Settings
from cxroom.store import Store
from tests.browser.conftest import ARTIFACTS, CHROMIUM, IDLE, app_server

OCT = date(2026, 10, 1)
SIZES = [(1920, 1080), (3840, 2160)]
WAS_TALL_PX = 3232  # the normal wall at 1920x1080 before its columns were made denser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    folder = tmp_path_factory.mktemp("wall-worst-first")
    settings = Settings(db_path=folder / "room.duckdb", media_dir=folder / "media")
    store = Store(settings.db_path)
    build_demo(store, MediaStore(settings), end_month=OCT)
    store.close()  # one process per DuckDB file: the app opens it next
    return settings


def _worst_kpis(db: Path) -> dict[str, tuple[str, float, float, str]]:
    """Each stage's worst KPI (name, value, target, direction), worked out from the readings alone:
    off target before near before on target, then the largest shortfall as a share of the target."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT s.slug, k.name, r.value, k.target, k.warning, k.direction FROM kpis k "
            "JOIN stages s ON s.id = k.stage_id JOIN kpi_readings r ON r.kpi_id = k.id AND r.period = ? "
            "WHERE k.target IS NOT NULL",
            [OCT],
        ).fetchall()
    finally:
        con.close()
    worst: dict[str, tuple[tuple[int, float], tuple[str, float, float, str]]] = {}
    for slug, name, value, target, warning, direction in rows:
        sign = 1 if direction == "higher_better" else -1
        short = sign * (target - value) / abs(target)
        group = 2 if short <= 0 else (1 if warning is not None and sign * (warning - value) <= 0 else 0)
        rank = (group, -short)
        if slug not in worst or rank < worst[slug][0]:
            worst[slug] = (rank, (name, value, target, direction))
    return {slug: kpi for slug, (_rank, kpi) in worst.items()}


@pytest.fixture(scope="module")
def worst(room: Settings) -> dict[str, tuple[str, float, float, str]]:
    """Read before the app starts: the app holds the DuckDB file while it runs."""
    return _worst_kpis(room.db_path)


@pytest.fixture(scope="module")
def app_url(room: Settings, worst: dict[str, tuple[str, float, float, str]]) -> Iterator[str]:
    with app_server(room.db_path, media=room.media_dir, CXROOM_AUTH="single") as url:
        yield url


# For each column: the first paragraph after its KPIs label (its worst KPI) and the first
# moment line, with where they are drawn.
FIRST_LINES = """
() => [...document.querySelectorAll('.st-key-wall-columns [class*="st-key-stage-"]')]
  .filter(e => /st-key-stage-[a-z0-9-]+(\\s|$)/.test(e.className))
  .map(col => {
    const slug = col.className.match(/st-key-stage-([a-z0-9-]+)/)[1];
    const labels = [...col.querySelectorAll('h6')];
    const after = (word) => {
      const h = labels.find(x => x.innerText.toUpperCase().startsWith(word));
      if (!h) return null;
      let p = h.parentElement;  // the h6's wrapper: the next <p> in document order follows it
      const all = [...col.querySelectorAll('p')];
      const next = all.find(x => h.compareDocumentPosition(x) & Node.DOCUMENT_POSITION_FOLLOWING);
      if (!next) return null;
      const r = next.getBoundingClientRect();
      return {text: next.innerText, top: r.top, bottom: r.bottom, visible: r.height > 0};
    };
    return {slug, kpi: after('KPIS'), moment: after('MOMENTS OF TRUTH')};
  })
"""


def _fmt(value: float) -> str:
    return f"{value:,.{0 if abs(value) >= 100 else 1}f}"


@pytest.mark.parametrize("size", SIZES, ids=["1080p", "4k"])
def test_every_stages_worst_kpi_and_its_target_are_above_the_fold(
    chromium: Callable[..., Any], app_url: str, worst: dict[str, tuple[str, float, float, str]], size: tuple[int, int]
) -> None:
    page = chromium(*size)
    try:
        page.goto(f"{app_url}/?month=2026-10", wait_until="domcontentloaded")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.wait_for_selector("[class*=st-key-stage-]", timeout=60_000)
        with contextlib.suppress(Exception):
            page.wait_for_function("document.querySelectorAll('[data-testid=stSkeleton]').length === 0", timeout=15_000)
        page.wait_for_timeout(500)
        lines = page.evaluate(FIRST_LINES)
        height = page.evaluate(
            "Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
            "[data-testid=stAppScrollToBottomContainer]')].map(e => e.scrollHeight))"
        )
        page.screenshot(path=str(ARTIFACTS / f"wall-worst-first-{size[0]}x{size[1]}.png"))
    finally:
        page.close()
    assert {line["slug"] for line in lines} == set(worst), lines
    for line in lines:
        name, value, target, direction = worst[line["slug"]]
        kpi = line["kpi"]
        assert kpi is not None and kpi["visible"], line
        sign = "≥" if direction == "higher_better" else "≤"
        assert kpi["text"].startswith(name), (line["slug"], kpi["text"], name)
        assert _fmt(value) in kpi["text"] and f"target {sign} {_fmt(target)}" in kpi["text"], kpi["text"]
        assert kpi["bottom"] <= size[1], f"{line['slug']}: its worst KPI ends at {kpi['bottom']:.0f}px"
        assert line["moment"] is not None and line["moment"]["top"] < kpi["top"], line
    if size == (1920, 1080):
        print(f"\nthe normal wall at 1920x1080: {height}px tall (was {WAS_TALL_PX}px)")
        assert height < 0.8 * WAS_TALL_PX, height

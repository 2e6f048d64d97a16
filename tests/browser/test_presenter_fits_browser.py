"""A presenter stage slide fits the room's screen whole, in a real Chromium on a copy of the demo
room: at 1920x1080 every stage's slide (why it is here, KPIs against target, the call clip,
complaints, the customer's words, what customers receive) ends above the fold with the clip in
view and the page unscrolled; at 3840x2160 the type grows with the screen and the slide still fits.
The presenter's own controls (go to, back, restart the timer) sit below the slide by design.
Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cxroom.insights.agenda import propose_agenda
from cxroom.models import ReviewCreate
from cxroom.queries.reviews import agenda_facts
from cxroom.services import reviews as rs
from cxroom.settings import Settings
from cxroom.store import Store
from tests.browser.conftest import ARTIFACTS, CHROMIUM, IDLE, app_server, copy_db

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]

# The bottom of the slide's visible content (a closed expander's body is not drawn), the clip's box,
# and the px size of the slide's body text.
MEASURE = """() => {
  const slide = document.querySelector('.st-key-presenter-slide');
  const folded = e => { const d = e.closest('details'); return d && !d.open && !e.closest('summary'); };
  const drawn = [...slide.querySelectorAll('*')].filter(e => e.checkVisibility() && !folded(e));
  const audio = slide.querySelector('audio');
  const text = slide.querySelector('[data-testid=stMarkdownContainer] li, [data-testid=stMarkdownContainer] p');
  return {
    bottom: Math.max(...drawn.map(e => e.getBoundingClientRect().bottom)),
    audio: audio ? audio.getBoundingClientRect().bottom : null,
    scrolled: document.querySelector('[data-testid=stMain]').scrollTop + window.scrollY,
    font: parseFloat(getComputedStyle(text).fontSize),
  };
}"""


@pytest.fixture
def room(demo_settings: Settings, tmp_path: Path) -> tuple[Settings, int, list[str]]:
    """A copy of the demo room with a review held 20 November 2026 and its proposed agenda."""
    target = copy_db(demo_settings.db_path, tmp_path / "room.duckdb")
    store = Store(target)
    try:
        held = date(2026, 11, 20)
        proposal = propose_agenda(agenda_facts.agenda_inputs(store, held_on=held))
        items = [rs.AgendaItemCreate.model_validate(p, from_attributes=True) for p in proposal]
        data = ReviewCreate(held_on=held, title="Presenter fit", attendees=["Catherine Doyle"])
        review = rs.plan_review(store, data, agenda=items, actor="system")
        slugs = [
            str(r["slug"]) for r in store.fetch_dicts("SELECT slug FROM stages WHERE NOT archived ORDER BY position")
        ]
        store.checkpoint()
    finally:
        store.close()
    return Settings(db_path=target, media_dir=demo_settings.media_dir), review, slugs


def _slide(page: Any, url: str) -> dict[str, Any]:
    page.goto(url)
    page.wait_for_timeout(150)
    page.wait_for_selector(IDLE, timeout=30_000)
    page.wait_for_selector(".st-key-presenter-slide")
    page.wait_for_timeout(700)  # charts and thumbnails finish drawing
    return dict(page.evaluate(MEASURE))


def test_every_stage_slide_fits_1080p_and_4k(
    chromium: Callable[..., Any], room: tuple[Settings, int, list[str]]
) -> None:
    settings, review, slugs = room
    with app_server(settings.db_path, media=settings.media_dir, CXROOM_AUTH="single") as url:
        fonts = {}
        for width, height, stages in ((1920, 1080, slugs), (3840, 2160, slugs[:3])):
            page = chromium(width, height)
            try:
                page.goto(url)
                page.get_by_text("Single-user mode").first.wait_for(timeout=30_000)
                with_clip = 0
                for slug in stages:
                    m = _slide(page, f"{url}/presenter?review={review}&stage={slug}")
                    page.screenshot(path=str(ARTIFACTS / f"presenter-{slug}-{width}x{height}.png"))
                    assert m["bottom"] <= height, (width, slug, m)
                    assert m["scrolled"] == 0, (width, slug, m)
                    if m["audio"] is not None:
                        assert m["audio"] <= height * 0.75, (width, slug, m)  # the clip well in view
                        with_clip += 1
                    fonts[width] = m["font"]
                assert with_clip, "some demo stage has a call clip"
            finally:
                page.close()
        # The type grows with the screen: twice the pixels on a 4K screen.
        assert fonts[3840] >= 1.9 * fonts[1920] and fonts[1920] >= 20, fonts

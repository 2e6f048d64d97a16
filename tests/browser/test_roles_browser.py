"""The Reviews page in a real Chromium for people signed in through the company proxy (header mode) as a
viewer, a fix member and a facilitator: it opens for each, names every review, and links to the review
page only for the facilitator (a link to a page outside someone's navigation crashed the page)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cxroom.permissions import Role
from cxroom.services import trust
from cxroom.settings import Settings
from cxroom.store import Store
from tests.browser.conftest import CHROMIUM, IDLE, app_server, copy_db

PEOPLE = {
    Role.VIEWER: "vera.viewer@room.test",
    Role.FIX_MEMBER: "fred.fixer@room.test",
    Role.FACILITATOR: "fay.facilitator@room.test",
}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]


@pytest.fixture
def room(demo_settings: Settings, tmp_path: Path) -> tuple[Path, list[str]]:
    target = copy_db(demo_settings.db_path, tmp_path / "room.duckdb")
    store = Store(target)
    try:
        for role, email in PEOPLE.items():
            trust.set_user_role(store, email=email, display_name=email.split(".")[0].title(), role=role, actor="cli")
        titles = [str(t) for (t,) in store.execute("SELECT title FROM reviews ORDER BY id")]
        store.checkpoint()
    finally:
        store.close()
    return target, titles


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_timeout(150)
    page.wait_for_selector(IDLE, timeout=30_000)


def test_the_reviews_page_opens_for_every_role_it_is_offered_to(
    chromium: Callable[..., Any], room: tuple[Path, list[str]], demo_settings: Settings
) -> None:
    db, titles = room
    assert titles
    # Header mode opens on a server only this computer can reach (no proxy secret configured here).
    env = {"CXROOM_AUTH": "header", "STREAMLIT_SERVER_ADDRESS": "127.0.0.1"}
    with app_server(db, media=demo_settings.media_dir, **env) as url:
        for role, email in PEOPLE.items():
            page = chromium(extra_http_headers={"X-Forwarded-Email": email})
            try:
                _open(page, url)  # the frame first: it builds this person's navigation
                page.get_by_text(f"{role.value.replace('_', ' ')}").first.wait_for(timeout=30_000)
                _open(page, f"{url}/reviews")
                assert page.locator("[data-testid=stException]").count() == 0, role
                assert page.get_by_role("heading", name="Room reviews").count() == 1, role
                for title in titles:
                    assert page.get_by_text(title, exact=True).count() >= 1, (role, title)
                # The review page's links (relative, "review?review=<id>"), not the sidebar's "/reviews".
                review_links = page.locator("a[href*='review?review=']").count()
                assert review_links == (len(titles) if role is Role.FACILITATOR else 0), (role, review_links)
            finally:
                page.close()

"""The first request after a server start may be a deep link (a wall screen
rebooting onto its URL). It must still go through the frame: identity, role
and navigation — never straight to a page script."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cxroom.models import StageCreate
from cxroom.permissions import Role
from cxroom.services import room, trust
from cxroom.store import Store
from tests.browser.conftest import IDLE, app_server

pytestmark = pytest.mark.browser


@pytest.fixture
def small_room(tmp_path: Path) -> Path:
    db = tmp_path / "room.duckdb"
    store = Store(db)
    room.create_stage(store, StageCreate(slug="pay", name="Pay", customer_goal="Bill me right"), actor="cli")
    trust.set_user_role(store, email="vera@room.test", display_name="Vera", role=Role.VIEWER, actor="cli")
    store.close()
    return db


def test_a_first_deep_link_to_admin_without_sign_in_is_refused(chromium: Callable[..., Any], small_room: Path) -> None:
    # Bound to loopback, header mode needs no proxy secret; the browser sends no sign-in header.
    with app_server(small_room, CXROOM_AUTH="header", STREAMLIT_SERVER_ADDRESS="127.0.0.1") as base:
        page = chromium()
        page.goto(f"{base}/admin")
        page.wait_for_selector(IDLE, timeout=60_000)
        body = page.inner_text("body")
        assert "sign-in did not reach the room" in body
        assert "People and roles" not in body
        page.close()


def test_a_first_deep_link_runs_inside_the_frame(chromium: Callable[..., Any], small_room: Path) -> None:
    with app_server(small_room, CXROOM_AUTH="single") as base:
        page = chromium()
        page.goto(f"{base}/listening")
        page.wait_for_selector(IDLE, timeout=60_000)
        page.wait_for_timeout(500)
        sidebar = page.inner_text("[data-testid=stSidebar]")
        assert "Single-user mode" in sidebar  # the frame ran
        assert "Listening" in sidebar and "The Wall" in sidebar  # every page title shown by st.navigation...
        assert "\napp\n" not in f"\n{sidebar}\n"  # ...not the legacy list of script names
        page.close()


def test_the_wall_has_its_own_url_too(chromium: Callable[..., Any], small_room: Path) -> None:
    """The wall is served at "/"; "/wall" (typed, or set on a wall screen) opens it with its query kept."""
    with app_server(small_room, CXROOM_AUTH="single") as base:
        page = chromium()
        page.goto(f"{base}/wall?mode=wall&spotlight=30")
        page.wait_for_selector("[class*=st-key-stage-pay]", timeout=60_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        assert page.url == f"{base}/?mode=wall&spotlight=30"
        body = page.inner_text("body")
        assert "not found" not in body.lower()
        assert "the one stage of our customers' experience" in body
        assert "in the spotlight · pay" in body.lower()  # the wall screen, with the spotlight the query asked for
        page.close()

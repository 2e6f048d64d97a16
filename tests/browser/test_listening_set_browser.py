"""The listening set in a real Chromium on a real server and the demo's real recordings:
"Play to the room" on the presenter starts the clip in the browser (the audio element plays
from the clip's start) and the play is in the listening log with the review's attendees
once the server has stopped. Screenshots at 1920x1080 of the presenter's listening set and
of the stage page's before and after go to test-artifacts/."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from cxroom.media import MediaStore
from cxroom.queries import listening_set as q
from cxroom.services import listening_set as ls
from cxroom.services.evidence_files import add_artifact_file
from cxroom.settings import Settings
from cxroom.store import Store
from tests.browser.conftest import ARTIFACTS, CHROMIUM, IDLE, AppServer, copy_db

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs the system Chromium at /usr/bin/chromium"),
]
REVIEW = 3  # the demo's planned October review
CLAIM_CALL = 8  # 'Four days, two voicemails, no adjuster'


@pytest.fixture
def room(demo_settings: Settings, tmp_path: Path) -> tuple[Settings, int]:
    target = copy_db(demo_settings.db_path, tmp_path / "room.duckdb")
    shutil.copytree(demo_settings.media_dir, tmp_path / "media")
    settings = Settings(db_path=target, media_dir=tmp_path / "media")
    store = Store(target)
    try:
        item = ls.queue_call(
            store, review_id=REVIEW, call_id=CLAIM_CALL, clip_start_s=20, clip_end_s=40, note="Day four.", actor="cli"
        )
        ls.queue_call(store, review_id=REVIEW, call_id=1, actor="cli")
        buf = io.BytesIO()
        Image.new("RGB", (600, 400), (24, 120, 90)).save(buf, "PNG")
        add_artifact_file(
            store,
            MediaStore(settings),
            data=buf.getvalue(),
            original_name="pack.png",
            stage_slug="buy",
            title="Policy pack e-mailed the same day",
            kind="email",
            version_label="v2",
            replaces_id=6,
            fix_id=2,
            actor="cli",
        )
        store.checkpoint()
    finally:
        store.close()
    return settings, item


def _idle(page: Any) -> None:
    page.wait_for_timeout(150)
    page.wait_for_selector(IDLE, timeout=30_000)


def test_play_to_the_room_plays_the_clip_and_records_it(
    room: tuple[Settings, int], chromium: Callable[..., Any]
) -> None:
    settings, item = room
    server = AppServer(settings.db_path, media=settings.media_dir).start()
    try:
        page = chromium(1920, 1080)
        page.goto(f"{server.url}/presenter?review={REVIEW}&listen=1")
        _idle(page)
        assert page.locator("audio").count() == 0
        page.get_by_role("button", name="Play to the room").first.click()
        _idle(page)
        audio = page.locator("audio").first
        audio.wait_for(timeout=15_000)
        # Real audio: the clip starts at 20 s and plays (autoplay after the click's gesture).
        page.wait_for_function(
            "() => { const a = document.querySelector('audio'); return a && !a.paused && a.currentTime > 20.3; }",
            timeout=20_000,
        )
        assert page.evaluate("document.querySelector('audio').currentTime") < 40
        page.wait_for_timeout(300)
        page.screenshot(path=str(ARTIFACTS / "listening-set-presenter-1080p.png"), full_page=False)
        page.goto(f"{server.url}/stage?stage=buy")
        _idle(page)
        page.get_by_role("tab", name="Heard & changed").click()
        page.get_by_text("Before", exact=True).first.wait_for(timeout=10_000)
        page.screenshot(path=str(ARTIFACTS / "artifact-before-after-1080p.png"), full_page=False)
        page.close()
    finally:
        server.stop()
    store = Store(settings.db_path)
    try:
        [play] = q.review_plays(store, REVIEW)
        attendees = store.fetch_value("SELECT attendees FROM reviews WHERE id = ?", [REVIEW])
        assert play.item_id == item and play.call_id == CLAIM_CALL and (play.clip_start_s, play.clip_end_s) == (20, 40)
        assert list(play.attendees) == list(attendees) and play.played_by == "local"
    finally:
        store.close()

"""AppTest of the listening set (queued on the review page, played on the presenter and
recorded with the attendees, heard on the stage page) and of artifact versions (before and
after side by side on the stage page and in the celebration of the fix that changed them).
Each test writes to a private copy of the demo room, its media folder included."""

from __future__ import annotations

import io
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from cxroom.media import MediaStore
from cxroom.queries import listening_set as q
from cxroom.services.evidence_files import add_artifact_file
from cxroom.settings import Settings
from cxroom.store import open_store
from tests.conftest import copy_demo_room

PLANNED_REVIEW = 3
ENVELOPE, SAME_DAY_FIX = 6, 2  # demo: the Buy stage's policy-pack envelope; the fix that made it same-day
NEW_TITLE = "Policy pack e-mailed the same day"


@pytest.fixture
def room(demo_settings: Settings, tmp_path: Path) -> Settings:
    return copy_demo_room(demo_settings, tmp_path, media=True)


def _open(app_for: Callable[..., AppTest], settings: Settings, page: str, **params: str) -> AppTest:
    at = app_for(settings)
    at.run()
    at.switch_page(page)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _plain(text: str) -> str:
    return text.replace("\\", "").replace("**", "").replace("\u2060", "")


def _texts(block: Any) -> str:
    return _plain("\n".join([m.value for m in block.markdown] + [c.value for c in block.caption]))


def _images(column: Any) -> int:
    return sum(type(child).__name__ == "Image" for child in column.children.values())


def _new_version(settings: Settings) -> int:
    buf = io.BytesIO()
    Image.new("RGB", (120, 80), (20, 140, 90)).save(buf, "PNG")
    return add_artifact_file(
        open_store(settings.db_path),
        MediaStore(settings),
        data=buf.getvalue(),
        original_name="pack.png",
        stage_slug="buy",
        title=NEW_TITLE,
        kind="email",
        version_label="v2",
        replaces_id=ENVELOPE,
        fix_id=SAME_DAY_FIX,
        actor="cli",
    )


def _before_after_columns(block: Any) -> tuple[Any, Any]:
    """The two columns side by side whose headings are Before and After."""
    columns = list(block.columns)
    for left, right in pairwise(columns):
        if _texts(left).startswith("Before") and _texts(right).startswith("After"):
            return left, right
    raise AssertionError("no Before/After columns side by side: " + " | ".join(_texts(c)[:40] for c in columns))


def test_stage_page_shows_before_and_after_side_by_side(app_for: Callable[..., AppTest], room: Settings) -> None:
    new_id = _new_version(room)
    at = _open(app_for, room, "views/stage.py", stage="buy")
    [tab] = [t for t in at.tabs if t.label == "Heard & changed"]
    before, after = _before_after_columns(tab)
    assert "Policy pack envelope" in _texts(before) and NEW_TITLE in _texts(after) and "v2" in _texts(after)
    assert _images(before) == 1 and _images(after) == 1
    assert "Changed by the fix Same-day policy documents" in _texts(tab)
    # The gallery shows the current version only.
    [gallery] = [t for t in at.tabs if t.label.startswith("Artifacts")]
    shown = _texts(gallery)
    assert NEW_TITLE in shown and "Policy pack envelope" not in shown, new_id


def test_the_celebration_of_the_fix_shows_before_and_after(app_for: Callable[..., AppTest], room: Settings) -> None:
    _new_version(room)
    at = _open(app_for, room, "views/celebrations.py")
    before, after = _before_after_columns(at)
    assert "Policy pack envelope" in _texts(before) and NEW_TITLE in _texts(after)
    assert "What customers receive, before and after" in _texts(at)
    # Only the fix that changed it: one pair on the whole wall of celebrations.
    assert _texts(at).count("What customers receive, before and after") == 1


def test_queue_on_the_review_page_and_play_on_the_presenter_records_the_attendees(
    app_for: Callable[..., AppTest], room: Settings
) -> None:
    at = _open(app_for, room, "views/review.py", review=str(PLANNED_REVIEW))
    assert "Listening set" in [h.value for h in at.subheader]
    call = at.selectbox(key="listen-call")
    assert "never heard in a review" in _plain(call.options[0])  # suggested first: nobody heard a call yet
    call.select_index(0)
    at.number_input(key="listen-start").set_value(12)
    at.number_input(key="listen-end").set_value(24)
    at.text_input(key="listen-note").input("The moment she gives up")
    at.button(key="FormSubmitter:listen-queue-3-Queue the call").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    store = open_store(room.db_path)
    [item] = q.listening_set(store, PLANNED_REVIEW)
    assert (item.clip_start_s, item.clip_end_s, item.note) == (12, 24, "The moment she gives up")

    presenter = _open(app_for, room, "views/presenter.py", review=str(PLANNED_REVIEW), listen="1")
    assert not presenter.get("audio")  # nothing plays before the button is pressed
    presenter.button(key=f"listen-play-button-{item.id}").click()
    presenter.run()
    assert not presenter.exception and not presenter.error
    [audio] = presenter.get("audio")
    assert (audio.proto.start_time, audio.proto.end_time, audio.proto.autoplay) == (12, 24, True)
    [play] = q.review_plays(store, PLANNED_REVIEW)
    attendees = store.fetch_value("SELECT attendees FROM reviews WHERE id = ?", [PLANNED_REVIEW])
    assert play.item_id == item.id and list(play.attendees) == list(attendees) and play.played_by == "local"
    assert "played 1×" in _texts(presenter)

    stage = store.fetch_value(
        "SELECT s.slug FROM calls c JOIN stages s ON s.id = c.stage_id WHERE c.id = ?", [item.call_id]
    )
    page = _open(app_for, room, "views/stage.py", stage=stage)
    [tab] = [t for t in page.tabs if t.label == "Heard & changed"]
    assert item.title in _texts(tab) and "played 1×" in _texts(tab)

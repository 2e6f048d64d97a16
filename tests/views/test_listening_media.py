"""The Listening page's Calls & artifacts tab through AppTest: a real recording and a real
image uploaded to a stage (title from the file's name when none is given, the consent
recorded), and a file that is not what it claims refused with its message, nothing written."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from cxroom.settings import Settings
from cxroom.store import Store
from tests.test_media import _png, _wav
from tests.views.test_listening import button, room_with_stages


def _media_tab(app_for: Callable[..., AppTest], settings: Settings) -> AppTest:
    """The Listening page of a room with stages (its Calls & artifacts tab is drawn with the page)."""
    room_with_stages(settings).close()
    at = app_for(settings, timeout=60)
    at.switch_page("views/listening.py")
    return at.run()


def _added(at: AppTest) -> list[str]:
    """The tab's own success messages (the category mapping tab has one of its own)."""
    return [s.value for s in at.success if str(s.value).endswith(" added.")]


def _rows(settings: Settings, sql: str) -> list[tuple[object, ...]]:
    store = Store(settings.db_path)
    try:
        return [tuple(r.values()) for r in store.fetch_dicts(sql)]
    finally:
        store.close()


def test_a_call_and_an_artifact_hang_under_the_chosen_stage(
    app_for: Callable[..., AppTest], tmp_settings: Settings
) -> None:
    at = _media_tab(app_for, tmp_settings)
    assert not at.exception
    stage_names = at.selectbox(key="call_stage").options
    at.file_uploader(key="call_file").set_value(("claim-call.wav", _wav(rate=8000), "audio/wav"))
    at.selectbox(key="call_stage").select(stage_names[1])
    at.checkbox(key="call_consent").check()
    button(at, "Add the call").click().run()
    assert not at.exception
    assert _added(at) == ["Call #1 added."]
    calls = _rows(tmp_settings, "SELECT c.title, s.name, c.consent FROM calls c JOIN stages s ON s.id = c.stage_id")
    assert calls == [("claim-call", stage_names[1], True)]

    at.file_uploader(key="artifact_file").set_value(("first-bill.png", _png(), "image/png"))
    at.text_input(key="artifact_title").input("The first bill")
    at.selectbox(key="artifact_kind").select("bill")
    button(at, "Add the artifact").click().run()
    assert not at.exception
    assert _added(at) == ["Artifact #1 added."]
    artifacts = _rows(tmp_settings, "SELECT title, kind FROM artifacts")
    assert artifacts == [("The first bill", "bill")]


def test_a_file_that_is_not_what_it_claims_is_refused_with_nothing_written(
    app_for: Callable[..., AppTest], tmp_settings: Settings
) -> None:
    at = _media_tab(app_for, tmp_settings)
    at.file_uploader(key="artifact_file").set_value(("evil.png", b"<script>alert(1)</script>", "image/png"))
    button(at, "Add the artifact").click().run()
    assert not at.exception
    assert not _added(at)
    assert [e.value for e in at.error] and "is not a recognised image" in at.error[0].value
    at.file_uploader(key="call_file").set_value(("noise.wav", b"RIFF....WAVEfmt nonsense", "audio/wav"))
    button(at, "Add the call").click().run()
    assert len(at.error) == 1 and not _added(at)
    assert _rows(tmp_settings, "SELECT count(*) FROM artifacts") == [(0,)]
    assert _rows(tmp_settings, "SELECT count(*) FROM calls") == [(0,)]

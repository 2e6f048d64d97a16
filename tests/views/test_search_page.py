"""The search page and the stage page's opened hit in AppTest, on a copy of the demo room:
"rating tier" (said in a demo call) is found and its link opens the call at that moment;
a complaint's link opens the complaint; a viewer searches masked text only."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.settings import Settings
from cxroom.store import open_store

CARD = "4111 1111 1111 1111"


@pytest.fixture
def room(demo_settings: Settings, tmp_path: Path) -> Settings:
    open_store(demo_settings.db_path).checkpoint()
    target = tmp_path / "room.duckdb"
    shutil.copyfile(demo_settings.db_path, target)
    return Settings(db_path=target, media_dir=demo_settings.media_dir)


def _search(app_for: Callable[..., AppTest], settings: Settings, text: str) -> AppTest:
    at = app_for(settings)
    at.run()
    at.switch_page("views/search.py")
    at.run()
    at.text_input(key="search-q").input(text).run()
    assert not at.exception
    return at


def _links(at: AppTest) -> list[tuple[str, str]]:
    return [(link.label, link.proto.page) for link in at.page_link if "stage" in link.proto.page]


def test_the_search_box_finds_a_phrase_said_in_a_call(app_for: Callable[..., AppTest], room: Settings) -> None:
    empty = app_for(room)
    empty.run()
    empty.switch_page("views/search.py")
    empty.run()
    assert [i.value for i in empty.info] == ["Type a word or a phrase to search everything customers said."]
    at = _search(app_for, room, "rating tier")
    store = open_store(room.db_path)
    moments = sorted(
        float(s["start"])
        for (raw,) in store.execute("SELECT transcript FROM calls WHERE transcript IS NOT NULL")
        for s in json.loads(raw)
        if "rating tier" in s["text"].lower()
    )
    texts = [t.value for t in at.text]
    assert sum("rating tier" in t.lower() for t in texts) >= len(moments) >= 1
    plays = [label for label, _ in _links(at) if label.startswith("Play from")]
    assert len(plays) == len(moments)
    assert at.query_params["q"] in ("rating tier", ["rating tier"])  # AppTest keeps a str or a list


def test_a_call_hit_opens_the_stage_page_at_that_moment(app_for: Callable[..., AppTest], room: Settings) -> None:
    store = open_store(room.db_path)
    call_id, slug, raw = store.fetch_one(
        "SELECT c.id, s.slug, c.transcript FROM calls c JOIN stages s ON s.id = c.stage_id "
        "WHERE c.transcript::VARCHAR ILIKE '%rating tier%' ORDER BY c.id LIMIT 1"
    )
    seg = next(s for s in json.loads(raw) if "rating tier" in s["text"].lower())
    at = app_for(room)
    at.run()
    at.switch_page("views/stage.py")
    at.query_params.update({"stage": slug, "call": str(call_id), "at": str(int(seg["start"]))})
    at.run()
    assert not at.exception
    audio = [a for a in at.get("audio") if a.proto.start_time == int(seg["start"])]
    assert len(audio) == 1
    opened = next(t.value for t in at.text if "▶" in t.value)
    marked = [line for line in opened.splitlines() if line.startswith("▶")]
    assert len(marked) == 1 and seg["text"][:30] in marked[0]


def test_a_complaint_hit_opens_the_complaint_masked_for_a_viewer(
    app_for: Callable[..., AppTest], room: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(room.db_path)
    complaint_id, slug = store.fetch_one(
        "SELECT c.id, s.slug FROM complaints c JOIN stages s ON s.id = c.stage_id ORDER BY c.id LIMIT 1"
    )
    with store.transaction("system") as tx:
        tx.execute(
            "UPDATE complaints SET verbatim = ?, verbatim_masked = ? WHERE id = ?",
            [f"Charged my card {CARD} twice", "Charged my card [card] twice", complaint_id],
        )
    at = app_for(room)
    at.run()
    at.switch_page("views/stage.py")
    at.query_params.update({"stage": slug, "complaint": str(complaint_id)})
    at.run()
    assert not at.exception
    assert "Charged my card [card] twice" in [t.value for t in at.text]
    assert not any(CARD in t.value for t in at.text)
    # A viewer's search for the digits behind the mask finds nothing; the words around it are found.
    monkeypatch.setenv("CXROOM_AUTH", "oidc")
    store = open_store(room.db_path)
    from cxroom.permissions import Role
    from cxroom.services import trust

    trust.set_user_role(store, email="vic@example.com", display_name="Vic", role=Role.VIEWER, actor="system")
    for probe, found in ((CARD[:9], False), ("charged my card", True)):
        at = app_for(room)
        at.user = {"is_logged_in": True, "email": "vic@example.com"}  # type: ignore[index]
        at.run()
        at.switch_page("views/search.py")
        at.run()
        assert not at.checkbox  # a viewer cannot ask for the text as imported
        at.text_input(key="search-q").input(probe).run()
        assert not at.exception
        assert not any(CARD[:9] in t.value for t in at.text)
        assert any("[card]" in t.value for t in at.text) is found

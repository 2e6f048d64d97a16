"""The stage page's themes block in AppTest on a copy of the demo room with its themes
built: each theme's card shows its name (or top terms), this month's count and masked
examples as read from the database; a facilitator renames and pins; a viewer only reads."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.permissions import Role
from cxroom.queries.themes import stage_themes
from cxroom.services import trust
from cxroom.services.themes import build_themes
from cxroom.settings import Settings
from cxroom.store import open_store

OCT = date(2026, 10, 1)


@pytest.fixture
def room(demo_settings: Settings, tmp_path: Path) -> Settings:
    open_store(demo_settings.db_path).checkpoint()
    target = tmp_path / "room.duckdb"
    shutil.copyfile(demo_settings.db_path, target)
    store = open_store(target)
    build_themes(store, full=True)
    trust.set_user_role(store, email="vic@example.com", display_name="Vic", role=Role.VIEWER, actor="system")
    trust.set_user_role(store, email="fay@example.com", display_name="Fay", role=Role.FACILITATOR, actor="system")
    return Settings(db_path=target, media_dir=demo_settings.media_dir)


def _stage(app_for: Callable[..., AppTest], room: Settings, email: str, slug: str = "claim") -> AppTest:
    at = app_for(room)
    at.user = {"is_logged_in": True, "email": email}  # type: ignore[index]
    at.run()
    at.switch_page("views/stage.py")
    at.query_params.update({"stage": slug, "month": "2026-10"})
    at.run()
    assert not at.exception
    return at


def _labels(at: AppTest) -> list[str]:
    return [m.label.replace("\\", "") for m in at.metric]


def test_the_themes_block_shows_each_theme_as_the_database_holds_it(
    app_for: Callable[..., AppTest], room: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CXROOM_AUTH", "oidc")
    store = open_store(room.db_path)
    stage = int(store.fetch_value("SELECT id FROM stages WHERE slug = 'claim'"))
    themes = stage_themes(store, stage, OCT)
    at = _stage(app_for, room, "vic@example.com")
    assert "##### What customers talk about" in [m.value for m in at.markdown]
    cards = {m.label.replace("\\", ""): m.value for m in at.metric}
    for theme in themes:
        assert cards[theme.title] == str(theme.series[-1])
    texts = {t.value for t in at.text}
    assert all(text in texts for theme in themes for _, text in theme.examples)
    assert not [b for b in at.button if b.label == "Save name"]  # a viewer reads only


def test_a_facilitator_renames_and_pins_a_theme_from_the_stage_page(
    app_for: Callable[..., AppTest], room: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CXROOM_AUTH", "oidc")
    store = open_store(room.db_path)
    stage = int(store.fetch_value("SELECT id FROM stages WHERE slug = 'claim'"))
    last = stage_themes(store, stage, OCT)[-1]
    at = _stage(app_for, room, "fay@example.com")
    at.selectbox(key="sd-theme-pick").select(last.id).run()
    at.text_input(key=f"sd-theme-name-{last.id}").input("Repairs stuck").run()
    at.button(key="sd-theme-rename").click().run()
    assert not at.exception
    assert "Theme renamed." in [s.value.replace("\\", "") for s in at.success]
    assert store.fetch_value("SELECT name FROM themes WHERE id = ?", [last.id]) == "Repairs stuck"
    at.selectbox(key="sd-theme-pick").select(last.id).run()
    at.button(key="sd-theme-pin").click().run()
    assert _labels(at)[0].endswith("Repairs stuck")  # pinned first
    audit = store.execute(
        "SELECT action, actor FROM audit_log WHERE entity = 'theme' AND entity_id = ? ORDER BY id", [str(last.id)]
    )
    assert audit == [("rename", "fay@example.com"), ("pin", "fay@example.com")]


def test_a_stage_without_themes_says_how_they_come(app_for: Callable[..., AppTest], room: Settings) -> None:
    at = _stage(app_for, room, "local", slug="buy")  # three distinct complaints: too few
    assert any("No themes yet" in c.value for c in at.caption)

"""The stage page's complaint table as a viewer and as a facilitator: the viewer
searches and sees masked text only; a facilitator sees it masked too until they
ask for personal data, and then searches the text as imported."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.models import CategoryRuleCreate, StageCreate
from cxroom.permissions import Role
from cxroom.services import evidence, room
from cxroom.services.imports import import_file
from cxroom.settings import Settings
from cxroom.store import Store
from cxroom.ui import identity

CARD = "4111 1111 1111 1111"
TEXTS = [f"They charged my card {CARD} twice.", "Write to jörg.müller73@beispiel.de please.", "Nobody called back."]


@pytest.fixture
def masked_settings(tmp_path: Path) -> Settings:
    settings = Settings(db_path=tmp_path / "room.duckdb", media_dir=tmp_path / "media")
    store = Store(settings.db_path)
    room.create_stage(store, StageCreate(slug="pay", name="Pay"), actor="system")
    evidence.create_category_rule(store, CategoryRuleCreate(category="Billing", stage_slug="pay"), actor="system")
    path = tmp_path / "complaints.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date received", "Complaint ID", "Issue", "Consumer complaint narrative"])
        writer.writerows([f"2026-10-0{n + 1}", f"T-{n}", "Billing", text] for n, text in enumerate(TEXTS))
    assert import_file(store, kind="complaints", path=path, source="web", actor="system").rows_imported == 3
    store.close()
    return settings


def _open_as(
    role: Role, app_for: Callable[..., AppTest], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> AppTest:
    monkeypatch.setattr(identity, "current_user", lambda: identity.User("p@x.y", "P", role, "header"))
    at = app_for(settings)
    at.switch_page("views/stage.py")
    at.query_params.update({"stage": "pay", "month": "2026-10"})
    at.run()
    assert not at.exception
    return at


def _search(at: AppTest, text: str) -> AppTest:
    next(t for t in at.text_input if t.label.startswith("Search")).set_value(text).run()
    assert not at.exception
    return at


def _matches(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "complaints match" in m.value)


def _personal_data_box(at: AppTest) -> list:
    return [c for c in at.checkbox if c.label == "Show personal data"]


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FIX_MEMBER])
def test_a_viewer_searches_and_sees_masked_text_only(
    role: Role, app_for: Callable[..., AppTest], masked_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open_as(role, app_for, masked_settings, monkeypatch)
    assert _personal_data_box(at) == []
    shown = "\n".join(at.dataframe[0].value["verbatim"])
    assert "[card]" in shown and "[email]" in shown and CARD not in shown and "müller73" not in shown
    for probe in ("4111", "1111 1111", "müller73", "beispiel"):
        assert "**0** complaints match" in _matches(_search(at, probe)), probe
    assert "**1** complaints match" in _matches(_search(at, "[card]"))


def test_a_facilitator_sees_masked_text_until_asking_for_personal_data(
    app_for: Callable[..., AppTest], masked_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _open_as(Role.FACILITATOR, app_for, masked_settings, monkeypatch)
    assert CARD not in "\n".join(at.dataframe[0].value["verbatim"])
    assert "**0** complaints match" in _matches(_search(at, "4111"))
    _personal_data_box(at)[0].check().run()
    assert "**1** complaints match" in _matches(at)
    assert CARD in at.dataframe[0].value["verbatim"].iloc[0]
    assert "**1** complaints match" in _matches(_search(at, "müller73"))

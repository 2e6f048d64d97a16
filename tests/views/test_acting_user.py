"""Pages act only for an identified person (cxroom/ui/kit/actor.py). The Listening page once fell
back to acting as "local" (single-user mode's person, then a system actor that skipped every
permission check) when it found no user; now a page that cannot name the person refuses to act,
says why, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.models import StageCreate
from cxroom.permissions import Role
from cxroom.services import room
from cxroom.settings import Settings
from cxroom.store import Store
from cxroom.ui import identity
from cxroom.ui.identity import User

SINGLE = User(actor="local", name="Single-user mode", role=Role.ADMIN, mode="single")
IMPORT_TAB = "Import a file"


@pytest.fixture
def room_settings(tmp_settings: Settings) -> Settings:
    store = Store(tmp_settings.db_path)
    room.create_stage(store, StageCreate(slug="pay", name="Pay"), actor="cli")
    store.close()
    return tmp_settings


def _audit_entries(settings: Settings) -> int:
    store = Store(settings.db_path)
    try:
        return int(store.fetch_value("SELECT count(*) FROM audit_log"))
    finally:
        store.close()


def _open(app_for: Callable[..., AppTest], settings: Settings, script: str) -> AppTest:
    at = app_for(settings)
    at.run()  # the frame first: it resolves the user and builds the navigation
    at.switch_page(script)
    at.run()
    assert not at.exception, at.exception
    return at


def _tab_labels(at: AppTest) -> list[str]:
    return [tab.label for tab in at.tabs]


def _errors(at: AppTest) -> str:
    return " ".join(e.value.replace("\\", "") for e in at.error)


def test_single_user_mode_acts_as_its_person_on_the_listening_page(
    app_for: Callable[..., AppTest], room_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The positive case the refusals below are measured against."""
    monkeypatch.delenv("CXROOM_AUTH", raising=False)
    at = _open(app_for, room_settings, "views/listening.py")
    assert at.title[0].value == "Listening"
    assert IMPORT_TAB in _tab_labels(at)
    assert not at.error


@pytest.mark.parametrize("actor", ["cli", "inbox", "schedule", "system"])
@pytest.mark.parametrize("script", ["views/listening.py", "views/setup.py", "views/admin.py"])
def test_a_page_refuses_to_act_under_a_process_name(
    app_for: Callable[..., AppTest],
    room_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    actor: str,
    script: str,
) -> None:
    monkeypatch.setattr(identity, "current_user", lambda: User(actor=actor, name=actor, role=Role.ADMIN, mode="single"))
    before = _audit_entries(room_settings)
    at = _open(app_for, room_settings, script)
    assert f"'{actor}' is the name of one of the room's own processes" in _errors(at)
    assert not at.tabs and not at.button and not at.text_input, "a refusing page offers nothing to submit"
    assert _audit_entries(room_settings) == before


@pytest.mark.parametrize("mode", ["oidc", "header"])
def test_single_user_modes_person_does_not_act_behind_a_sign_in(
    app_for: Callable[..., AppTest], room_settings: Settings, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    """Whatever hands the page single-user mode's person in a room that signs people in, it refuses."""
    monkeypatch.setenv("CXROOM_AUTH", mode)
    monkeypatch.setattr(identity, "current_user", lambda: SINGLE)
    at = _open(app_for, room_settings, "views/listening.py")
    assert f"this room signs people in (CXROOM_AUTH={mode})" in _errors(at)
    assert IMPORT_TAB not in _tab_labels(at)


@pytest.mark.parametrize("session_user", [None, "facilitator", {"actor": "local"}], ids=repr)
def test_the_listening_page_on_its_own_asks_who_is_signed_in_instead_of_falling_back(
    app_for: Callable[..., AppTest], room_settings: Settings, monkeypatch: pytest.MonkeyPatch, session_user: object
) -> None:
    """Run without the frame and with no real user in the session, the page used to act as "local";
    now it asks identity, which in a signed-in room shows the sign-in page."""
    monkeypatch.setenv("CXROOM_AUTH", "oidc")
    at = app_for(room_settings, "views/listening.py")
    if session_user is not None:
        at.session_state["user"] = session_user
    at.run()
    assert not at.exception, at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert IMPORT_TAB not in _tab_labels(at)
    assert "Listening" not in [t.value for t in at.title]

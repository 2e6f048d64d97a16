"""Navigation per role, wall-screen tokens, the audit log and admin pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit import config as streamlit_config
from streamlit.testing.v1 import AppTest

from cxroom.permissions import Role
from cxroom.services import trust
from cxroom.settings import Settings
from cxroom.store import Store, open_store
from cxroom.ui.identity import User
from cxroom.ui.navigation import PAGES, specs_for


@pytest.mark.parametrize(
    ("role", "must_have", "must_not_have"),
    [
        (Role.VIEWER, {"wall", "fixes"}, {"admin", "audit", "listening", "review"}),
        (Role.FIX_MEMBER, {"wall", "fixes"}, {"admin", "audit", "listening"}),
        (Role.FACILITATOR, {"wall", "audit"}, {"admin"}),
        (Role.ADMIN, {"wall", "audit", "admin"}, set()),
    ],
)
def test_navigation_leaves_out_pages_a_role_may_not_use(
    role: Role, must_have: set[str], must_not_have: set[str]
) -> None:
    existing = {spec.url_path for spec in PAGES if (Path(__file__).resolve().parents[2] / spec.script).exists()}
    offered = {spec.url_path for spec in specs_for(User(actor="x@y.z", name="x", role=role, mode="header"))}
    assert must_have & existing <= offered
    assert not (offered & must_not_have)


def test_a_wall_screen_token_only_gets_wall_pages() -> None:
    token_user = User(actor="display:Lobby", name="Lobby", role=Role.VIEWER, mode="token")
    offered = {s.url_path for s in specs_for(token_user)}
    viewer = {s.url_path for s in specs_for(User(actor="v@x.y", name="v", role=Role.VIEWER, mode="header"))}
    assert offered <= {s.url_path for s in PAGES if s.on_wall_screen}
    assert offered < viewer  # a viewer in person gets more than the screen in the lobby


@pytest.fixture
def small_room(tmp_settings: Settings) -> Settings:
    store = open_store(tmp_settings.db_path)
    from cxroom.models import StageCreate
    from cxroom.services import room

    room.create_stage(store, StageCreate(slug="pay", name="Pay"), actor="cli")
    return tmp_settings


def test_single_user_mode_is_labelled_and_shows_admin(app_for: Callable[..., AppTest], small_room: Settings) -> None:
    at = app_for(small_room)
    at.run()  # the frame first: switch_page before a first run would skip app.py
    at.switch_page("views/admin.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Admin"
    user = at.session_state["user"]
    assert (user.mode, user.role, user.actor) == ("single", Role.ADMIN, "local")


def test_revoked_and_unknown_tokens_get_a_clear_page_not_the_wall(
    app_for: Callable[..., AppTest], small_room: Settings
) -> None:
    store = open_store(small_room.db_path)
    token = trust.create_display_token(store, label="Lobby", actor="cli")
    at = app_for(small_room)
    at.query_params["token"] = token
    at.switch_page("views/overview.py")
    at.run()
    assert not at.exception and not at.error
    trust.revoke_display_token(store, token_sha256=trust._hash(token), actor="cli")
    at = app_for(small_room)
    at.query_params["token"] = token
    at.run()
    assert "revoked" in at.error[0].value
    assert not at.title or at.title[0].value != "Admin"
    at = app_for(small_room)
    at.query_params["token"] = "forged"
    at.run()
    assert "not valid" in at.error[0].value


def test_header_mode_without_the_header_refuses(
    app_for: Callable[..., AppTest], small_room: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CXROOM_AUTH", "header")
    # Bound to loopback: header mode opens with no proxy settings (and AppTest has no real peer address).
    streamlit_config.set_option("server.address", "127.0.0.1")
    try:
        at = app_for(small_room)
        at.run()
    finally:
        streamlit_config.set_option("server.address", None)
    assert "sign-in did not reach the room" in at.error[0].value


def test_header_mode_with_no_proxy_configured_does_not_open(
    app_for: Callable[..., AppTest], small_room: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not even for a wall-screen token: the room does not open in a mode where anyone can name themselves."""
    monkeypatch.setenv("CXROOM_AUTH", "header")
    token = trust.create_display_token(open_store(small_room.db_path), label="Lobby", actor="cli")
    for query in [{}, {"token": token}]:
        at = app_for(small_room)
        at.query_params.update(query)
        at.run()
        assert "CXROOM_PROXY_SECRET" in at.error[0].value and "CXROOM_TRUSTED_PROXIES" in at.error[0].value
        assert "server.address" in at.error[0].value
        assert not at.sidebar.caption  # nobody signed in, not even the lobby screen


def test_audit_page_lists_and_filters_writes(app_for: Callable[..., AppTest], small_room: Settings) -> None:
    store: Store = open_store(small_room.db_path)
    trust.set_user_role(store, email="ann@room.test", display_name="Ann", role=Role.VIEWER, actor="cli")
    at = app_for(small_room)
    at.switch_page("views/audit.py")
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert set(table["entity"]) == {"stage", "user"}
    at.selectbox(key="audit_entity").set_value("user").run()
    table = at.dataframe[0].value
    assert table["entity"].tolist() == ["user"] and table["actor"].tolist() == ["cli"]


def test_admin_page_sets_a_role_through_the_service(app_for: Callable[..., AppTest], small_room: Settings) -> None:
    at = app_for(small_room)
    at.run()
    at.switch_page("views/admin.py")
    at.run()
    at.text_input[0].set_value("Mark@Larkfield.example")
    at.text_input[1].set_value("Mark Ellison")
    at.selectbox[0].set_value("facilitator")
    at.button[0].click().run()
    assert not at.exception
    assert "is now facilitator" in at.success[0].value
    store = open_store(small_room.db_path)
    assert store.fetch_value("SELECT role FROM users WHERE email = 'mark@larkfield.example'") == "facilitator"
    assert store.fetch_value("SELECT actor FROM audit_log WHERE entity = 'user'") == "local"


def test_oidc_mode_without_auth_secrets_says_so_instead_of_crashing(
    app_for: Callable[..., AppTest], small_room: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clicking Sign in raised StreamlitMissingAuthlibError (or StreamlitAuthError without [auth]) as a crash."""
    monkeypatch.setenv("CXROOM_AUTH", "oidc")
    at = app_for(small_room)
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"] and not at.sidebar.caption
    at.button[0].click().run()
    assert not at.exception
    assert "Sign-in is not set up on this server" in at.error[0].value
    assert "secrets.toml" in at.error[0].value

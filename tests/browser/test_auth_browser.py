"""Who the room believes you are, through a real server and a real Chromium.

Header mode: a browser can send any header, so the sign-in header counts only
on a request that proves it came through the sign-on proxy (its shared secret,
or its address), and a room that could not tell refuses to open at all.
OIDC mode: the whole round trip against a real local OpenID provider
(oidc-provider-mock): sign in, the role from the users table, sign out."""

from __future__ import annotations

import json
import secrets
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from cxroom.models import StageCreate
from cxroom.permissions import Role
from cxroom.services import room, trust
from cxroom.store import Store
from tests.browser.conftest import IDLE, AppServer, free_port

pytestmark = pytest.mark.browser

FACILITATOR = "fiona@room.test"
ADMIN = "ada@room.test"
SECRET = "s3cret-the-proxy-adds-0123456789"


@pytest.fixture
def people_room(tmp_path: Path) -> Path:
    db = tmp_path / "room.duckdb"
    store = Store(db)
    room.create_stage(store, StageCreate(slug="pay", name="Pay", customer_goal="Bill me right"), actor="cli")
    trust.set_user_role(store, email=FACILITATOR, display_name="Fiona", role=Role.FACILITATOR, actor="cli")
    trust.set_user_role(store, email=ADMIN, display_name="Ada", role=Role.ADMIN, actor="cli")
    store.close()
    return db


def _open(new_page: Callable[..., Any], url: str, headers: dict[str, str] | None = None) -> tuple[Any, str, str]:
    """Open ``url`` in a fresh browser context sending ``headers`` on every request (the websocket too);
    returns the page, the main area's text and the sidebar's text (empty when there is no sidebar)."""
    page = new_page(extra_http_headers=headers or {})
    page.goto(url)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(300)
    sidebar = page.locator("[data-testid=stSidebar]")
    # The room puts an invisible word joiner (U+2060) inside e-mail addresses so Markdown cannot link them.
    main = page.inner_text("[data-testid=stMain]").replace("\u2060", "")
    return page, main, sidebar.inner_text().replace("\u2060", "") if sidebar.count() else ""


# --- header mode ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("address", [None, "0.0.0.0", "::"], ids=["unset", "0.0.0.0", "ipv6-any"])
def test_header_mode_without_a_trusted_proxy_refuses_to_open(
    chromium: Callable[..., Any], people_room: Path, address: str | None
) -> None:
    env = {"CXROOM_AUTH": "header"}
    if address:
        env["STREAMLIT_SERVER_ADDRESS"] = address
    with AppServer(people_room, **env) as server:
        for path in ["/", "/admin", "/listening", "/?token=anything"]:
            page, main, sidebar = _open(chromium, server.url + path, {"X-Forwarded-Email": ADMIN})
            for setting in ["CXROOM_PROXY_SECRET", "CXROOM_TRUSTED_PROXIES", "server.address"]:
                assert setting in main, (path, main)
            assert "Signed in as" not in sidebar and "Ada" not in main + sidebar
            assert "People and roles" not in main
            page.close()


def test_a_spoofed_header_without_the_proxy_secret_is_nobody(chromium: Callable[..., Any], people_room: Path) -> None:
    env = {"CXROOM_AUTH": "header", "CXROOM_PROXY_SECRET": SECRET, "CXROOM_PROXY_SECRET_HEADER": "X-Sso-Proof"}
    with AppServer(people_room, **env) as server:
        refused = [
            {"X-Forwarded-Email": ADMIN},  # the spoof of today: just the header
            {"X-Forwarded-Email": ADMIN, "X-Sso-Proof": "guess"},
            {"X-Forwarded-Email": ADMIN, "X-Sso-Proof": SECRET[:-1]},  # all but the last character
            {"X-Forwarded-Email": ADMIN, "X-Sso-Proof": SECRET + "x"},
            {"X-Forwarded-Email": ADMIN, "X-Cxroom-Proxy-Secret": SECRET},  # right secret, wrong header name
        ]
        for headers in refused:
            for path in ["/", "/admin"]:
                page, main, sidebar = _open(chromium, server.url + path, headers)
                assert "did not come through the company's sign-on proxy" in main, (headers, main)
                assert "Signed in as" not in sidebar and "Ada" not in main + sidebar
                assert "People and roles" not in main and "Admin" not in sidebar
                page.close()

        proxied = {"X-Forwarded-Email": "Fiona@Room.Test", "X-Sso-Proof": SECRET}  # mixed case, as some send it
        page, main, sidebar = _open(chromium, server.url, proxied)
        assert "Signed in as Fiona · facilitator" in sidebar
        assert "Listening" in sidebar and "Room setup" in sidebar  # a facilitator's navigation...
        assert "Admin" not in sidebar  # ...and not an administrator's
        page.close()

        page, main, _ = _open(chromium, f"{server.url}/admin", {"X-Forwarded-Email": ADMIN, "X-Sso-Proof": SECRET})
        assert "People and roles" in main
        page.close()

        page, main, sidebar = _open(chromium, server.url, {"X-Sso-Proof": SECRET})  # through the proxy, no sign-in
        assert "sign-in did not reach the room" in main and "Signed in as" not in sidebar
        page.close()

        markup = {"X-Forwarded-Email": "![x](http://evil.example/x.png)@room.test", "X-Sso-Proof": SECRET}
        page, main, sidebar = _open(chromium, server.url, markup)
        assert "does not hold one e-mail address" in main and "Signed in as" not in sidebar
        assert page.locator("img[src*='evil.example']").count() == 0
        page.close()


def test_trusted_proxy_addresses(chromium: Callable[..., Any], people_room: Path) -> None:
    """The address is the connection's peer as Streamlit's server (uvicorn) reports it: a connection from
    127.0.0.1 may name the original address in X-Forwarded-For (uvicorn's FORWARDED_ALLOW_IPS, loopback by
    default), which is how this test plays a proxy at 10.20.3.4. The room listens on 127.0.0.1 for that
    (on "::" the peer is ::ffff:127.0.0.1, which uvicorn does not take for loopback); the configured
    addresses are checked whatever the room listens on."""
    env = {
        "CXROOM_AUTH": "header",
        "CXROOM_TRUSTED_PROXIES": "192.0.2.10, 10.20.0.0/16",
        "STREAMLIT_SERVER_ADDRESS": "127.0.0.1",
    }
    with AppServer(people_room, **env) as server:
        for forwarded in ["10.20.3.4", "192.0.2.10"]:
            headers = {"X-Forwarded-Email": FACILITATOR, "X-Forwarded-For": forwarded}
            page, main, sidebar = _open(chromium, server.url, headers)
            assert "Signed in as Fiona · facilitator" in sidebar, (forwarded, main)
            page.close()
        for forwarded in ["10.21.0.1", "192.0.2.11", "203.0.113.7", None]:
            headers = {"X-Forwarded-Email": ADMIN}
            if forwarded:
                headers["X-Forwarded-For"] = forwarded
            page, main, sidebar = _open(chromium, server.url, headers)
            assert "did not come through the company's sign-on proxy" in main, (forwarded, main)
            assert "not a trusted proxy address" in main
            assert "Signed in as" not in sidebar
            page.close()


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost"])
def test_header_mode_bound_to_loopback_trusts_the_local_proxy(
    chromium: Callable[..., Any], people_room: Path, address: str
) -> None:
    with AppServer(people_room, CXROOM_AUTH="header", STREAMLIT_SERVER_ADDRESS=address) as server:
        page, main, sidebar = _open(chromium, server.url, {"X-Forwarded-Email": FACILITATOR})
        assert "Signed in as Fiona · facilitator" in sidebar, main
        page.close()


def test_a_malformed_proxy_setting_names_itself(chromium: Callable[..., Any], people_room: Path) -> None:
    env = {"CXROOM_AUTH": "header", "CXROOM_TRUSTED_PROXIES": "10.0.0.0/8, proxy.example"}
    with AppServer(people_room, **env) as server:
        page, main, sidebar = _open(chromium, server.url, {"X-Forwarded-Email": ADMIN})
        assert "CXROOM_TRUSTED_PROXIES: 'proxy.example' is not an address or network" in main
        assert "Signed in as" not in sidebar
        page.close()


# --- OIDC ----------------------------------------------------------------------------------------------


@pytest.fixture
def provider() -> Iterator[str]:
    """A real OpenID Connect provider on a free port of this computer; yields its base URL."""
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def oidc_app(people_room: Path, provider: str, tmp_path: Path) -> Iterator[AppServer]:
    """The room in OIDC mode; its [auth] secrets live in a file of the test (secrets.files), never the repo's."""
    port = free_port()
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "customer-room"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    with AppServer(people_room, port=port, CXROOM_AUTH="oidc", STREAMLIT_SECRETS_FILES=str(secrets_file)) as server:
        yield server


def _sign_in(page: Any, app_url: str, provider: str, subject: str) -> None:
    page.goto(app_url)
    page.wait_for_selector(IDLE, timeout=60_000)
    assert "Sign in with your company account" in page.inner_text("[data-testid=stMain]")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider}/oauth2/authorize**", timeout=30_000)
    page.fill("input[name=sub]", subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{app_url}/**", timeout=30_000)
    page.wait_for_selector("[data-testid=stSidebar]", timeout=60_000)
    page.wait_for_selector(IDLE, timeout=60_000)


def test_sign_in_and_out_with_a_real_provider(chromium: Callable[..., Any], oidc_app: AppServer, provider: str) -> None:
    page = chromium()
    # The provider's e-mail claim is the subject typed at its login form; mixed case as some directories send it.
    _sign_in(page, oidc_app.url, provider, "Fiona@Room.Test")
    sidebar = page.inner_text("[data-testid=stSidebar]")
    assert "Signed in as Fiona · facilitator" in sidebar
    assert "Listening" in sidebar and "Room setup" in sidebar and "Admin" not in sidebar
    page.goto(f"{oidc_app.url}/listening")  # a facilitator's page opens, still signed in after a reload
    page.wait_for_selector(IDLE, timeout=60_000)
    assert "Signed in as Fiona" in page.inner_text("[data-testid=stSidebar]")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{provider}/oauth2/end_session**", timeout=30_000)  # the provider ends its session too
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{oidc_app.url}/**", timeout=30_000)
    page.wait_for_selector(IDLE, timeout=60_000)
    assert "Sign in with your company account" in page.inner_text("[data-testid=stMain]")
    page.goto(f"{oidc_app.url}/listening")
    page.wait_for_selector(IDLE, timeout=60_000)
    assert "Sign in with your company account" in page.inner_text("[data-testid=stMain]")
    assert "Signed in as" not in page.inner_text("body")
    page.close()


def test_someone_not_in_the_users_table_is_a_viewer(
    chromium: Callable[..., Any], oidc_app: AppServer, provider: str
) -> None:
    page = chromium()
    _sign_in(page, oidc_app.url, provider, "new.person@room.test")
    sidebar = page.inner_text("[data-testid=stSidebar]").replace("\u2060", "")  # the word joiner in e-mails
    assert "Signed in as new.person@room.test · viewer" in sidebar
    assert "The Wall" in sidebar and "Listening" not in sidebar and "Admin" not in sidebar
    page.close()


def test_an_unverified_email_gets_no_role(chromium: Callable[..., Any], oidc_app: AppServer, provider: str) -> None:
    """A provider that says the e-mail is unverified does not get its holder an administrator's role."""
    claims = json.dumps({"email": ADMIN, "email_verified": False}).encode()
    request = urllib.request.Request(f"{provider}/users/mallory", data=claims, method="PUT")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204
    page = chromium()
    page.goto(oidc_app.url)
    page.wait_for_selector(IDLE, timeout=60_000)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider}/oauth2/authorize**", timeout=30_000)
    page.fill("input[name=sub]", "mallory")
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{oidc_app.url}/**", timeout=30_000)
    page.wait_for_selector("text=did not give the room a verified e-mail address", timeout=60_000)
    body = page.inner_text("body")
    assert "Signed in as" not in body and "Admin" not in body
    page.close()

"""Header mode's proof that a request came through the sign-on proxy, without a server: the settings,
the loopback rule and the per-request check. The browser tests (tests/browser/test_auth_browser.py)
drive the same code through a real server."""

from __future__ import annotations

import re

import pytest
from streamlit.runtime.context import StreamlitHeaders

from cxroom.settings import HeaderAuthSettings
from cxroom.ui.identity import bound_to_loopback, header_mode_misconfiguration, plausible_email, proxy_refusal

SECRET = "0123456789abcdef-proxy"


def _settings(**env: str) -> HeaderAuthSettings:
    return HeaderAuthSettings.from_env(env)


def test_defaults_name_the_usual_headers_and_trust_nothing() -> None:
    settings = _settings()
    assert settings.user_header == "X-Forwarded-Email"
    assert settings.proxy_secret_header == "X-Cxroom-Proxy-Secret"
    assert settings.proxy_secret is None and settings.trusted_proxies == ()
    assert not settings.proxy_configured


def test_trusted_proxies_are_read_as_networks() -> None:
    settings = _settings(CXROOM_TRUSTED_PROXIES=" 10.0.0.5, 10.1.0.0/16;fd00::/8 ,, ")
    assert [str(n) for n in settings.trusted_proxies] == ["10.0.0.5/32", "10.1.0.0/16", "fd00::/8"]
    assert settings.proxy_configured


@pytest.mark.parametrize("value", ["proxy.example", "10.0.0.300", "10.0.0.0/33", "*"])
def test_a_malformed_trusted_proxy_names_the_setting(value: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"CXROOM_TRUSTED_PROXIES: '{value}' is not an address or network")):
        _settings(CXROOM_TRUSTED_PROXIES=f"10.0.0.1,{value}")


def test_a_short_secret_is_refused_and_the_secret_is_not_printed() -> None:
    with pytest.raises(ValueError, match="CXROOM_PROXY_SECRET is too short"):
        _settings(CXROOM_PROXY_SECRET="hunter2")
    settings = _settings(CXROOM_PROXY_SECRET=SECRET)
    assert SECRET not in repr(settings) and SECRET not in str(settings.model_dump())


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("::1", True),
        ("[::1]", True),
        (None, False),  # unset: Streamlit listens on every interface
        ("", False),
        ("0.0.0.0", False),
        ("::", False),
        ("10.0.0.5", False),
        ("room.example", False),
        ("localhost.evil.example", False),
    ],
)
def test_bound_to_loopback(address: str | None, loopback: bool) -> None:
    assert bound_to_loopback(address) is loopback


def test_header_mode_opens_only_with_a_proxy_or_on_loopback() -> None:
    bare = _settings()
    problem = header_mode_misconfiguration(bare, None)
    assert problem is not None
    for setting in ["CXROOM_PROXY_SECRET", "CXROOM_PROXY_SECRET_HEADER", "CXROOM_TRUSTED_PROXIES", "server.address"]:
        assert setting in problem
    assert "0.0.0.0" in (header_mode_misconfiguration(bare, "0.0.0.0") or "")
    assert header_mode_misconfiguration(bare, "127.0.0.1") is None
    assert header_mode_misconfiguration(_settings(CXROOM_PROXY_SECRET=SECRET), "0.0.0.0") is None
    assert header_mode_misconfiguration(_settings(CXROOM_TRUSTED_PROXIES="10.0.0.5"), None) is None


def _headers(*pairs: tuple[str, str]) -> StreamlitHeaders:
    return StreamlitHeaders(list(pairs))


@pytest.mark.parametrize(
    ("pairs", "refused"),
    [
        ((("X-Cxroom-Proxy-Secret", SECRET),), False),
        ((("x-cxroom-proxy-secret", SECRET),), False),  # header names are case-insensitive
        ((), True),
        ((("X-Cxroom-Proxy-Secret", ""),), True),
        ((("X-Cxroom-Proxy-Secret", SECRET[:-1]),), True),
        ((("X-Cxroom-Proxy-Secret", SECRET + " "),), True),
        ((("X-Cxroom-Proxy-Secret", SECRET.upper()),), True),
        ((("X-Cxroom-Proxy-Secret", "é" + SECRET),), True),  # non-ASCII does not break the comparison
        ((("X-Other", SECRET),), True),
        # Sent twice (one from the browser, one from the proxy): ambiguous, refused.
        ((("X-Cxroom-Proxy-Secret", "guess"), ("X-Cxroom-Proxy-Secret", SECRET)), True),
    ],
)
def test_the_proxy_secret_must_match_exactly(pairs: tuple[tuple[str, str], ...], refused: bool) -> None:
    settings = _settings(CXROOM_PROXY_SECRET=SECRET)
    assert (proxy_refusal(settings, _headers(*pairs), "10.0.0.9") is not None) is refused


@pytest.mark.parametrize(
    ("peer", "refused"),
    [
        ("10.0.0.5", False),
        ("10.1.200.3", False),
        ("::ffff:10.1.0.7", False),  # an IPv4 proxy as a server on "::" sees it
        ("fd00::1", False),
        ("10.0.0.6", True),
        ("10.2.0.1", True),
        ("::ffff:10.0.0.6", True),
        ("not-an-address", True),
        ("203.0.113.7", True),
        ("2001:db8::1", True),
        (None, True),  # this computer (Streamlit reports loopback as no address), not in the list
    ],
)
def test_the_peer_must_be_a_trusted_proxy(peer: str | None, refused: bool) -> None:
    settings = _settings(CXROOM_TRUSTED_PROXIES="10.0.0.5,10.1.0.0/16,fd00::/8")
    assert (proxy_refusal(settings, _headers(), peer) is not None) is refused


def test_loopback_can_be_listed_as_a_proxy() -> None:
    settings = _settings(CXROOM_TRUSTED_PROXIES="127.0.0.1")
    assert proxy_refusal(settings, _headers(), None) is None


def test_secret_and_addresses_together_both_count() -> None:
    settings = _settings(CXROOM_PROXY_SECRET=SECRET, CXROOM_TRUSTED_PROXIES="10.0.0.5")
    good = _headers(("X-Cxroom-Proxy-Secret", SECRET))
    assert proxy_refusal(settings, good, "10.0.0.5") is None
    assert proxy_refusal(settings, good, "10.0.0.6") is not None
    assert proxy_refusal(settings, _headers(), "10.0.0.5") is not None


def test_no_proxy_settings_means_no_per_request_check() -> None:
    # Only reachable bound to loopback (header_mode_misconfiguration refuses the rest).
    assert proxy_refusal(_settings(), _headers(), None) is None


@pytest.mark.parametrize(
    ("value", "plausible"),
    [
        ("fiona@room.test", True),
        ("Fiona.Fox+cx@Room.Example.co.uk", True),
        ("jürgen@beispiel.de", True),
        ("", False),
        ("fiona", False),
        ("fiona@localhost", False),
        ("fiona@room.test, ada@room.test", False),  # two people
        ("fiona@room.test ada@room.test", False),
        ("a@b@room.test", False),
        ("![x](http://evil.example/x.png)@room.test", False),
        ('"fiona"@room.test', False),
        ("fiona@room.test)", False),
        ("fiona@[127.0.0.1]", False),
        ("fiona@room.test\nada@room.test", False),
        ("x" * 250 + "@room.test", False),
    ],
)
def test_a_sign_in_names_one_email_address(value: str, plausible: bool) -> None:
    assert plausible_email(value) is plausible

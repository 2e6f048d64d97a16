"""Who is using the room, and with which role.

Identity modes (CXROOM_AUTH):
- ``single`` (default): a laptop with no identity provider. Everyone at this
  browser is the room's administrator, and the sidebar says so.
- ``oidc``: ``st.login`` with the provider configured in ``.streamlit/secrets.toml``
  ([auth] section); the e-mail it returns is looked up in the users table.
- ``header``: behind the company's single sign-on proxy; the e-mail comes from
  a request header (CXROOM_AUTH_HEADER, default X-Forwarded-Email). Any browser
  can send that header, so it is believed only from a request that proves it
  came through the proxy (a shared secret header, or a trusted source address);
  with neither configured the room opens only when bound to loopback.
Wall screens use ``?token=...`` (a revocable read-only display token) in any
mode, so nobody has to log in on the screen every day.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from ipaddress import IPv6Address, ip_address
from typing import NoReturn, Protocol

import streamlit as st
from streamlit.errors import StreamlitAuthError

from cxroom.errors import InvalidInputError
from cxroom.permissions import Role
from cxroom.queries import trust as trust_queries
from cxroom.services import trust
from cxroom.settings import HeaderAuthSettings, auth_mode
from cxroom.ui import context
from cxroom.ui.kit.text import md

ROLE_ORDER = [Role.VIEWER, Role.FIX_MEMBER, Role.FACILITATOR, Role.ADMIN]


@dataclass(frozen=True)
class User:
    actor: str  # what the services and the audit log know this person by
    name: str
    role: Role
    mode: str  # single, oidc, header or token

    def at_least(self, role: Role) -> bool:
        return ROLE_ORDER.index(self.role) >= ROLE_ORDER.index(role)


def _from_email(email: str, mode: str) -> User:
    # The users table keeps e-mails lower-cased; an identity provider or proxy may not.
    email = email.strip().lower()
    store = context.store()
    name = trust_queries.display_name_of(store, email) or email
    return User(actor=email, name=name, role=trust_queries.role_of(store, email), mode=mode)


def plausible_email(value: str) -> bool:
    """One e-mail address and nothing else: the users table is keyed by it, and the sidebar shows it."""
    # Characters outside RFC 5322's unquoted address (brackets, quotes, commas...) are refused: a directory
    # does not hand those out, a made-up header does.
    return len(value) <= 254 and re.fullmatch(r"[^@\s()<>\[\]\\,;:\"]+@[\w.-]+\.[\w-]+", value) is not None


class HeaderSource(Protocol):
    def get_all(self, key: str) -> list[str]: ...


def bound_to_loopback(server_address: str | None) -> bool:
    """Only processes on this computer can reach a server bound to a loopback address.
    Unset (Streamlit's default) means every interface."""
    address = (server_address or "").strip().strip("[]").lower()
    if address == "localhost":
        return True
    try:
        return ip_address(address).is_loopback
    except ValueError:
        return False


def header_mode_misconfiguration(settings: HeaderAuthSettings, server_address: str | None) -> str | None:
    """Why header mode must not open at all, or None. Without a proof that a request came through the
    proxy, anyone who can reach the server could name themselves in the header."""
    if settings.proxy_configured or bound_to_loopback(server_address):
        return None
    bound = f"`{server_address}`" if server_address else "every network interface (server.address is unset)"
    return (
        f"The room is set to trust the sign-in header `{settings.user_header}` (CXROOM_AUTH=header), but "
        f"nothing tells a request from the sign-on proxy apart from one a browser made up, and the room "
        f"listens on {bound}. Set CXROOM_PROXY_SECRET (a secret the proxy adds to every request in the header "
        f"named by CXROOM_PROXY_SECRET_HEADER, default X-Cxroom-Proxy-Secret), or CXROOM_TRUSTED_PROXIES "
        f"(the proxy's addresses, e.g. 10.0.0.5/32), or bind the room to this computer only "
        f"(server.address = 127.0.0.1), then restart it."
    )


def proxy_refusal(settings: HeaderAuthSettings, headers: HeaderSource, peer: str | None) -> str | None:
    """Why this request did not come through the trusted proxy, or None. ``peer`` is the address the
    connection came from (None: this computer, as Streamlit reports loopback)."""
    if settings.proxy_secret is not None:
        presented = headers.get_all(settings.proxy_secret_header)
        expected = settings.proxy_secret.get_secret_value().encode()
        # compare_digest: the time taken does not tell a guesser how much of the secret was right.
        if len(presented) != 1 or not hmac.compare_digest(presented[0].encode(), expected):
            return "the request does not carry the proxy's secret"
    if settings.trusted_proxies:
        try:
            address = ip_address(peer) if peer else ip_address("127.0.0.1")
        except ValueError:
            return "the address the request came from could not be read"
        # A server listening on "::" (Streamlit's default) sees IPv4 peers as ::ffff:a.b.c.d.
        if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if not any(address in network for network in settings.trusted_proxies):
            return f"the request came from `{address}`, which is not a trusted proxy address"
    return None


def _stop_with(message: str) -> NoReturn:
    st.title("Customer Room")
    st.error(message)
    st.stop()


def _header_settings() -> HeaderAuthSettings:
    try:
        return HeaderAuthSettings.from_env()
    except ValueError as exc:
        _stop_with(f"The room cannot start in header sign-in mode: {exc}")


def _header_user(settings: HeaderAuthSettings) -> User:
    refusal = proxy_refusal(settings, st.context.headers, st.context.ip_address)
    if refusal:
        _stop_with(
            "This request did not come through the company's sign-on proxy "
            f"({refusal}), so the room does not know who you are. Open the room through the company portal."
        )
    emails = [value.strip() for value in st.context.headers.get_all(settings.user_header) if value.strip()]
    if not emails:
        _stop_with("Your company sign-in did not reach the room. Open it through the company portal.")
    if len(set(email.lower() for email in emails)) > 1:
        # Two different names: one of them was sent by the browser and passed on by the proxy.
        _stop_with(f"The sign-in header {settings.user_header} arrived with more than one person in it.")
    if not plausible_email(emails[0]):
        _stop_with(f"The sign-in header {settings.user_header} does not hold one e-mail address.")
    return _from_email(emails[0], "header")


def _oidc_user() -> User:
    if not st.user.get("is_logged_in"):
        st.title("Customer Room")
        st.write("Sign in with your company account to enter the room.")
        if st.button("Sign in", type="primary"):
            try:
                st.login()
            except StreamlitAuthError as exc:  # secrets.toml [auth] missing or incomplete
                _stop_with(f"Sign-in is not set up on this server: {exc}")
        st.stop()
    email = str(st.user.get("email") or "").strip()
    if not plausible_email(email) or st.user.get("email_verified") is False:
        st.title("Customer Room")
        st.error(
            "Your company account did not give the room a verified e-mail address, "
            "so the room cannot tell which role you have."
        )
        if st.button("Sign out", key="identity_sign_out"):
            st.logout()
        st.stop()
    return _from_email(email, "oidc")


def current_user() -> User:
    """The user of this session; stops the script with a clear page when nobody may see the room."""
    mode = auth_mode()
    header_settings = _header_settings() if mode == "header" else None
    if header_settings is not None:
        problem = header_mode_misconfiguration(header_settings, st.get_option("server.address"))
        if problem:  # every page, wall-screen links included: the room does not open misconfigured
            _stop_with(problem)
    token = st.query_params.get("token")
    if token:
        try:
            label = trust.check_display_token(context.store(), token)
        except InvalidInputError as exc:
            st.error(md(str(exc)))
            st.stop()
        return User(actor=f"display:{label}", name=label, role=Role.VIEWER, mode="token")
    if mode == "oidc":
        return _oidc_user()
    if header_settings is not None:
        return _header_user(header_settings)
    return User(actor="local", name="Single-user mode", role=Role.ADMIN, mode="single")


def sidebar_badge(user: User) -> None:
    with st.sidebar:
        if user.mode == "single":
            st.caption(
                ":material/lock_open: **Single-user mode** — no sign-in; everyone at this computer can change the room."
            )
        elif user.mode == "token":
            st.caption(f":material/tv: Wall screen: {md(user.name)} (read-only)")
        else:
            st.caption(f"Signed in as **{md(user.name)}** · {user.role.value.replace('_', ' ')}")
        if user.mode == "oidc" and st.button("Sign out", key="identity_sign_out"):
            st.logout()

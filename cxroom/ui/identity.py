"""Who is using the room, and with which role.

Identity modes (CXROOM_AUTH):
- ``single`` (default): a laptop with no identity provider. Everyone at this
  browser is the room's administrator, and the sidebar says so.
- ``oidc``: ``st.login`` with the provider configured in ``.streamlit/secrets.toml``
  ([auth] section); the e-mail it returns is looked up in the users table.
- ``header``: behind the company's single sign-on proxy; the e-mail comes from
  a trusted request header (CXROOM_AUTH_HEADER, default X-Forwarded-Email).
Wall screens use ``?token=...`` (a revocable read-only display token) in any
mode, so nobody has to log in on the screen every day.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import streamlit as st

from cxroom.errors import InvalidInputError
from cxroom.permissions import Role
from cxroom.queries import trust as trust_queries
from cxroom.services import trust
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


def auth_mode() -> str:
    mode = os.environ.get("CXROOM_AUTH", "single").strip().lower()
    return mode if mode in {"single", "oidc", "header"} else "single"


def _from_email(email: str, mode: str) -> User:
    store = context.store()
    name = trust_queries.display_name_of(store, email) or email
    return User(actor=email.lower(), name=name, role=trust_queries.role_of(store, email), mode=mode)


def current_user() -> User:
    """The user of this session; stops the script with a clear page when nobody may see the room."""
    token = st.query_params.get("token")
    if token:
        try:
            label = trust.check_display_token(context.store(), token)
        except InvalidInputError as exc:
            st.error(md(str(exc)))
            st.stop()
        return User(actor=f"display:{label}", name=label, role=Role.VIEWER, mode="token")
    mode = auth_mode()
    if mode == "oidc":
        if not st.user.get("is_logged_in"):
            st.title("Customer Room")
            st.write("Sign in with your company account to enter the room.")
            if st.button("Sign in", type="primary"):
                st.login()
            st.stop()
        return _from_email(str(st.user.get("email") or ""), mode)
    if mode == "header":
        header = os.environ.get("CXROOM_AUTH_HEADER", "X-Forwarded-Email")
        email = st.context.headers.get(header)
        if not email:
            st.error("Your company sign-in did not reach the room. Open it through the company portal.")
            st.stop()
        return _from_email(email, mode)
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


def acting_user() -> User:
    """The user the frame resolved for this run (pages call this, never the auth machinery)."""
    user = st.session_state.get("user")
    return user if isinstance(user, User) else current_user()

"""Who is acting: the one rule every page follows before it sends a command.

The acting user is the person ``cxroom.ui.identity`` identified for this session (the frame
stores it in ``st.session_state["user"]``; a page run on its own asks identity the same way).
There is no fallback: a page that cannot name a person does not act, and says why, rather
than acting under a made-up or privileged name. Pages once fell back to the session's typed
name, to "facilitator" or to "local"; the last is single-user mode's person, and used to be
a system actor that skipped every permission check, whatever the sign-in mode.

The guard below refuses, before any service is called:
- a user with no name;
- the names of the room's own processes (``permissions.SYSTEM_ACTORS``: the command line,
  the inbox worker, the scheduler...), which act without a role check: a page acts for a
  person, never as one of them;
- single-user mode's ``local`` when the room does not run in single-user mode.
The services check again on their side (``Tx.require``): an unknown name has no rights, and
``local`` is an administrator only in single-user mode.
"""

from __future__ import annotations

from typing import NoReturn

import streamlit as st

from cxroom.errors import PermissionDeniedError
from cxroom.permissions import SINGLE_USER_ACTOR, SYSTEM_ACTORS, Role, is_single_user
from cxroom.settings import auth_mode
from cxroom.ui import identity
from cxroom.ui.identity import User
from cxroom.ui.kit.text import md


class NoActingUserError(PermissionDeniedError):
    """The page cannot name the person acting, so it sends no command."""


def refusal_for(user: User, mode: str) -> str | None:
    """Why ``user`` may not act from a page of a room in sign-in ``mode``; None when they may."""
    actor = user.actor.strip()
    if not actor:
        return "The room does not know who you are, so this page changes nothing. Reload the page or sign in again."
    if actor in SYSTEM_ACTORS:
        return (
            f"'{actor}' is the name of one of the room's own processes, not of a person, and a page never acts "
            "under it. Reload the page or sign in again."
        )
    if actor == SINGLE_USER_ACTOR and not (user.mode == "single" and is_single_user(actor, mode)):
        return (
            f"'{actor}' is the person of single-user mode, but this room signs people in (CXROOM_AUTH={mode}), "
            "so this page changes nothing. Reload the page or sign in again."
        )
    return None


def acting_user() -> User:
    """The identified person at this browser; raises NoActingUserError (a refusal the pages'
    command runners already show as a message) when there is none."""
    user = st.session_state.get("user")
    if not isinstance(user, User):
        user = identity.current_user()  # stops with the sign-in page when nobody is signed in
    refusal = refusal_for(user, auth_mode())
    if refusal:
        raise NoActingUserError(refusal)
    return user


def acting_actor() -> str:
    """What the services and the audit log know the acting person by."""
    return acting_user().actor


def acts_at_least(role: Role) -> bool:
    """Whether to offer controls meant for ``role`` and above (the services check again);
    False when nobody is identified."""
    try:
        return acting_user().at_least(role)
    except NoActingUserError:
        return False


def acting_role() -> Role:
    """The acting person's role, or the viewer's (the least) when nobody is identified."""
    try:
        return acting_user().role
    except NoActingUserError:
        return Role.VIEWER


def require_acting_user() -> User:
    """For the top of a page: the acting user, or the page stops here with the reason."""
    try:
        return acting_user()
    except NoActingUserError as exc:
        _refuse(str(exc))


def _refuse(message: str) -> NoReturn:
    st.error(md(message), icon=":material/person_off:")
    st.stop()

"""Who is acting, one-off messages, pending widget resets, and running a
command with a readable refusal: the plumbing every review page shares."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st
from pydantic import ValidationError

from cxroom.errors import CxroomError
from cxroom.permissions import Role
from cxroom.ui.kit.actor import acts_at_least
from cxroom.ui.kit.text import md

FLASH_KEY = "review:flash"
RESET_KEY = "review:reset"
DROP = "__drop__"  # reset value meaning "forget this key"
PRESENTER_PAGE = "views/presenter.py"
REVIEW_PAGE = "views/review.py"
FIX_PAGE = "views/fix.py"
REVIEWS_PAGE = "views/reviews.py"
REVIEW_TABS = ("Agenda", "Capture", "Teams present", "Close and minutes", "Since the last review")


# -- who, and messages ---------------------------------------------------------------


def may_edit() -> bool:
    """Whether to offer the planning and capture controls (the services check again)."""
    return acts_at_least(Role.FACILITATOR)


def flash(message: str) -> None:
    """A success message shown once, after the rerun that shows the change."""
    st.session_state[FLASH_KEY] = message


def reset_later(values: Mapping[str, Any]) -> None:
    """Give widgets new values at the start of the next run (a widget's value
    cannot change once it is drawn, and dropping its key does not clear what
    the browser shows)."""
    st.session_state.setdefault(RESET_KEY, {}).update(values)


def before_widgets() -> None:
    """Apply pending widget resets; pages call this before drawing any widget."""
    for key, value in st.session_state.pop(RESET_KEY, {}).items():
        if value == DROP:
            st.session_state.pop(key, None)
        else:
            st.session_state[key] = value


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon=":material/check_circle:")


_FIELD_NAMES = {
    "text": "the text",
    "owner": "the owner",
    "title": "the title",
    "problem": "the problem statement",
    "sponsor": "the sponsor",
    "lead": "the lead",
    "members": "the team",
    "person": "a member's name",
    "silo_name": "a member's silo",
    "held_on": "the date",
    "attendees": "an attendee",
    "due_on": "the due date",
}


def explain(exc: Exception, names: Mapping[str, str] | None = None) -> str:
    """A readable sentence for a refused command (never a traceback)."""
    if not isinstance(exc, ValidationError):
        return str(exc)
    labels = {**_FIELD_NAMES, **(names or {})}
    lines = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ()) if not isinstance(part, int)]
        field = labels.get(loc[-1], loc[-1].replace("_", " ")) if loc else ""
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        if err.get("type") == "string_too_short":
            least = (err.get("ctx") or {}).get("min_length", 1)
            message = f"{field.capitalize()} is empty or too short (at least {least} characters)."
        elif err.get("type") == "missing":
            message = f"{field.capitalize()} is missing."
        elif field:
            message = f"{field.capitalize()}: {message}"
        message = message[:1].upper() + message[1:]
        lines.append(message if message.endswith(".") else f"{message}.")
    return " ".join(dict.fromkeys(lines))


def attempt(
    action: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    clear: Mapping[str, Any] | None = None,
    names: Mapping[str, str] | None = None,
) -> bool:
    """Run one command: on success reset the inputs named in ``clear`` (key ->
    value), remember the message and rerun; on a refusal show why (st.error)
    and keep what was typed."""
    try:
        result = action()
    except (CxroomError, ValidationError) as exc:
        st.error(md(explain(exc, names)), icon=":material/warning:")
        return False
    reset_later(clear or {})
    flash(success(result) if callable(success) else success)
    st.rerun()
    return True  # pragma: no cover - st.rerun() does not return

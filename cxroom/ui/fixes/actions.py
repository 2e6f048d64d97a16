"""Running a write from a fix page: the room's message on a refusal, a flash
message after the rerun, and the version of the fix this session edits.

Writes go through ``cxroom.services`` inside ``run_action``, which shows a
refused write as ``st.error`` with the room's own message (never a traceback)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from pydantic import ValidationError

from cxroom.errors import CxroomError
from cxroom.ui.kit.text import md

FLASH = "fix-flash"


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        where = ".".join(str(p) for p in error.get("loc", ()) if not isinstance(p, int))
        parts.append(message if not where else f"{where.replace('_', ' ')}: {message}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def run_action(action: Callable[[], Any], *, success: str, key: str) -> Any:
    """Run one write; show the room's message on refusal, flash ``success`` after the rerun.

    Returns the action's result, or None when it was refused (the error is
    shown under the form that caused it).
    """
    try:
        result = action()
    except ValidationError as exc:
        st.error(md(_validation_message(exc)), icon=":material/error:")
        return None
    except CxroomError as exc:
        st.error(md(str(exc)), icon=":material/error:")
        return None
    st.session_state[FLASH] = (key, success)
    return result if result is not None else True


def show_flash() -> None:
    """The message of the write that caused this rerun (escaped: it may name things people typed)."""
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(md(flash[1]), icon=":material/check_circle:")


def _seen_key(fix_id: int) -> str:
    return f"fix-{fix_id}-seen-version"


def seen_version(fix_id: int, current: int) -> int:
    """The version of the fix this session opened: the one its edits claim to change."""
    key = _seen_key(fix_id)
    if key not in st.session_state:
        st.session_state[key] = int(current)
    return int(st.session_state[key])


def forget_seen_version(fix_id: int) -> None:
    st.session_state.pop(_seen_key(fix_id), None)


def after_write(fix_id: int | None = None) -> None:
    """Rerun the page after a write; an edit of the fix forgets the version it claimed, so the next is read."""
    if fix_id is not None:
        forget_seen_version(fix_id)
    st.rerun()

"""Messages after a set-up write: what the last action left for a section ("flash"), and
running one write so that an expected refusal becomes a message, never a traceback."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st
from pydantic import ValidationError

from cxroom.errors import CxroomError
from cxroom.ui.kit.text import md

FLASH_KEY = "setup_flash"


def problem_text(exc: ValidationError) -> str:
    """A pydantic error as one readable sentence per problem."""
    parts = []
    for error in exc.errors():
        where = " ".join(str(p) for p in error["loc"]).replace("_", " ")
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def flash(where: str, kind: str, message: str) -> None:
    st.session_state[f"{FLASH_KEY}_{where}"] = (kind, message)


def show_flash(where: str) -> None:
    """The message the last action left for this section (user text shown as text)."""
    found = st.session_state.pop(f"{FLASH_KEY}_{where}", None)
    if not found:
        return
    kind, message = found
    if kind == "success":
        st.success(md(message), icon=":material/check_circle:")
    else:
        st.error(md(message), icon=":material/error:")


def attempt(
    where: str,
    action: Callable[[], Any],
    success: str | Callable[[Any], str],
    clear: Iterable[str] = (),
    then: Callable[[Any], None] | None = None,
) -> bool:
    """Run one write; leave a success or error message for ``where``. Never raises an expected error."""
    try:
        result = action()
    except ValidationError as exc:
        flash(where, "error", problem_text(exc))
        return False
    except CxroomError as exc:
        flash(where, "error", str(exc))
        return False
    for key in clear:  # empty the form for the next entry (set, not deleted: the browser keeps deleted values)
        st.session_state[key] = _blank(st.session_state.get(key))
    if then is not None:
        then(result)
    flash(where, "success", success if isinstance(success, str) else success(result))
    return True


def _blank(value: Any) -> Any:
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return ""
    if isinstance(value, list):
        return []
    return None

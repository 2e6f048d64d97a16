"""Forms that create a fix or a review, safe against double submits.

- A nonce is drawn when the form is first shown in this session and kept: a second click (or a
  resubmitted form) sends the same command with the same nonce, and the service returns what the
  first one created (services.submits). The next fix typed into the form is another command.
- The first send refuses when the room already has what it would repeat (SimilarExists): the
  command is held here, and the form shows a warning that links to the existing records, with a
  button to go ahead deliberately (a new nonce derived from the held one, so a double click on that
  button is one command too).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st

from cxroom.services.submits import SimilarExists
from cxroom.ui import navigation
from cxroom.ui.kit.text import md

T = TypeVar("T")


def _nonce_key(form: str) -> str:
    return f"submit-nonce:{form}"


def _held_key(form: str) -> str:
    return f"submit-held:{form}"


def nonce(form: str) -> str:
    """This form's nonce for this session (drawn once, when the form is first shown)."""
    if _nonce_key(form) not in st.session_state:
        st.session_state[_nonce_key(form)] = uuid.uuid4().hex
    return str(st.session_state[_nonce_key(form)])


def first_send(form: str, payload: Any, send: Callable[[str], T]) -> T:
    """Send the command refusing look-alikes; on SimilarExists hold it and rerun to show the warning."""
    st.session_state.pop(_held_key(form), None)  # a new submit replaces a command held before
    try:
        return send(nonce(form))
    except SimilarExists as exc:
        st.session_state[_held_key(form)] = (payload, str(exc), exc.existing)
        st.rerun()
        raise  # pragma: no cover - st.rerun() does not return


def similar_warning(form: str, *, page: str, param: str, confirm: str) -> tuple[Any, str] | None:
    """The held command's warning, a link to each existing record and the buttons to go ahead or drop it.
    Returns (payload, nonce) in the run where the person goes ahead, None otherwise."""
    held = st.session_state.get(_held_key(form))
    if held is None:
        return None
    payload, message, existing = held
    with st.container(border=True, key=f"{form}-similar"):
        st.warning(md(message), icon=":material/warning:")
        for row in existing:
            navigation.page_link(
                page, label=md(str(row["title"])), query_params={param: str(row["id"])}, text_otherwise=True
            )
        go, drop = st.columns(2)
        if drop.button("Cancel", key=f"{form}-similar-cancel"):
            st.session_state.pop(_held_key(form), None)
            st.rerun()
        if go.button(confirm, key=f"{form}-similar-go"):
            st.session_state.pop(_held_key(form), None)
            ids = ",".join(sorted(str(row["id"]) for row in existing))
            return payload, f"{nonce(form)}|anyway:{ids}"
    return None

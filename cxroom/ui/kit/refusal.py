"""Running a command on a page and explaining its refusal: a room error (no permission, a
stale version, bad input) is shown as the error it says, as text; anything else propagates."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from cxroom.errors import CxroomError
from cxroom.ui.kit.text import md


@contextmanager
def refusal_explained() -> Iterator[None]:
    """``with refusal_explained(): service(...); st.success(...)``: the success is drawn only
    when the service did not refuse; a refusal draws its message instead."""
    try:
        yield
    except CxroomError as exc:
        st.error(md(str(exc)))

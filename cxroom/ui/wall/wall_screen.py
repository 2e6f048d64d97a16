"""What only the unattended wall screen (?mode=wall) does: split the stages over
several screens (&screen=2&of=3) and rotate a spotlight through them (&spotlight=)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import streamlit as st

from cxroom.queries.wall.wall_data import StageColumn
from cxroom.ui.kit.text import md
from cxroom.ui.wall.voices import trim_at_word

WALL_SCREEN_REFRESH_S = 300
ROOMY_SLOTS = 3  # a wall screen with this many columns or fewer has room for top categories and a verbatim


def screen_slice(items: Sequence[Any], screen: int, of: int) -> tuple[list[Any], int]:
    """The items shown on screen ``screen`` of ``of`` (contiguous, as even as
    possible, earlier screens take the remainder) and the slot count every screen uses."""
    of = max(1, min(of, max(1, len(items))))
    screen = max(1, min(screen, of))
    base, extra = divmod(len(items), of)
    start = (screen - 1) * base + min(screen - 1, extra)
    size = base + (1 if screen <= extra else 0)
    return list(items[start : start + size]), base + (1 if extra else 0)


def spotlight_column(columns: Sequence[StageColumn], period_s: int, now: float | None = None) -> StageColumn | None:
    """The stage in the spotlight now: each stage for ``period_s`` seconds in turn."""
    if not period_s or not columns:
        return None
    now = time.time() if now is None else now
    return columns[int(now // period_s) % len(columns)]


def spotlight_voice(col: StageColumn, *, key: str) -> None:
    """The spotlighted stage's customers, in their words (a verbatim, else the call's clip)."""
    text = ""
    if col.verbatims:
        text = f"“{trim_at_word(col.verbatims[0].text, 180)}”"
    elif col.calls:
        text = trim_at_word(col.calls[0].excerpt(180), 180)
    with st.container(key=f"spotlight-{key}"):
        st.markdown(f"###### In the spotlight · {md(col.stage.name)}")
        with st.container(key=f"voice-spotlight-{key}"):
            st.text(text or "No verbatim this month.")

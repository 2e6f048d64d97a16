"""Download buttons for the leaders' decks (cxroom.exports) on the wall and review pages.

The deck is built when the button is clicked (a callable ``data``), not on every rerun:
charts are drawn then, and a page that is only looked at pays nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from cxroom.exports.build import DeckFormat, review_file, wall_file
from cxroom.ui import cache, context
from cxroom.ui.wall.state import WallState, resolve_month

_LABELS = {
    DeckFormat.PPTX: ("Deck (PowerPoint)", ":material/slideshow:"),
    DeckFormat.PDF: ("Deck (PDF)", ":material/picture_as_pdf:"),
}


def _buttons(make: Callable[[DeckFormat], bytes], stem: str, key: str) -> None:
    # The two buttons side by side at the left, not spread across the page.
    columns = st.columns([1] * len(DeckFormat) + [4])
    for column, fmt in zip(columns, DeckFormat, strict=False):
        label, icon = _LABELS[fmt]
        column.download_button(
            label,
            data=lambda fmt=fmt: make(fmt),
            file_name=f"{stem}.{fmt.value}",
            mime=fmt.mime,
            key=f"{key}-{fmt.value}",
            icon=icon,
            on_click="ignore",
        )


def wall_deck_downloads(state: WallState) -> None:
    """PPTX and PDF of the month the wall shows: a summary slide and one per stage."""
    # The wall's own rule for the month (the page has warned about a ?month= without data).
    month, _problem = resolve_month(state.query.month, cache.months(context.data_version(), cache.db_key()))
    _buttons(
        lambda fmt: wall_file(context.store(), month, fmt, today=date.today()),
        f"wall-{month:%Y-%m}",
        "wall-deck",
    )


def review_deck_downloads(review_id: int, held_on: date) -> None:
    """PPTX and PDF of a review: agenda, findings, decisions, fixes and wins."""
    _buttons(
        lambda fmt: review_file(context.store(), review_id, fmt, today=date.today()),
        f"review-{held_on:%Y-%m-%d}",
        "review-deck",
    )

"""The exports as files: read the room, build the deck, draw it as PPTX or PDF."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from cxroom.errors import NotFoundError
from cxroom.exports.deck import Deck
from cxroom.exports.pdf_render import render_pdf
from cxroom.exports.pptx_render import render_pptx
from cxroom.exports.review_deck import review_deck
from cxroom.exports.wall_deck import wall_deck
from cxroom.queries.reviews.minutes_doc import minutes
from cxroom.queries.wall.wall_data import load_wall
from cxroom.store import Store


class DeckFormat(StrEnum):
    PPTX = "pptx"
    PDF = "pdf"

    @property
    def mime(self) -> str:
        if self is DeckFormat.PPTX:
            return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        return "application/pdf"


def render(deck: Deck, fmt: DeckFormat) -> bytes:
    return render_pptx(deck) if fmt is DeckFormat.PPTX else render_pdf(deck)


def build_wall_deck(store: Store, month: date, *, today: date) -> Deck:
    return wall_deck(load_wall(store, month.replace(day=1)), today=today)


def build_review_deck(store: Store, review_id: int, *, today: date) -> Deck:
    found = minutes(store, review_id)
    if found is None:
        raise NotFoundError(f"There is no review {review_id}.")
    return review_deck(found, load_wall(store, found.review.month), today=today)


def wall_file(store: Store, month: date, fmt: DeckFormat, *, today: date) -> bytes:
    return render(build_wall_deck(store, month, today=today), fmt)


def review_file(store: Store, review_id: int, fmt: DeckFormat, *, today: date) -> bytes:
    return render(build_review_deck(store, review_id, today=today), fmt)

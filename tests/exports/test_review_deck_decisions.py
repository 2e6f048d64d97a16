"""A review deck's decisions show their owner, due date and follow-up state (open, overdue or
done, as cxroom.insights.follow_up says), coloured by state; python-pptx re-opens the deck."""

from __future__ import annotations

import io
from datetime import date, datetime

from pptx import Presentation

from cxroom.exports.build import DeckFormat, build_review_deck, render
from cxroom.exports.deck import TONE_COLOURS
from cxroom.models import DecisionCreate, ReviewCreate
from cxroom.services import review_capture
from cxroom.services import reviews as rs
from cxroom.store import Store
from tests.queries.wall_rooms import small_room

TODAY = date(2026, 11, 10)


def test_the_decisions_slide_shows_owner_due_date_and_state(empty_store: Store) -> None:
    small_room(empty_store)
    review = rs.plan_review(
        empty_store,
        ReviewCreate(held_on=date(2026, 10, 8), kind="monthly", title="Room review", attendees=["Ann"]),
        agenda=(),
        actor="system",
    )

    def decide(text: str, owner: str, due_on: date | None) -> int:
        data = DecisionCreate(review_id=review, text=text, owner=owner, due_on=due_on)
        return review_capture.add_decision(empty_store, data, actor="system")

    decide("Rewrite the renewal letter", "Ann Owner", date(2026, 11, 1))
    decide("Call every claimant within two days", "Bob Other", date(2026, 12, 1))
    decide("Publish claim times", "Cy Web", None)
    done = decide("Count repeat calls", "Dee Data", date(2026, 10, 20))
    review_capture.mark_decision_done(
        empty_store, done, expected_version=1, actor="system", when=datetime(2026, 10, 18, 9)
    )

    deck = build_review_deck(empty_store, review, today=TODAY)
    opened = Presentation(io.BytesIO(render(deck, DeckFormat.PPTX)))
    slide = next(s for s in opened.slides if s.shapes.title.text.startswith("Decisions"))
    paragraphs = [
        p
        for shape in slide.shapes
        if shape.has_text_frame and shape != slide.shapes.title
        for p in shape.text_frame.paragraphs
        if "".join(r.text for r in p.runs).startswith(("Overdue ·", "Open ·", "Done ·"))
    ]
    texts = ["".join(r.text for r in p.runs) for p in paragraphs]
    assert texts == [
        "Overdue · Rewrite the renewal letter · owner Ann Owner · due 1 Nov 2026",
        "Open · Call every claimant within two days · owner Bob Other · due 1 Dec 2026",
        "Open · Publish claim times · owner Cy Web · no due date",
        "Done · Count repeat calls · owner Dee Data · done 18 Oct 2026",
    ]
    colours = [str(p.runs[0].font.color.rgb) for p in paragraphs]
    assert colours[0] == TONE_COLOURS["bad"] and colours[3] == TONE_COLOURS["good"]
    assert colours[1] == colours[2] != colours[0]

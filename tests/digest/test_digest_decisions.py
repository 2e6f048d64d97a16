"""Decisions in the digest carry their real follow-up state (cxroom.insights.follow_up): each owner
gets the decisions they own that are not done, overdue ones first and marked, however old the
review that took them; a decision marked done leaves the digest. Sent to a real SMTP server
(aiosmtpd) on localhost."""

from __future__ import annotations

from datetime import date, datetime

from cxroom.digest.run import prepare
from cxroom.models import DecisionCreate, ReviewCreate
from cxroom.services import review_capture
from cxroom.services import reviews as rs
from cxroom.store import Store
from tests.digest.test_digest import SENDER, TODAY, Inbox, _parts, deliver, digest_room, smtp_server
from tests.queries.wall_rooms import MONTH

__all__ = ["smtp_server"]  # the fixture, used by name


def _review(store: Store, held_on: date) -> int:
    data = ReviewCreate(held_on=held_on, kind="monthly", title=f"Room review of {held_on:%B %Y}", attendees=["Lena"])
    return rs.plan_review(store, data, agenda=(), actor="system")


def _decide(store: Store, review: int, text: str, owner: str, due_on: date | None) -> int:
    data = DecisionCreate(review_id=review, text=text, owner=owner, due_on=due_on)
    return review_capture.add_decision(store, data, actor="system")


def decisions_room(store: Store) -> None:
    digest_room(store)
    old = _review(store, date(2026, 1, 12))  # ten months before the digest: still open, so still Bob's
    recent = _review(store, date(2026, 10, 8))
    _decide(store, old, "Rewrite the renewal letter", "Bob Other", date(2026, 3, 1))
    _decide(store, recent, "Call every claimant within two days", "bob@example.org", date(2026, 12, 1))
    _decide(store, recent, "Publish claim times on the website", " BOB OTHER ", None)
    done = _decide(store, recent, "Count repeat calls by reason", "Bob Other", date(2026, 10, 20))
    review_capture.mark_decision_done(
        store, done, expected_version=1, actor="system", when=datetime(2026, 10, 30, 9), note="Dashboard live"
    )
    nora_done = _decide(store, recent, "Map the claim journey", "Nora Nothing", date(2026, 10, 15))
    review_capture.mark_decision_done(store, nora_done, expected_version=1, actor="system")


def test_each_owner_gets_their_open_and_overdue_decisions_in_state_order(
    empty_store: Store, smtp_server: tuple[Inbox, int]
) -> None:
    decisions_room(empty_store)
    by_rcpt = deliver(empty_store, smtp_server)
    # Nora's only decision is done: nothing of her own, no digest.
    assert "nora@example.org" not in by_rcpt

    bob_text, bob_html = _parts(by_rcpt["bob@example.org"])
    lines = [line for line in bob_text.splitlines() if line.startswith("- ") and "decided in" in line]
    assert lines == [
        "- Overdue · Rewrite the renewal letter · due 1 Mar 2026 · decided in Room review of January 2026",
        "- Open · Call every claimant within two days · due 1 Dec 2026 · decided in Room review of October 2026",
        "- Open · Publish claim times on the website · no due date · decided in Room review of October 2026",
    ]
    assert "Count repeat calls by reason" not in bob_text and "Count repeat calls" not in bob_html
    assert "Overdue · Rewrite the renewal letter" in bob_html
    # Decisions are their owners' only: the leader and Ann get none of Bob's.
    for other in ("lena@example.org", "ann@example.org"):
        text, _ = _parts(by_rcpt[other])
        assert "decided in" not in text


def test_a_decision_marked_done_leaves_the_next_digest_and_undone_comes_back(empty_store: Store) -> None:
    decisions_room(empty_store)
    late = int(empty_store.fetch_value("SELECT id FROM review_decisions WHERE text = 'Rewrite the renewal letter'"))

    def bobs_states() -> dict[str, str]:
        digest = next(
            d
            for d, _m in prepare(empty_store, MONTH, today=TODAY, sender=SENDER).messages
            if d.recipient.email == "bob@example.org"
        )
        return {x.text: x.state.value for x in digest.decisions}

    assert bobs_states()["Rewrite the renewal letter"] == "overdue"
    review_capture.mark_decision_done(empty_store, late, expected_version=1, actor="system")
    assert "Rewrite the renewal letter" not in bobs_states()
    review_capture.mark_decision_done(empty_store, late, done=False, expected_version=2, actor="system")
    assert bobs_states() == {
        "Rewrite the renewal letter": "overdue",
        "Call every claimant within two days": "open",
        "Publish claim times on the website": "open",
    }

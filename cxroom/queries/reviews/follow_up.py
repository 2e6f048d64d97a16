"""The decisions of earlier reviews that come back on a review's agenda (the rules are
cxroom.insights.follow_up's): read for the proposed agenda, the review page and the presenter."""

from __future__ import annotations

from datetime import date, datetime

from cxroom.insights.follow_up import DecisionFacts, FollowUp, follow_up
from cxroom.queries.reviews.listing import LAST_REVIEW_BEFORE
from cxroom.store import Store

# Decisions of reviews held before $held_on (never the review's own): not done, done since $since
# (the last review), or taken at that last review (done at any time, even before its date). The rule
# in Python (cxroom.insights.follow_up) decides which come back and how.
EARLIER_DECISIONS = """
SELECT d.id, d.review_id, r.title AS review_title, r.held_on AS review_held_on, d.text, d.owner, d.due_on,
       d.done_at, d.done_by, d.done_note, d.version
FROM review_decisions d JOIN reviews r ON r.id = d.review_id
WHERE r.held_on < $held_on AND d.review_id IS DISTINCT FROM CAST($review AS BIGINT)
  AND (d.done_at IS NULL OR d.done_at >= $since OR r.held_on >= CAST($since AS DATE))
ORDER BY d.due_on NULLS LAST, r.held_on, d.id
"""
REVIEW_HELD_ON = "SELECT held_on FROM reviews WHERE id = ?"


def since_last_review(store: Store, held_on: date) -> datetime | None:
    """When the review before one held on ``held_on`` was held (None: there was none)."""
    last = store.fetch_value(LAST_REVIEW_BEFORE, [held_on])
    return None if last is None else datetime.combine(last, datetime.min.time())


def earlier_decisions(
    store: Store, *, held_on: date, review_id: int | None, since: datetime | None
) -> list[DecisionFacts]:
    rows = store.fetch_dicts(
        EARLIER_DECISIONS, {"held_on": held_on, "review": review_id, "since": since or datetime.min}
    )
    return [DecisionFacts(**row) for row in rows]


def follow_up_of(store: Store, review_id: int, *, today: date) -> list[FollowUp]:
    """The follow-up of a review as it stands now: states as of its day, or today if that is earlier
    (a review planned for next week shows what is overdue today, not what will be)."""
    held_on = store.fetch_value(REVIEW_HELD_ON, [review_id])
    if held_on is None:
        return []
    since = since_last_review(store, held_on)
    facts = earlier_decisions(store, held_on=held_on, review_id=review_id, since=since)
    return follow_up(facts, on=min(today, held_on), since=since)

"""The reviews: the list, one review with its snapshot, the review before it,
and the month of data a review looks at."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd

from cxroom.insights.agenda import next_month, review_month
from cxroom.store import Store

REVIEWS = """
WITH f AS (SELECT review_id, count(*) AS findings FROM review_findings GROUP BY review_id),
     d AS (SELECT review_id, count(*) AS decisions FROM review_decisions GROUP BY review_id),
     x AS (SELECT chartered_review_id AS review_id, count(*) AS fixes FROM fixes
           WHERE chartered_review_id IS NOT NULL GROUP BY chartered_review_id),
     a AS (SELECT review_id, count(*) AS agenda_items FROM review_agenda_items GROUP BY review_id)
SELECT r.id, r.held_on, r.kind, r.title, r.status, r.attendees, r.closed_at, r.version,
       coalesce(a.agenda_items, 0) AS agenda_items, coalesce(f.findings, 0) AS findings,
       coalesce(d.decisions, 0) AS decisions, coalesce(x.fixes, 0) AS fixes_chartered,
       s.review_id IS NOT NULL AS has_snapshot
FROM reviews r
LEFT JOIN f ON f.review_id = r.id LEFT JOIN d ON d.review_id = r.id
LEFT JOIN x ON x.review_id = r.id LEFT JOIN a ON a.review_id = r.id
LEFT JOIN review_snapshots s ON s.review_id = r.id
ORDER BY r.held_on DESC, r.id DESC
"""

REVIEW = """
SELECT r.id, r.held_on, r.kind, r.title, r.status, r.attendees, r.notes, r.closed_at, r.version,
       s.month AS snapshot_month, s.as_of AS snapshot_as_of
FROM reviews r LEFT JOIN review_snapshots s ON s.review_id = r.id
WHERE r.id = ?
"""

# The review held before this one (by date, then id): wins and changes count from it.
PREVIOUS_REVIEW = """
SELECT id, held_on FROM reviews
WHERE (held_on, id) < (SELECT (held_on, id) FROM reviews WHERE id = $review)
  AND ($snapshot_only = false OR id IN (SELECT review_id FROM review_snapshots))
ORDER BY held_on DESC, id DESC
LIMIT 1
"""

LAST_REVIEW_BEFORE = "SELECT max(held_on) FROM reviews WHERE held_on < ?"

# The month of data a review looks at: the month before it is held, or the
# latest month the room has data for when that month is not loaded yet.
# (cxroom.services.review_snapshot takes its snapshot of the same month; a test keeps
# the two statements in step.)
DATA_MONTH = """
SELECT max(month) FROM (
    SELECT date_trunc('month', max(period))::DATE AS month FROM kpi_readings WHERE period < $before
    UNION ALL
    SELECT date_trunc('month', max(received_at))::DATE FROM complaints WHERE received_at < $before
)
"""


# -- shapes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    id: int
    held_on: date
    kind: str
    title: str
    status: str
    attendees: tuple[str, ...]
    notes: str
    closed_at: datetime | None
    version: int
    snapshot_month: date | None = None
    snapshot_as_of: datetime | None = None
    data_month: date | None = None

    @property
    def closed(self) -> bool:
        return self.status == "closed"

    @property
    def month(self) -> date:
        """The month of data the review looks at (its snapshot's, once closed)."""
        return self.snapshot_month or self.data_month or review_month(self.held_on)

    @property
    def status_label(self) -> str:
        return {"planned": "Planned", "in_session": "In session", "closed": "Closed"}.get(self.status, self.status)


def data_month(store: Store, held_on: date) -> date:
    """The month of data a review held on ``held_on`` looks at."""
    wanted = review_month(held_on)
    found = store.fetch_value(DATA_MONTH, {"before": next_month(wanted)})
    return found or wanted


def _review(row: dict[str, Any]) -> Review:
    return Review(
        id=int(row["id"]),
        held_on=row["held_on"],
        kind=row["kind"],
        title=row["title"],
        status=row["status"],
        attendees=tuple(row["attendees"] or ()),
        notes=row["notes"] or "",
        closed_at=row["closed_at"],
        version=int(row["version"]),
        snapshot_month=row.get("snapshot_month"),
        snapshot_as_of=row.get("snapshot_as_of"),
        data_month=row.get("data_month"),
    )


# -- reads: reviews ---------------------------------------------------------------------


def list_reviews(store: Store) -> pd.DataFrame:
    return store.fetch_df(REVIEWS)


def get_review(store: Store, review_id: int) -> Review | None:
    rows = store.fetch_dicts(REVIEW, [review_id])
    if not rows:
        return None
    return _review({**rows[0], "data_month": data_month(store, rows[0]["held_on"])})


def previous_review_id(store: Store, review_id: int, *, with_snapshot: bool = False) -> int | None:
    sql_params = {"review": review_id, "snapshot_only": with_snapshot}
    value = store.fetch_value(PREVIOUS_REVIEW, sql_params)
    return None if value is None else int(value)

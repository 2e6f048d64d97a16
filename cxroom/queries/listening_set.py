"""Reads of the listening sets: the calls queued for a review (with what was already played),
the calls a stage heard lately, and the calls nobody has heard for a year, suggested when the
facilitator builds a set."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cxroom.queries.reviews.months import add_months
from cxroom.queries.wall.calls import Segment, parse_transcript
from cxroom.store import Store

HEARD_MONTHS = 3  # a stage shows the calls heard in the last three months
UNHEARD_DAYS = 365  # calls nobody heard for this long are suggested
SUGGESTED = 8

SET_ITEMS = """
SELECT i.id, i.call_id, i.clip_start_s, coalesce(i.clip_end_s, floor(c.duration_s)::INTEGER) AS clip_end_s,
       i.position, i.note, i.version, c.title, c.duration_s, c.transcript, c.media_sha256 AS sha256, md.mime,
       s.name AS stage_name, count(l.id) AS plays, max(l.played_at) AS last_played_at
FROM review_listening_items i
JOIN calls c ON c.id = i.call_id
JOIN media md ON md.sha256 = c.media_sha256
JOIN stages s ON s.id = c.stage_id
LEFT JOIN listening_log l ON l.item_id = i.id
WHERE i.review_id = ?
GROUP BY ALL
ORDER BY i.position, i.id
"""

REVIEW_PLAYS = """
SELECT id, call_id, item_id, call_title, clip_start_s, clip_end_s, played_at, played_by, attendees
FROM listening_log WHERE review_id = ? ORDER BY played_at, id
"""

# The call's stage today when it is still in the room; the stage it had when played otherwise.
HEARD_ON_STAGE = """
SELECT l.call_id, any_value(coalesce(c.title, l.call_title)) AS title, count(*) AS plays,
       max(l.played_at) AS last_played_at, count(DISTINCT l.review_id) AS reviews,
       list(DISTINCT r.title ORDER BY r.title) AS review_titles,
       list_distinct(flatten(list(l.attendees))) AS attendees, bool_or(c.id IS NOT NULL) AS in_room
FROM listening_log l
LEFT JOIN calls c ON c.id = l.call_id
LEFT JOIN reviews r ON r.id = l.review_id
WHERE coalesce(c.stage_id, l.stage_id) = ? AND l.played_at >= ?
GROUP BY l.call_id
ORDER BY last_played_at DESC, l.call_id
"""

SUGGESTIONS = """
WITH heard AS (SELECT call_id, max(played_at) AS last_played_at FROM listening_log GROUP BY call_id)
SELECT c.id AS call_id, c.title, s.name AS stage_name, c.duration_s, c.recorded_at, h.last_played_at
FROM calls c
JOIN stages s ON s.id = c.stage_id AND NOT s.archived
LEFT JOIN heard h ON h.call_id = c.id
WHERE (h.last_played_at IS NULL OR h.last_played_at < ?)
  AND c.id NOT IN (SELECT call_id FROM review_listening_items WHERE review_id = ?)
ORDER BY h.last_played_at NULLS FIRST, c.recorded_at DESC, c.id
LIMIT ?
"""

CALL_CHOICES = """
SELECT c.id AS call_id, c.title, s.name AS stage_name, c.duration_s, c.clip_start_s, c.clip_end_s
FROM calls c JOIN stages s ON s.id = c.stage_id AND NOT s.archived
ORDER BY s.position, c.recorded_at DESC, c.id
"""


@dataclass(frozen=True)
class SetItem:
    id: int
    call_id: int
    title: str
    stage_name: str
    clip_start_s: int
    clip_end_s: int
    duration_s: float
    position: int
    note: str
    version: int
    sha256: str
    mime: str
    plays: int
    last_played_at: datetime | None
    words: tuple[Segment, ...]  # the clip's transcript, masked


@dataclass(frozen=True)
class Play:
    id: int
    call_id: int
    item_id: int | None
    call_title: str
    clip_start_s: int
    clip_end_s: int
    played_at: datetime
    played_by: str
    attendees: tuple[str, ...]


@dataclass(frozen=True)
class HeardCall:
    call_id: int
    title: str
    plays: int
    last_played_at: datetime
    reviews: int
    review_titles: tuple[str, ...]
    attendees: tuple[str, ...]
    in_room: bool


@dataclass(frozen=True)
class Suggestion:
    call_id: int
    title: str
    stage_name: str
    duration_s: float
    recorded_at: datetime
    last_played_at: datetime | None  # None: never heard in a review


@dataclass(frozen=True)
class CallChoice:
    call_id: int
    title: str
    stage_name: str
    duration_s: float
    clip_start_s: int
    clip_end_s: int | None


def listening_set(store: Store, review_id: int) -> list[SetItem]:
    """The calls queued for a review, in order, each with how often it was played in it."""
    items = []
    for row in store.fetch_dicts(SET_ITEMS, [review_id]):
        start, end = int(row["clip_start_s"]), int(row["clip_end_s"])
        words = tuple(s for s in parse_transcript(row["transcript"]) if s.end > start and s.start < end)
        items.append(
            SetItem(
                id=int(row["id"]),
                call_id=int(row["call_id"]),
                title=row["title"],
                stage_name=row["stage_name"],
                clip_start_s=start,
                clip_end_s=end,
                duration_s=float(row["duration_s"]),
                position=int(row["position"]),
                note=row["note"],
                version=int(row["version"]),
                sha256=row["sha256"],
                mime=row["mime"],
                plays=int(row["plays"]),
                last_played_at=row["last_played_at"],
                words=words,
            )
        )
    return items


def review_plays(store: Store, review_id: int) -> list[Play]:
    """The listening log of one review, oldest first."""
    return [
        Play(**{**row, "attendees": tuple(row["attendees"] or ())})
        for row in store.fetch_dicts(REVIEW_PLAYS, [review_id])
    ]


def heard_on_stage(store: Store, stage_id: int, *, today: date, months: int = HEARD_MONTHS) -> list[HeardCall]:
    """The calls of a stage played in a review in the last ``months`` months, latest first."""
    since = _months_before(today, months)
    return [
        HeardCall(
            call_id=int(row["call_id"]),
            title=row["title"],
            plays=int(row["plays"]),
            last_played_at=row["last_played_at"],
            reviews=int(row["reviews"]),
            review_titles=tuple(t for t in row["review_titles"] if t is not None),
            attendees=tuple(sorted(row["attendees"] or ())),
            in_room=bool(row["in_room"]),
        )
        for row in store.fetch_dicts(HEARD_ON_STAGE, [stage_id, since])
    ]


def suggestions(store: Store, review_id: int, *, today: date, limit: int = SUGGESTED) -> list[Suggestion]:
    """Calls nobody has heard in a review for a year (never-heard first), not yet in this set."""
    since = datetime.combine(today - timedelta(days=UNHEARD_DAYS), datetime.min.time())
    return [Suggestion(**row) for row in store.fetch_dicts(SUGGESTIONS, [since, review_id, limit])]


def call_choices(store: Store) -> list[CallChoice]:
    """Every call on a stage of the wall, for the facilitator's picker."""
    return [CallChoice(**row) for row in store.fetch_dicts(CALL_CHOICES)]


def _months_before(today: date, months: int) -> datetime:
    """Midnight of the same day ``months`` months earlier (that month's last day when shorter)."""
    first = add_months(today.replace(day=1), -months)
    last_day = (add_months(first, 1) - timedelta(days=1)).day
    return datetime(first.year, first.month, min(today.day, last_day))

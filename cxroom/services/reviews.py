"""Writes of the room review: plan it with an agenda, edit the agenda, start
it, close it (which freezes a snapshot of the room, see
``services.review_snapshot``) and, explicitly, reopen it. What is captured
during the session (findings, decisions, fixes chartered on the spot, teams
presenting) is written by ``services.review_capture``.

Rules every function keeps:
- one transaction per command, audit-logged;
- a closed review is read-only: every change to it is refused with a message
  until someone reopens it (audited, with a reason);
- edits of an existing row carry the version the editor saw, so two people
  editing the same finding or agenda item get a conflict, never a silent
  overwrite. Adding rows (findings, decisions) never conflicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cxroom.errors import ConflictError, InvalidInputError, NotFoundError
from cxroom.insights.agenda import AgendaKind, AgendaSection
from cxroom.models import ReviewCreate, ReviewStatus
from cxroom.permissions import Action
from cxroom.services import _lookup, review_snapshot, submits
from cxroom.store import Store, Tx, utcnow

# -- inputs -------------------------------------------------------------------


class CommandInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AgendaItemCreate(CommandInput):
    """One agenda item, proposed from the data or added by the facilitator."""

    kind: AgendaKind
    section: AgendaSection
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    reasons: list[Annotated[str, StringConstraints(max_length=1000)]] = []
    stage_id: int | None = None
    moment_id: int | None = None
    fix_id: int | None = None
    minutes: int = Field(default=5, ge=1, le=120)


# -- SQL ------------------------------------------------------------------------

INSERT_REVIEW = "INSERT INTO reviews (held_on, kind, title, attendees, submit_key) VALUES (?, ?, ?, ?, ?) RETURNING id"
REVIEW_BY_SUBMIT_KEY = "SELECT id FROM reviews WHERE submit_key = ?"
# Each review with the month of data it looks at once closed (its snapshot's); open ones get theirs from
# review_snapshot.data_month, the rule the snapshot itself follows.
REVIEW_DATES = """
SELECT r.id, r.title, r.held_on, r.status, s.month AS snapshot_month
FROM reviews r LEFT JOIN review_snapshots s ON s.review_id = r.id
ORDER BY r.held_on, r.id
"""
INSERT_AGENDA_ITEM = """
INSERT INTO review_agenda_items (review_id, position, kind, section, title, reasons, stage_id, moment_id, fix_id,
                                 minutes, source, created_by, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
"""
NEXT_AGENDA_POSITION = "SELECT coalesce(max(position), 0) + 1 FROM review_agenda_items WHERE review_id = ?"
AGENDA_COUNT = "SELECT count(*) FROM review_agenda_items WHERE review_id = ?"
DELETE_AGENDA = "DELETE FROM review_agenda_items WHERE review_id = ?"
DELETE_AGENDA_ITEM = "DELETE FROM review_agenda_items WHERE id = ?"
# Close the gap a removed item leaves, or make room for a moved one.
SHIFT_AGENDA = """
UPDATE review_agenda_items SET position = position + ?
WHERE review_id = ? AND id <> ? AND position BETWEEN ? AND ?
"""
FIX_EXISTS = "SELECT count(*) FROM fixes WHERE id = ?"


# -- guards -----------------------------------------------------------------------


def when_or_now(value: datetime | None) -> datetime:
    return value or utcnow()


def _review(tx: Tx, review_id: int) -> dict[str, Any]:
    try:
        return _lookup.row(tx, "reviews", review_id)
    except NotFoundError:
        raise NotFoundError(f"There is no review #{review_id}.") from None


def closed_message(review: dict[str, Any]) -> str:
    closed_at = review.get("closed_at")
    when = f" on {closed_at:%d %b %Y at %H:%M}" if isinstance(closed_at, datetime) else ""
    return f"This review was closed{when} and is read-only. Reopen it (the reopening is logged) to change it."


def require_open_review(tx: Tx, review_id: int) -> dict[str, Any]:
    review = _review(tx, review_id)
    if review["status"] == ReviewStatus.CLOSED.value:
        raise InvalidInputError(closed_message(review))
    return review


def _agenda_item(tx: Tx, item_id: int) -> dict[str, Any]:
    try:
        return _lookup.row(tx, "review_agenda_items", item_id)
    except NotFoundError:
        raise NotFoundError("That agenda item no longer exists (someone may have removed it); reload.") from None


# -- the review itself ---------------------------------------------------------------


def create_review(store: Store, data: ReviewCreate, *, actor: str) -> int:
    """A planned review without an agenda (the demo uses this)."""
    return plan_review(store, data, agenda=(), actor=actor)


def plan_review(
    store: Store,
    data: ReviewCreate,
    *,
    agenda: Sequence[AgendaItemCreate],
    actor: str,
    when: datetime | None = None,
    nonce: str | None = None,
) -> int:
    """Plan a review and its agenda in one transaction. With the nonce of the form that sent it, the
    same command sent again returns the review it planned (see services.submits)."""
    return plan_review_once(store, data, agenda=agenda, actor=actor, when=when, nonce=nonce).id


def plan_review_once(
    store: Store,
    data: ReviewCreate,
    *,
    agenda: Sequence[AgendaItemCreate],
    actor: str,
    when: datetime | None = None,
    nonce: str | None = None,
    allow_similar: bool = True,
) -> submits.Created:
    """plan_review, saying whether the command had already been carried out (nothing written then).
    The key covers the review as typed, not its proposed agenda: the proposal can change between
    two clicks (new data), and it is still the same review. With allow_similar=False (the form's
    first send), a review of the same month of data refuses with SimilarExists naming it."""
    key = submits.submit_key(nonce, "plan_review", data)
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        done = tx.fetch_value(REVIEW_BY_SUBMIT_KEY, [key]) if key else None
        if done is not None:
            return submits.Created(int(done), repeated=True)
        if not allow_similar:
            wanted, similar = _same_data_month(tx, data.held_on)
            if similar:
                names = ", ".join(f"{r['title']} (held {r['held_on']:%d %b %Y}, {r['status']})" for r in similar)
                raise submits.SimilarExists(
                    f"The room already has a review of {wanted:%B %Y} data: {names}. Open it, or plan anyway.",
                    similar,
                )
        params = [data.held_on, data.kind.value, data.title, data.attendees, key]
        new_id = int(tx.fetch_value(INSERT_REVIEW, params))
        for position, item in enumerate(agenda, start=1):
            _insert_agenda_item(tx, new_id, position, item, source="proposed", actor=actor, when=when)
        tx.audit("create", "review", new_id, None, {**data.model_dump(), "agenda_items": len(agenda)})
        return submits.Created(new_id, repeated=False)


def reviews_of_month(store: Store, held_on: date) -> list[dict[str, Any]]:
    """The reviews that look at the same month of data as a review held on ``held_on`` would.
    The plan form warns with links to them; planning another stays possible (a quarterly and a
    monthly review may share a month)."""
    return _same_data_month(store, held_on)[1]


def _same_data_month(reader: Tx | Store, held_on: date) -> tuple[date, list[dict[str, Any]]]:
    """The month of data a review held on ``held_on`` looks at, and the reviews that look at it too.
    The month of data, not the calendar: a review held on 3 December while November is not loaded yet
    reviews October, as one held on 8 November does (reviews are titled by the month they review)."""
    wanted = review_snapshot.data_month(reader, held_on)
    months: dict[date, date] = {}  # held_on -> its data month, read once per day

    def month_of(row: dict[str, Any]) -> date:
        frozen: date | None = row["snapshot_month"]
        if frozen is not None:
            return frozen
        if row["held_on"] not in months:
            months[row["held_on"]] = review_snapshot.data_month(reader, row["held_on"])
        return months[row["held_on"]]

    return wanted, [r for r in reader.fetch_dicts(REVIEW_DATES) if month_of(r) == wanted]


def update_review(store: Store, review_id: int, data: ReviewCreate, *, expected_version: int, actor: str) -> None:
    """Change the date, kind, title or attendees of a review that is not closed."""
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = require_open_review(tx, review_id)
        tx.update_versioned(
            "reviews",
            review_id,
            expected_version,
            {"held_on": data.held_on, "kind": data.kind.value, "title": data.title, "attendees": data.attendees},
        )
        tx.audit("update", "review", review_id, before, _lookup.row(tx, "reviews", review_id))


def start_review(store: Store, review_id: int, *, expected_version: int, actor: str) -> None:
    """The session has begun (planned -> in session)."""
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = require_open_review(tx, review_id)
        if before["status"] == ReviewStatus.IN_SESSION.value:
            raise InvalidInputError("This review is already in session.")
        tx.update_versioned("reviews", review_id, expected_version, {"status": ReviewStatus.IN_SESSION.value})
        tx.audit("start", "review", review_id, before, _lookup.row(tx, "reviews", review_id))


def close_review(
    store: Store, review_id: int, *, expected_version: int, actor: str, when: datetime | None = None
) -> bool:
    """Close the review and freeze a snapshot of the room as it stood.

    The snapshot holds the KPIs, complaints and survey scores of the month the
    review looked at (the month before it was held), and the reliability of
    every moment and the status of every fix as they stood at ``when`` (now,
    unless given): so the demo, which closes its past reviews with past
    dates, gets the snapshots those reviews would have taken.

    Closing a review that is already closed (a second click, a second person) changes nothing and
    returns False; ``closed_message`` says when it was closed. True: closed now.
    """
    closed_at = when_or_now(when)
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = _review(tx, review_id)
        if before["status"] == ReviewStatus.CLOSED.value:
            return False
        tx.update_versioned(
            "reviews", review_id, expected_version, {"status": ReviewStatus.CLOSED.value, "closed_at": closed_at}
        )
        month = review_snapshot.data_month(tx, before["held_on"])
        review_snapshot.take(tx, review_id, month=month, as_of=closed_at, actor=actor)
        after = _lookup.row(tx, "reviews", review_id)
        tx.audit("close", "review", review_id, before, {**after, "snapshot_month": month})
        return True


def reopen_review(
    store: Store, review_id: int, *, expected_version: int, reason: str, actor: str, when: datetime | None = None
) -> None:
    """Reopen a closed review (its snapshot is dropped; closing again takes a new one)."""
    why = " ".join(reason.split())
    if len(why) < 3:
        raise InvalidInputError("Say why the review is reopened: the reason is kept in the audit log.")
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = _review(tx, review_id)
        if before["status"] != ReviewStatus.CLOSED.value:
            raise InvalidInputError("This review is not closed, so there is nothing to reopen.")
        tx.update_versioned(
            "reviews", review_id, expected_version, {"status": ReviewStatus.IN_SESSION.value, "closed_at": None}
        )
        review_snapshot.drop(tx, review_id)
        after = _lookup.row(tx, "reviews", review_id)
        tx.audit("reopen", "review", review_id, before, {**after, "reason": why, "reopened_at": when_or_now(when)})


# -- the agenda ---------------------------------------------------------------------------


def _insert_agenda_item(
    tx: Tx,
    review_id: int,
    position: int,
    item: AgendaItemCreate,
    *,
    source: str,
    actor: str,
    when: datetime | None,
) -> int:
    return int(
        tx.fetch_value(
            INSERT_AGENDA_ITEM,
            [
                review_id,
                position,
                item.kind.value,
                item.section.value,
                item.title,
                item.reasons,
                item.stage_id,
                item.moment_id,
                item.fix_id,
                item.minutes,
                source,
                actor,
                when_or_now(when),
            ],
        )
    )


def replace_agenda(
    store: Store, review_id: int, *, items: Sequence[AgendaItemCreate], actor: str, when: datetime | None = None
) -> None:
    """Set the whole agenda (the proposal from the data), replacing what was there."""
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        require_open_review(tx, review_id)
        removed = int(tx.fetch_value(AGENDA_COUNT, [review_id]))
        tx.execute(DELETE_AGENDA, [review_id])
        for position, item in enumerate(items, start=1):
            _insert_agenda_item(tx, review_id, position, item, source="proposed", actor=actor, when=when)
        tx.audit("propose_agenda", "review", review_id, {"items": removed}, {"items": len(items)})


def add_agenda_item(
    store: Store, review_id: int, item: AgendaItemCreate, *, actor: str, when: datetime | None = None
) -> int:
    """Add an item at the end of the agenda."""
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        require_open_review(tx, review_id)
        if item.fix_id is not None and not tx.fetch_value(FIX_EXISTS, [item.fix_id]):
            raise NotFoundError(f"There is no fix #{item.fix_id}.")
        position = int(tx.fetch_value(NEXT_AGENDA_POSITION, [review_id]))
        new_id = _insert_agenda_item(tx, review_id, position, item, source="added", actor=actor, when=when)
        tx.audit("create", "agenda_item", new_id, None, {**item.model_dump(mode="json"), "review_id": review_id})
        return new_id


def move_agenda_item(store: Store, item_id: int, *, offset: int, expected_version: int, actor: str) -> None:
    """Move an item up (negative offset) or down the agenda."""
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = _agenda_item(tx, item_id)
        review_id = int(before["review_id"])
        require_open_review(tx, review_id)
        count = int(tx.fetch_value(AGENDA_COUNT, [review_id]))
        old = int(before["position"])
        new = max(1, min(count, old + offset))
        tx.update_versioned("review_agenda_items", item_id, expected_version, {"position": new})
        if new < old:
            tx.execute(SHIFT_AGENDA, [1, review_id, item_id, new, old - 1])
        elif new > old:
            tx.execute(SHIFT_AGENDA, [-1, review_id, item_id, old + 1, new])
        tx.audit("move", "agenda_item", item_id, {"position": old}, {"position": new})


def update_agenda_item(
    store: Store,
    item_id: int,
    *,
    title: str,
    minutes: int,
    expected_version: int,
    actor: str,
) -> None:
    """Rename an item or change its time box."""
    clean = " ".join(title.split())
    if not clean:
        raise InvalidInputError("An agenda item needs a title.")
    if not 1 <= minutes <= 120:
        raise InvalidInputError("An agenda item's time box is between 1 and 120 minutes.")
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = _agenda_item(tx, item_id)
        require_open_review(tx, int(before["review_id"]))
        tx.update_versioned("review_agenda_items", item_id, expected_version, {"title": clean, "minutes": minutes})
        tx.audit("update", "agenda_item", item_id, before, _lookup.row(tx, "review_agenda_items", item_id))


def remove_agenda_item(store: Store, item_id: int, *, expected_version: int, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = _agenda_item(tx, item_id)
        review_id = int(before["review_id"])
        require_open_review(tx, review_id)
        if int(before["version"]) != expected_version:
            raise stale_version_error("agenda item")
        tx.execute(DELETE_AGENDA_ITEM, [item_id])
        tx.execute(SHIFT_AGENDA, [-1, review_id, item_id, int(before["position"]) + 1, 1_000_000])
        tx.audit("delete", "agenda_item", item_id, before, None)


def stale_version_error(what: str) -> ConflictError:
    return ConflictError(
        f"The {what} was changed by someone else since you opened it; nothing was changed. "
        "Reload to see their change, then try again."
    )

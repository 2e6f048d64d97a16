"""Writes of the room review: plan it with an agenda, run it (findings with
their evidence, decisions, fixes chartered on the spot, teams presenting),
close it (which freezes a snapshot of the room) and, explicitly, reopen it.

Rules every function keeps:
- one transaction per command, audit-logged (``charter_fix_from_finding`` is
  two: the fix tracker's own charter, then the link to the finding);
- a closed review is read-only: every change to it is refused with a message
  until someone reopens it (audited, with a reason);
- edits of an existing row carry the version the editor saw, so two people
  editing the same finding or agenda item get a conflict, never a silent
  overwrite. Adding rows (findings, decisions) never conflicts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cxroom.errors import ConflictError, InvalidInputError, NotFoundError
from cxroom.insights.agenda import AgendaKind, AgendaSection, next_month, review_month
from cxroom.models import DecisionCreate, FindingCreate, FixCreate, ReviewCreate, ReviewStatus
from cxroom.permissions import Action
from cxroom.services import _lookup, fixes, submits
from cxroom.store import Store, Tx, utcnow
from cxroom.survey_sql import survey_score

# -- inputs -------------------------------------------------------------------


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AgendaItemCreate(_Input):
    """One agenda item, proposed from the data or added by the facilitator."""

    kind: AgendaKind
    section: AgendaSection
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    reasons: list[Annotated[str, StringConstraints(max_length=1000)]] = []
    stage_id: int | None = None
    moment_id: int | None = None
    fix_id: int | None = None
    minutes: int = Field(default=5, ge=1, le=120)


class EvidenceLink(_Input):
    """What a finding rests on. ``ref_id`` points at the KPI, survey question,
    call, artifact or agenda item; for complaints ``ref_text`` is the category."""

    kind: Literal["kpi", "complaints", "survey", "call", "artifact", "agenda_item"]
    ref_id: int | None = None
    ref_text: Annotated[str, StringConstraints(max_length=200)] = ""
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


FindingText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=5000)]


class FindingUpdate(_Input):
    text: FindingText
    evidence: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)] = ""


# -- SQL ------------------------------------------------------------------------

INSERT_REVIEW = (
    "INSERT INTO reviews (held_on, kind, title, attendees, submit_key) VALUES (?, ?, ?, ?, ?) RETURNING id"
)
REVIEW_BY_SUBMIT_KEY = "SELECT id FROM reviews WHERE submit_key = ?"
REVIEW_DATES = "SELECT id, title, held_on, status FROM reviews ORDER BY held_on, id"
FINDING_FIX_LINKED = "SELECT count(*) FROM review_finding_fixes WHERE finding_id = ? AND fix_id = ?"
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
INSERT_FINDING = """
INSERT INTO review_findings (review_id, stage_id, moment_id, text, evidence, created_by, created_at, submit_key)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
"""
FINDING_BY_SUBMIT_KEY = "SELECT id FROM review_findings WHERE submit_key = ?"
INSERT_FINDING_EVIDENCE = "INSERT INTO review_finding_evidence VALUES (?, ?, ?, ?, ?)"
DELETE_FINDING = "DELETE FROM review_findings WHERE id = ?"
DELETE_FINDING_EVIDENCE = "DELETE FROM review_finding_evidence WHERE finding_id = ?"
FINDING_HAS_FIX = "SELECT count(*) FROM review_finding_fixes WHERE finding_id = ?"
FINDING_HAS_DECISION = "SELECT count(*) FROM review_decisions WHERE finding_id = ?"
INSERT_FINDING_FIX = "INSERT INTO review_finding_fixes VALUES (?, ?) ON CONFLICT DO NOTHING"
INSERT_DECISION = """
INSERT INTO review_decisions (review_id, finding_id, text, owner, due_on, created_by, created_at, submit_key)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
"""
DECISION_BY_SUBMIT_KEY = "SELECT id FROM review_decisions WHERE submit_key = ?"
FINDING_OF_REVIEW = "SELECT review_id FROM review_findings WHERE id = ?"
REVIEW_STATUS = "SELECT status, closed_at FROM reviews WHERE id = ?"
FIX_EXISTS = "SELECT count(*) FROM fixes WHERE id = ?"

# The month of data a review looks at: the month before it is held, or the
# latest month the room has data for when that month is not loaded yet (the
# same statement as cxroom.queries.reviews.DATA_MONTH; a test keeps them in step).
DATA_MONTH = """
SELECT max(month) FROM (
    SELECT date_trunc('month', max(period))::DATE AS month FROM kpi_readings WHERE period < $before
    UNION ALL
    SELECT date_trunc('month', max(received_at))::DATE FROM complaints WHERE received_at < $before
)
"""

# The snapshot taken when a review closes. Parameters: $review, $month (first
# day of the month the review looked at), $next (first day of the month
# after), $as_of (when the review closed).
SNAPSHOT_HEADER = "INSERT INTO review_snapshots VALUES ($review, $month, $as_of, $actor)"

# KPI status by the same rule as cxroom.insights.health.kpi_rag (a test keeps
# the two in step): on target, within the warning threshold, or off target.
SNAPSHOT_KPIS = """
INSERT INTO review_snapshot_kpis
SELECT $review, k.id, k.stage_id, k.moment_id, k.name, k.unit, k.direction, k.target, k.warning, r.value,
       CASE
           WHEN r.value IS NULL OR k.target IS NULL THEN 'none'
           WHEN (k.direction = 'higher_better' AND r.value >= k.target)
             OR (k.direction = 'lower_better' AND r.value <= k.target) THEN 'green'
           WHEN k.warning IS NOT NULL AND ((k.direction = 'higher_better' AND r.value >= k.warning)
             OR (k.direction = 'lower_better' AND r.value <= k.warning)) THEN 'amber'
           ELSE 'red'
       END
FROM kpis k
JOIN stages s ON s.id = k.stage_id AND NOT s.archived
LEFT JOIN (
    SELECT kpi_id, arg_max(value, period) AS value
    FROM kpi_readings
    WHERE period >= $month AND period < $next
    GROUP BY kpi_id
) r ON r.kpi_id = k.id
"""

SNAPSHOT_COMPLAINTS = """
INSERT INTO review_snapshot_complaints
SELECT $review, stage_id, category, count(*)
FROM complaints
WHERE received_at >= $month AND received_at < $next
GROUP BY stage_id, category
"""

# NPS = % promoters (9-10) - % detractors (0-6); CSAT = % answering 4-5;
# CES and percent = mean (as on the wall).
SNAPSHOT_SURVEYS = """
INSERT INTO review_snapshot_surveys
SELECT $review, q.id, q.survey, q.text, q.kind, count(*),
       {score}
FROM survey_responses r
JOIN survey_questions q ON q.id = r.question_id
WHERE r.answered_at >= $month AND r.answered_at < $next
GROUP BY q.id, q.survey, q.text, q.kind
""".replace("{score}", survey_score())

# A moment's reliability as it stood at $as_of, from its history (moments
# created later are left out; without any history, its current state).
SNAPSHOT_MOMENTS = """
INSERT INTO review_snapshot_moments
WITH h AS (
    SELECT moment_id, min(changed_at) AS first_at,
           arg_max(to_state, changed_at) FILTER (WHERE changed_at <= $as_of) AS state
    FROM moment_state_history
    GROUP BY moment_id
)
SELECT $review, m.id, m.stage_id, m.name, m.is_key, coalesce(h.state, m.reliability)
FROM moments m
JOIN stages s ON s.id = m.stage_id AND NOT s.archived
LEFT JOIN h ON h.moment_id = m.id
WHERE h.first_at IS NULL OR h.first_at <= $as_of
"""

# A fix's status as it stood at $as_of, from its timeline.
SNAPSHOT_FIXES = """
INSERT INTO review_snapshot_fixes
WITH u AS (
    SELECT fix_id, min(happened_at) AS first_at,
           arg_max(to_status, happened_at) FILTER (WHERE happened_at <= $as_of AND to_status IS NOT NULL) AS status
    FROM fix_updates
    GROUP BY fix_id
)
SELECT $review, f.id, f.stage_id, f.title, coalesce(u.status, f.status), f.due_on, f.chartered_on
FROM fixes f
LEFT JOIN u ON u.fix_id = f.id
WHERE CASE WHEN u.first_at IS NULL THEN f.chartered_on <= CAST($as_of AS DATE) ELSE u.first_at <= $as_of END
"""

SNAPSHOT_TABLES = (
    "review_snapshot_kpis",
    "review_snapshot_complaints",
    "review_snapshot_surveys",
    "review_snapshot_moments",
    "review_snapshot_fixes",
    "review_snapshots",
)
DELETE_SNAPSHOT = {table: f"DELETE FROM {table} WHERE review_id = ?" for table in SNAPSHOT_TABLES}


# -- guards -----------------------------------------------------------------------


def _when(value: datetime | None) -> datetime:
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


def _open_review(tx: Tx, review_id: int) -> dict[str, Any]:
    review = _review(tx, review_id)
    if review["status"] == ReviewStatus.CLOSED.value:
        raise InvalidInputError(closed_message(review))
    return review


def _agenda_item(tx: Tx, item_id: int) -> dict[str, Any]:
    try:
        return _lookup.row(tx, "review_agenda_items", item_id)
    except NotFoundError:
        raise NotFoundError("That agenda item no longer exists (someone may have removed it); reload.") from None


def _finding(tx: Tx, finding_id: int) -> dict[str, Any]:
    try:
        return _lookup.row(tx, "review_findings", finding_id)
    except NotFoundError:
        raise NotFoundError("That finding no longer exists (someone may have removed it); reload.") from None


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
            wanted = review_month(data.held_on)
            similar = [r for r in tx.fetch_dicts(REVIEW_DATES) if review_month(r["held_on"]) == wanted]
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
    wanted = review_month(held_on)
    return [r for r in store.fetch_dicts(REVIEW_DATES) if review_month(r["held_on"]) == wanted]


def update_review(store: Store, review_id: int, data: ReviewCreate, *, expected_version: int, actor: str) -> None:
    """Change the date, kind, title or attendees of a review that is not closed."""
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = _open_review(tx, review_id)
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
        before = _open_review(tx, review_id)
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
    closed_at = _when(when)
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = _review(tx, review_id)
        if before["status"] == ReviewStatus.CLOSED.value:
            return False
        tx.update_versioned(
            "reviews", review_id, expected_version, {"status": ReviewStatus.CLOSED.value, "closed_at": closed_at}
        )
        wanted = review_month(before["held_on"])
        month = tx.fetch_value(DATA_MONTH, {"before": next_month(wanted)}) or wanted
        _take_snapshot(tx, review_id, month=month, as_of=closed_at, actor=actor)
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
        for table in SNAPSHOT_TABLES:
            tx.execute(DELETE_SNAPSHOT[table], [review_id])
        after = _lookup.row(tx, "reviews", review_id)
        tx.audit("reopen", "review", review_id, before, {**after, "reason": why, "reopened_at": _when(when)})


def _take_snapshot(tx: Tx, review_id: int, *, month: date, as_of: datetime, actor: str) -> None:
    params = {"review": review_id, "month": month, "next": next_month(month), "as_of": as_of}
    tx.execute(SNAPSHOT_HEADER, {**params_for(SNAPSHOT_HEADER, params), "actor": actor})
    for sql in (SNAPSHOT_KPIS, SNAPSHOT_COMPLAINTS, SNAPSHOT_SURVEYS, SNAPSHOT_MOMENTS, SNAPSHOT_FIXES):
        tx.execute(sql, params_for(sql, params))


def params_for(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """Only the named parameters a statement uses (DuckDB refuses unused ones)."""
    return {name: value for name, value in params.items() if f"${name}" in sql}


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
                _when(when),
            ],
        )
    )


def replace_agenda(
    store: Store, review_id: int, *, items: Sequence[AgendaItemCreate], actor: str, when: datetime | None = None
) -> None:
    """Set the whole agenda (the proposal from the data), replacing what was there."""
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        _open_review(tx, review_id)
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
        _open_review(tx, review_id)
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
        _open_review(tx, review_id)
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
        _open_review(tx, int(before["review_id"]))
        tx.update_versioned("review_agenda_items", item_id, expected_version, {"title": clean, "minutes": minutes})
        tx.audit("update", "agenda_item", item_id, before, _lookup.row(tx, "review_agenda_items", item_id))


def remove_agenda_item(store: Store, item_id: int, *, expected_version: int, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = _agenda_item(tx, item_id)
        review_id = int(before["review_id"])
        _open_review(tx, review_id)
        if int(before["version"]) != expected_version:
            raise _conflict("agenda item")
        tx.execute(DELETE_AGENDA_ITEM, [item_id])
        tx.execute(SHIFT_AGENDA, [-1, review_id, item_id, int(before["position"]) + 1, 1_000_000])
        tx.audit("delete", "agenda_item", item_id, before, None)


def _conflict(what: str) -> ConflictError:
    return ConflictError(
        f"The {what} was changed by someone else since you opened it; nothing was changed. "
        "Reload to see their change, then try again."
    )


# -- capture -----------------------------------------------------------------------------------


def add_finding(
    store: Store,
    data: FindingCreate,
    *,
    actor: str,
    when: datetime | None = None,
    evidence_links: Sequence[EvidenceLink] = (),
    nonce: str | None = None,
) -> int:
    """Record a finding (a new row: two people adding findings never collide). With the form's nonce,
    the same finding sent again returns the one recorded (services.submits)."""
    if data.moment_name and not data.stage_slug:
        raise InvalidInputError("Choose the stage of the moment of truth too.")
    payload = {"finding": data.model_dump(mode="json"), "links": [link.model_dump() for link in evidence_links]}
    key = submits.submit_key(nonce, "add_finding", payload)
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        done = tx.fetch_value(FINDING_BY_SUBMIT_KEY, [key]) if key else None
        if done is not None:
            return int(done)
        _open_review(tx, data.review_id)
        stage = _lookup.stage_id(tx, data.stage_slug) if data.stage_slug else None
        moment = _lookup.moment_id(tx, stage, data.moment_name) if stage is not None else None
        evidence = data.evidence or "; ".join(link.label for link in evidence_links)
        new_id = int(
            tx.fetch_value(
                INSERT_FINDING, [data.review_id, stage, moment, data.text, evidence, actor, _when(when), key]
            )
        )
        for link in evidence_links:
            tx.execute(INSERT_FINDING_EVIDENCE, [new_id, link.kind, link.ref_id, link.ref_text, link.label])
        tx.audit(
            "create",
            "finding",
            new_id,
            None,
            {**data.model_dump(), "evidence_links": [link.model_dump() for link in evidence_links]},
        )
        return new_id


def update_finding(store: Store, finding_id: int, data: FindingUpdate, *, expected_version: int, actor: str) -> None:
    """Edit a finding; a stale version (someone else edited it) is a ConflictError."""
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = _finding(tx, finding_id)
        _open_review(tx, int(before["review_id"]))
        tx.update_versioned(
            "review_findings", finding_id, expected_version, {"text": data.text, "evidence": data.evidence}
        )
        tx.audit("update", "finding", finding_id, before, _lookup.row(tx, "review_findings", finding_id))


def remove_finding(store: Store, finding_id: int, *, expected_version: int, actor: str) -> None:
    """Remove a finding nobody has acted on yet (no decision, no fix)."""
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = _finding(tx, finding_id)
        _open_review(tx, int(before["review_id"]))
        if int(before["version"]) != expected_version:
            raise _conflict("finding")
        if tx.fetch_value(FINDING_HAS_FIX, [finding_id]) or tx.fetch_value(FINDING_HAS_DECISION, [finding_id]):
            raise InvalidInputError("A decision or a fix rests on this finding, so it stays; edit its text instead.")
        tx.execute(DELETE_FINDING_EVIDENCE, [finding_id])
        tx.execute(DELETE_FINDING, [finding_id])
        tx.audit("delete", "finding", finding_id, before, None)


def add_decision(
    store: Store, data: DecisionCreate, *, actor: str, when: datetime | None = None, nonce: str | None = None
) -> int:
    """Record a decision. With the form's nonce, the same decision sent again returns the one recorded."""
    key = submits.submit_key(nonce, "add_decision", data)
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        done = tx.fetch_value(DECISION_BY_SUBMIT_KEY, [key]) if key else None
        if done is not None:
            return int(done)
        _open_review(tx, data.review_id)
        if data.finding_id is not None:
            of_review = tx.fetch_value(FINDING_OF_REVIEW, [data.finding_id])
            if of_review is None or int(of_review) != data.review_id:
                raise InvalidInputError("The decision can only rest on a finding of the same review.")
        new_id = int(
            tx.fetch_value(
                INSERT_DECISION,
                [data.review_id, data.finding_id, data.text, data.owner, data.due_on, actor, _when(when), key],
            )
        )
        tx.audit("create", "decision", new_id, None, data.model_dump())
        return new_id


def charter_fix_from_finding(
    store: Store,
    *,
    finding_id: int,
    data: FixCreate,
    actor: str,
    when: datetime | None = None,
    nonce: str | None = None,
    allow_similar: bool = True,
) -> int:
    """Charter a fix team on the spot from a finding of an open review.

    The fix is created by the fix tracker (``services.fixes.charter_fix``, its
    own transaction) and then linked to the finding. FixCreate has already
    refused a one-silo team.
    """
    review_id = store.fetch_value(FINDING_OF_REVIEW, [finding_id])
    if review_id is None:
        raise NotFoundError("That finding no longer exists (someone may have removed it); reload.")
    _check_open(store, int(review_id))
    if data.chartered_review_id is None:
        data = data.model_copy(update={"chartered_review_id": int(review_id)})
    elif data.chartered_review_id != int(review_id):
        raise InvalidInputError("The fix must be chartered in the review the finding belongs to.")
    # The finding is part of the command: the same fix typed twice from two findings is two charters.
    keyed = nonce and f"{nonce}|finding:{finding_id}"
    fix_id = fixes.charter_fix_once(store, data, actor=actor, when=when, nonce=keyed, allow_similar=allow_similar).id
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        # A repeated command finds the link made (unless the first send stopped between the two transactions).
        if not tx.fetch_value(FINDING_FIX_LINKED, [finding_id, fix_id]):
            tx.execute(INSERT_FINDING_FIX, [finding_id, fix_id])
            tx.audit("link", "finding", finding_id, None, {"fix_id": fix_id, "review_id": int(review_id)})
    return fix_id


def present_fix(store: Store, *, review_id: int, fix_id: int, actor: str, when: datetime | None = None) -> None:
    """Mark that a fix team presented in this (open) review."""
    _check_open(store, review_id)
    fixes.record_presentation(store, fix_id=fix_id, review_id=review_id, actor=actor, when=_when(when))


def _check_open(store: Store, review_id: int) -> None:
    row = store.fetch_one(REVIEW_STATUS, [review_id])
    if row is None:
        raise NotFoundError(f"There is no review #{review_id}.")
    if row[0] == ReviewStatus.CLOSED.value:
        raise InvalidInputError(closed_message({"closed_at": row[1]}))

"""Writes of what a review captures during the session: findings with their
evidence, decisions, fixes chartered on the spot from a finding, and fix teams
presenting. Each command is one transaction, audit-logged; a closed review
refuses them all (``services.reviews`` holds the guards)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import StringConstraints

from cxroom.errors import InvalidInputError, NotFoundError
from cxroom.models import DecisionCreate, FindingCreate, FixCreate, ReviewStatus
from cxroom.permissions import Action
from cxroom.services import _lookup, fixes, submits
from cxroom.services.reviews import CommandInput, closed_message, require_open_review, stale_version_error, when_or_now
from cxroom.store import Store, Tx

# -- inputs -------------------------------------------------------------------


class EvidenceLink(CommandInput):
    """What a finding rests on. ``ref_id`` points at the KPI, survey question,
    call, artifact or agenda item; for complaints ``ref_text`` is the category."""

    kind: Literal["kpi", "complaints", "survey", "call", "artifact", "agenda_item"]
    ref_id: int | None = None
    ref_text: Annotated[str, StringConstraints(max_length=200)] = ""
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


FindingText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=5000)]


class FindingUpdate(CommandInput):
    text: FindingText
    evidence: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20_000)] = ""


# -- SQL ------------------------------------------------------------------------

FINDING_FIX_LINKED = "SELECT count(*) FROM review_finding_fixes WHERE finding_id = ? AND fix_id = ?"
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
ACTOR_NAME = "SELECT display_name FROM users WHERE lower(email) = lower(?)"


def _finding(tx: Tx, finding_id: int) -> dict[str, Any]:
    try:
        return _lookup.row(tx, "review_findings", finding_id)
    except NotFoundError:
        raise NotFoundError("That finding no longer exists (someone may have removed it); reload.") from None


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
        require_open_review(tx, data.review_id)
        stage = _lookup.stage_id(tx, data.stage_slug) if data.stage_slug else None
        moment = _lookup.moment_id(tx, stage, data.moment_name) if stage is not None else None
        evidence = data.evidence or "; ".join(link.label for link in evidence_links)
        new_id = int(
            tx.fetch_value(
                INSERT_FINDING, [data.review_id, stage, moment, data.text, evidence, actor, when_or_now(when), key]
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
        require_open_review(tx, int(before["review_id"]))
        tx.update_versioned(
            "review_findings", finding_id, expected_version, {"text": data.text, "evidence": data.evidence}
        )
        tx.audit("update", "finding", finding_id, before, _lookup.row(tx, "review_findings", finding_id))


def remove_finding(store: Store, finding_id: int, *, expected_version: int, actor: str) -> None:
    """Remove a finding nobody has acted on yet (no decision, no fix)."""
    with store.transaction(actor) as tx:
        tx.require(Action.REVIEW_EDIT)
        before = _finding(tx, finding_id)
        require_open_review(tx, int(before["review_id"]))
        if int(before["version"]) != expected_version:
            raise stale_version_error("finding")
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
        require_open_review(tx, data.review_id)
        if data.finding_id is not None:
            of_review = tx.fetch_value(FINDING_OF_REVIEW, [data.finding_id])
            if of_review is None or int(of_review) != data.review_id:
                raise InvalidInputError("The decision can only rest on a finding of the same review.")
        new_id = int(
            tx.fetch_value(
                INSERT_DECISION,
                [data.review_id, data.finding_id, data.text, data.owner, data.due_on, actor, when_or_now(when), key],
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

    One transaction: the fix tracker's own charter (``services.fixes.charter_in``) and the link to
    the finding commit together, so a refusal or a failure anywhere leaves no fix without its
    finding. FixCreate has already refused a one-silo team.
    """
    # The finding is part of the command: the same fix typed twice from two findings is two charters.
    keyed = nonce and f"{nonce}|finding:{finding_id}"
    with store.transaction(actor) as tx:
        review_id = tx.fetch_value(FINDING_OF_REVIEW, [finding_id])
        if review_id is None:
            raise NotFoundError("That finding no longer exists (someone may have removed it); reload.")
        require_open_review(tx, int(review_id))
        if data.chartered_review_id is None:
            data = data.model_copy(update={"chartered_review_id": int(review_id)})
        elif data.chartered_review_id != int(review_id):
            raise InvalidInputError("The fix must be chartered in the review the finding belongs to.")
        tx.require(Action.FIX_CHARTER)
        tx.require(Action.REVIEW_EDIT)
        key = submits.submit_key(keyed, "charter_fix", data)
        fix_id = fixes.charter_in(tx, data, key=key, when=when, allow_similar=allow_similar).id
        # A repeated command finds the fix and its link made: nothing more is written.
        if not tx.fetch_value(FINDING_FIX_LINKED, [finding_id, fix_id]):
            tx.execute(INSERT_FINDING_FIX, [finding_id, fix_id])
            tx.audit("link", "finding", finding_id, None, {"fix_id": fix_id, "review_id": int(review_id)})
        return fix_id


def present_fix(store: Store, *, review_id: int, fix_id: int, actor: str, when: datetime | None = None) -> None:
    """Mark that a fix team presented in this (open) review."""
    _check_open(store, review_id)
    fixes.record_presentation(store, fix_id=fix_id, review_id=review_id, actor=actor, when=when_or_now(when))


def _check_open(store: Store, review_id: int) -> None:
    row = store.fetch_one(REVIEW_STATUS, [review_id])
    if row is None:
        raise NotFoundError(f"There is no review #{review_id}.")
    if row[0] == ReviewStatus.CLOSED.value:
        raise InvalidInputError(closed_message({"closed_at": row[1]}))


# -- follow-up -------------------------------------------------------------------------------


def _is_owner(tx: Tx, owner: str) -> bool:
    """Whether the acting person is the decision's owner, named by e-mail or display name."""
    names = {tx.actor.strip().lower()}
    display = tx.fetch_value(ACTOR_NAME, [tx.actor])
    if display:
        names.add(str(display).strip().lower())
    return bool(owner.strip()) and owner.strip().lower() in names


def mark_decision_done(
    store: Store,
    decision_id: int,
    *,
    done: bool = True,
    note: str = "",
    expected_version: int,
    actor: str,
    when: datetime | None = None,
) -> None:
    """Mark a decision done (or not done again, ``done=False``), with an optional note. Its owner may
    do it, whatever their role, and so may a facilitator; the review it was taken in may be closed
    (the follow-up happens after it). A stale version is a ConflictError."""
    with store.transaction(actor) as tx:
        try:
            before = _lookup.row(tx, "review_decisions", decision_id)
        except NotFoundError:
            raise NotFoundError("That decision no longer exists; reload.") from None
        if not _is_owner(tx, str(before["owner"] or "")):
            tx.require(Action.REVIEW_EDIT)
        if done == (before["done_at"] is not None):
            raise InvalidInputError("That decision is already marked done." if done else "That decision is not done.")
        clean = " ".join(note.split())[:1000]
        values = (
            {"done_at": when_or_now(when), "done_by": actor, "done_note": clean}
            if done
            else {
                "done_at": None,
                "done_by": None,
                "done_note": "",
            }
        )
        tx.update_versioned("review_decisions", decision_id, expected_version, values)
        tx.audit(
            "done" if done else "undone",
            "decision",
            decision_id,
            before,
            _lookup.row(tx, "review_decisions", decision_id),
        )

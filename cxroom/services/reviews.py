"""Writes of the monthly room review: plan it, record findings and decisions,
close it."""

from __future__ import annotations

from datetime import datetime

from cxroom.errors import InvalidInputError
from cxroom.models import DecisionCreate, FindingCreate, ReviewCreate, ReviewStatus
from cxroom.services import _lookup
from cxroom.store import Store, Tx, utcnow


def _open_review(tx: Tx, review_id: int) -> dict[str, object]:
    review = _lookup.row(tx, "reviews", review_id)
    if review["status"] == ReviewStatus.CLOSED.value:
        raise InvalidInputError("This review is closed; reopen it before changing it.")
    return review


def create_review(store: Store, data: ReviewCreate, *, actor: str) -> int:
    with store.transaction(actor) as tx:
        new_id = int(
            tx.fetch_value(
                "INSERT INTO reviews (held_on, kind, title, attendees) VALUES (?, ?, ?, ?) RETURNING id",
                [data.held_on, data.kind.value, data.title, data.attendees],
            )
        )
        tx.audit("create", "review", new_id, None, data.model_dump())
        return new_id


def add_finding(store: Store, data: FindingCreate, *, actor: str, when: datetime | None = None) -> int:
    with store.transaction(actor) as tx:
        _open_review(tx, data.review_id)
        stage = _lookup.stage_id(tx, data.stage_slug) if data.stage_slug else None
        moment = _lookup.moment_id(tx, stage, data.moment_name) if stage is not None else None
        new_id = int(
            tx.fetch_value(
                "INSERT INTO review_findings (review_id, stage_id, moment_id, text, evidence, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [data.review_id, stage, moment, data.text, data.evidence, actor, when or utcnow()],
            )
        )
        tx.audit("create", "finding", new_id, None, data.model_dump())
        return new_id


def add_decision(store: Store, data: DecisionCreate, *, actor: str, when: datetime | None = None) -> int:
    with store.transaction(actor) as tx:
        _open_review(tx, data.review_id)
        new_id = int(
            tx.fetch_value(
                "INSERT INTO review_decisions (review_id, finding_id, text, owner, due_on, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [data.review_id, data.finding_id, data.text, data.owner, data.due_on, actor, when or utcnow()],
            )
        )
        tx.audit("create", "decision", new_id, None, data.model_dump())
        return new_id


def close_review(
    store: Store, review_id: int, *, expected_version: int, actor: str, when: datetime | None = None
) -> None:
    with store.transaction(actor) as tx:
        before = _open_review(tx, review_id)
        tx.update_versioned(
            "reviews",
            review_id,
            expected_version,
            {"status": ReviewStatus.CLOSED.value, "closed_at": when or utcnow()},
        )
        tx.audit("close", "review", review_id, before, _lookup.row(tx, "reviews", review_id))

"""Customer math writes: the room's agreed definitions of incoming and outgoing customers (and
the unit of value), the log of calls to lost customers, and re-resolving movements' stages when
the category rules change. One transaction each, permission first, audited."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from cxroom.errors import InvalidInputError, NotFoundError
from cxroom.permissions import Action
from cxroom.services import _lookup
from cxroom.store import Store, Tx, utcnow

Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class Definitions(BaseModel):
    """What the room counts as an incoming customer (new, won back) and an outgoing one (lost,
    downgraded), and the unit of a movement's value."""

    model_config = ConfigDict(extra="forbid")

    incoming: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
    outgoing: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=2000)]
    value_unit: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)] = "annual revenue"


class LostCallCreate(BaseModel):
    """A call made to a lost customer. The stage is the one chosen, else the one the rules give
    the reason, else the lost movement's."""

    model_config = ConfigDict(extra="forbid")

    called_at: datetime
    called_by: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    customer_said: Text = ""
    reason: Short = ""
    stage_slug: str | None = None
    moment_name: str | None = None
    movement_id: int | None = None
    call_id: int | None = None


def set_definitions(store: Store, data: Definitions, *, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        before = {r["term"]: r["text"] for r in tx.fetch_dicts("SELECT term, text FROM customer_definitions")}
        now = utcnow()
        for term, text in data.model_dump().items():
            tx.execute(
                "INSERT INTO customer_definitions (term, text, updated_at, updated_by) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (term) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at, "
                "updated_by = excluded.updated_by, version = customer_definitions.version + 1",
                [term, text, now, actor],
            )
        tx.audit("update", "customer_definitions", None, before or None, data.model_dump())


# The most specific rule for a reason, as the import pass resolves it (a rule for the source beats
# one for every source; a reason is matched as a category with no sub-category).
_RULE_FOR_REASON = """
SELECT stage_id, moment_id FROM category_rules
WHERE lower(category) = lower(?) AND subcategory IS NULL AND (source IS NULL OR source = ?)
ORDER BY source IS NOT NULL DESC LIMIT 1
"""


def log_lost_call(store: Store, data: LostCallCreate, *, actor: str) -> int:
    with store.transaction(actor) as tx:
        tx.require(Action.EVIDENCE_EDIT)
        movement = None
        if data.movement_id is not None:
            rows = tx.fetch_dicts(
                "SELECT id, source, movement, stage_id, moment_id FROM customer_movements WHERE id = ?",
                [data.movement_id],
            )
            if not rows:
                raise NotFoundError(f"There is no customer movement #{data.movement_id}.")
            movement = rows[0]
            if movement["movement"] not in ("lost", "downgraded"):
                raise InvalidInputError("A call to a lost customer links to a lost or downgraded movement.")
        if data.call_id is not None and tx.fetch_value("SELECT id FROM calls WHERE id = ?", [data.call_id]) is None:
            raise NotFoundError(f"There is no call recording #{data.call_id}.")
        stage, moment = None, None
        if data.stage_slug:
            stage = _lookup.stage_id(tx, data.stage_slug)
            moment = _lookup.moment_id(tx, stage, data.moment_name)
        elif data.reason:
            found = tx.fetch_one(_RULE_FOR_REASON, [data.reason, movement["source"] if movement else None])
            stage, moment = (found[0], found[1]) if found else (None, None)
        if stage is None and movement is not None:
            stage, moment = movement["stage_id"], movement["moment_id"]
        if stage is None:
            raise InvalidInputError(
                "Which stage lost this customer? Choose one, or give a reason the category rules map to a stage."
            )
        new_id = int(
            tx.fetch_value(
                "INSERT INTO lost_customer_calls (called_at, called_by, customer_said, reason, stage_id, moment_id, "
                "movement_id, call_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [
                    data.called_at,
                    data.called_by,
                    data.customer_said,
                    data.reason,
                    stage,
                    moment,
                    data.movement_id,
                    data.call_id,
                    actor,
                    utcnow(),
                ],
            )
        )
        tx.audit("create", "lost_customer_call", new_id, None, data.model_dump(mode="json"))
        return new_id


_REAPPLY = """
UPDATE customer_movements AS m SET stage_id = b.stage_id, moment_id = b.moment_id
FROM (
    SELECT k.source, k.reason,
           arg_max(r.stage_id, (r.source IS NOT NULL)::INT) AS stage_id,
           arg_max(r.moment_id, (r.source IS NOT NULL)::INT) AS moment_id
    FROM (SELECT DISTINCT source, reason FROM customer_movements WHERE lower(reason) IN (SELECT unnest(?::VARCHAR[]))) k
    LEFT JOIN category_rules r ON lower(r.category) = lower(k.reason) AND r.subcategory IS NULL
         AND (r.source IS NULL OR r.source = k.source)
    GROUP BY k.source, k.reason
) b
WHERE m.source = b.source AND m.reason = b.reason
  AND (m.stage_id IS DISTINCT FROM b.stage_id OR m.moment_id IS DISTINCT FROM b.moment_id)
"""


def reapply_rules(tx: Tx, categories: set[str]) -> int:
    """Re-resolve the stage of every movement whose reason is one of ``categories`` (any case)
    from the rules as they are now in this transaction; returns how many moved."""
    if not categories:
        return 0
    return int(tx.fetch_value(_REAPPLY, [sorted({c.lower() for c in categories})]) or 0)

"""Writes that shape the room itself: stages, silos, moments of truth and who
is accountable for them."""

from __future__ import annotations

from datetime import datetime

from cxroom.errors import InvalidInputError
from cxroom.models import MomentCreate, ReliabilityChange, SiloCreate, SiloRole, StageCreate, StageUpdate
from cxroom.permissions import Action
from cxroom.services import _lookup
from cxroom.store import Store, utcnow


def create_stage(store: Store, data: StageCreate, *, actor: str) -> int:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        if tx.fetch_value("SELECT count(*) FROM stages WHERE slug = ?", [data.slug]):
            raise InvalidInputError(f"A stage with the slug '{data.slug}' already exists.")
        position = data.position
        if position is None:
            position = int(tx.fetch_value("SELECT coalesce(max(position) + 1, 0) FROM stages"))
        new_id = int(
            tx.fetch_value(
                "INSERT INTO stages (slug, name, customer_goal, description, position, colour) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                [data.slug, data.name, data.customer_goal, data.description, position, data.colour],
            )
        )
        tx.audit("create", "stage", new_id, None, data.model_dump())
        return new_id


def update_stage(store: Store, stage_id: int, data: StageUpdate, *, expected_version: int, actor: str) -> None:
    changes = data.model_dump(exclude_none=True)
    if not changes:
        return
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        before = _lookup.row(tx, "stages", stage_id)
        tx.update_versioned("stages", stage_id, expected_version, changes)
        tx.audit("update", "stage", stage_id, before, _lookup.row(tx, "stages", stage_id))


def create_silo(store: Store, data: SiloCreate, *, actor: str) -> int:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        if tx.fetch_value("SELECT count(*) FROM silos WHERE lower(name) = lower(?)", [data.name]):
            raise InvalidInputError(f"A silo called '{data.name}' already exists.")
        new_id = int(
            tx.fetch_value(
                "INSERT INTO silos (name, description) VALUES (?, ?) RETURNING id",
                [data.name, data.description],
            )
        )
        tx.audit("create", "silo", new_id, None, data.model_dump())
        return new_id


def create_moment(store: Store, data: MomentCreate, *, actor: str, when: datetime | None = None) -> int:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        stage = _lookup.stage_id(tx, data.stage_slug)
        if tx.fetch_value("SELECT count(*) FROM moments WHERE stage_id = ? AND name = ?", [stage, data.name]):
            raise InvalidInputError(f"Stage '{data.stage_slug}' already has a moment called '{data.name}'.")
        position = data.position
        if position is None:
            position = int(
                tx.fetch_value("SELECT coalesce(max(position) + 1, 0) FROM moments WHERE stage_id = ?", [stage])
            )
        new_id = int(
            tx.fetch_value(
                "INSERT INTO moments (stage_id, name, description, drives_revenue, forms_relationship, "
                "rescues_at_risk, grows_wallet, reliability, is_key, position) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [
                    stage,
                    data.name,
                    data.description,
                    data.drives_revenue,
                    data.forms_relationship,
                    data.rescues_at_risk,
                    data.grows_wallet,
                    data.reliability.value,
                    data.is_key,
                    position,
                ],
            )
        )
        tx.execute(
            "INSERT INTO moment_state_history (moment_id, from_state, to_state, changed_at, changed_by, reason) "
            "VALUES (?, NULL, ?, ?, ?, 'created')",
            [new_id, data.reliability.value, when or utcnow(), actor],
        )
        tx.audit("create", "moment", new_id, None, data.model_dump())
        return new_id


def change_reliability(store: Store, data: ReliabilityChange, *, actor: str, when: datetime | None = None) -> None:
    """Move a moment of truth along the ladder and remember when, who and why."""
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        before = _lookup.row(tx, "moments", data.moment_id)
        if before["reliability"] == data.to_state.value:
            raise InvalidInputError(f"The moment is already '{data.to_state.value}'.")
        tx.update_versioned("moments", data.moment_id, data.expected_version, {"reliability": data.to_state.value})
        tx.execute(
            "INSERT INTO moment_state_history (moment_id, from_state, to_state, changed_at, changed_by, reason) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [data.moment_id, before["reliability"], data.to_state.value, when or utcnow(), actor, data.reason],
        )
        tx.audit("change_reliability", "moment", data.moment_id, before, _lookup.row(tx, "moments", data.moment_id))


def set_stage_silo(store: Store, *, stage_slug: str, silo_name: str, role: SiloRole, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        stage = _lookup.stage_id(tx, stage_slug)
        silo = _lookup.silo_id(tx, silo_name)
        tx.execute(
            "INSERT INTO stage_silos (stage_id, silo_id, role) VALUES (?, ?, ?) "
            "ON CONFLICT (stage_id, silo_id) DO UPDATE SET role = excluded.role",
            [stage, silo, role.value],
        )
        tx.audit("link", "stage_silo", f"{stage}:{silo}", None, {"role": role.value})


def set_moment_silo(store: Store, *, moment_id: int, silo_name: str, role: SiloRole, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        _lookup.row(tx, "moments", moment_id)
        silo = _lookup.silo_id(tx, silo_name)
        tx.execute(
            "INSERT INTO moment_silos (moment_id, silo_id, role) VALUES (?, ?, ?) "
            "ON CONFLICT (moment_id, silo_id) DO UPDATE SET role = excluded.role",
            [moment_id, silo, role.value],
        )
        tx.audit("link", "moment_silo", f"{moment_id}:{silo}", None, {"role": role.value})


def set_room_name(store: Store, name: str, *, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        before = tx.fetch_value("SELECT value FROM meta WHERE key = 'room_name'")
        tx.execute("UPDATE meta SET value = ? WHERE key = 'room_name'", [name.strip()[:120]])
        tx.audit("update", "room", "room_name", {"room_name": before}, {"room_name": name})

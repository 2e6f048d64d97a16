"""Writes that shape the room itself: stages, silos and moments of truth (who is
accountable for them is in cxroom.services.accountability).

Every write is one transaction that checks the acting user's permission,
checks the version the person saw (optimistic concurrency) and leaves an
audit entry with the record before and after. Nothing that carries history is
ever deleted here: a stage is archived (it leaves the wall, its complaints,
KPIs and audit trail stay); a moment of truth is deleted only while nothing
refers to it.
"""

from __future__ import annotations

from datetime import datetime

from cxroom.errors import ConflictError, InvalidInputError
from cxroom.models import MomentCreate, ReliabilityChange, SiloCreate, StageCreate, StageUpdate
from cxroom.permissions import Action
from cxroom.services import _lookup
from cxroom.setup_models import MomentEdit, NewOrder, SiloEdit
from cxroom.store import Store, Tx, utcnow


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


def set_room_name(store: Store, name: str, *, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        before = tx.fetch_value("SELECT value FROM meta WHERE key = 'room_name'")
        tx.execute("UPDATE meta SET value = ? WHERE key = 'room_name'", [name.strip()[:120]])
        tx.audit("update", "room", "room_name", {"room_name": before}, {"room_name": name})


# -- stages: rename (update_stage above), archive, restore, reorder ------------


def _set_archived(store: Store, stage_id: int, archived: bool, *, expected_version: int, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        before = _lookup.row(tx, "stages", stage_id)
        if bool(before["archived"]) == archived:
            state = "archived" if archived else "on the wall"
            raise InvalidInputError(f"The stage '{before['name']}' is already {state}.")
        tx.update_versioned("stages", stage_id, expected_version, {"archived": archived})
        tx.audit("archive" if archived else "restore", "stage", stage_id, before, _lookup.row(tx, "stages", stage_id))


def archive_stage(store: Store, stage_id: int, *, expected_version: int, actor: str) -> None:
    """Take a stage off the wall. Its complaints, KPIs, moments, calls and history all stay."""
    _set_archived(store, stage_id, True, expected_version=expected_version, actor=actor)


def restore_stage(store: Store, stage_id: int, *, expected_version: int, actor: str) -> None:
    """Put an archived stage back on the wall, at the position it had."""
    _set_archived(store, stage_id, False, expected_version=expected_version, actor=actor)


def reorder_stages(store: Store, order: NewOrder, *, actor: str) -> None:
    """Put the stages on the wall in this order (every stage on the wall, each at the version seen)."""
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        current = tx.fetch_dicts(
            "SELECT id, slug, position, version FROM stages WHERE NOT archived ORDER BY position, id"
        )
        _check_order(tx, "stages", current, order)
        _apply_order(tx, "stages", current, order)
        tx.audit(
            "reorder",
            "stage",
            None,
            {"order": [r["slug"] for r in current]},
            {"order": [r[0] for r in tx.fetch_all("SELECT slug FROM stages WHERE NOT archived ORDER BY position, id")]},
        )


def _check_order(tx: Tx, table: str, current: list[dict[str, object]], order: NewOrder) -> None:
    """The new order must name exactly the records there are now, each at the version the person saw."""
    by_id = {int(r["id"]): r for r in current}  # type: ignore[call-overload]
    wanted = {item.id for item in order.items}
    if wanted != set(by_id):
        raise ConflictError(
            f"The list of {table} changed since you opened it (someone added, archived or removed one); "
            "reload and order them again."
        )
    for item in order.items:
        if by_id[item.id]["version"] != item.expected_version:
            raise ConflictError(
                f"{table} #{item.id} was changed by someone else since you opened it; "
                "your new order was not saved. Reload and try again."
            )


def _apply_order(tx: Tx, table: str, current: list[dict[str, object]], order: NewOrder) -> None:
    positions = {int(r["id"]): r["position"] for r in current}  # type: ignore[call-overload]
    for position, item in enumerate(order.items):
        if positions[item.id] != position:
            tx.update_versioned(table, item.id, item.expected_version, {"position": position})


# -- moments of truth ------------------------------------------------------------


def update_moment(store: Store, moment_id: int, data: MomentEdit, *, expected_version: int, actor: str) -> None:
    """Rename a moment of truth, or change why it matters (its reliability changes with a reason)."""
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        before = _lookup.row(tx, "moments", moment_id)
        clash = tx.fetch_value(
            "SELECT count(*) FROM moments WHERE stage_id = ? AND lower(name) = lower(?) AND id <> ?",
            [before["stage_id"], data.name, moment_id],
        )
        if clash:
            raise InvalidInputError(f"This stage already has a moment called '{data.name}'.")
        tx.update_versioned("moments", moment_id, expected_version, data.model_dump())
        tx.audit("update", "moment", moment_id, before, _lookup.row(tx, "moments", moment_id))


def reorder_moments(store: Store, stage_id: int, order: NewOrder, *, actor: str) -> None:
    """Order the moments of truth of one stage (every moment of the stage, each at the version seen)."""
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        _lookup.row(tx, "stages", stage_id)
        current = tx.fetch_dicts(
            "SELECT id, name, position, version FROM moments WHERE stage_id = ? ORDER BY position, id", [stage_id]
        )
        _check_order(tx, "moments", current, order)
        _apply_order(tx, "moments", current, order)
        after = tx.fetch_dicts("SELECT name FROM moments WHERE stage_id = ? ORDER BY position, id", [stage_id])
        tx.audit(
            "reorder",
            "moment",
            None,
            {"stage_id": stage_id, "order": [r["name"] for r in current]},
            {"stage_id": stage_id, "order": [r["name"] for r in after]},
        )


# What may refer to a moment of truth or a silo. Tables of later migrations
# are checked only when they exist.
MOMENT_USES = (
    ("complaints", "moment_id", "complaints"),
    ("kpis", "moment_id", "KPIs"),
    ("artifacts", "moment_id", "artifacts"),
    ("calls", "moment_id", "calls"),
    ("category_rules", "moment_id", "category rules"),
    ("fixes", "moment_id", "fixes"),
    ("review_findings", "moment_id", "review findings"),
    ("review_agenda_items", "moment_id", "review agenda items"),
    ("review_snapshot_moments", "moment_id", "review snapshots"),
    ("review_snapshot_kpis", "moment_id", "review snapshots of KPIs"),
)
SILO_USES = (
    ("kpis", "silo_id", "KPIs"),
    ("fix_members", "silo_id", "fix team members"),
    ("stage_silos", "silo_id", "stage accountabilities"),
    ("moment_silos", "silo_id", "moment accountabilities"),
)


def _uses(db: Tx | Store, uses: tuple[tuple[str, str, str], ...], row_id: int) -> dict[str, int]:
    sql = "SELECT table_name FROM information_schema.tables"
    rows = db.fetch_all(sql) if isinstance(db, Tx) else db.execute(sql)
    tables = {r[0] for r in rows}
    found: dict[str, int] = {}
    for table, column, label in uses:
        if table not in tables:
            continue
        n = int(db.fetch_value(f"SELECT count(*) FROM {table} WHERE {column} = ?", [row_id]) or 0)
        if n:
            found[label] = found.get(label, 0) + n
    return found


def moment_uses(store: Store, moment_id: int) -> dict[str, int]:
    """What refers to a moment of truth (label -> count); empty when it may be deleted."""
    return _uses(store, MOMENT_USES, moment_id)


def delete_moment(store: Store, moment_id: int, *, expected_version: int, actor: str) -> None:
    """Delete a moment of truth that nothing refers to yet (a mistake, a duplicate).

    A moment with complaints, KPIs, evidence, fixes or review history is never
    deleted: that history would lose its moment. Rename it instead.
    """
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        before = _lookup.row(tx, "moments", moment_id)
        if before["version"] != expected_version:
            raise ConflictError(
                f"The moment '{before['name']}' was changed by someone else since you opened it; it was not deleted."
            )
        used = _uses(tx, MOMENT_USES, moment_id)
        if used:
            listed = ", ".join(f"{n:,} {label}" for label, n in used.items())
            raise InvalidInputError(
                f"The moment '{before['name']}' cannot be deleted: {listed} refer to it. Rename it instead."
            )
        history = tx.fetch_dicts("SELECT * FROM moment_state_history WHERE moment_id = ? ORDER BY id", [moment_id])
        links = tx.fetch_dicts("SELECT silo_id, role FROM moment_silos WHERE moment_id = ?", [moment_id])
        tx.execute("DELETE FROM moment_silos WHERE moment_id = ?", [moment_id])
        tx.execute("DELETE FROM moment_state_history WHERE moment_id = ?", [moment_id])
        tx.execute("DELETE FROM moments WHERE id = ?", [moment_id])
        tx.audit("delete", "moment", moment_id, {**before, "state_history": history, "silos": links}, None)


# -- silos ------------------------------------------------------------------------


def update_silo(store: Store, silo_id: int, data: SiloEdit, *, expected_version: int, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        before = _lookup.row(tx, "silos", silo_id)
        if tx.fetch_value("SELECT count(*) FROM silos WHERE lower(name) = lower(?) AND id <> ?", [data.name, silo_id]):
            raise InvalidInputError(f"A silo called '{data.name}' already exists.")
        tx.update_versioned("silos", silo_id, expected_version, data.model_dump())
        tx.audit("update", "silo", silo_id, before, _lookup.row(tx, "silos", silo_id))


def delete_silo(store: Store, silo_id: int, *, expected_version: int, actor: str) -> None:
    """Delete a silo nothing refers to (no accountability, KPI or fix member)."""
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        before = _lookup.row(tx, "silos", silo_id)
        if before["version"] != expected_version:
            raise ConflictError(f"The silo '{before['name']}' was changed by someone else; it was not deleted.")
        used = _uses(tx, SILO_USES, silo_id)
        if used:
            listed = ", ".join(f"{n:,} {label}" for label, n in used.items())
            raise InvalidInputError(f"The silo '{before['name']}' cannot be deleted: {listed} refer to it.")
        tx.execute("DELETE FROM silos WHERE id = ?", [silo_id])
        tx.audit("delete", "silo", silo_id, before, None)

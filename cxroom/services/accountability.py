"""Who is accountable: the links between silos and the stages and moments of truth they own or serve.

Like every room write, each change is one transaction that checks the acting user's
permission and leaves an audit entry; the stages x silos matrix is saved in one go and
refused whole if someone else changed a cell meanwhile.
"""

from __future__ import annotations

from cxroom.errors import ConflictError, NotFoundError
from cxroom.models import SiloRole
from cxroom.permissions import Action
from cxroom.services import _lookup
from cxroom.setup_models import AccountabilityChange
from cxroom.store import Store, Tx

# A silo's link to a stage or to a moment of truth: the same rules on two tables, so one statement
# each per kind, chosen from these (never built from input).
_LINK = {"stage": ("stage_silos", "stage_id"), "moment": ("moment_silos", "moment_id")}
UPSERT_LINK = {
    kind: f"INSERT INTO {table} ({column}, silo_id, role) VALUES (?, ?, ?) "
    f"ON CONFLICT ({column}, silo_id) DO UPDATE SET role = excluded.role"
    for kind, (table, column) in _LINK.items()
}
LINK_ROLE = {
    kind: f"SELECT role FROM {table} WHERE {column} = ? AND silo_id = ?" for kind, (table, column) in _LINK.items()
}
DELETE_LINK = {
    kind: f"DELETE FROM {table} WHERE {column} = ? AND silo_id = ?" for kind, (table, column) in _LINK.items()
}


def _set_link(tx: Tx, kind: str, owner_id: int, silo_name: str, role: SiloRole) -> None:
    silo = _lookup.silo_id(tx, silo_name)
    tx.execute(UPSERT_LINK[kind], [owner_id, silo, role.value])
    tx.audit("link", f"{kind}_silo", f"{owner_id}:{silo}", None, {"role": role.value})


def _remove_link(store: Store, kind: str, owner_id: int, silo_id: int, *, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        role = tx.fetch_value(LINK_ROLE[kind], [owner_id, silo_id])
        if role is None:
            raise NotFoundError(f"That silo is not accountable for that {kind} (perhaps someone removed it already).")
        tx.execute(DELETE_LINK[kind], [owner_id, silo_id])
        tx.audit("unlink", f"{kind}_silo", f"{owner_id}:{silo_id}", {"role": role}, None)


def set_stage_silo(store: Store, *, stage_slug: str, silo_name: str, role: SiloRole, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        _set_link(tx, "stage", _lookup.stage_id(tx, stage_slug), silo_name, role)


def set_moment_silo(store: Store, *, moment_id: int, silo_name: str, role: SiloRole, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        _lookup.row(tx, "moments", moment_id)
        _set_link(tx, "moment", moment_id, silo_name, role)


def remove_stage_silo(store: Store, *, stage_id: int, silo_id: int, actor: str) -> None:
    """The silo is no longer accountable for the stage."""
    _remove_link(store, "stage", stage_id, silo_id, actor=actor)


def remove_moment_silo(store: Store, *, moment_id: int, silo_id: int, actor: str) -> None:
    _remove_link(store, "moment", moment_id, silo_id, actor=actor)


def apply_accountability(store: Store, change: AccountabilityChange, *, actor: str) -> int:
    """Save edits of the stages x silos matrix in one go; returns the cells changed.

    Each cell carries the role the person saw: if the database holds another
    one now, someone else changed it meanwhile and nothing is saved.
    """
    changed = 0
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        for cell in change.cells:
            if cell.before == cell.after:
                continue
            stage = _lookup.row(tx, "stages", cell.stage_id)
            silo = _lookup.row(tx, "silos", cell.silo_id)
            now = tx.fetch_value(
                "SELECT role FROM stage_silos WHERE stage_id = ? AND silo_id = ?", [cell.stage_id, cell.silo_id]
            )
            seen = None if cell.before is None else cell.before.value
            if now != seen:
                raise ConflictError(
                    f"Someone else changed who is accountable for '{stage['name']}' ({silo['name']}: now "
                    f"{now or 'nothing'}) since you opened the matrix; nothing was saved. Reload and try again."
                )
            key = f"{cell.stage_id}:{cell.silo_id}"
            if cell.after is None:
                tx.execute("DELETE FROM stage_silos WHERE stage_id = ? AND silo_id = ?", [cell.stage_id, cell.silo_id])
                tx.audit("unlink", "stage_silo", key, {"role": seen}, None)
            else:
                tx.execute(
                    "INSERT INTO stage_silos (stage_id, silo_id, role) VALUES (?, ?, ?) "
                    "ON CONFLICT (stage_id, silo_id) DO UPDATE SET role = excluded.role",
                    [cell.stage_id, cell.silo_id, cell.after.value],
                )
                before = None if seen is None else {"role": seen}
                tx.audit("link", "stage_silo", key, before, {"role": cell.after.value})
            changed += 1
    return changed

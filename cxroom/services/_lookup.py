"""Resolve the names people use (stage slugs, moment and silo names) to ids
inside a write transaction, with a clear message when they do not exist."""

from __future__ import annotations

from cxroom.errors import NotFoundError
from cxroom.store import Tx


def stage_id(tx: Tx, slug: str) -> int:
    found = tx.fetch_value("SELECT id FROM stages WHERE slug = ?", [slug])
    if found is None:
        raise NotFoundError(f"There is no stage '{slug}'.")
    return int(found)


def moment_id(tx: Tx, stage: int, name: str | None) -> int | None:
    if name is None:
        return None
    found = tx.fetch_value("SELECT id FROM moments WHERE stage_id = ? AND name = ?", [stage, name])
    if found is None:
        raise NotFoundError(f"The stage has no moment of truth called '{name}'.")
    return int(found)


def place(tx: Tx, slug: str, moment_name: str | None) -> tuple[int, int | None]:
    """Where a record hangs: its stage (by slug) and, if named, that stage's moment of truth."""
    stage = stage_id(tx, slug)
    return stage, moment_id(tx, stage, moment_name)


def next_artifact_position(tx: Tx, stage: int) -> int:
    """The place after the stage's last artifact (a new or rehung artifact goes to the end)."""
    return int(tx.fetch_value("SELECT coalesce(max(position) + 1, 0) FROM artifacts WHERE stage_id = ?", [stage]))


def silo_id(tx: Tx, name: str) -> int:
    found = tx.fetch_value("SELECT id FROM silos WHERE lower(name) = lower(?)", [name])
    if found is None:
        raise NotFoundError(f"There is no silo '{name}'.")
    return int(found)


def row(tx: Tx, table: str, row_id: int) -> dict[str, object]:
    """One row as a dict (for the audit log's before/after)."""
    rows = tx.fetch_dicts(f"SELECT * FROM {table} WHERE id = ?", [row_id])
    if not rows:
        raise NotFoundError(f"{table} #{row_id} does not exist.")
    return rows[0]

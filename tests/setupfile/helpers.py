"""Helpers for the set-up file tests: table checksums (did anything change at all?)."""

from __future__ import annotations

from cxroom.store import Store


def checksums(store: Store) -> dict[str, tuple[int, str | None]]:
    """Row count and a hash of every row, per table (meta and the audit log included)."""
    found = {}
    for table in store.table_names():
        rows = "string_agg(CAST(t AS VARCHAR), chr(10) ORDER BY CAST(t AS VARCHAR))"
        found[table] = store.fetch_one(f'SELECT count(*), md5({rows}) FROM "{table}" t')
    return found

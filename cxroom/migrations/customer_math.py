"""Migration 12's Python step: the room's secret for hashing customer ids, and the kind
checks of the import tables taken off so that a new importable kind needs no schema change.

The secret is random per room (``secrets``), kept in ``meta``; a customer id is stored only
as a keyed hash of it (cxroom.importers.passes.movements), so someone holding the database
but not this secret cannot test guessed ids against the hashes, and rooms never share hashes.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any, Protocol

CUSTOMER_KEY = "customer_id_key"

# The registry of evidence kinds (cxroom.evidence_kinds) is the one list of importable kinds
# (the import service refuses any other), so the tables no longer repeat it in a CHECK.
_KIND_CHECKED_TABLES = ("import_batches", "source_mappings")
_KIND_CHECK = re.compile(r",\s*CHECK\s*\(\s*\(\s*kind\s+IN\s*\([^)]*\)\s*\)\s*\)", re.IGNORECASE)


def derived_keys(secret: str) -> tuple[str, str]:
    """The inner and outer keys of the nested keyed hash (HMAC's construction), from the room's secret."""
    return (
        hashlib.sha256(f"inner:{secret}".encode()).hexdigest(),
        hashlib.sha256(f"outer:{secret}".encode()).hexdigest(),
    )


def customer_key(secret: str, customer_id: str) -> str:
    """The stored key of a customer id: what the import pass computes in SQL, in Python (the demo)."""
    k_in, k_out = derived_keys(secret)
    inner = hashlib.sha256((k_in + customer_id).encode()).hexdigest()
    return hashlib.sha256((k_out + inner).encode()).hexdigest()


class Tx(Protocol):
    def execute(self, sql: str, params: Any = None) -> Any: ...

    def fetch_value(self, sql: str, params: Any = None) -> Any: ...


def add_room_secret(tx: Tx) -> None:
    tx.execute("INSERT INTO meta VALUES (?, ?) ON CONFLICT DO NOTHING", [CUSTOMER_KEY, secrets.token_hex(32)])


def drop_kind_checks(tx: Tx) -> None:
    """Rebuild each table from its own definition without the kind CHECK (DuckDB cannot drop
    a constraint); the rows and the column order are kept as they are."""
    for table in _KIND_CHECKED_TABLES:
        sql = str(tx.fetch_value("SELECT sql FROM duckdb_tables() WHERE table_name = ?", [table]) or "")
        stripped = _KIND_CHECK.sub("", sql)
        if not sql or stripped == sql:
            continue
        tx.execute(f"CREATE TEMP TABLE keep_{table} AS SELECT * FROM {table}")
        tx.execute(f"DROP TABLE {table}")
        tx.execute(stripped)
        tx.execute(f"INSERT INTO {table} SELECT * FROM keep_{table}")
        tx.execute(f"DROP TABLE keep_{table}")


def step(tx: Tx) -> None:
    add_room_secret(tx)
    drop_kind_checks(tx)

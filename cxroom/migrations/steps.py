"""Python steps of migrations, run inside the migration's transaction after its
SQL, and the masking of complaint verbatims that the inserts reuse.

Masking is Python (cxroom/privacy.py: check digits, several passes), so it runs
once per distinct text when complaints come in, never per query: the masked
roles' search, sort and export then run in DuckDB on ``verbatim_masked``. Texts
that hold neither a digit nor an ``@`` cannot hold an identifier the masker
knows; DuckDB copies those without calling Python.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import duckdb
import pandas as pd

from cxroom.migrations import customer_math
from cxroom.privacy import MAY_HOLD_IDENTIFIER, mask_personal_data

__all__ = ["STEPS", "fill_masked_verbatims", "masked_for_insert", "masked_sql", "masked_verbatims_table"]


class Tx(Protocol):
    """What these steps use of an open transaction (cxroom.store.Tx has it). A protocol, not an
    import of the store: the store runs the steps while it migrates, so the migrations sit below
    it and may not import it back."""

    cur: duckdb.DuckDBPyConnection

    def execute(self, sql: str, params: Any = None) -> Any: ...

    def fetch_all(self, sql: str, params: Any = None) -> list[tuple[Any, ...]]: ...

    def fetch_value(self, sql: str, params: Any = None) -> Any: ...


CHUNK_ROWS = 50_000


def masked_verbatims_table(tx: Tx, name: str, texts_sql: str, params: list[object] | None = None) -> int:
    """Create temp table ``name`` (verbatim, verbatim_masked), one row per distinct text of
    ``texts_sql`` (a SELECT of one VARCHAR column) that may hold an identifier; returns its rows.

    The texts are read and masked in chunks, so a million long narratives never sit in
    Python's memory at once."""
    tx.execute(f"DROP TABLE IF EXISTS {name}")
    tx.execute(f"CREATE TEMP TABLE {name} (verbatim VARCHAR, verbatim_masked VARCHAR)")
    tx.execute(f"DROP TABLE IF EXISTS {name}_in")
    tx.execute(
        f"CREATE TEMP TABLE {name}_in AS SELECT row_number() OVER () AS k, t AS verbatim "
        f"FROM (SELECT DISTINCT t FROM ({texts_sql}) s(t) WHERE t IS NOT NULL AND regexp_matches(t, ?))",
        [*(params or []), MAY_HOLD_IDENTIFIER],
    )
    total = int(tx.fetch_value(f"SELECT count(*) FROM {name}_in") or 0)
    for first in range(0, total, CHUNK_ROWS):
        texts = [
            t
            for (t,) in tx.fetch_all(
                f"SELECT verbatim FROM {name}_in WHERE k > ? AND k <= ? ORDER BY k", [first, first + CHUNK_ROWS]
            )
        ]
        frame = pd.DataFrame({"verbatim": texts, "verbatim_masked": [mask_personal_data(t) for t in texts]})
        tx.cur.register(f"{name}_chunk", frame)
        try:
            tx.execute(f"INSERT INTO {name} SELECT verbatim, verbatim_masked FROM {name}_chunk")
        finally:
            tx.cur.unregister(f"{name}_chunk")
    tx.execute(f"DROP TABLE {name}_in")
    return total


def masked_sql(raw: str, table_alias: str) -> str:
    """The masked text of ``raw`` (a column expression) given a LEFT JOIN of a
    masked_verbatims_table as ``table_alias`` on the text. A text that may hold an
    identifier but is missing from the table comes out NULL, never unmasked."""
    return (
        f"CASE WHEN {raw} IS NULL THEN NULL WHEN regexp_matches({raw}, '{MAY_HOLD_IDENTIFIER}') "
        f"THEN {table_alias}.verbatim_masked ELSE {raw} END"
    )


def masked_for_insert(tx: Tx, table: str, raw: str, alias: str = "mv", *, column: str = "verbatim") -> tuple[str, str]:
    """For an INSERT ... SELECT from ``table`` (its ``column`` appearing as ``raw``):
    the masked-text expression and the join it needs (survey comments pass ``column="comment"``).

    Every text of ``table`` that may hold an identifier is in the masked table (built
    from the same rows, in the same transaction), so a text missing from it is its own
    masked text: no regular expression per row, and no join at all when no text of the
    file holds a digit or an ``@``."""
    name = f"msk_{table}"
    if not masked_verbatims_table(tx, name, f"SELECT {column} FROM {table}"):
        return raw, ""
    return f"coalesce({alias}.verbatim_masked, {raw})", f" LEFT JOIN {name} {alias} ON {alias}.verbatim = {raw}"


def fill_masked_verbatims(tx: Tx, batch_id: int | None = None) -> int:
    """Fill ``verbatim_masked`` where it is missing (of one import batch, or all rows);
    returns how many rows were filled."""
    scope = "{c}verbatim_masked IS NULL AND {c}verbatim IS NOT NULL"
    params: list[object] = []
    if batch_id is not None:
        scope += " AND {c}batch_id = ?"
        params.append(int(batch_id))
    pending = int(tx.fetch_value(f"SELECT count(*) FROM complaints WHERE {scope.format(c='')}", params) or 0)
    if not pending:
        return 0
    masked_verbatims_table(tx, "fill_masked", f"SELECT verbatim FROM complaints WHERE {scope.format(c='')}", params)
    tx.execute(
        f"UPDATE complaints SET verbatim_masked = p.masked FROM ("
        f"SELECT c.id, {masked_sql('c.verbatim', 'm')} AS masked FROM complaints c "
        f"LEFT JOIN fill_masked m ON m.verbatim = c.verbatim WHERE {scope.format(c='c.')}) p "
        "WHERE complaints.id = p.id",
        params,
    )
    tx.execute("DROP TABLE fill_masked")
    return pending


STEPS: dict[int, Callable[[Tx], object]] = {7: fill_masked_verbatims, 12: customer_math.step}

"""The DuckDB store: one root connection per process, a cursor per call, one
execute() chokepoint, transactions, migrations and the data version used to
invalidate caches.

Why a cursor per call: DuckDB connections are not thread-safe, and every
Streamlit session runs in its own thread. Sharing one connection silently
returned another thread's rows in an experiment. ``con.cursor()`` gives each
call its own connection to the same database instance.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from cxroom.errors import ConflictError, DatabaseLockedError, NotFoundError, PermissionDeniedError, StoreError
from cxroom.permissions import SINGLE_USER_ACTOR, SYSTEM_ACTORS, Action, Role, built_in_role, can, needs_membership
from cxroom.scratch import clean_scratch
from cxroom.settings import auth_mode

Params = Sequence[Any] | dict[str, Any] | None

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def utcnow() -> datetime:
    """Naive UTC timestamp: DuckDB TIMESTAMP columns carry no zone."""
    return datetime.now(UTC).replace(tzinfo=None)


def _translate(exc: duckdb.Error, sql: str) -> Exception:
    """Turn a DuckDB error into the room's own error with a readable message."""
    text = str(exc).strip()
    first_line = text.splitlines()[0] if text else type(exc).__name__
    if isinstance(exc, duckdb.IOException) and "lock" in text.lower():
        holder = re.search(r"\(PID (\d+)\)", text)
        pid = int(holder.group(1)) if holder else None
        return DatabaseLockedError(
            f"The room's database is open in another process ({f'pid {pid}, ' if pid else ''}probably the running "
            "app). Stop that process, or make the change through the app.",
            pid=pid,
        )
    if isinstance(exc, duckdb.TransactionException) and "conflict" in text.lower():
        return ConflictError("Someone else changed the same record at the same moment; reload and try again.")
    if isinstance(exc, duckdb.ConstraintException):
        return StoreError(f"That would break a rule of the database: {first_line}")
    summary = " ".join(sql.split())[:120]
    return StoreError(f"{first_line} (while running: {summary})")


def migration_files() -> list[tuple[int, str, str]]:
    """The numbered migrations shipped in cxroom/migrations, in order."""
    found = []
    for entry in resources.files("cxroom.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


@dataclass
class Tx:
    """An open transaction on one cursor. Obtained from Store.transaction()."""

    store: Store
    cur: duckdb.DuckDBPyConnection
    actor: str

    def execute(self, sql: str, params: Params = None) -> duckdb.DuckDBPyConnection:
        return self.store._run(self.cur, sql, params)

    def fetch_all(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        return self.execute(sql, params).fetchall()

    def fetch_one(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        return self.execute(sql, params).fetchone()

    def fetch_value(self, sql: str, params: Params = None) -> Any:
        row = self.fetch_one(sql, params)
        return None if row is None else row[0]

    def fetch_dicts(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        result = self.execute(sql, params)
        names = [d[0] for d in result.description or []]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]

    def fetch_df(self, sql: str, params: Params = None) -> pd.DataFrame:
        """A read inside the transaction (it sees the transaction's own writes), as the store's."""
        return self.execute(sql, params).df()

    def update_versioned(self, table: str, row_id: int, expected_version: int, values: dict[str, Any]) -> None:
        """UPDATE one row only if nobody changed it since it was read.

        ``table`` and the column names come from the services' own code, never
        from user input; the values are bound parameters.
        """
        assignments = ", ".join(f"{col} = ?" for col in values)
        sql = f"UPDATE {table} SET {assignments}, version = version + 1 WHERE id = ? AND version = ?"
        changed = self.fetch_value(sql, [*values.values(), row_id, expected_version])
        if not changed:
            exists = self.fetch_value(f"SELECT count(*) FROM {table} WHERE id = ?", [row_id])
            if not exists:
                raise NotFoundError(f"{table} #{row_id} does not exist (it may have been deleted).")
            raise ConflictError(
                f"{table} #{row_id} was changed by someone else since you opened it; "
                "your edit was not saved. Reload to see their change, then apply yours."
            )

    def require(self, action: Action, *, fix_id: int | None = None) -> None:
        """Refuse the whole transaction unless the acting user may do ``action``."""
        if self.actor in SYSTEM_ACTORS:
            return
        if not self.actor.strip():
            raise PermissionDeniedError("A change must say who makes it; this one names nobody, so it was refused.")
        mode = auth_mode()
        built_in = built_in_role(self.actor, mode)
        if self.actor == SINGLE_USER_ACTOR and built_in is None:
            # "local" is single-user mode's person (see cxroom.permissions); behind a sign-in it is
            # the fallback of a page that does not know who is acting, and acts for nobody.
            raise PermissionDeniedError(
                f"'{SINGLE_USER_ACTOR}' acts only in single-user mode, and this room signs people in "
                f"(CXROOM_AUTH={mode}): the change was refused. Sign in and try again."
            )
        found = (
            None
            if built_in
            else self.fetch_one("SELECT role, display_name FROM users WHERE lower(email) = lower(?)", [self.actor])
        )
        role = built_in or (Role(found[0]) if found else Role.VIEWER)
        if can(role, action):
            if not needs_membership(role, action):
                return
            names = [self.actor, found[1]] if found else [self.actor]
            member = self.fetch_value(
                "SELECT count(*) FROM fixes f LEFT JOIN fix_members m ON m.fix_id = f.id "
                "WHERE f.id = ? AND (lower(m.person) IN (SELECT lower(unnest(?))) "
                "OR lower(f.lead) IN (SELECT lower(unnest(?))))",
                [fix_id, names, names],
            )
            if member:
                return
            raise PermissionDeniedError(f"{self.actor} is not a member of fix #{fix_id}, so may not change it.")
        raise PermissionDeniedError(f"{self.actor} ({role.value}) may not do '{action.value}' in this room.")

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: Any,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        self.execute(
            "INSERT INTO audit_log (happened_at, actor, action, entity, entity_id, before, after) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                utcnow(),
                self.actor,
                action,
                entity,
                None if entity_id is None else str(entity_id),
                None if before is None else json.dumps(before, default=str, ensure_ascii=False),
                None if after is None else json.dumps(after, default=str, ensure_ascii=False),
            ],
        )


class Store:
    """The room's database. Create one per process (see ``open_store``)."""

    def __init__(self, path: Path | str, *, read_only: bool = False, migrate_to: int | None = None) -> None:
        self.path = Path(path)
        self.read_only = read_only
        if str(path) != ":memory:":
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"Cannot create the folder for {self.path}: {exc.strerror}") from exc
        try:
            self._root = duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            raise _translate(exc, "connect") from exc
        # Write transactions are serialised within the process: every commit
        # bumps the one data_version row, and DuckDB answers concurrent writes
        # to the same row with a conflict error. Readers never wait.
        self._write_lock = threading.RLock()
        self._version_cache: int | None = None
        if not read_only:
            self.migrate(up_to=migrate_to)
            if str(path) != ":memory:":
                clean_scratch(self.path)  # what a killed import or upload left next to the database

    # -- the chokepoint -------------------------------------------------
    def _run(self, cur: duckdb.DuckDBPyConnection, sql: str, params: Params) -> duckdb.DuckDBPyConnection:
        try:
            if params is None:
                return cur.execute(sql)
            return cur.execute(sql, params)
        except duckdb.Error as exc:
            raise _translate(exc, sql) from exc

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._root.cursor()

    def execute(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        """Run one read statement on a fresh cursor and return all rows."""
        cur = self.cursor()
        try:
            return self._run(cur, sql, params).fetchall()
        finally:
            cur.close()

    def fetch_one(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        rows = self.execute(sql, params)
        return rows[0] if rows else None

    def fetch_value(self, sql: str, params: Params = None) -> Any:
        row = self.fetch_one(sql, params)
        return None if row is None else row[0]

    def fetch_df(self, sql: str, params: Params = None) -> pd.DataFrame:
        cur = self.cursor()
        try:
            return self._run(cur, sql, params).df()
        finally:
            cur.close()

    def fetch_dicts(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        cur = self.cursor()
        try:
            result = self._run(cur, sql, params)
            names = [d[0] for d in result.description or []]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
        finally:
            cur.close()

    # -- writes ---------------------------------------------------------
    @contextmanager
    def transaction(self, actor: str = "system") -> Iterator[Tx]:
        """One write transaction: all of it commits, or none of it.

        Every committed transaction bumps the data version, which the UI uses
        to invalidate its caches.
        """
        cur = self.cursor()
        self._write_lock.acquire()
        try:
            self._run(cur, "BEGIN TRANSACTION", None)
            tx = Tx(self, cur, actor)
            try:
                yield tx
                self._run(
                    cur,
                    "UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'",
                    None,
                )
                self._run(cur, "COMMIT", None)
            except BaseException as exc:
                # DuckDB may already have aborted the transaction itself.
                with contextlib.suppress(duckdb.Error):
                    cur.execute("ROLLBACK")
                if isinstance(exc, PermissionDeniedError):
                    self._log_refusal(cur, actor, str(exc))
                raise
        finally:
            self._write_lock.release()
            cur.close()

    def _log_refusal(self, cur: duckdb.DuckDBPyConnection, actor: str, message: str) -> None:
        """A refused write leaves a trace in the audit log (the write itself rolled back)."""
        self._run(
            cur,
            "INSERT INTO audit_log (happened_at, actor, action, entity, entity_id, before, after) "
            "VALUES (?, ?, 'refused', 'permission', NULL, NULL, ?)",
            [utcnow(), actor, json.dumps({"message": message})],
        )

    def data_version(self) -> int:
        """A number that changes whenever committed data changes."""
        value = self.fetch_value("SELECT value FROM meta WHERE key = 'data_version'")
        return int(value or 0)

    # -- schema ---------------------------------------------------------
    def schema_version(self) -> int:
        exists = self.fetch_value(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        )
        if not exists:
            return 0
        return int(self.fetch_value("SELECT coalesce(max(version), 0) FROM schema_migrations"))

    def applied_migrations(self) -> set[int]:
        """The numbers recorded in schema_migrations (empty for a new file)."""
        exists = self.fetch_value(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
        )
        if not exists:
            return set()
        return {int(v) for (v,) in self.execute("SELECT version FROM schema_migrations")}

    def migrate(self, up_to: int | None = None) -> list[int]:
        """Apply, in order, every shipped migration whose number is not recorded; safe to call again.

        By set, not by the highest number: branches merged in another order than they were
        numbered (or a migration renumbered into a gap) leave a room with 1-5 and 7 recorded,
        and 6 must still be applied to it."""
        applied: list[int] = []
        with self._write_lock:
            recorded = self.applied_migrations()
            for number, name, sql in migration_files():
                if number in recorded or (up_to is not None and number > up_to):
                    continue
                cur = self.cursor()
                try:
                    self._run(cur, "BEGIN TRANSACTION", None)
                    for statement in _split_sql(sql):
                        self._run(cur, statement, None)
                    # A migration may have a Python step (data only SQL cannot make, such as
                    # masked text); imported here, when a migration is due, not on every open.
                    from cxroom.migrations.steps import STEPS

                    if number in STEPS:
                        STEPS[number](Tx(self, cur, "system"))
                    self._run(
                        cur,
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                        [number, name, utcnow()],
                    )
                    self._run(cur, "COMMIT", None)
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
                finally:
                    cur.close()
                applied.append(number)
        return applied

    def table_names(self) -> list[str]:
        rows = self.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
        )
        return [r[0] for r in rows]

    def checkpoint(self) -> None:
        cur = self.cursor()
        try:
            self._run(cur, "CHECKPOINT", None)
        finally:
            cur.close()

    def close(self) -> None:
        self._root.close()


def _split_sql(script: str) -> list[str]:
    """Split a migration on ';' at line ends (migrations contain no ';' in strings)."""
    lines = [ln for ln in script.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";\n") if s.strip().strip(";")]


_stores: dict[str, Store] = {}
_stores_lock = threading.Lock()


def open_store(path: Path | str) -> Store:
    """The process-wide Store for a path (one root connection per process)."""
    key = str(Path(path).resolve()) if str(path) != ":memory:" else ":memory:"
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = Store(path)
            _stores[key] = store
        return store


def close_all() -> None:
    """Close every process-wide store (tests and the CLI use this)."""
    with _stores_lock:
        for store in _stores.values():
            store.close()
        _stores.clear()

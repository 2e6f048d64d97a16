"""The store on a real DuckDB file: migrations, round trips, errors,
transactions, optimistic concurrency and many threads at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from cxroom.errors import ConflictError, InvalidInputError, NotFoundError, StoreError
from cxroom.models import SiloCreate, StageCreate, StageUpdate
from cxroom.permissions import Role
from cxroom.services import room, trust
from cxroom.store import Store, _split_sql, migration_files

LEILA, ANNA, BEN = "leila@room.test", "anna@room.test", "ben@room.test"


@pytest.fixture(autouse=True)
def _facilitators(request: pytest.FixtureRequest) -> None:
    """The people these tests act as may edit the room."""
    if "empty_store" not in request.fixturenames:
        return
    store = request.getfixturevalue("empty_store")
    people = [LEILA, ANNA, BEN, *[f"t{n}@room.test" for n in range(8)], *[f"user{n}@room.test" for n in range(8)]]
    for email in people:
        trust.set_user_role(store, email=email, display_name=email.split("@")[0], role=Role.FACILITATOR, actor="cli")


def test_migrations_are_numbered_and_applied_once(tmp_path: Path) -> None:
    numbers = [number for number, _, _ in migration_files()]
    assert numbers == sorted(numbers) and numbers[0] == 1 and len(set(numbers)) == len(numbers)
    store = Store(tmp_path / "a.duckdb")
    assert store.schema_version() == numbers[-1]
    assert store.migrate() == []  # idempotent: nothing left to apply
    tables = store.table_names()
    store.close()
    again = Store(tmp_path / "a.duckdb")
    assert again.table_names() == tables
    assert again.fetch_value("SELECT count(*) FROM schema_migrations") == len(numbers)
    again.close()


def test_upgrade_from_the_previous_version_keeps_data(tmp_path: Path) -> None:
    latest = migration_files()[-1][0]
    old = Store(tmp_path / "b.duckdb", migrate_to=max(latest - 1, 1))
    room.create_stage(old, StageCreate(slug="pay", name="Pay"), actor="cli")
    old.close()
    upgraded = Store(tmp_path / "b.duckdb")
    assert upgraded.schema_version() == latest
    assert upgraded.fetch_value("SELECT name FROM stages WHERE slug = 'pay'") == "Pay"
    upgraded.close()


def test_migrations_are_applied_by_set_not_by_the_highest_number(tmp_path: Path) -> None:
    """A room that recorded 1-5 and 7 (7 merged before 6 was numbered) gets 6 applied, and 7 not again."""
    shipped = {number: (name, sql) for number, name, sql in migration_files()}
    path = tmp_path / "gap.duckdb"
    old = Store(path, migrate_to=5)
    cur = old.cursor()
    name, sql = shipped[7]
    for statement in _split_sql(sql):
        cur.execute(statement)
    cur.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (7, ?, now())", [name])
    cur.close()
    assert old.applied_migrations() == {1, 2, 3, 4, 5, 7}
    old.close()
    upgraded = Store(path)
    assert upgraded.applied_migrations() == set(shipped)
    # 6's table and column are there; 7 was not applied a second time (one row each)
    assert "kpi_readings_superseded" in upgraded.table_names()
    columns = {
        c
        for (c,) in upgraded.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'import_rejects'"
        )
    }
    assert "values_only" in columns
    assert upgraded.fetch_value("SELECT count(*) FROM schema_migrations WHERE version = 7") == 1
    assert upgraded.migrate() == []
    upgraded.close()


def test_migrate_up_to_skips_later_numbers_but_fills_earlier_gaps(tmp_path: Path) -> None:
    path = tmp_path / "up_to.duckdb"
    Store(path, migrate_to=3).close()
    store = Store(path, read_only=False, migrate_to=3)
    assert store.applied_migrations() == {1, 2, 3}
    store.execute("DELETE FROM schema_migrations WHERE version = 2")
    assert store.migrate(up_to=4) == [2, 4]
    store.close()


def test_round_trip_and_audit(empty_store: Store) -> None:
    stage_id = room.create_stage(
        empty_store, StageCreate(slug="claim", name="Make a claim", customer_goal="Pay me fast"), actor=LEILA
    )
    row = empty_store.fetch_dicts("SELECT * FROM stages WHERE id = ?", [stage_id])[0]
    assert (row["slug"], row["name"], row["customer_goal"], row["version"]) == (
        "claim",
        "Make a claim",
        "Pay me fast",
        1,
    )
    room.update_stage(empty_store, stage_id, StageUpdate(name="Claim"), expected_version=1, actor=LEILA)
    audit = empty_store.fetch_dicts(
        "SELECT actor, action, entity, before, after FROM audit_log WHERE entity <> 'user' ORDER BY id"
    )
    assert [(a["actor"], a["action"], a["entity"]) for a in audit] == [
        (LEILA, "create", "stage"),
        (LEILA, "update", "stage"),
    ]
    assert '"Make a claim"' in audit[1]["before"] and '"Claim"' in audit[1]["after"]


def test_data_version_moves_on_every_commit_and_not_on_rollback(empty_store: Store) -> None:
    before = empty_store.data_version()
    room.create_silo(empty_store, SiloCreate(name="Claims"), actor="cli")
    assert empty_store.data_version() == before + 1
    with pytest.raises(InvalidInputError):
        room.create_silo(empty_store, SiloCreate(name="claims"), actor="cli")
    assert empty_store.data_version() == before + 1


def test_a_failing_transaction_leaves_nothing_behind(empty_store: Store) -> None:
    with pytest.raises(RuntimeError), empty_store.transaction("t") as tx:
        tx.execute("INSERT INTO silos (name) VALUES ('Half')")
        raise RuntimeError("crash mid-write")
    assert empty_store.fetch_value("SELECT count(*) FROM silos") == 0


def test_database_errors_become_readable_store_errors(empty_store: Store) -> None:
    with pytest.raises(StoreError) as exc:
        empty_store.execute("SELECT * FROM no_such_table")
    assert "no_such_table" in str(exc.value)
    with pytest.raises(StoreError) as exc, empty_store.transaction("t") as tx:
        tx.execute("INSERT INTO stages (slug, name, position) VALUES ('a', 'A', 0)")
        tx.execute("INSERT INTO stages (slug, name, position) VALUES ('a', 'B', 1)")
    assert "rule of the database" in str(exc.value)


def test_a_stale_edit_gets_a_conflict_not_an_overwrite(empty_store: Store) -> None:
    stage_id = room.create_stage(empty_store, StageCreate(slug="pay", name="Pay"), actor="cli")
    room.update_stage(empty_store, stage_id, StageUpdate(name="Pay us"), expected_version=1, actor=ANNA)
    with pytest.raises(ConflictError) as exc:
        room.update_stage(empty_store, stage_id, StageUpdate(name="Billing"), expected_version=1, actor=BEN)
    assert "changed by someone else" in str(exc.value)
    assert empty_store.fetch_value("SELECT name FROM stages WHERE id = ?", [stage_id]) == "Pay us"
    with pytest.raises(NotFoundError):
        room.update_stage(empty_store, 999, StageUpdate(name="X"), expected_version=1, actor=BEN)


def test_eight_threads_read_and_write_without_losing_or_mixing_rows(empty_store: Store) -> None:
    threads, per_thread = 8, 40
    errors: list[BaseException] = []
    wrong: list[str] = []

    def work(n: int) -> None:
        try:
            for i in range(per_thread):
                name = f"silo-{n}-{i}"
                room.create_silo(empty_store, SiloCreate(name=name, description=f"thread {n}"), actor=f"t{n}@room.test")
                # Read back through another cursor: must see our own row, and only ours.
                got = empty_store.execute("SELECT name, description FROM silos WHERE name = ?", [name])
                if got != [(name, f"thread {n}")]:
                    wrong.append(f"{name}: {got}")
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == [] and wrong == []
    assert empty_store.fetch_value("SELECT count(*) FROM silos") == threads * per_thread
    assert empty_store.fetch_value("SELECT count(DISTINCT name) FROM silos") == threads * per_thread
    assert empty_store.fetch_value("SELECT count(*) FROM audit_log WHERE entity = 'silo'") == threads * per_thread


def test_same_record_edit_race_has_exactly_one_winner(empty_store: Store) -> None:
    stage_id = room.create_stage(empty_store, StageCreate(slug="renew", name="Renew"), actor="cli")
    barrier = threading.Barrier(8)
    outcomes: list[str] = []
    lock = threading.Lock()

    def edit(n: int) -> None:
        barrier.wait()
        try:
            room.update_stage(
                empty_store, stage_id, StageUpdate(name=f"Renew {n}"), expected_version=1, actor=f"user{n}@room.test"
            )
            result = f"won:{n}"
        except ConflictError:
            result = "conflict"
        with lock:
            outcomes.append(result)

    workers = [threading.Thread(target=edit, args=(n,)) for n in range(8)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    winners = [o for o in outcomes if o.startswith("won")]
    assert len(winners) == 1 and outcomes.count("conflict") == 7
    name, version = empty_store.fetch_one("SELECT name, version FROM stages WHERE id = ?", [stage_id])
    assert name == f"Renew {winners[0].split(':')[1]}" and version == 2
    assert empty_store.fetch_value("SELECT count(*) FROM audit_log WHERE action = 'update' AND entity = 'stage'") == 1

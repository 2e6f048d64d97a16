"""Customer movements imported from a realistic churn export: counts against the truth the
export was written from, dirty rows quarantined with their reasons, duplicates, undo, the
keyed hash of customer ids, reasons mapped to stages by the category rules, and the
reconciliation of in - out with the stated active customers."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

import pytest

from cxroom.models import CategoryRuleCreate
from cxroom.queries.customer_math import load_customer_math
from cxroom.services import evidence
from cxroom.services.imports import import_file, undo_batch
from cxroom.store import Store
from tests.customer_math.churn_export import DIRTY, write_churn_export
from tests.importers.helpers import add_stages

START = date(2025, 1, 1)


@pytest.fixture
def room(empty_store: Store) -> Store:
    return add_stages(empty_store)


def test_a_churn_export_is_imported_and_its_dirty_rows_quarantined(room: Store, tmp_path: Path) -> None:
    truth = write_churn_export(tmp_path / "crm_churn.csv")
    report = import_file(room, kind="movements", path=tmp_path / "crm_churn.csv", actor="system")
    assert report.committed and report.balanced
    assert report.rows_imported == truth.good_rows
    assert report.rows_rejected == truth.dirty_rows + truth.bad_date_rows
    assert report.date_format == "DD/MM/YYYY"
    by_column = {e["column"] for e in report.errors}
    assert by_column == {col for _cells, col in DIRTY} | {"Event date"}
    messages = " | ".join(e["message"] for e in report.errors)
    assert "'Vanished'" in messages and "'twelve hundred'" in messages and "'-450'" in messages
    stored = {
        (row[0], row[1]): (int(row[2]), float(row[3]))
        for row in room.execute(
            "SELECT date_trunc('month', moved_at)::DATE, movement, count(*), sum(value) FROM customer_movements "
            "GROUP BY ALL"
        )
    }
    assert stored == {k: (n, truth.values[k]) for k, n in truth.counts.items()}
    rejects = room.fetch_value("SELECT count(*) FROM import_rejects WHERE batch_id = ?", [report.batch_id])
    assert rejects == report.rows_rejected


def test_customer_ids_are_stored_only_as_a_keyed_hash(room: Store, tmp_path: Path, tmp_settings) -> None:  # type: ignore[no-untyped-def]
    truth = write_churn_export(tmp_path / "crm_churn.csv", months=2)
    import_file(room, kind="movements", path=tmp_path / "crm_churn.csv", actor="system")
    dump = " ".join(str(v) for row in room.execute("SELECT * FROM customer_movements") for v in row) + " ".join(
        str(r) for r in room.execute("SELECT raw FROM import_rejects")
    )
    assert not [cid for cid in set(truth.customer_ids) if cid in dump]
    assert "C-9002" not in dump and "C-9003" not in dump  # quarantined rows keep the hash, not the id
    # A plain sha256 of a guessed id does not find the customer.
    keys = {r[0] for r in room.execute("SELECT customer_key FROM customer_movements")}
    assert hashlib.sha256(truth.customer_ids[0].encode()).hexdigest() not in keys
    # The same customer has the same key on every import to this room, and another room's key differs.
    other = Store(tmp_path / "other.duckdb")
    other.migrate()
    add_stages(other)
    import_file(other, kind="movements", path=tmp_path / "crm_churn.csv", actor="system")
    mine = dict(room.execute("SELECT external_id, customer_key FROM customer_movements"))
    theirs = dict(other.execute("SELECT external_id, customer_key FROM customer_movements"))
    assert mine.keys() == theirs.keys()
    assert all(mine[k] != theirs[k] for k in mine)
    first, last = truth.customer_ids[0], truth.customer_ids[0]
    assert first == last


def test_the_same_export_twice_adds_nothing_and_undo_takes_a_batch_out(room: Store, tmp_path: Path) -> None:
    path = tmp_path / "crm_churn.csv"
    truth = write_churn_export(path, months=3)
    first = import_file(room, kind="movements", path=path, actor="system")
    again = import_file(room, kind="movements", path=path, actor="system")
    assert again.rows_imported == 0 and again.rows_duplicate == truth.good_rows and again.balanced
    # Without an event id column, rows are recognised by what they say.
    no_ids = tmp_path / "no_ids.csv"
    with path.open() as src, no_ids.open("w", newline="") as dst:
        rows = list(csv.reader(src))
        csv.writer(dst).writerows([r[1:] for r in rows])
    once = import_file(room, kind="movements", path=no_ids, source="no-ids", actor="system")
    twice = import_file(room, kind="movements", path=no_ids, source="no-ids", actor="system")
    assert once.rows_imported == truth.good_rows and twice.rows_imported == 0
    removed = undo_batch(room, batch_id=first.batch_id or 0, actor="system")
    assert removed["customer_movements"] == truth.good_rows
    assert room.fetch_value("SELECT count(*) FROM customer_movements WHERE source = 'crm_churn'") == 0
    # Every import states the active customers again; once all are undone, none is read.
    assert any(m.active_end for m in load_customer_math(room, date(2025, 3, 1)).months)
    for batch in (again, once, twice):
        undo_batch(room, batch_id=batch.batch_id or 0, actor="system")
    math = load_customer_math(room, date(2025, 3, 1))
    assert all(m.active_end is None for m in math.months)


def test_reasons_go_to_stages_by_the_category_rules(room: Store, tmp_path: Path) -> None:
    for reason, stage in (("Renewal price increase", "renew"), ("Claim payment delay", "claim")):
        evidence.create_category_rule(room, CategoryRuleCreate(category=reason, stage_slug=stage), actor="system")
    write_churn_export(tmp_path / "crm_churn.csv")
    report = import_file(room, kind="movements", path=tmp_path / "crm_churn.csv", actor="system")
    mapped = dict(
        room.execute(
            "SELECT m.reason, any_value(s.slug) FROM customer_movements m JOIN stages s ON s.id = m.stage_id GROUP BY 1"
        )
    )
    assert mapped == {"Renewal price increase": "renew", "Claim payment delay": "claim"}
    unmapped = {u["category"] for u in report.unmapped_categories}
    assert unmapped == {"Long wait on phone", "Bill higher than quoted", "Moved abroad"}


def test_in_minus_out_reconciles_with_the_stated_active_customers(room: Store, tmp_path: Path) -> None:
    truth = write_churn_export(tmp_path / "crm_churn.csv", months=6)
    import_file(room, kind="movements", path=tmp_path / "crm_churn.csv", actor="system")
    months = {m.month: m for m in load_customer_math(room, date(2025, 6, 1)).months}
    checked = 0
    for month, active in truth.active_end.items():
        m = months[month]
        assert m.active_end == active
        if m.active_start is not None:
            assert m.customers_in - m.customers_out == active - m.active_start
            assert m.reconciliation_gap == 0
            checked += 1
    assert checked == 5
    # A lost customer the export leaves out shows as a gap of one in its month.
    path = tmp_path / "missing_one.csv"
    rows = list(csv.reader((tmp_path / "crm_churn.csv").open()))
    march_lost = next(i for i, r in enumerate(rows) if r[1].endswith("/03/2025") and r[3] == "Churned")
    path.write_text("\n".join(",".join(f'"{c}"' for c in r) for i, r in enumerate(rows) if i != march_lost) + "\n")
    second = Store(tmp_path / "second.duckdb")
    second.migrate()
    import_file(second, kind="movements", path=path, actor="system")
    gaps = {m.month: m.reconciliation_gap for m in load_customer_math(second, date(2025, 6, 1)).months}
    assert gaps[date(2025, 3, 1)] == -1
    assert gaps[date(2025, 4, 1)] == 0


def test_a_churn_export_dropped_in_the_inbox_is_imported_with_its_saved_mapping(tmp_path: Path) -> None:
    from cxroom.inbox.layout import InboxLayout
    from cxroom.inbox.worker import InboxWorker
    from cxroom.store import close_all, open_store
    from tests.inbox.helpers import drop, reports, room_with_stages
    from tests.inbox.test_inbox_worker import run_until_idle

    settings = room_with_stages(tmp_path / "room", inbox_settle_s=0.3)
    try:
        truth = write_churn_export(tmp_path / "crm_churn.csv", months=3)
        layout = InboxLayout(settings.inbox_path)
        assert layout.drop("movements").name == "movements"  # the folder is the registry's kind
        worker = InboxWorker(lambda: settings, poll_s=0)
        drop(layout, "movements", tmp_path / "crm_churn.csv", options={"source": "CRM"})
        run_until_idle(worker)
        [report] = reports(layout, "done")
        assert report["rows_imported"] == truth.good_rows and report["source"] == "CRM"
        store = open_store(settings.db_path)
        assert store.fetch_value("SELECT count(*) FROM customer_movements WHERE source = 'CRM'") == truth.good_rows
        saved = store.fetch_value("SELECT mapping FROM source_mappings WHERE kind = 'movements' AND source = 'CRM'")
        assert '"customer_id": "Customer ID"' in saved  # next month's export of this source reads the same way
    finally:
        close_all()

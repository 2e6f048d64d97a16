"""Reads for Listening: batches, quarantine (and its CSV), unmapped categories, rules, saved mappings."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from cxroom.models import CategoryRuleCreate
from cxroom.queries import imports as q
from cxroom.services import evidence
from cxroom.services.imports import import_file, undo_batch
from cxroom.store import Store
from tests.importers.helpers import add_stages, cfpb, csv_rows, write


@pytest.fixture
def loaded(empty_store: Store) -> Store:
    add_stages(empty_store)
    import_file(empty_store, kind="complaints", path=cfpb("cfpb_boa_sample.csv"), source="boa", actor="system")
    return empty_store


def test_batches_list_newest_first_with_counts(loaded: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "id,Date received,Issue\n1,2024-01-01,A\n2,bad,B\n")
    import_file(loaded, kind="complaints", path=path, source="x", actor="system")
    frame = q.batches(loaded)
    assert frame["source"].tolist() == ["x", "boa"]
    assert frame.iloc[0][["rows_read", "rows_imported", "rows_rejected"]].tolist() == [2, 1, 1]
    assert q.quarantine_count(loaded, int(frame.iloc[0]["id"])) == 1
    assert q.quarantine_count(loaded, int(frame.iloc[1]["id"])) == 0


def test_unmapped_categories_with_counts_match_the_file(loaded: Store) -> None:
    header, rows = csv_rows(cfpb("cfpb_boa_sample.csv"))
    issue = header.index("issue")
    unmapped = q.unmapped_categories(loaded, source="boa")
    per_category = unmapped.groupby("category")["complaints"].sum().to_dict()
    expected: dict[str, int] = {}
    for r in rows:
        expected[r[issue]] = expected.get(r[issue], 0) + 1
    assert per_category == expected
    assert q.unmapped_total(loaded) == 438
    evidence.create_category_rule(
        loaded, CategoryRuleCreate(category="Managing an account", stage_slug="pay"), actor="system"
    )
    assert q.unmapped_total(loaded) == 438 - expected["Managing an account"]
    rules = q.category_rules(loaded)
    assert rules.iloc[0][["category", "stage_slug", "complaints"]].tolist() == [
        "Managing an account",
        "pay",
        expected["Managing an account"],
    ]
    counts = q.complaints_per_stage(loaded).set_index("slug")["complaints"].to_dict()
    assert counts["pay"] == expected["Managing an account"]


def test_quarantine_frame_and_csv(empty_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "q.csv", 'id,Date received,Issue\n1,=cmd|"/c calc"!A1,x\n2,2024-01-01\n3,2024-01-02,ok\n')
    report = import_file(empty_store, kind="complaints", path=path, source="q", actor="system")
    frame = q.quarantine(empty_store, report.batch_id)
    assert frame["row"].tolist() == [1, 2]
    assert frame.iloc[0]["Date received"] == '=cmd|"/c calc"!A1'
    assert "fewer columns" in frame.iloc[1]["reason"]
    rows = list(csv.reader(io.StringIO(q.quarantine_csv(empty_store, report.batch_id).decode("utf-8-sig"))))
    assert rows[0] == ["row", "column", "reason", "id", "Date received", "Issue", "raw record"]
    assert rows[1][4] == '\'=cmd|"/c calc"!A1'
    assert rows[2][-1] == "2,2024-01-01"


def test_saved_mappings_and_sources(loaded: Store) -> None:
    saved = q.saved_mapping(loaded, kind="complaints", source="boa")
    assert saved is not None and saved["category"] == "issue"
    assert q.saved_mappings(loaded)["source"].tolist() == ["boa"]
    assert q.complaint_sources(loaded) == ["boa"]
    assert q.stage_choices(loaded)[0][0] == "shop"
    batch_id = int(q.batches(loaded).iloc[0]["id"])
    undo_batch(loaded, batch_id=batch_id, actor="system")
    assert q.batch(loaded, batch_id)["status"] == "undone"
    assert q.batch(loaded, 999) is None

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
    assert rows[0] == ["row", "column", "reason", "outcome", "id", "Date received", "Issue", "raw record"]
    assert [r[3] for r in rows[1:]] == ["row not imported", "row not imported"]
    assert rows[1][5] == '\'=cmd|"/c calc"!A1'
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


def test_quarantine_tells_skipped_values_from_rows_not_imported(empty_store: Store, tmp_path: Path) -> None:
    """A survey with two bad ratings in one row (row kept for its good answer), one in another,
    and a row with nothing good (not imported): each says what became of it, in the view and the CSV."""
    add_stages(empty_store)
    path = write(tmp_path / "s.csv", "id,Seat comfort,Food\n1,5,4\n2,x,4\n3,x,9\n4,9,x\n5,y,3\n")
    mapping = {
        "survey": "cabin",
        "response_id": "id",
        "fixed_period": "2024-05",
        "questions": {"Seat comfort": "csat", "Food": "csat"},
    }
    report = import_file(empty_store, kind="surveys", path=path, mapping=mapping, actor="system")
    assert (report.rows_imported, report.rows_rejected, report.values_rejected) == (3, 2, 2)
    frame = q.quarantine(empty_store, report.batch_id)
    outcome = dict(zip(frame["row"], frame["outcome"], strict=True))
    assert outcome == {
        2: "value skipped, row imported",
        3: "row not imported",
        4: "row not imported",
        5: "value skipped, row imported",
    }
    assert frame.set_index("row").loc[2, "Seat comfort"] == "x"
    counts = q.quarantine_counts(empty_store, report.batch_id)
    assert counts == {"rows_not_imported": 2, "rows_with_values_skipped": 2, "values_skipped": 2}
    assert counts["values_skipped"] == report.values_rejected
    assert counts["rows_not_imported"] == report.rows_rejected
    rows = list(csv.reader(io.StringIO(q.quarantine_csv(empty_store, report.batch_id).decode("utf-8-sig"))))
    assert rows[0][:4] == ["row", "column", "reason", "outcome"]
    assert {r[0]: r[3] for r in rows[1:]} == {k.__str__(): v for k, v in outcome.items()}


def test_quarantine_counts_two_bad_values_of_one_kept_row(empty_store: Store, tmp_path: Path) -> None:
    add_stages(empty_store)
    path = write(tmp_path / "s.csv", "id,A,B,C\n1,x,y,5\n2,5,5,5\n")
    mapping = {
        "survey": "s",
        "response_id": "id",
        "fixed_period": "2024-05",
        "questions": {"A": "csat", "B": "csat", "C": "csat"},
    }
    report = import_file(empty_store, kind="surveys", path=path, mapping=mapping, actor="system")
    assert (report.rows_imported, report.values_rejected) == (2, 2)
    frame = q.quarantine(empty_store, report.batch_id)
    assert frame["outcome"].tolist() == ["values skipped, row imported"]
    assert q.quarantine_counts(empty_store, report.batch_id) == {
        "rows_not_imported": 0,
        "rows_with_values_skipped": 1,
        "values_skipped": 2,
    }


@pytest.mark.parametrize("header", ["reason", "outcome", "row", "column", "raw record", "Issue"])
def test_a_file_column_named_like_a_quarantine_column_loses_no_cell(
    empty_store: Store, tmp_path: Path, header: str
) -> None:
    path = write(tmp_path / "h.csv", f"id,Date received,Issue,{header}\n1,2024-01-02,A,x\n2,not a date,A,mine\n")
    report = import_file(empty_store, kind="complaints", path=path, source="h", actor="system")
    frame = q.quarantine(empty_store, report.batch_id)
    assert frame["row"].tolist() == [2]
    assert frame.iloc[0]["outcome"] == "row not imported" and "date" in frame.iloc[0]["reason"]
    cells = frame.iloc[0].tolist()
    assert cells.count("mine") == 1 and cells.count("A") == 1 and cells.count("not a date") == 1
    assert len(set(frame.columns)) == len(frame.columns) == 8

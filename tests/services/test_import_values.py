"""Every value accounted for: good values are kept, each bad one is quarantined with its row,
column and reason, and the counts add up to the rows of the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxroom.importers.report import ImportOptions, ImportReport
from cxroom.services.imports import import_file
from cxroom.store import Store
from tests.importers.helpers import add_call_centre_kpis, add_stages, csv_rows, write

BAD_NUMBERS = ["1,2,3", "0x1F", "inf", "-inf", "=1+1", "1e999", "12abc", "1.2.3", "Infinity", "+-4"]


@pytest.fixture
def room_store(empty_store: Store) -> Store:
    return add_call_centre_kpis(add_stages(empty_store))


def errors_by_cell(report: ImportReport) -> dict[tuple[int, str], str]:
    return {(e["row"], e["column"]): e["message"] for e in report.errors}


def assert_accounted(report: ImportReport, path: Path) -> None:
    _, rows = csv_rows(path)
    assert report.rows_read == len(rows)
    assert report.rows_read == report.rows_imported + report.rows_duplicate + report.rows_rejected


def test_one_bad_rating_among_twelve_keeps_the_column_and_quarantines_the_value(
    room_store: Store, tmp_path: Path
) -> None:
    ratings = ["5", "4", "3", "5", "2", "x", "4", "1", "5", "3", "4", "2"]
    lines = "".join(f"{i},{r},{(i % 5) + 1}\n" for i, r in enumerate(ratings, start=1))
    path = write(tmp_path / "s.csv", "id,Seat comfort,Food\n" + lines)

    report = import_file(
        room_store, kind="surveys", path=path, source="cabin", options=ImportOptions(period="2024-05"), actor="system"
    )
    assert_accounted(report, path)
    # The column was used (it used to be left out of the mapping without a word).
    assert "Seat comfort" in report.mapping["questions"]
    got = dict(
        room_store.execute(
            "SELECT q.text, count(*) FROM survey_responses r JOIN survey_questions q ON q.id = r.question_id "
            "GROUP BY q.text"
        )
    )
    assert got == {"Seat comfort": 11, "Food": 12}
    # Row 6's Food answer is kept; its seat comfort value is quarantined with row, column and reason.
    assert report.rows_imported == 12 and report.values_rejected == 1
    assert errors_by_cell(report) == {(6, "Seat comfort"): "not a number: 'x'"}
    quarantined = room_store.execute(
        "SELECT row_number, errors, values_only FROM import_rejects WHERE batch_id = ?", [report.batch_id]
    )
    assert [(r[0], r[1][0]["column"], r[2]) for r in quarantined] == [(6, "Seat comfort", True)]


def test_a_row_with_only_bad_ratings_is_quarantined_whole(room_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", "id,Seat comfort,Food\n1,5,0\n2,4,3\n3,x,9\n4,N/A,\n")
    mapping = {
        "survey": "cabin",
        "response_id": "id",
        "fixed_period": "2024-05",
        "questions": {"Seat comfort": "csat", "Food": "csat"},
    }
    report = import_file(room_store, kind="surveys", path=path, mapping=mapping, actor="system")
    assert_accounted(report, path)
    assert (report.rows_imported, report.rows_rejected, report.values_rejected) == (2, 2, 1)
    cells = errors_by_cell(report)
    assert "out of the scale 1-5" in cells[(1, "Food")]
    assert "not a number" in cells[(3, "Seat comfort")] and "out of the scale" in cells[(3, "Food")]
    assert "no answers" in cells[(4, "")]
    stored = sorted(room_store.execute("SELECT response_id, value FROM survey_responses"))
    assert stored == [("1", 5.0), ("2", 3.0), ("2", 4.0)]


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_bad_kpi_values_are_quarantined_in_the_wide_form(room_store: Store, tmp_path: Path, bad: str) -> None:
    cell = f'"{bad}"' if "," in bad else bad
    path = write(
        tmp_path / "k.csv",
        "Period,Answer Rate,Abandoned Calls\n2024-01-01,90%,12\n2024-01-04,91%,13\n2024-01-05,92%,14\n"
        f"2024-01-02,{cell},15\n2024-01-03,{cell},\n",
    )
    report = import_file(room_store, kind="kpis", path=path, actor="system")
    assert_accounted(report, path)
    # Row 4 keeps its good reading, row 5 had nothing else and is quarantined whole.
    assert (report.rows_imported, report.rows_rejected, report.values_rejected) == (4, 1, 1)
    readings = sorted(v for (v,) in room_store.execute("SELECT value FROM kpi_readings"))
    assert readings == [12.0, 13.0, 14.0, 15.0, 90.0, 91.0, 92.0]
    cells = errors_by_cell(report)
    assert set(cells) == {(4, "Answer Rate"), (5, "Answer Rate")}
    assert all("number" in m for m in cells.values())


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_bad_kpi_values_are_quarantined_in_the_long_form(room_store: Store, tmp_path: Path, bad: str) -> None:
    cell = f'"{bad}"' if "," in bad else bad
    path = write(tmp_path / "k.csv", f"KPI,Period,Value\nAnswer Rate,2024-01,91\nAnswer Rate,2024-02,{cell}\n")
    report = import_file(room_store, kind="kpis", path=path, actor="system")
    assert_accounted(report, path)
    assert (report.rows_imported, report.rows_rejected) == (1, 1)
    assert room_store.fetch_value("SELECT count(*) FROM kpi_readings") == 1
    assert "number" in errors_by_cell(report)[(2, "Value")]


def test_empty_and_not_available_are_no_value_and_are_counted(room_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "k.csv",
        "Period,Answer Rate,Abandoned Calls\n2024-01-01,90%,\n2024-01-02,N/A,15\n2024-01-03,NaN,-\n",
    )
    report = import_file(room_store, kind="kpis", path=path, actor="system")
    assert_accounted(report, path)
    assert (report.rows_imported, report.rows_rejected, report.values_rejected) == (2, 1, 0)
    assert report.values_empty == 4
    assert any("4 value(s) were empty or marked not available" in n for n in report.notes)
    assert "no KPI values" in errors_by_cell(report)[(3, "")]


def test_columns_left_out_of_a_wide_file_are_named(room_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", "id,Gender,Seat comfort\n1,Female,5\n2,Male,4\n")

    report = import_file(
        room_store, kind="surveys", path=path, source="c", options=ImportOptions(period="2024-05"), actor="system"
    )
    assert report.rows_imported == 2
    assert any("Not imported: column(s) 'Gender'" in n for n in report.notes)

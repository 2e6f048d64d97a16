"""Dates the importer cannot read with certainty are quarantined with a reason, never stored as another date.

Every expectation is written out by hand from the file's text (which row, which
date), never taken from the importer's own answer.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from cxroom.cli.imports import main as cli_main
from cxroom.errors import InvalidInputError
from cxroom.importers import dates
from cxroom.importers.dates import period_from_index
from cxroom.importers.report import ImportOptions, ImportReport
from cxroom.importers.sniff import ImportFileError
from cxroom.services.imports import import_file, preview_file
from cxroom.store import Store, close_all
from tests.importers.helpers import add_call_centre_kpis, add_stages, csv_rows, shared, write

TOMORROW_PLUS = (date.today() + timedelta(days=3)).isoformat()


@pytest.fixture
def room_store(empty_store: Store) -> Store:
    return add_call_centre_kpis(add_stages(empty_store))


def stored_dates(store: Store) -> dict[str, str]:
    return dict(store.execute("SELECT external_id, CAST(received_at AS DATE)::VARCHAR FROM complaints"))


def reasons(report: ImportReport) -> dict[int, str]:
    return {e["row"]: e["message"] for e in report.errors}


def test_impossible_and_implausible_iso_dates_are_quarantined_with_their_reason(empty_store: Store, tmp_path: Path):
    path = write(
        tmp_path / "c.csv",
        "id,Date received,Issue\n"
        "1,2024-05-02,Billing\n"  # good
        "2,0000-01-01,Billing\n"  # year 0: was stored as 1 BC
        "3,9999-12-31,Billing\n"  # far future
        "4,1899-12-31,Billing\n"  # before the oldest plausible date
        f"5,{TOMORROW_PLUS},Billing\n"  # in the future
        "6,-2024-01-05,Billing\n"  # a BC date written out
        "7,12024-01-05,Billing\n"  # a five-digit year
        "8,2023-12-31 23:59:59,Billing\n",  # good, with a time
    )
    report = import_file(empty_store, kind="complaints", path=path, source="s", actor="system")
    assert report.balanced and (report.rows_imported, report.rows_rejected) == (2, 6)
    assert stored_dates(empty_store) == {"1": "2024-05-02", "8": "2023-12-31"}
    why = reasons(report)
    assert "before 2000-01-01" in why[2] and "'0000-01-01'" in why[2]
    assert "in the future" in why[3] and "'9999-12-31'" in why[3]
    assert "before 2000-01-01" in why[4]
    assert "in the future" in why[5]
    assert "not a date" in why[6] and "not a date" in why[7]
    assert all(e["column"] == "Date received" for e in report.errors)
    # The quarantine holds the same six rows, and the report states the window.
    assert empty_store.fetch_value("SELECT count(*) FROM import_rejects WHERE batch_id = ?", [report.batch_id]) == 6
    rules = report.to_json()["date_rules"]
    assert rules["oldest"] == "2000-01-01" and rules["future"] == "quarantined"


def test_a_two_digit_year_is_never_read_as_year_1(empty_store: Store, tmp_path: Path) -> None:
    """`01/03/25` fitted YYYY/MM/DD and was stored as 0001-03-25 with 0 rejected."""
    path = write(tmp_path / "c.csv", "id,Date received,Issue\n1,01/03/25,Billing\n2,05/04/24,Fees\n")
    with pytest.raises(ImportFileError, match="DD/MM/YY or MM/DD/YY"):
        import_file(empty_store, kind="complaints", path=path, source="s", actor="system")
    assert empty_store.fetch_value("SELECT count(*) FROM complaints") == 0
    # An explicit four-digit format quarantines them, naming the two-digit year.
    options = ImportOptions(date_format="YYYY/MM/DD")
    report = import_file(empty_store, kind="complaints", path=path, source="s", options=options, actor="system")
    assert (report.rows_imported, report.rows_rejected) == (0, 2)
    assert "two-digit year" in reasons(report)[1]


def test_two_digit_years_follow_one_stated_rule(empty_store: Store, tmp_path: Path) -> None:
    # 13/03/25 can only be day-first, so the column reads as DD/MM/YY; 31/12/99 is 1999 by the
    # rule and so before the oldest date; 01/01/68 is 2068 by the rule and so in the future.
    path = write(
        tmp_path / "c.csv",
        "id,Date received,Issue\n1,13/03/25,Billing\n2,01/03/25,Fees\n3,31/12/99,Fees\n4,01/01/68,Fees\n",
    )
    report = import_file(empty_store, kind="complaints", path=path, source="s", actor="system")
    assert report.date_format == "DD/MM/YY"
    assert stored_dates(empty_store) == {"1": "2025-03-13", "2": "2025-03-01"}
    assert "before 2000-01-01" in reasons(report)[3] and "in the future" in reasons(report)[4]
    rule = report.to_json()["date_rules"]["two_digit_years"]
    assert "00-68" in rule and "69-99" in rule
    assert any("00-68" in n for n in report.notes)
    # The preview says the same when it proposes the format.
    preview = preview_file(empty_store, kind="complaints", path=path)
    assert "00-68" in preview.date_columns["Date received"]["message"]


def test_explicit_formats_quarantine_short_years_and_excel_zero(empty_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "c.csv", "id,Date received,Issue\n1,01/03/0025,Billing\n2,1/3/25,Fees\n3,02/03/2025,Fees\n")
    options = ImportOptions(date_format="DD/MM/YYYY")
    report = import_file(empty_store, kind="complaints", path=path, source="s", options=options, actor="system")
    assert stored_dates(empty_store) == {"3": "2025-03-02"}
    assert "before 2000-01-01" in reasons(report)[1] and "two-digit year" in reasons(report)[2]
    excel = write(tmp_path / "x.csv", "id,Date received,Issue\n11,1,Billing\n12,45000,Fees\n13,2958465,Fees\n")
    report = import_file(
        empty_store,
        kind="complaints",
        path=excel,
        source="x",
        options=ImportOptions(date_format="excel"),
        actor="system",
    )
    assert (report.rows_imported, report.rows_rejected) == (1, 2)
    assert stored_dates(empty_store)["12"] == "2023-03-15"


def test_the_oldest_date_is_a_setting(empty_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "c.csv", "id,Date received,Issue\n1,1995-06-01,Billing\n2,2015-06-01,Fees\n")
    monkeypatch.setenv("CXROOM_OLDEST_DATE", "2010-01-01")
    report = import_file(empty_store, kind="complaints", path=path, source="s", actor="system")
    assert stored_dates(empty_store) == {"2": "2015-06-01"}
    assert "before 2010-01-01" in reasons(report)[1]
    monkeypatch.setenv("CXROOM_OLDEST_DATE", "1990-01-01")
    again = import_file(empty_store, kind="complaints", path=path, source="s", actor="system")
    assert again.rows_imported == 1 and stored_dates(empty_store)["1"] == "1995-06-01"
    monkeypatch.setenv("CXROOM_OLDEST_DATE", "last tuesday")
    with pytest.raises(InvalidInputError, match="CXROOM_OLDEST_DATE"):
        dates.window()


def test_kpi_readings_in_the_future_or_too_old_are_quarantined(room_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "k.csv",
        "KPI,Period,Value\nAnswer Rate,2024-01-05,91\nAnswer Rate,2099-01-05,92\n"
        "Answer Rate,0000-01-01,93\nAnswer Rate,1899-12-31,94\n",
    )
    report = import_file(room_store, kind="kpis", path=path, actor="system")
    assert report.balanced and (report.rows_imported, report.rows_rejected) == (1, 3)
    assert dict(room_store.execute("SELECT period::VARCHAR, value FROM kpi_readings")) == {"2024-01-05": 91.0}
    assert "in the future" in reasons(report)[2] and "before 2000-01-01" in reasons(report)[3]


def test_kpi_periods_numbered_from_a_start_stop_at_today(room_store: Store, tmp_path: Path) -> None:
    start = date.today() - timedelta(days=2)
    rows = "".join(f"{i},{80 + i}\n" for i in range(1, 7))
    path = write(tmp_path / "k.csv", "Index,Answer Rate\n" + rows)
    options = ImportOptions(start=start.isoformat(), frequency="daily")
    report = import_file(room_store, kind="kpis", path=path, options=options, actor="system")
    # Index 1..3 are today-2..today, index 4 is tomorrow (within the one day's grace), 5 and 6 are later.
    assert (report.rows_imported, report.rows_rejected) == (4, 2)
    assert "in the future" in reasons(report)[5] and "in the future" in reasons(report)[6]
    stored = [r[0] for r in room_store.execute("SELECT period FROM kpi_readings ORDER BY period")]
    assert stored == [start + timedelta(days=i) for i in range(4)]


@pytest.mark.parametrize("period", ["1899-12", "0000-01", "9999-12", "2099-01-01"])
def test_a_whole_file_period_outside_the_window_is_refused(room_store: Store, tmp_path: Path, period: str) -> None:
    path = write(tmp_path / "k.csv", "Index,Answer Rate\n1,80\n")
    with pytest.raises(InvalidInputError, match="period"):
        import_file(room_store, kind="kpis", path=path, options=ImportOptions(period=period), actor="system")
    with pytest.raises(InvalidInputError, match="start"):
        import_file(
            room_store, kind="kpis", path=path, options=ImportOptions(start=period, frequency="daily"), actor="system"
        )
    assert room_store.fetch_value("SELECT count(*) FROM kpi_readings") == 0


def test_period_from_index_refuses_dates_it_cannot_hold() -> None:
    assert period_from_index(date(2024, 1, 31), "monthly", 2) == date(2024, 2, 28)
    with pytest.raises(InvalidInputError):
        period_from_index(date(9999, 12, 1), "monthly", 2)
    with pytest.raises(InvalidInputError):
        period_from_index(date(2024, 1, 1), "daily", 0)


def test_survey_answers_dated_outside_the_window_are_quarantined(room_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "s.csv",
        "id,Date,Seat comfort\n1,2024-02-01,5\n2,9999-12-31,4\n3,0000-01-01,3\n4,2024-02-03,2\n",
    )
    mapping = {"survey": "cabin", "response_id": "id", "answered_at": "Date", "questions": {"Seat comfort": "csat"}}
    report = import_file(room_store, kind="surveys", path=path, mapping=mapping, actor="system")
    assert report.balanced and (report.rows_imported, report.rows_rejected) == (2, 2)
    assert sorted(r[0] for r in room_store.execute("SELECT response_id FROM survey_responses")) == ["1", "4"]


def test_cli_json_report_states_the_date_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CXROOM_DB", str(tmp_path / "room.duckdb"))
    monkeypatch.setenv("CXROOM_MEDIA", str(tmp_path / "media"))
    path = write(tmp_path / "c.csv", "id,Date received,Issue\n1,13/03/25,Billing\n2,01/01/2099,Fees\n")
    try:
        code = cli_main(["import", "complaints", str(path), "--json", "--quiet", "--date-format", "DD/MM/YY"])
    finally:
        close_all()
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and (out["rows_imported"], out["rows_rejected"]) == (1, 1)
    assert out["date_rules"]["two_digit_years"].startswith("00-68")
    assert out["date_rules"]["future"] == "quarantined"


def test_the_real_call_centre_sample_counted_into_the_future_is_quarantined_there(room_store: Store) -> None:
    """1199 daily rows from a start 1000 days ago: the rows dated after tomorrow are quarantined."""
    path = shared("call_center_kpis_sample.csv")
    _, rows = csv_rows(path, delimiter=";")
    start = date.today() - timedelta(days=1000)
    newest = date.today() + timedelta(days=1)
    future = [int(r[0]) for r in rows if start + timedelta(days=int(r[0]) - 1) > newest]
    assert future  # the sample does reach past today from this start
    options = ImportOptions(start=start.isoformat(), frequency="daily")
    report = import_file(room_store, kind="kpis", path=path, options=options, actor="system")
    assert report.balanced and report.rows_read == len(rows)
    assert (report.rows_imported, report.rows_rejected) == (len(rows) - len(future), len(future))
    assert room_store.fetch_value("SELECT max(period) FROM kpi_readings") <= newest
    assert all("in the future" in e["message"] for e in report.errors)


# One value beside an ISO anchor row (so the column reads as ISO); None: quarantined;
# "refused": the column fits several formats equally well, so the import asks for one.
TODAY = date.today()
DIRTY_ISO_CASES = [
    ("2024-02-29", "2024-02-29"),
    ("2023-02-29", None),
    ("2024-02-30", None),
    ("2024-13-01", None),
    ("2024-00-10", None),
    ("0000-01-01", None),
    ("0001-01-01", None),
    ("0024-01-05", None),
    ("1899-12-31", None),
    ("1999-12-31", None),
    ("2000-01-01", "2000-01-01"),
    ("9999-12-31", None),
    ("2100-01-01", None),
    ((TODAY + timedelta(days=2)).isoformat(), None),
    (TODAY.isoformat(), TODAY.isoformat()),
    ("01/03/25", "refused"),
    ("25-01-03", None),
    ("-2024-01-05", None),
    ("12024-01-05", None),
    ("20240105", None),
    ("2024\u201001\u201005", None),  # a Unicode hyphen
    ("2024-01-05 25:00:00", None),
    ("2024-01-05T10:00:00", "2024-01-05"),
    ("  2024-01-05  ", "2024-01-05"),
    ("2024-1-5", "2024-01-05"),
    ("45000", None),
    ("NaT", None),
]


@pytest.mark.parametrize(("written", "expected"), DIRTY_ISO_CASES)
def test_dirty_dates_are_stored_as_written_or_quarantined(
    empty_store: Store, tmp_path: Path, written: str, expected: str | None
) -> None:
    path = write(tmp_path / "c.csv", f'id,Date received,Issue\n1,2024-01-15,Billing\n2,"{written}",Fees\n')
    if expected == "refused":
        with pytest.raises(ImportFileError, match="will not guess"):
            import_file(empty_store, kind="complaints", path=path, source="s", actor="system")
        assert stored_dates(empty_store) == {}
        return
    report = import_file(empty_store, kind="complaints", path=path, source="s", actor="system")
    assert report.balanced and report.date_format.startswith("YYYY-MM-DD")
    stored = stored_dates(empty_store)
    assert stored.pop("1") == "2024-01-15"
    if expected is None:
        assert stored == {} and report.rows_rejected == 1
        assert [(e["row"], e["column"]) for e in report.errors] == [(2, "Date received")]
    else:
        assert stored == {"2": expected} and report.rows_rejected == 0

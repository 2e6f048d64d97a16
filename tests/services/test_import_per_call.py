"""Per-call exports imported as KPI readings aggregated per day or month, and
future-dated rows said in the report. Every reading is compared with pandas
aggregating the same file independently (csv module + pandas, not DuckDB)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from cxroom.cli.imports import main as cli_main
from cxroom.importers.report import ImportOptions
from cxroom.importers.sniff import ImportFileError
from cxroom.models import KpiCreate
from cxroom.services import evidence
from cxroom.services.imports import import_file, undo_batch
from cxroom.store import Store, close_all
from tests.importers.helpers import add_call_centre_kpis, add_stages, csv_rows, shared, write

CALLS = "call_center_calls_sample.csv"
KPIS = {
    "Answer rate": "higher_better",
    "Mean speed of answer in seconds": "lower_better",
    "Mean satisfaction rating": "higher_better",
    "Calls": "higher_better",
}


def _room(store: Store, frequency: str = "daily", names: dict[str, str] = KPIS) -> Store:
    add_stages(store)
    for name, direction in names.items():
        evidence.create_kpi(
            store,
            KpiCreate(stage_slug="get-help", name=name, direction=direction, frequency=frequency),
            actor="system",
        )
    return store


def _expected(path: Path, per: str) -> dict[tuple[str, date], float]:
    """The readings, by pandas from the csv module's rows: the independent aggregation."""
    header, rows = csv_rows(path)
    frame = pd.DataFrame(rows, columns=header)
    day = pd.to_datetime(frame["Date"])
    frame["period"] = (day if per == "day" else day.dt.to_period("M").dt.to_timestamp()).dt.date
    frame["answered"] = (frame["Answered (Y/N)"] == "Y").astype(float)
    frame["speed"] = pd.to_numeric(frame["Speed of answer in seconds"].replace("", None))
    frame["rating"] = pd.to_numeric(frame["Satisfaction rating"].replace("", None))
    grouped = frame.groupby("period")
    out: dict[tuple[str, date], float] = {}
    for period, group in grouped:
        out[("Answer rate", period)] = 100.0 * group["answered"].mean()
        out[("Mean speed of answer in seconds", period)] = group["speed"].mean()
        out[("Mean satisfaction rating", period)] = group["rating"].mean()
        out[("Calls", period)] = float(len(group))
    return out


def _stored(store: Store) -> dict[tuple[str, date], float]:
    rows = store.execute("SELECT k.name, r.period, r.value FROM kpi_readings r JOIN kpis k ON k.id = r.kpi_id")
    return {(str(r[0]), r[1]): float(r[2]) for r in rows}


@pytest.mark.parametrize(("per", "frequency", "periods"), [("day", "daily", 13), ("month", "monthly", 1)])
def test_the_call_centre_sample_aggregates_like_pandas(
    empty_store: Store, per: str, frequency: str, periods: int
) -> None:
    path = shared(CALLS)
    _room(empty_store, frequency)
    report = import_file(empty_store, kind="kpis", path=path, options=ImportOptions(aggregate=per), actor="system")
    assert report.committed and report.balanced
    assert (report.rows_read, report.rows_imported, report.rows_rejected) == (740, 740, 0)
    expected = _expected(path, per)
    stored = _stored(empty_store)
    assert stored.keys() == expected.keys() and len({p for _n, p in stored}) == periods
    for key, value in expected.items():
        assert stored[key] == pytest.approx(value, rel=1e-12), key
    # The aggregation is stated, in words and as data.
    assert report.aggregation["per"] == per and report.aggregation["periods"] == periods
    assert report.aggregation["rows"] == 740 and report.aggregation["readings"] == len(expected)
    assert report.aggregation["measures"]["Answer rate"] == {"column": "Answered (Y/N)", "measure": "rate"}
    said = next(n for n in report.notes if n.startswith("One row per call"))
    assert f"aggregated per {'day' if per == 'day' else 'calendar month'}" in said and "740 call row(s)" in said
    # 132 unanswered calls have no speed and no rating (and talk time is not a measure here).
    assert report.values_empty == 132 * 2
    # Resolution rate and mean talk duration are proposed too; the room has no such KPI, and says so.
    assert any("'Resolution rate'" in n and "'Mean avg talk duration'" in n for n in report.notes)
    # The same file again: every row a duplicate, nothing changes; undo takes the batch out.
    again = import_file(empty_store, kind="kpis", path=path, options=ImportOptions(aggregate=per), actor="system")
    assert (again.rows_imported, again.rows_duplicate) == (0, 740)
    undo_batch(empty_store, batch_id=int(report.batch_id or 0), actor="system")
    assert _stored(empty_store) == {}


def test_bad_cells_are_quarantined_and_the_rest_aggregated(empty_store: Store, tmp_path: Path) -> None:
    _room(empty_store)
    future = (date.today() + timedelta(days=30)).isoformat()
    path = write(
        tmp_path / "calls.csv",
        "Call Id,Date,Answered (Y/N),Speed of answer in seconds,Satisfaction rating\n"
        "1,2024-03-01,Y,10,5\n"
        "2,2024-03-01,N,,\n"
        "3,2024-03-01,maybe,30,4\n"  # the flag is quarantined; speed and rating still count
        "4,2024-03-02,Y,fast,2\n"  # the speed is quarantined
        "5,not a date,Y,5,5\n"  # no period: the whole row is quarantined
        f"6,{future},Y,5,5\n"  # in the future: the whole row is quarantined
        "7,2024-03-02,yes,20,\n",
    )
    report = import_file(empty_store, kind="kpis", path=path, options=ImportOptions(aggregate="day"), actor="system")
    assert report.balanced and (report.rows_imported, report.rows_rejected) == (5, 2)
    assert report.values_rejected == 2 and report.rows_future == 1
    reasons = {(e["row"], e["column"]): e["message"] for e in report.errors}
    assert reasons[(3, "Answered (Y/N)")] == "not yes or no (Y/N): 'maybe'"
    assert reasons[(4, "Speed of answer in seconds")] == "not a number: 'fast'"
    assert "in the future" in reasons[(6, "Date")] and (5, "Date") in reasons
    stored = _stored(empty_store)
    first, second = date(2024, 3, 1), date(2024, 3, 2)
    assert stored[("Answer rate", first)] == pytest.approx(50.0)  # Y, N (the "maybe" left out)
    assert stored[("Mean speed of answer in seconds", first)] == pytest.approx(20.0)  # 10 and 30
    assert stored[("Mean satisfaction rating", first)] == pytest.approx(4.5)
    assert stored[("Calls", first)] == 3.0
    assert stored[("Answer rate", second)] == 100.0 and stored[("Mean speed of answer in seconds", second)] == 20.0
    assert stored[("Mean satisfaction rating", second)] == 2.0 and stored[("Calls", second)] == 2.0


def test_a_mapping_names_its_own_kpis_and_a_frequency_mismatch_is_refused(empty_store: Store) -> None:
    path = shared(CALLS)
    _room(empty_store, "monthly", {"Share answered": "higher_better", "Mean CSAT": "higher_better"})
    mapping = {
        "period": "Date",
        "aggregate": "month",
        "measures": {
            "Share answered": {"column": "Answered (Y/N)", "measure": "rate"},
            "Mean CSAT": {"column": "Satisfaction rating", "measure": "mean"},
        },
    }
    report = import_file(empty_store, kind="kpis", path=path, mapping=mapping, actor="system")
    expected = _expected(path, "month")
    stored = _stored(empty_store)
    january = date(2021, 1, 1)
    assert stored[("Share answered", january)] == pytest.approx(expected[("Answer rate", january)])
    assert stored[("Mean CSAT", january)] == pytest.approx(expected[("Mean satisfaction rating", january)])
    assert report.aggregation["per"] == "month"
    # Daily values cannot go into monthly KPIs: a clear refusal, nothing written.
    before = empty_store.fetch_value("SELECT count(*) FROM import_batches")
    with pytest.raises(ImportFileError, match="aggregate per month"):
        import_file(
            empty_store,
            kind="kpis",
            path=path,
            options=ImportOptions(aggregate="day"),
            mapping={**mapping, "aggregate": "day"},
            source="other",
            actor="system",
        )
    assert empty_store.fetch_value("SELECT count(*) FROM import_batches") == before


def test_cli_aggregate_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = shared(CALLS)
    monkeypatch.setenv("CXROOM_DB", str(tmp_path / "room.duckdb"))
    monkeypatch.setenv("CXROOM_MEDIA", str(tmp_path / "media"))
    store = Store(tmp_path / "room.duckdb")
    _room(store)
    store.close()
    try:
        code = cli_main(["import", "kpis", str(path), "--aggregate", "day", "--json", "--quiet"])
    finally:
        close_all()
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["aggregation"]["per"] == "day" and out["aggregation"]["periods"] == 13
    assert out["rows_imported"] == 740 and out["rows_future"] == 0
    try:
        code = cli_main(["import", "kpis", str(path), "--aggregate", "week"])
    except SystemExit as exc:
        code = int(exc.code or 0)
    finally:
        close_all()
    assert code == 2  # a usage error: day or month only


def test_future_rows_of_a_kpi_file_are_counted_and_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The call-centre KPI sample numbered from 1000 days ago runs past tomorrow: the report says how many
    rows and why, in its text and its --json."""
    path = shared("call_center_kpis_sample.csv")
    _, rows = csv_rows(path, delimiter=";")
    start = date.today() - timedelta(days=1000)
    newest = date.today() + timedelta(days=1)
    future = sum(1 for r in rows if start + timedelta(days=int(r[0]) - 1) > newest)
    assert future > 100
    monkeypatch.setenv("CXROOM_DB", str(tmp_path / "room.duckdb"))
    monkeypatch.setenv("CXROOM_MEDIA", str(tmp_path / "media"))
    store = Store(tmp_path / "room.duckdb")
    add_call_centre_kpis(add_stages(store))
    store.close()
    args = ["import", "kpis", str(path), "--start", start.isoformat(), "--frequency", "daily", "--quiet", "--dry-run"]
    try:
        assert cli_main([*args, "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert cli_main(args) == 0
        text = capsys.readouterr().out
    finally:
        close_all()
    assert out["rows_future"] == future == out["rows_rejected"]
    said = f"{future} row(s) are dated in the future (after {newest.isoformat()}, tomorrow UTC)"
    assert any(n.startswith(said) for n in out["notes"])
    assert f"note: {said}" in text and "quarantined, not imported" in text

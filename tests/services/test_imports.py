"""The Listening import service against the real samples and messy variants.

Every count is compared with an independent reading of the same file by
Python's csv module, never with the importer's own numbers.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from cxroom.errors import InvalidInputError, NotFoundError
from cxroom.importers.report import ImportOptions
from cxroom.importers.sniff import ImportFileError
from cxroom.models import CategoryRuleCreate
from cxroom.queries import imports as q
from cxroom.services import bulk, evidence
from cxroom.services.imports import import_file, preview_file, undo_batch
from cxroom.store import Store
from tests.importers.helpers import CFPB_FILES, add_call_centre_kpis, add_stages, cfpb, csv_rows, shared, write


@pytest.fixture
def room_store(empty_store: Store) -> Store:
    return add_stages(empty_store)


@pytest.fixture
def kpi_store(room_store: Store) -> Store:
    return add_call_centre_kpis(room_store)


CFPB_COLUMNS = {
    "cfpb_boa_sample.csv": ("complaint_id", "issue", "sub-issue"),
    "cfpb_original_format_sample.csv": ("Complaint_ID", "Issue", "Sub-issue"),
    "cfpb_narratives_sample.csv": ("Complaint ID", "Issue", "Sub-issue"),
}


def count(store: Store, sql: str, params: list | None = None) -> int:
    return int(store.fetch_value(sql, params))


# -- the three CFPB formats ---------------------------------------------------


@pytest.mark.parametrize("name", CFPB_FILES)
def test_cfpb_file_imports_every_row_and_twice_is_idempotent(empty_store: Store, name: str) -> None:
    header, rows = csv_rows(cfpb(name))
    first = import_file(empty_store, kind="complaints", path=cfpb(name), source="cfpb", actor="system")
    assert first.committed and first.balanced
    assert first.rows_read == len(rows)
    assert (first.rows_imported, first.rows_rejected) == (len(rows), 0)
    assert count(empty_store, "SELECT count(*) FROM complaints WHERE batch_id = ?", [first.batch_id]) == len(rows)
    # The ids in the database are the file's ids.
    id_col = header.index(CFPB_COLUMNS[name][0])
    stored = {r[0] for r in empty_store.execute("SELECT external_id FROM complaints")}
    assert stored == {r[id_col] for r in rows}
    second = import_file(empty_store, kind="complaints", path=cfpb(name), source="cfpb", actor="system")
    assert second.balanced and (second.rows_imported, second.rows_duplicate) == (0, len(rows))
    assert count(empty_store, "SELECT count(*) FROM complaints") == len(rows)


def test_complaint_ids_are_unique_and_follow_the_file_across_imports_and_other_inserts(empty_store: Store) -> None:
    """The importer gives ids itself (reserved from the id sequence, for a parallel insert); ids
    stay unique beside rows that take the sequence's default, and follow each file's order."""
    first = import_file(empty_store, kind="complaints", path=cfpb(CFPB_FILES[0]), source="one", actor="system")
    frame = pd.DataFrame(
        {
            "source": "typed in",
            "external_id": ["T-1", "T-2"],
            "received_at": pd.Timestamp("2026-10-01"),
            "channel": "web",
            "category": "Billing",
            "subcategory": "",
            "verbatim": None,
            "severity": "normal",
        }
    )
    with empty_store.transaction("system") as tx:
        batch = bulk.open_batch(tx, kind="complaints", source="typed in", file_name="test")
        bulk.insert_complaints(tx, frame, batch)  # the sequence's default
        bulk.close_batch(tx, batch, rows_read=2, rows_imported=2)
    third = import_file(empty_store, kind="complaints", path=cfpb(CFPB_FILES[1]), source="two", actor="system")
    total, distinct, missing = empty_store.fetch_one(
        "SELECT count(*), count(DISTINCT id), count(*) - count(id) FROM complaints"
    )
    assert total == first.rows_imported + 2 + third.rows_imported and distinct == total and missing == 0
    header, rows = csv_rows(cfpb(CFPB_FILES[1]))
    id_col = header.index(CFPB_COLUMNS[CFPB_FILES[1]][0])
    in_id_order = [
        r[0]
        for r in empty_store.execute(
            "SELECT external_id FROM complaints WHERE batch_id = ? ORDER BY id", [third.batch_id]
        )
    ]
    assert in_id_order == [r[id_col] for r in rows]


def test_dd_mm_yyyy_dates_are_detected_and_read_day_first(empty_store: Store) -> None:
    report = import_file(empty_store, kind="complaints", path=cfpb("cfpb_original_format_sample.csv"), actor="system")
    assert report.date_format == "DD-MM-YYYY"
    header, rows = csv_rows(cfpb("cfpb_original_format_sample.csv"))
    first_id, first_date = rows[0][header.index("Complaint_ID")], rows[0][header.index("Date_received")]
    got = empty_store.fetch_value(
        "SELECT strftime(received_at, '%d-%m-%Y') FROM complaints WHERE external_id = ?", [first_id]
    )
    assert got == first_date == "27-04-2023"


def test_boa_none_sub_issue_is_missing_and_date_received_is_used(empty_store: Store) -> None:
    report = import_file(empty_store, kind="complaints", path=cfpb("cfpb_boa_sample.csv"), actor="system")
    assert report.mapping["received_at"] == "date_received"
    assert report.mapping["subcategory"] == "sub-issue"
    header, rows = csv_rows(cfpb("cfpb_boa_sample.csv"))
    nones = sum(1 for r in rows if r[header.index("sub-issue")] == "None")
    assert nones == 69
    assert count(empty_store, "SELECT count(*) FROM complaints WHERE subcategory = ''") == nones
    assert count(empty_store, "SELECT count(*) FROM complaints WHERE subcategory = 'None'") == 0
    by_id = {r[header.index("complaint_id")]: r[header.index("date_received")] for r in rows}
    got = dict(empty_store.execute("SELECT external_id, strftime(received_at, '%Y-%m-%d') FROM complaints"))
    assert got == by_id


def test_narratives_keep_newlines_and_the_22000_character_one(empty_store: Store) -> None:
    import_file(empty_store, kind="complaints", path=cfpb("cfpb_narratives_sample.csv"), actor="system")
    header, rows = csv_rows(cfpb("cfpb_narratives_sample.csv"))
    col = header.index("Consumer complaint narrative")
    expected = {r[header.index("Complaint ID")]: r[col] for r in rows if r[col]}
    got = dict(empty_store.execute("SELECT external_id, verbatim FROM complaints WHERE verbatim IS NOT NULL"))
    assert got == expected
    assert max(len(v) for v in got.values()) > 20_000
    assert sum(1 for v in got.values() if "\n" in v) == 15


def test_per_stage_counts_after_mapping_match_an_independent_count(room_store: Store) -> None:
    """Rules (most specific wins) applied to imported rows, checked against csv + Python."""
    for name in CFPB_FILES:
        import_file(room_store, kind="complaints", path=cfpb(name), source=name.split("_")[1], actor="system")
    rules = [
        CategoryRuleCreate(category="Incorrect information on your report", stage_slug="get-help"),
        CategoryRuleCreate(
            category="Incorrect information on your report",
            subcategory="Information belongs to someone else",
            stage_slug="claim",
        ),
        CategoryRuleCreate(category="Managing an account", stage_slug="pay"),
        CategoryRuleCreate(source="boa", category="Managing an account", stage_slug="renew"),
    ]
    for rule in rules:
        evidence.create_category_rule(room_store, rule, actor="system")

    expected: Counter[str] = Counter()
    for name in CFPB_FILES:
        header, rows = csv_rows(cfpb(name))
        _, cat_col, sub_col = (header.index(c) for c in CFPB_COLUMNS[name])
        source = name.split("_")[1]
        for r in rows:
            cat, sub = r[cat_col].strip().lower(), r[sub_col].strip().lower()
            if cat == "managing an account":
                expected["renew" if source == "boa" else "pay"] += 1
            elif cat == "incorrect information on your report":
                expected["claim" if sub == "information belongs to someone else" else "get-help"] += 1
    got = {r["slug"]: r["complaints"] for r in q.complaints_per_stage(room_store).to_dict("records")}
    assert {k: v for k, v in got.items() if v} == dict(expected)
    # A rule made before the next import maps the new rows as they arrive.
    report = import_file(room_store, kind="complaints", path=cfpb("cfpb_boa_sample.csv"), source="boa2", actor="system")
    assert all(c["category"] != "Managing an account" for c in report.unmapped_categories)


# -- accounting, undo, quarantine --------------------------------------------


def messy_complaints(tmp_path: Path) -> Path:
    """Ragged rows, bad and empty dates, empty category, formula text, a long verbatim, blank lines."""
    long_text = "word " * 4_500  # 22,500 characters
    lines = [
        "Complaint ID,Date received,Issue,Sub-issue,Consumer complaint narrative,Submitted via",
        "1,2024-01-05,Billing,Late fee,plain,Web",  # row 1
        '2,2024-01-06,Billing,,"=HYPERLINK(""http://x"")",Phone',  # row 2: formula kept as text
        "3,not a date,Billing,,x,Web",  # row 3: bad date
        "4,2024-01-07,Billing",  # row 4: ragged (too few columns)
        "",  # blank line: not a record
        "5,2024-01-08,,,no category,Web",  # row 6: empty category
        '6,2024-01-09,Claims,Slow,"' + long_text + '",Web',  # row 7
        "7,2024-01-10,Claims,Slow,x,Web,extra",  # row 8: ragged (too many)
        "8,,Claims,,x,Web",  # row 9: empty date
        "1,2024-01-05,Billing,Late fee,same id again,Web",  # row 10: duplicate in file
        '9,2024-01-11,@SUM(A1),,"multi\nline",Web',  # row 11
    ]
    return write(tmp_path / "messy.csv", "\r\n".join(lines) + "\r\n")


def test_messy_file_accounts_for_every_row_and_names_row_column_reason(empty_store: Store, tmp_path: Path) -> None:
    report = import_file(empty_store, kind="complaints", path=messy_complaints(tmp_path), source="s", actor="system")
    assert report.committed and report.balanced
    # 10 records (the blank line is not one): 4 new, 1 repeated id, 5 rejected.
    assert (report.rows_read, report.rows_imported, report.rows_duplicate, report.rows_rejected) == (10, 4, 1, 5)
    errors = {(e["row"], e["column"]) for e in report.errors}
    assert (3, "Date received") in errors
    assert (6, "Issue") in errors
    assert (9, "Date received") in errors
    assert (4, "Sub-issue") in errors and (8, "") in errors
    messages = {e["row"]: e["message"] for e in report.errors}
    assert "not a date" in messages[3] and "'not a date'" in messages[3]
    assert "fewer columns" in messages[4] and "more columns" in messages[8]
    assert messages[9] == "the date is empty"
    verbatims = dict(empty_store.execute("SELECT external_id, verbatim FROM complaints"))
    assert verbatims["2"] == '=HYPERLINK("http://x")'
    assert len(verbatims["6"]) == 22_500
    assert verbatims["9"] == "multi\nline"
    assert empty_store.fetch_value("SELECT category FROM complaints WHERE external_id = '9'") == "@SUM(A1)"
    # The quarantine holds the same rows, and the download neutralises formulas.
    frame = q.quarantine(empty_store, report.batch_id)
    assert list(frame["row"]) == [3, 4, 6, 8, 9]
    text = q.quarantine_csv(empty_store, report.batch_id).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:3] == ["row", "column", "reason"]
    assert [r[0] for r in table[1:]] == ["3", "4", "6", "8", "9"]


def test_quarantine_csv_prefixes_formula_cells(empty_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "f.csv", 'id,Date received,Issue\n1,=1+2,-cmd\n2,+x,@y\n3,2024-01-01,"\tTab"\n')
    report = import_file(empty_store, kind="complaints", path=path, source="s", actor="system")
    text = q.quarantine_csv(empty_store, report.batch_id).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    cells = [c for r in rows[1:] for c in r[3:]]
    assert "'=1+2" in cells and "'-cmd" in cells and "'+x" in cells and "'@y" in cells
    assert not any(c[:1] in "=+-@\t\r" for r in rows for c in r if c)
    assert report.rows_imported == 1 and report.rows_rejected == 2


def test_undo_removes_the_batch_rows_in_one_go(empty_store: Store) -> None:
    first = import_file(empty_store, kind="complaints", path=cfpb("cfpb_boa_sample.csv"), actor="system")
    removed = undo_batch(empty_store, batch_id=first.batch_id, actor="system")
    assert removed["complaints"] == 438
    assert count(empty_store, "SELECT count(*) FROM complaints") == 0
    assert empty_store.fetch_value("SELECT status FROM import_batches WHERE id = ?", [first.batch_id]) == "undone"
    assert empty_store.fetch_value("SELECT count(*) FROM audit_log WHERE action = 'undo'") == 1
    with pytest.raises(InvalidInputError):
        undo_batch(empty_store, batch_id=first.batch_id, actor="system")
    with pytest.raises(NotFoundError):
        undo_batch(empty_store, batch_id=999, actor="system")
    again = import_file(empty_store, kind="complaints", path=cfpb("cfpb_boa_sample.csv"), actor="system")
    assert again.rows_imported == 438


def test_dry_run_writes_nothing(empty_store: Store) -> None:
    version = empty_store.data_version()
    report = import_file(empty_store, kind="complaints", path=cfpb("cfpb_boa_sample.csv"), dry_run=True, actor="system")
    assert report.rows_imported == 438 and not report.committed and report.batch_id is None
    assert count(empty_store, "SELECT count(*) FROM complaints") == 0
    assert count(empty_store, "SELECT count(*) FROM import_batches") == 0
    assert empty_store.data_version() == version


def test_batch_and_audit_are_written_with_the_rows(empty_store: Store) -> None:
    report = import_file(empty_store, kind="complaints", path=cfpb("cfpb_narratives_sample.csv"), actor="system")
    row = q.batch(empty_store, report.batch_id)
    assert row is not None
    assert (row["rows_read"], row["rows_imported"], row["status"], row["created_by"]) == (59, 59, "committed", "system")
    assert row["file_sha256"] and len(row["file_sha256"]) == 64
    assert row["headers"][0] == "Date received"
    assert empty_store.fetch_value("SELECT actor FROM audit_log WHERE action = 'import'") == "system"


def test_saved_mapping_is_reused_for_the_same_source(empty_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "jan.csv", "Ref,When,What,Why\nA1,2024-01-02,Billing,x\n")
    mapping = {"external_id": "Ref", "received_at": "When", "category": "What", "verbatim": "Why"}
    import_file(empty_store, kind="complaints", path=path, source="crm", mapping=mapping, actor="system")
    assert q.saved_mapping(empty_store, kind="complaints", source="crm")["received_at"] == "When"
    feb = write(tmp_path / "feb.csv", "Ref,When,What,Why\nA2,2024-02-02,Billing,y\n")
    report = import_file(empty_store, kind="complaints", path=feb, source="crm", actor="system")
    assert report.rows_imported == 1
    assert any("saved for source 'crm'" in n for n in report.notes)


# -- bad input: clear messages, nothing lost ----------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 100, "PNG image"),
        (b"PK\x03\x04" + b"\0" * 100, "ZIP"),
        (b"just,a,header\n", "no data rows"),
        (b"Complaint ID,Issue\n1,Billing\n", "Required column missing"),
        (b"\n\n\n", "blank"),
    ],
)
def test_files_that_cannot_be_imported_say_why_and_write_nothing(
    empty_store: Store, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "input.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInputError, match=message):
        import_file(empty_store, kind="complaints", path=path, actor="system")
    assert count(empty_store, "SELECT count(*) FROM import_batches") == 0


def test_file_over_the_size_limit_is_refused(empty_store: Store) -> None:
    with pytest.raises(ImportFileError, match="import limit"):
        import_file(empty_store, kind="complaints", path=cfpb("cfpb_boa_sample.csv"), max_bytes=1000, actor="system")


def test_ambiguous_dates_are_not_guessed(empty_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "amb.csv", "id,Date received,Issue\n1,01-02-2024,A\n2,03-04-2024,B\n3,05-06-2024,C\n")
    with pytest.raises(ImportFileError, match="DD-MM-YYYY or MM-DD-YYYY"):
        import_file(empty_store, kind="complaints", path=path, actor="system")
    report = import_file(
        empty_store, kind="complaints", path=path, options=ImportOptions(date_format="MM-DD-YYYY"), actor="system"
    )
    assert report.rows_imported == 3
    assert empty_store.fetch_value("SELECT min(received_at)::DATE::VARCHAR FROM complaints") == "2024-01-02"


def test_us_dates_and_excel_serials(empty_store: Store, tmp_path: Path) -> None:
    us = write(tmp_path / "us.csv", "id,Date received,Issue\n1,12/31/2023,A\n2,1/5/2024,B\n")
    assert import_file(empty_store, kind="complaints", path=us, source="us", actor="system").date_format == "MM/DD/YYYY"
    serial = write(tmp_path / "serial.csv", "id,Date received,Issue\n1,45292,A\n2,45293.5,B\n")
    report = import_file(empty_store, kind="complaints", path=serial, source="xl", actor="system")
    assert report.date_format == "Excel serial day number"
    got = [
        r[0]
        for r in empty_store.execute(
            "SELECT strftime(received_at, '%Y-%m-%d %H:%M') FROM complaints WHERE source = 'xl' ORDER BY 1"
        )
    ]
    assert got == ["2024-01-01 00:00", "2024-01-02 12:00"]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8-sig", "utf-16"])
def test_encodings_are_detected_and_text_kept(empty_store: Store, tmp_path: Path, encoding: str) -> None:
    text = "id;Date received;Issue;Narrative\r\n1;2024-01-02;Réclamation;Zoë’s “quote”\r\n2;2024-01-03;Ça va;ok\r\n"
    if encoding == "latin-1":
        text = text.replace("’", "'").replace("“", '"').replace("”", '"').replace('"quote"', "quote")
    path = write(tmp_path / "enc.csv", text, encoding)
    report = import_file(empty_store, kind="complaints", path=path, actor="system")
    assert report.rows_imported == 2 and report.delimiter == ";"
    cats = sorted(r[0] for r in empty_store.execute("SELECT category FROM complaints"))
    assert cats == ["Réclamation", "Ça va"]
    verb = empty_store.fetch_value("SELECT verbatim FROM complaints WHERE external_id = '1'")
    assert verb.startswith("Zoë")


def test_file_without_ids_is_recognised_by_content_on_reimport(empty_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "noid.csv", "Date received,Issue\n2024-01-02,A\n2024-01-02,A\n2024-01-03,B\n")
    first = import_file(empty_store, kind="complaints", path=path, source="web", actor="system")
    assert first.rows_imported == 3  # two identical rows are two complaints
    second = import_file(empty_store, kind="complaints", path=path, source="web", actor="system")
    assert (second.rows_imported, second.rows_duplicate) == (0, 3)


def test_xlsx_and_parquet_take_the_same_path(empty_store: Store, tmp_path: Path) -> None:
    import datetime as dt

    import pandas as pd
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Complaint ID", "Date received", "Issue", "Sub-issue"])
    ws.append([101, dt.datetime(2024, 3, 1, 9, 30), "Billing", None])
    ws.append([102, "not a date", "Billing", "x"])
    ws.append([None, None, None, None])
    ws.append([103, dt.date(2024, 3, 3), "Claims", "Slow"])
    xlsx = tmp_path / "book.xlsx"
    wb.save(xlsx)
    report = import_file(empty_store, kind="complaints", path=xlsx, source="xl", actor="system")
    assert report.file_kind == "xlsx" and report.balanced
    assert (report.rows_read, report.rows_imported, report.rows_rejected) == (3, 2, 1)
    assert report.errors[0]["row"] == 2
    parquet = tmp_path / "data.parquet"
    pd.DataFrame(
        {
            "Complaint ID": ["p1", "p2"],
            "Date received": pd.to_datetime(["2024-04-01", "2024-04-02"]),
            "Issue": ["Billing", "Claims"],
        }
    ).to_parquet(parquet)
    report = import_file(empty_store, kind="complaints", path=parquet, source="pq", actor="system")
    assert report.file_kind == "parquet" and report.rows_imported == 2
    # A CSV renamed .xlsx is read as what it is.
    renamed = tmp_path / "renamed.xlsx"
    renamed.write_bytes(cfpb("cfpb_boa_sample.csv").read_bytes())
    assert import_file(empty_store, kind="complaints", path=renamed, source="r", actor="system").rows_imported == 438


def test_preview_proposes_a_mapping_without_writing(empty_store: Store) -> None:
    preview = preview_file(empty_store, kind="complaints", path=cfpb("cfpb_original_format_sample.csv"))
    assert preview.suggested["received_at"] == "Date_received"
    assert preview.suggested["category"] == "Issue"
    assert preview.date_columns["Date_received"]["label"] == "DD-MM-YYYY"
    assert preview.rows_read == 400 and len(preview.sample) == 20
    assert preview.source == "cfpb"
    assert count(empty_store, "SELECT count(*) FROM import_batches") == 0


# -- KPIs -----------------------------------------------------------------------


def test_call_centre_kpis_without_dates_need_a_start_period(kpi_store: Store) -> None:
    path = shared("call_center_kpis_sample.csv")
    with pytest.raises(InvalidInputError, match="no period column"):
        import_file(kpi_store, kind="kpis", path=path, actor="system")
    # 1199 days from 2021-01-01 end in 2024: every period is in the past (test_import_dates
    # covers a start that counts into the future).
    options = ImportOptions(start="2021-01-01", frequency="daily")
    report = import_file(kpi_store, kind="kpis", path=path, options=options, actor="system")
    _, rows = csv_rows(path, delimiter=";")
    assert report.balanced and report.rows_read == len(rows) == 1199
    assert report.rows_imported == 1199 and report.delimiter == ";"
    assert count(kpi_store, "SELECT count(*) FROM kpi_readings") == 1199 * 8
    first = dict(
        kpi_store.execute(
            "SELECT k.name, r.value FROM kpi_readings r JOIN kpis k ON k.id = r.kpi_id WHERE r.period = '2021-01-01'"
        )
    )
    assert first["Answer Rate"] == pytest.approx(94.01)  # '94.01%'
    assert first["Answer Speed (AVG)"] == 17  # '0:00:17'
    assert first["Waiting Time (AVG)"] == 165  # '0:02:45'
    assert first["Incoming Calls"] == 217
    last_index = int(rows[-1][0])
    assert kpi_store.fetch_value("SELECT max(period)::VARCHAR FROM kpi_readings") == str(
        __import__("datetime").date(2021, 1, 1) + __import__("datetime").timedelta(days=last_index - 1)
    )
    again = import_file(kpi_store, kind="kpis", path=path, options=options, actor="system")
    assert (again.rows_imported, again.rows_duplicate) == (0, 1199)
    undo_batch(kpi_store, batch_id=again.batch_id, actor="system")  # the duplicate batch owns no readings
    assert count(kpi_store, "SELECT count(*) FROM kpi_readings") == 1199 * 8


def test_kpi_long_form_rejects_unknown_kpis_and_bad_values(kpi_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "long.csv",
        'KPI,Period,Value\nAnswer Rate,2024-01,91.5%\nAnswer Rate,2024-02,"1,234"\n'
        "Nope,2024-01,3\nAnswer Rate,2024-03,abc\nAnswer Rate,2024-02,5\n",
    )
    report = import_file(kpi_store, kind="kpis", path=path, actor="system")
    assert report.balanced and (report.rows_imported, report.rows_rejected) == (2, 3)
    messages = {e["row"]: e["message"] for e in report.errors}
    assert "no KPI named 'Nope'" in messages[3]
    assert "not a number" in messages[4]
    assert "already given in row 2" in messages[5]
    got = dict(kpi_store.execute("SELECT period::VARCHAR, value FROM kpi_readings"))
    assert got == {"2024-01-01": 91.5, "2024-02-01": 1234.0}


def test_kpi_wide_form_with_a_period_column(kpi_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "wide.csv", "Month,Answer Rate,Abandoned Calls,Unknown KPI\n2024-01,90%,12,1\n2024-02,,15,2\n"
    )
    report = import_file(kpi_store, kind="kpis", path=path, actor="system")
    assert report.rows_imported == 2 and any("Unknown KPI" in n for n in report.notes)
    assert count(kpi_store, "SELECT count(*) FROM kpi_readings") == 3


# -- surveys ------------------------------------------------------------------------


def test_airline_survey_wide_form_with_zero_as_not_applicable(room_store: Store) -> None:
    path = shared("airline_survey_sample.csv")
    options = ImportOptions(period="2024-03", na_values=["0"])
    report = import_file(room_store, kind="surveys", path=path, source="airline", options=options, actor="system")
    header, rows = csv_rows(path)
    assert report.balanced and report.rows_read == len(rows) == 693
    assert report.rows_imported == 693
    questions = header[header.index("Inflight wifi service") : header.index("Cleanliness") + 1]
    assert len(questions) == 14
    expected = {h: sum(1 for r in rows if r[header.index(h)] not in ("0", "")) for h in questions}
    got = dict(
        room_store.execute(
            "SELECT q.text, count(*) FROM survey_responses r JOIN survey_questions q ON q.id = r.question_id "
            "WHERE q.survey = 'airline' GROUP BY q.text"
        )
    )
    assert got == expected
    assert sum(1 for r in rows for h in questions if r[header.index(h)] == "0") == 115
    assert count(room_store, "SELECT count(*) FROM survey_responses WHERE value = 0") == 0
    again = import_file(room_store, kind="surveys", path=path, source="airline", options=options, actor="system")
    assert (again.rows_imported, again.rows_duplicate) == (0, 693)


def test_survey_zero_without_na_is_rejected_with_a_hint(room_store: Store, tmp_path: Path) -> None:
    path = write(tmp_path / "s.csv", "id,Seat comfort,Food\n1,5,0\n2,4,3\n3,x,2\n")
    mapping = {
        "survey": "cabin",
        "response_id": "id",
        "fixed_period": "2024-05",
        "questions": {"Seat comfort": "csat", "Food": "csat"},
    }
    report = import_file(room_store, kind="surveys", path=path, mapping=mapping, actor="system")
    # Rows 1 and 3 keep their good answer; the bad one of each is quarantined on its own.
    assert report.balanced and (report.rows_imported, report.rows_rejected, report.values_rejected) == (3, 0, 2)
    messages = {e["row"]: e["message"] for e in report.errors}
    assert "out of the scale 1-5" in messages[1] and "not-applicable" in messages[1]
    assert "not a number" in messages[3]


def test_survey_long_form_and_generated_ids_are_idempotent(room_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "long.csv",
        "Question,Score,Date\nHow easy was it?,4,2024-02-01\n"
        "How easy was it?,5,2024-02-02\nWould you recommend us?,9,2024-02-02\n",
    )
    options = ImportOptions(survey_kind="nps")
    mapping = {
        "layout": "long",
        "survey": "pulse",
        "question": "Question",
        "value": "Score",
        "answered_at": "Date",
        "default_kind": "nps",
    }
    first = import_file(room_store, kind="surveys", path=path, mapping=mapping, options=options, actor="system")
    assert first.rows_imported == 3
    second = import_file(room_store, kind="surveys", path=path, mapping=mapping, options=options, actor="system")
    assert (second.rows_imported, second.rows_duplicate) == (0, 3)


# -- calls --------------------------------------------------------------------------


def test_call_clip_update_checks_the_version(room_store: Store, tmp_path: Path) -> None:
    import shutil
    import subprocess
    from datetime import datetime

    from cxroom.audio import needs_conversion, wav_format
    from cxroom.errors import ConflictError
    from cxroom.media import MediaStore
    from cxroom.services.evidence_files import add_call_recording, update_call_clip
    from cxroom.settings import Settings

    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    wav = tmp_path / "ulaw.wav"
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=300:duration=12",
            "-ar",
            "8000",
            "-c:a",
            "pcm_mulaw",
            str(wav),
        ],
        check=True,
    )
    data = wav.read_bytes()
    assert wav_format(data).name == "mu-law" and needs_conversion(data)
    media = MediaStore(Settings(db_path=room_store.path, media_dir=tmp_path / "media"))
    call_id = add_call_recording(
        room_store,
        media,
        data=data,
        original_name="ulaw.wav",
        stage_slug="get-help",
        title="Billing call",
        recorded_at=datetime(2024, 5, 1, 9),
        actor="system",
    )
    row = room_store.fetch_dicts("SELECT * FROM calls WHERE id = ?", [call_id])[0]
    assert row["duration_s"] == pytest.approx(12, abs=0.2)
    update_call_clip(
        room_store,
        call_id=call_id,
        expected_version=row["version"],
        clip_start_s=3,
        clip_end_s=9,
        transcript=[{"start": 3, "end": 9, "speaker": "customer", "text": "I was charged twice"}],
        actor="system",
    )
    after = room_store.fetch_dicts("SELECT clip_start_s, clip_end_s, version FROM calls WHERE id = ?", [call_id])[0]
    assert after == {"clip_start_s": 3, "clip_end_s": 9, "version": row["version"] + 1}
    with pytest.raises(ConflictError):
        update_call_clip(
            room_store, call_id=call_id, expected_version=row["version"], clip_start_s=0, clip_end_s=5, actor="system"
        )
    with pytest.raises(InvalidInputError):
        update_call_clip(
            room_store,
            call_id=call_id,
            expected_version=after["version"],
            clip_start_s=30,
            clip_end_s=40,
            actor="system",
        )

"""The Listening page through AppTest: import with the proposed mapping, the
report, the batches tab with undo, and a category rule mapping rows to a stage.

AppTest cannot drive st.file_uploader, so the test puts the uploaded file where
the uploader would (session state); everything after that is the real page."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cxroom.models import StageCreate
from cxroom.services import room
from cxroom.settings import Settings
from cxroom.store import Store
from tests.hostile_text import as_read
from tests.importers.helpers import STAGES, cfpb


def pending(path: Path, tmp: Path) -> dict[str, object]:
    copy = tmp / "uploads" / path.name
    copy.parent.mkdir(exist_ok=True)
    shutil.copy(path, copy)
    return {
        "name": path.name,
        "path": str(copy),
        "sha256": hashlib.sha256(copy.read_bytes()).hexdigest(),
        "size": copy.stat().st_size,
    }


def room_with_stages(settings: Settings) -> Store:
    store = Store(settings.db_path)
    for slug in STAGES:
        room.create_stage(store, StageCreate(slug=slug, name=slug.replace("-", " ").title()), actor="system")
    return store


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_import_report_batches_undo_and_mapping(
    app_for: Callable[..., AppTest], tmp_settings: Settings, tmp_path: Path
) -> None:
    store = room_with_stages(tmp_settings)
    store.close()
    at = app_for(tmp_settings)
    at.switch_page("views/listening.py")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Listening"
    at.session_state["listening_file"] = pending(cfpb("cfpb_original_format_sample.csv"), tmp_path)
    at.run()
    assert not at.exception
    # The proposed mapping: CFPB headers recognised, DD-MM-YYYY detected.
    boxes = {s.label: s.value for s in at.selectbox}
    assert boxes["Date received *"] == "Date_received"
    assert boxes["Category (issue) *"] == "Issue"
    assert boxes["Complaint id"] == "Complaint_ID"
    assert any("DD-MM-YYYY" in as_read(c.value) for c in at.caption)
    at.text_input(key="import_source").input("cfpb").run()
    button(at, "Check (dry run)").click().run()
    assert not at.exception
    assert at.subheader[0].value == "Dry run: nothing was written"
    button(at, "Import").click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {
        "Rows read": "400",
        "Imported": "400",
        "Duplicates": "0",
        "Rejected": "0",
        "Values rejected": "0",
    }
    assert at.subheader[0].value.startswith("Batch #") and at.subheader[0].value.endswith("imported")
    # Importing the same file again: all duplicates.
    button(at, "Import").click().run()
    assert {m.label: m.value for m in at.metric}["Duplicates"] == "400"

    # Category mapping: the unmapped list, a rule, and the rows move to the stage.
    unmapped = at.dataframe[-2].value if len(at.dataframe) > 1 else None
    check = Store(tmp_settings.db_path)
    try:
        before = check.fetch_value("SELECT count(*) FROM complaints WHERE stage_id IS NULL")
        assert before == 400
    finally:
        check.close()
    assert unmapped is not None
    category = at.selectbox(key="rule_category")
    category.select_index(category.options.index("Improper use of your report"))
    at.selectbox(key="rule_stage").set_value("Claim")
    next(b for b in at.button if b.label == "Add rule").click().run()
    assert not at.exception
    assert any("Rule added" in s.value for s in at.success)
    check = Store(tmp_settings.db_path)
    try:
        mapped = check.fetch_value(
            "SELECT count(*) FROM complaints c JOIN stages s ON s.id = c.stage_id WHERE s.slug = 'claim'"
        )
        assert (
            mapped
            == check.fetch_value("SELECT count(*) FROM complaints WHERE category = 'Improper use of your report'")
            > 0
        )
        first_batch = check.fetch_value("SELECT min(id) FROM import_batches")
    finally:
        check.close()

    # Batches: undo the first batch.
    at.selectbox(key="batch_pick").set_value(first_batch).run()
    at.checkbox(key=f"undo_sure_{first_batch}").check().run()
    button(at, "Undo this batch").click().run()
    assert not at.exception
    assert any(f"Batch #{first_batch} undone" in s.value for s in at.success)
    check = Store(tmp_settings.db_path)
    try:
        assert check.fetch_value("SELECT count(*) FROM complaints") == 0
    finally:
        check.close()


def test_rejected_rows_are_reported_with_a_quarantine_download(
    app_for: Callable[..., AppTest], tmp_settings: Settings, tmp_path: Path
) -> None:
    room_with_stages(tmp_settings).close()
    bad = tmp_path / "bad.csv"
    bad.write_text("Complaint ID,Date received,Issue\n1,2024-01-02,Billing\n2,yesterday,Billing\n3,2024-01-03\n")
    at = app_for(tmp_settings)
    at.switch_page("views/listening.py")
    at.session_state["listening_file"] = pending(bad, tmp_path)
    at.run()
    button(at, "Import").click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Rows read": "3", "Imported": "1", "Duplicates": "0", "Rejected": "2", "Values rejected": "0"}
    errors = at.dataframe[1].value if len(at.dataframe) > 1 else at.dataframe[0].value
    assert set(errors["row"]) == {2, 3}
    assert at.get("download_button")


def test_ambiguous_dates_must_be_chosen(
    app_for: Callable[..., AppTest], tmp_settings: Settings, tmp_path: Path
) -> None:
    room_with_stages(tmp_settings).close()
    amb = tmp_path / "amb.csv"
    amb.write_text("id,Date received,Issue\n1,01/02/2024,A\n2,03/04/2024,B\n")
    at = app_for(tmp_settings)
    at.switch_page("views/listening.py")
    at.session_state["listening_file"] = pending(amb, tmp_path)
    at.run()
    assert any("will not guess" in w.value for w in at.warning)
    assert button(at, "Import").disabled
    at.radio(key="map_date_format").set_value("%d/%m/%Y").run()
    assert not button(at, "Import").disabled
    button(at, "Import").click().run()
    assert {m.label: m.value for m in at.metric}["Imported"] == "2"


def test_skipped_values_and_rejected_rows_are_told_apart_in_the_report_and_the_quarantine(
    app_for: Callable[..., AppTest], tmp_settings: Settings, tmp_path: Path
) -> None:
    room_with_stages(tmp_settings).close()
    survey = tmp_path / "cabin.csv"
    # row 2: one bad rating, its Food answer is kept; row 3: nothing good, not imported;
    # row 5: two bad ratings, its Drinks answer is kept
    survey.write_text("id,Seat comfort,Food,Drinks\n1,5,4,4\n2,x,4,3\n3,x,9,\n4,5,5,5\n5,y,z,2\n")
    at = app_for(tmp_settings)
    at.switch_page("views/listening.py")
    at.run()
    at.radio(key="import_kind").set_value("surveys").run()
    at.session_state["listening_file"] = pending(survey, tmp_path)
    at.run()
    assert not at.exception
    at.text_input(key="survey_period").input("2024-05").run()
    at.multiselect(key="survey_questions").set_value(["Seat comfort", "Food", "Drinks"]).run()
    button(at, "Import").click().run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Rows read": "5", "Imported": "4", "Duplicates": "0", "Rejected": "1", "Values rejected": "3"}
    assert any(b.proto.label == "Download the quarantine (CSV)" for b in at.get("download_button"))

    # The Batches tab: the counts apart, and each quarantined row says what became of it.
    assert any(
        "Quarantine: 1 row(s) not imported · 3 value(s) skipped from 2 imported row(s)" in m.value for m in at.markdown
    )
    quarantine = next(d.value for d in at.dataframe if "outcome" in d.value.columns)
    outcome = dict(zip(quarantine["row"], quarantine["outcome"], strict=True))
    assert outcome == {2: "value skipped, row imported", 3: "row not imported", 5: "values skipped, row imported"}
    assert quarantine.set_index("row").loc[5, "column"] == "Seat comfort; Food"
    check = Store(tmp_settings.db_path)
    try:
        assert check.fetch_value("SELECT count(DISTINCT response_id) FROM survey_responses") == 4
    finally:
        check.close()


def test_an_undecidable_encoding_is_asked_in_the_preview_and_the_answer_is_imported(
    app_for: Callable[..., AppTest], tmp_settings: Settings, tmp_path: Path
) -> None:
    room_with_stages(tmp_settings).close()
    # 20 UTF-8 rows and one cp1252 row that reads as plausible cp1250 too ("crème" / "crčme").
    meant = {str(i): f"Crédit refusé {i} – “quotes” Überweisung" for i in range(1, 21)}
    meant["99"] = "Café crème naïve déjà vu"
    lines = [f"{k},2024-01-{int(k):02d},{v}\n".encode() for k, v in meant.items() if k != "99"]
    lines.insert(12, f"99,2024-02-01,{meant['99']}\n".encode("cp1252"))
    odd = tmp_path / "mixed.csv"
    odd.write_bytes(b"Complaint ID,Date received,Issue\n" + b"".join(lines))
    at = app_for(tmp_settings)
    at.switch_page("views/listening.py")
    at.session_state["listening_file"] = pending(odd, tmp_path)
    at.run()
    assert not at.exception
    assert any("cannot be told for sure" in w.value for w in at.warning)
    question = next(s for s in at.selectbox if s.label == "Encoding of the rows that are not UTF-8")
    assert question.value is None and {"cp1252", "cp1250"} <= set(question.options)
    readings = dict(at.dataframe[0].value.itertuples(index=False, name=None))
    assert "crème" in readings["cp1252"] and "crème" not in readings["cp1250"]
    assert not [b for b in at.button if b.label == "Import"], "the import was offered before the question was answered"
    question.set_value("cp1252").run()
    assert not at.exception
    assert any("cp1252 for 1 row" in c.value for c in at.caption)
    button(at, "Import").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Imported"] == "21"
    check = Store(tmp_settings.db_path)
    try:
        assert dict(check.execute("SELECT external_id, category FROM complaints")) == meant
    finally:
        check.close()

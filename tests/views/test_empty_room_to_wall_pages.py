"""docs/listening.md's browser walk-through, on the real pages (AppTest): an empty room, the
set-up file applied on Room setup, the CFPB files, the call-centre KPIs (numbered from an index)
and the airline survey imported on the Listening page; the wall then shows what the six CLI
commands give (checked the same independent way). AppTest cannot drive st.file_uploader, so
each file is put where the uploader's callback puts it; everything after that is the page."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cxroom.settings import Settings
from cxroom.store import Store, open_store
from cxroom.ui.setup_file_block import PENDING
from tests.importers.helpers import CFPB_FILES, cfpb, csv_rows, shared
from tests.setupfile.test_empty_room_to_wall import ROOM_FILE, check_wall
from tests.views.test_listening import button, pending


def ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def import_file(at: AppTest, kind: str, path: Path, tmp: Path) -> AppTest:
    at.switch_page("views/listening.py")
    at.session_state["import_kind"] = kind
    at.session_state["listening_file"] = pending(path, tmp)
    return ok(at.run())


def imported(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_browser_walk_through(app_for: Callable[..., AppTest], tmp_settings: Settings, tmp_path: Path) -> None:
    kpi_file, survey_file = shared("call_center_kpis_sample.csv"), shared("airline_survey_sample.csv")
    Store(tmp_settings.db_path).close()  # `make run` on a new room: an empty database
    at = ok(app_for(tmp_settings, timeout=120).run())

    # Room setup -> Set-up file: upload, read the dry run, Apply
    at.switch_page("views/setup.py")
    at.query_params["section"] = "Set-up file"
    text = ROOM_FILE.read_text(encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    at.session_state[PENDING] = {"name": ROOM_FILE.name, "text": text, "sha256": sha}
    ok(at.run())
    assert "112 change(s) would be made" in "\n".join(c.value for c in at.code)
    ok(button(at, "Apply 112 change(s)").click().run())
    assert [s.value for s in at.success] == ["Applied."]

    # Listening: the three CFPB exports, columns recognised, source left empty
    for name in CFPB_FILES:
        at = import_file(at, "complaints", cfpb(name), tmp_path)
        ok(button(at, "Import").click().run())
        assert imported(at)["Rejected"] == "0", name

    # the call centre's KPIs: no period column; numbered from Index, daily from 2021-01-01
    header, rows = csv_rows(kpi_file, delimiter=";")
    at = import_file(at, "kpis", kpi_file, tmp_path)
    at.selectbox(key="kpi_index").set_value("Index")
    at.date_input(key="kpi_start").set_value(date(2021, 1, 1))
    at.selectbox(key="kpi_frequency").set_value("daily")
    ok(at.run())
    at.multiselect(key="kpi_columns").set_value(header[1:])
    ok(at.run())
    unknown = [w.value for w in at.warning if "No KPI of this room" in w.value]
    assert not unknown, unknown  # every column is a KPI of the room (the set-up file made them)
    ok(button(at, "Import").click().run())
    assert imported(at)["Imported"] == f"{len(rows):,}" and imported(at)["Rejected"] == "0"

    # the airline survey: source airline, period 2023-04, 0 = not rated, the 14 ratings
    at = import_file(at, "surveys", survey_file, tmp_path)
    at.text_input(key="import_source").input("airline")
    ok(at.run())
    at.text_input(key="survey_name").input("airline")  # the survey of the set-up file's questions
    at.text_input(key="survey_period").input("2023-04")
    at.text_input(key="survey_na").input("0")
    ok(at.run())
    header, rows = csv_rows(survey_file)
    ratings = header[header.index("Inflight wifi service") : header.index("Cleanliness") + 1]
    at.multiselect(key="survey_questions").set_value(ratings)
    ok(at.run())
    ok(button(at, "Import").click().run())
    assert imported(at)["Imported"] == f"{len(rows):,}" and imported(at)["Rejected"] == "0"

    # the wall on April 2023 opens, and its numbers are those the six CLI commands give
    at.switch_page("views/wall.py")
    at.query_params["month"] = "2023-04"
    ok(at.run())
    assert "The wall · April 2023" in at.caption[0].value
    check_wall(open_store(tmp_settings.db_path), kpi_file, survey_file)  # the app's own store (same process)

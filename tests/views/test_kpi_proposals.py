"""KPIs proposed from the import preview, one by one, on the real call-centre
KPI sample: each unknown column becomes a proposal with its own direction
(guessed from the name) and unit (guessed from the values); the person sets a
target, the KPIs are created, and the readings import."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cxroom.settings import Settings
from cxroom.store import Store, open_store
from cxroom.ui.listening.kpi_proposals import editor_key
from tests.importers.helpers import CALL_CENTRE_KPIS, add_stages, csv_rows, shared
from tests.views.test_listening import button, pending

UNITS = {"Answer Rate": "%", "Service Level (20 Seconds)": "%"}
UNITS |= {name: "" for name in ("Abandoned Calls", "Incoming Calls", "Answered Calls")}
UNITS |= {name: "s" for name in ("Answer Speed (AVG)", "Talk Duration (AVG)", "Waiting Time (AVG)")}


def proposals(at: AppTest):
    return next(d.value for d in at.dataframe if list(d.value.columns[:2]) == ["create", "name"])


def test_unknown_kpi_columns_are_proposed_created_and_imported(
    app_for: Callable[..., AppTest], tmp_settings: Settings, tmp_path: Path
) -> None:
    sample = shared("call_center_kpis_sample.csv")
    add_stages(Store(tmp_settings.db_path)).close()
    at = app_for(tmp_settings)
    at.switch_page("views/listening.py")
    at.run()
    at.radio(key="import_kind").set_value("kpis").run()
    at.session_state["listening_file"] = pending(sample, tmp_path)
    at.run()
    at.date_input(key="kpi_start").set_value(date(2020, 1, 1)).run()  # 1,199 days, all before today
    assert not at.exception
    table = proposals(at)
    headers, rows = csv_rows(sample, delimiter=";")
    assert list(table["name"]) == [h for h in headers if h != "Index"]
    # One direction per KPI, from its name: "Abandoned Calls" is lower-is-better.
    guessed = {r["name"]: r["direction"] for r in table.to_dict("records")}
    expected = {n: d.replace("_", " is ") for n, d in CALL_CENTRE_KPIS.items()}
    assert guessed == expected
    assert {r["name"]: r["unit"] for r in table.to_dict("records") if r["name"] in UNITS} == UNITS

    # The stage for all, a target for one, and one KPI left out.
    at.selectbox(key="kpi_new_stage").set_value("Get Help").run()
    names = list(proposals(at)["name"])
    key = editor_key("Get Help", names)
    edits = {
        names.index("Abandoned Calls"): {"target": 10.0, "warning": 15.0},
        names.index("Incoming Calls"): {"create": False},
    }
    at.session_state[key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.run()
    button(at, "Create these KPIs").click().run()
    assert not at.exception
    assert "Abandoned Calls (lower is better, target 10)" in at.success[0].value.replace("\\", "")
    check = open_store(tmp_settings.db_path)
    made = {
        name: (direction, unit, target, warning, stage, frequency)
        for name, direction, unit, target, warning, stage, frequency in check.execute(
            "SELECT k.name, k.direction, k.unit, k.target, k.warning, s.slug, k.frequency "
            "FROM kpis k JOIN stages s ON s.id = k.stage_id"
        )
    }
    assert set(made) == set(CALL_CENTRE_KPIS) - {"Incoming Calls"}
    assert made["Abandoned Calls"] == ("lower_better", "", 10.0, 15.0, "get-help", "daily")
    assert {n: v[0] for n, v in made.items()} == {n: d for n, d in CALL_CENTRE_KPIS.items() if n in made}
    assert {n: v[1] for n, v in made.items()} == {n: u for n, u in UNITS.items() if n in made}

    # No more proposals but the one left out; the import reads every value of the created KPIs.
    assert list(proposals(at)["name"]) == ["Incoming Calls"]
    at.multiselect(key="kpi_columns").unselect("Incoming Calls").run()
    button(at, "Import").click().run()
    assert not at.exception
    column = headers.index("Abandoned Calls")
    filled = sum(1 for r in rows if r[column].strip())
    readings = check.fetch_value(
        "SELECT count(*) FROM kpi_readings r JOIN kpis k ON k.id = r.kpi_id WHERE k.name = 'Abandoned Calls'"
    )
    assert readings == filled > 1000


def test_long_files_propose_the_names_in_their_rows(
    app_for: Callable[..., AppTest], tmp_settings: Settings, tmp_path: Path
) -> None:
    add_stages(Store(tmp_settings.db_path)).close()
    long = tmp_path / "long.csv"
    long.write_text(
        "kpi,date,value\nComplaints per 1000 policies,2026-01-01,4.2\nNPS,2026-01-01,31\n"
        "Escalations,2026-01-01,12\nFirst contact resolution,2026-01-01,71%\n"
    )
    at = app_for(tmp_settings)
    at.switch_page("views/listening.py")
    at.run()
    at.radio(key="import_kind").set_value("kpis").run()
    at.session_state["listening_file"] = pending(long, tmp_path)
    at.run()
    assert not at.exception
    table = proposals(at)
    assert {r["name"]: (r["direction"], r["unit"]) for r in table.to_dict("records")} == {
        "Complaints per 1000 policies": ("lower is better", ""),
        "NPS": ("higher is better", ""),
        "Escalations": ("lower is better", ""),
        "First contact resolution": ("higher is better", "%"),
    }

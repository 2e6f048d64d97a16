"""The Listening page's import options for a per-call KPI file (aggregated per
day or month) and for survey comments, through AppTest on the real samples.
The uploaded file is put where the uploader would (session state), as in
test_listening.py; everything after that is the real page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

from cxroom.models import KpiCreate
from cxroom.services import evidence
from cxroom.settings import Settings
from cxroom.store import Store
from tests.hostile_text import as_read
from tests.importers.helpers import shared
from tests.views.test_listening import button, pending, room_with_stages


def _open(app_for: Callable[..., AppTest], settings: Settings, kind: str, path: Path, tmp: Path) -> AppTest:
    at = app_for(settings)
    at.switch_page("views/listening.py")
    at.run()
    at.radio(key="import_kind").set_value(kind).run()
    at.session_state["listening_file"] = pending(path, tmp)
    at.run()
    assert not at.exception
    return at


def test_a_call_log_imports_as_monthly_kpis_from_the_page(
    app_for: Callable[..., AppTest], tmp_settings: Settings, tmp_path: Path
) -> None:
    path = shared("call_center_calls_sample.csv")
    store = room_with_stages(tmp_settings)
    for name in ("Answer rate", "Mean satisfaction rating"):
        evidence.create_kpi(
            store,
            KpiCreate(stage_slug="get-help", name=name, direction="higher_better", frequency="monthly"),
            actor="system",
        )
    store.close()
    at = _open(app_for, tmp_settings, "kpis", path, tmp_path)
    at.selectbox(key="import_aggregate").set_value("month").run()
    assert not at.exception
    assert at.selectbox(key="per_call_period").value == "Date"
    proposed = next(d for d in at.dataframe if d.key == "per_call_measures").value
    assert list(proposed["KPI"]) == [
        "Answer rate",
        "Resolution rate",
        "Mean speed of answer in seconds",
        "Mean avg talk duration",
        "Mean satisfaction rating",
        "Calls",
    ]
    assert any("'Resolution rate'" in as_read(w.value) for w in at.warning)  # not a KPI of this room yet
    button(at, "Import").click().run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Imported"] == "740"
    assert any("aggregated per calendar month" in as_read(i.value) for i in at.info)
    check = Store(tmp_settings.db_path)
    try:
        rows = check.execute(
            "SELECT k.name, r.period, r.value FROM kpi_readings r JOIN kpis k ON k.id = r.kpi_id ORDER BY k.name"
        )
    finally:
        check.close()
    assert [(r[0], str(r[1])) for r in rows] == [
        ("Answer rate", "2021-01-01"),
        ("Mean satisfaction rating", "2021-01-01"),
    ]
    assert abs(rows[0][2] - 100.0 * (740 - 132) / 740) < 1e-9  # SOURCES.md: 132 of 740 calls unanswered


def test_olist_comments_are_proposed_and_imported_from_the_page(
    app_for: Callable[..., AppTest], tmp_settings: Settings, tmp_path: Path
) -> None:
    room_with_stages(tmp_settings).close()
    at = _open(app_for, tmp_settings, "surveys", shared("olist_reviews_sample.csv"), tmp_path)
    comments = at.multiselect(key="survey_comments")
    assert comments.value == ["review_comment_title", "review_comment_message"]
    button(at, "Import").click().run()
    assert not at.exception
    assert any("241 response(s) with a comment" in as_read(i.value) for i in at.info)

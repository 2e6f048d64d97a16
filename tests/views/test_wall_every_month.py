"""Every month with data opens on the wall and the stage page, however old: a
room with ten years of monthly KPI readings (over 60 months) and complaints and
survey answers in March 2017. Numbers are checked against SQL on the same file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from queries.wall_rooms import OLD_MONTH, decade_room
from streamlit.testing.v1 import AppTest

from cxroom.queries.wall.months import months_with_data
from cxroom.settings import Settings
from cxroom.store import Store


@pytest.fixture
def decade_settings(tmp_path: Path) -> Iterator[Settings]:
    settings = Settings(db_path=tmp_path / "decade.duckdb", media_dir=tmp_path / "media")
    store = Store(settings.db_path)
    decade_room(store)
    store.close()
    yield settings


def _sql(settings: Settings, sql: str, params: list[object]) -> list[tuple[object, ...]]:
    store = Store(settings.db_path)
    try:
        return store.execute(sql, params)
    finally:
        store.close()


def _complaints_per_stage(settings: Settings, month: date) -> list[int]:
    rows = _sql(
        settings,
        "SELECT count(c.id) FROM stages s LEFT JOIN complaints c ON c.stage_id = s.id "
        "AND date_trunc('month', c.received_at) = ? WHERE NOT s.archived GROUP BY s.id, s.position "
        "ORDER BY s.position, s.id",
        [month],
    )
    return [int(r[0]) for r in rows]


def _complaint_metrics(at: AppTest) -> list[int]:
    return [int(m.value.replace(",", "")) for m in at.metric if m.label.startswith("Complaints in")]


def test_every_month_with_data_is_listed(decade_settings: Settings) -> None:
    store = Store(decade_settings.db_path)
    try:
        months = months_with_data(store)
        expected = store.execute(
            "SELECT count(*) FROM (SELECT date_trunc('month', received_at) FROM complaints UNION "
            "SELECT date_trunc('month', period) FROM kpi_readings UNION "
            "SELECT date_trunc('month', answered_at) FROM survey_responses)"
        )[0][0]
    finally:
        store.close()
    assert len(months) == expected > 60
    assert months[-1] == date(2017, 1, 1) and OLD_MONTH in months
    assert months == sorted(months, reverse=True)


def test_a_month_nine_years_back_opens_on_the_wall(app_for: Callable[..., AppTest], decade_settings: Settings) -> None:
    at = app_for(decade_settings)
    at.query_params["month"] = "2017-03"
    at.run()
    assert not at.exception
    assert not at.warning, [w.value for w in at.warning]
    assert any("March 2017" in c.value for c in at.caption)
    # Alpha's seven; the empty stage shows no metric ("No complaints ... in the last 12 months").
    assert _complaint_metrics(at) == _complaints_per_stage(decade_settings, OLD_MONTH)[:1] == [7]
    assert _complaints_per_stage(decade_settings, OLD_MONTH)[1:] == [0]
    kpi = _sql(decade_settings, "SELECT value FROM kpi_readings WHERE period = ?", [OLD_MONTH])[0][0]
    text = "\n".join(m.value for m in at.markdown).replace("\\", "")
    assert "Answered in time  \n" in text and f"**{kpi:.1f}%**] · target" in text
    # The survey line: NPS of the four March 2017 answers (10, 10, 9 promoters, 2 detractor).
    assert "Pulse NPS **+50**" in text


def test_the_picker_goes_by_year_then_month(app_for: Callable[..., AppTest], decade_settings: Settings) -> None:
    at = app_for(decade_settings)
    at.query_params["month"] = "2026-10"
    at.run()
    years = at.selectbox(key="wall_month_year")
    assert years.options == [str(y) for y in range(2026, 2016, -1)]
    assert at.selectbox(key="wall_month").options == [
        "October 2026",
        "September 2026",
        "August 2026",
        "July 2026",
        "June 2026",
        "May 2026",
        "April 2026",
        "March 2026",
        "February 2026",
        "January 2026",
    ]
    years.set_value(2017).run()
    assert not at.exception
    # The same calendar month in the chosen year (October 2017 has a reading).
    assert at.query_params["month"] in ("2017-10", ["2017-10"])
    month = at.selectbox(key="wall_month")
    assert month.value == "2017-10"
    assert len(month.options) == 12
    month.set_value("2017-03").run()
    assert at.query_params["month"] in ("2017-03", ["2017-03"])
    assert _complaint_metrics(at) == _complaints_per_stage(decade_settings, OLD_MONTH)[:1]


def test_the_year_picker_falls_back_to_the_years_newest_month(
    app_for: Callable[..., AppTest], decade_settings: Settings
) -> None:
    at = app_for(decade_settings)
    at.query_params["month"] = "2026-10"
    at.run()
    # Readings of 2026 stop in October, so December 2018 -> 2026 cannot keep December.
    at.query_params["month"] = "2018-12"
    at.run()
    at.selectbox(key="wall_month_year").set_value(2026).run()
    assert at.query_params["month"] in ("2026-10", ["2026-10"])


def test_the_stage_page_opens_an_old_month(app_for: Callable[..., AppTest], decade_settings: Settings) -> None:
    at = app_for(decade_settings)
    at.switch_page("views/stage.py")
    at.query_params.update({"stage": "alpha", "month": "2017-03"})
    at.run()
    assert not at.exception
    assert not at.warning, [w.value for w in at.warning]
    assert at.selectbox(key="sd_month").value == "2017-03"
    assert at.selectbox(key="sd_month_year").value == 2017
    count = _sql(
        decade_settings,
        "SELECT count(*) FROM complaints c JOIN stages s ON s.id = c.stage_id "
        "WHERE s.slug = 'alpha' AND date_trunc('month', c.received_at) = ?",
        [OLD_MONTH],
    )[0][0]
    assert [m.value for m in at.metric if m.label == "Complaints in March"] == [str(count)]

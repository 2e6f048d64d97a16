"""A wall-screen column leads with its worst news: broken key moments, then what is off target."""

from __future__ import annotations

from datetime import date

from cxroom.insights.health import Band, StageHealth
from cxroom.queries.wall.kpis import KpiTile
from cxroom.queries.wall.stages import MomentView, StageInfo
from cxroom.queries.wall.wall_data import StageColumn
from cxroom.ui.display.news import stage_news, worst_kpi

MONTHS = (date(2026, 9, 1), date(2026, 10, 1))


def _kpi(kpi_id: int, name: str, value: float, target: float | None, warning: float | None = None) -> KpiTile:
    return KpiTile(
        kpi_id, 1, name, "%", "higher_better", target, warning, "", None, False, MONTHS, (value - 1.0, value)
    )


def _moment(moment_id: int, name: str, state: str, key: bool) -> MomentView:
    return MomentView(moment_id, 1, name, "", key, state, state)


def test_the_worst_news_leads_and_targets_stand_beside_values() -> None:
    col = StageColumn(
        stage=StageInfo(1, "claim", "Make a claim", "", "", "#123456", 1),
        health=StageHealth(82.0, Band.HEALTHY),
        moments=(
            _moment(1, "Claim acknowledged", "reliable", True),
            _moment(2, "Adjuster calls back", "unreliable", False),
            _moment(3, "Claim paid on time", "broken", True),
        ),
        kpis=(
            _kpi(1, "Claims lodged online", 91.0, 80.0),  # on target, first in the read model
            _kpi(2, "First contact resolution", 72.0, 75.0, 70.0),  # near target
            _kpi(3, "Claims settled within 10 days", 44.8, 70.0, 60.0),  # off target
            _kpi(4, "Calls answered", 55.0, None),
        ),
    )
    news = stage_news(col)
    assert [n.title for n in news] == [
        "Claim paid on time",
        "Claims settled within 10 days",
        "First contact resolution",
        "Adjuster calls back",
        "Claims lodged online",
        "Calls answered",
    ]
    settled = news[1]
    assert (settled.value, settled.detail, settled.tone) == ("44.8%", "target ≥ 70.0%", "red")
    assert news[0].value == "Broken" and news[0].detail == "key moment of truth"
    assert news[-1].detail == "+1.0 pts on last month"  # no target: the change instead
    assert "Claim acknowledged" not in [n.title for n in news]  # a reliable moment is not news


def test_the_spotlight_draws_the_worst_kpi_with_a_reading_in_its_year() -> None:
    unread = KpiTile(9, 1, "Never measured", "%", "higher_better", 90.0, 80.0, "", None, False, MONTHS, (None, None))
    col = StageColumn(
        stage=StageInfo(1, "claim", "Make a claim", "", "", "#123456", 1),
        health=StageHealth(60.0, Band.WATCH),
        kpis=(
            unread,  # would be the worst (no reading reads as no RAG), but has nothing to draw
            _kpi(1, "Claims lodged online", 91.0, 80.0),
            _kpi(2, "First contact resolution", 72.0, 75.0, 70.0),  # amber
            _kpi(3, "Calls answered", 50.0, 75.0, 70.0),  # red
            _kpi(4, "Letters sent", 40.0, 75.0, 70.0),  # red too: the read model's order decides
        ),
    )
    found = worst_kpi(col)
    assert found is not None and (found[0].name, found[1]) == ("Calls answered", "red")
    assert worst_kpi(StageColumn(stage=col.stage, health=col.health, kpis=(unread,))) is None

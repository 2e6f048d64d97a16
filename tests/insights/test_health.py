"""Red/amber/green of a KPI and the stage health formula (pure functions)."""

from __future__ import annotations

import pytest

from cxroom.insights.health import (
    HEALTH_FORMULA,
    Band,
    Rag,
    SurveyChange,
    band_for,
    complaint_score,
    kpi_rag,
    kpi_score,
    stage_health,
    survey_score,
)


@pytest.mark.parametrize(
    ("value", "target", "warning", "direction", "expected"),
    [
        (95, 90, 80, "higher_better", Rag.GREEN),
        (90, 90, 80, "higher_better", Rag.GREEN),  # meeting the target is on target
        (85, 90, 80, "higher_better", Rag.AMBER),
        (80, 90, 80, "higher_better", Rag.AMBER),  # at the warning line: still amber
        (79.9, 90, 80, "higher_better", Rag.RED),
        (3, 4, 6, "lower_better", Rag.GREEN),
        (4, 4, 6, "lower_better", Rag.GREEN),
        (5, 4, 6, "lower_better", Rag.AMBER),
        (6.1, 4, 6, "lower_better", Rag.RED),
        (85, 90, None, "higher_better", Rag.RED),  # no warning: a miss is red
        (3, 4, None, "lower_better", Rag.GREEN),
        (None, 90, 80, "higher_better", Rag.NONE),
        (85, None, 80, "higher_better", Rag.NONE),
    ],
)
def test_kpi_rag_honours_direction_target_and_warning(
    value: float | None, target: float | None, warning: float | None, direction: str, expected: Rag
) -> None:
    assert kpi_rag(value, target, warning, direction) is expected


def test_rag_and_band_have_icon_and_word_for_colour_blind_readers() -> None:
    for rag in Rag:
        assert rag.icon and rag.word
    assert {b.icon for b in Band} == {"✔", "⚠", "✖", "○"}


def test_kpi_score_averages_points_and_ignores_kpis_without_target() -> None:
    assert kpi_score([Rag.GREEN, Rag.AMBER, Rag.RED, Rag.NONE]) == 50.0
    assert kpi_score([Rag.NONE]) is None
    assert kpi_score([]) is None


@pytest.mark.parametrize(
    ("this_month", "average", "expected"),
    [(80, 100, 100.0), (100, 100, 100.0), (110, 100, 80.0), (125, 100, 50.0), (150, 100, 0.0), (300, 100, 0.0)],
)
def test_complaint_score(this_month: int, average: float, expected: float) -> None:
    assert complaint_score(this_month, average) == pytest.approx(expected)


def test_complaint_score_without_history_is_none() -> None:
    assert complaint_score(10, None) is None
    assert complaint_score(10, 0) is None


def test_survey_score_counts_only_drops_as_share_of_the_scale() -> None:
    # NPS scale is 200 wide: losing 8 points is 4 % of the scale, costs 20.
    assert survey_score([SurveyChange("nps", 10, 100, 18, 100)]) == pytest.approx(80.0)
    # A rise does not score above 100.
    assert survey_score([SurveyChange("csat", 80, 100, 70, 100)]) == pytest.approx(100.0)
    # CES (1-7, 6 wide): 0.6 lower is 10 % of the scale, costs 50.
    assert survey_score([SurveyChange("ces", 3.4, 100, 4.0, 100)]) == pytest.approx(50.0)
    # Response-weighted mean.
    mixed = [SurveyChange("csat", 60, 300, 70, 300), SurveyChange("csat", 75, 100, 70, 100)]
    assert survey_score(mixed) == pytest.approx((50.0 * 300 + 100.0 * 100) / 400)


def test_survey_score_ignores_small_samples() -> None:
    assert survey_score([SurveyChange("nps", 0, 12, 40, 200)]) is None
    assert survey_score([SurveyChange("nps", None, 0, 40, 200)]) is None


def test_stage_health_weights_and_reweights_missing_signals() -> None:
    full = stage_health([Rag.GREEN, Rag.RED], 110, 100.0, [SurveyChange("csat", 70, 100, 70, 100)])
    # 0.5 x 50 + 0.3 x 80 + 0.2 x 100 = 69
    assert full.score == pytest.approx(69.0)
    assert full.band is Band.WATCH
    kpis_only = stage_health([Rag.GREEN], None, None, [])
    assert kpis_only.score == pytest.approx(100.0)
    assert kpis_only.band is Band.HEALTHY
    nothing = stage_health([], None, None, [])
    assert nothing.score is None and nothing.band is Band.NO_DATA
    assert "No data" in nothing.label


def test_bands() -> None:
    assert band_for(75) is Band.HEALTHY
    assert band_for(74.9) is Band.WATCH
    assert band_for(50) is Band.WATCH
    assert band_for(49.9) is Band.AT_RISK
    assert band_for(None) is Band.NO_DATA


def test_explanation_names_every_signal() -> None:
    health = stage_health([Rag.AMBER], 90, 100.0, [])
    assert health.explain() == "KPIs vs target: 50 · Complaint trend: 100 · Survey change: no data"
    assert health.label.startswith("⚠ Watch")


def test_the_formula_shown_in_the_tooltip_states_the_weights_and_bands() -> None:
    for fragment in ("50%", "30%", "20%", "12 months", "Healthy", "At risk", "re-weighted"):
        assert fragment in HEALTH_FORMULA

"""Red/amber/green of a KPI and the stage health formula (pure functions)."""

from __future__ import annotations

import re

import pytest

from cxroom.insights.agenda_facts import KpiFacts, MomentFacts
from cxroom.insights.health import (
    HEALTH_FORMULA,
    Band,
    Rag,
    SurveyChange,
    band_for,
    complaint_score,
    kpi_rag,
    kpi_score,
    moment_score,
    stage_health,
    survey_score,
)


def kpi(name: str, value: float | None, target: float | None = 90.0, warning: float | None = 80.0) -> KpiFacts:
    """A higher-is-better KPI in percent."""
    return KpiFacts(1, 1, name, "%", "higher_better", target, warning, value, None)


def moment(name: str, state: str, is_key: bool = True) -> MomentFacts:
    return MomentFacts(1, 1, name, is_key, state, state)


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
    # Streamlit pages draw Material icons: symbol characters draw as empty boxes on a wall PC without their font.
    icons = [r.material for r in Rag] + [b.material for b in Band]
    assert all(re.fullmatch(r":material/[a-z_]+:", icon) for icon in icons), icons
    assert len({b.material for b in Band}) == len(Band) and len({r.material for r in Rag}) == len(Rag)


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
    full = stage_health(
        [kpi("A", 95), kpi("B", 10)], 110, 100.0, [SurveyChange("csat", 70, 100, 70, 100)], [moment("M", "unreliable")]
    )
    # 0.4 x 50 + 0.2 x 50 + 0.25 x 80 + 0.15 x 100 = 65
    assert full.score == pytest.approx(65.0)
    assert full.band is Band.WATCH
    kpis_only = stage_health([kpi("A", 95)], None, None, [])
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


def test_the_method_names_every_signal() -> None:
    health = stage_health([kpi("A", 85)], 90, 100.0, [])
    assert health.explain() == (
        "KPIs vs target: 50 · Moments of truth: no data · Complaint trend: 100 · Survey change: no data"
    )
    assert health.label == "Needs attention · 69"


def test_the_formula_shown_in_the_tooltip_states_the_weights_and_bands() -> None:
    for fragment in ("40%", "20%", "25%", "15%", "12 months", "Healthy", "At risk", "re-weighted", "never Healthy"):
        assert fragment in HEALTH_FORMULA


# -- honest health: the band is capped and the parts are said in words ------------------


@pytest.mark.parametrize(
    ("kpis", "moments"),
    [
        # One red KPI among many green, every moment differentiating: the score is high.
        (
            [kpi(f"K{i}", 99) for i in range(9)] + [kpi("Claims settled", 44.8, 70, None)],
            [moment("M", "differentiating")],
        ),
        # Every KPI green, one broken moment among reliable ones (a key moment or not).
        ([kpi("K", 99)], [moment(f"M{i}", "reliable") for i in range(6)] + [moment("Claim settled", "broken", False)]),
        ([], [moment(f"M{i}", "differentiating") for i in range(9)] + [moment("Claim settled", "broken")]),
    ],
)
def test_a_red_kpi_or_a_broken_moment_is_never_healthy(kpis: list[KpiFacts], moments: list[MomentFacts]) -> None:
    health = stage_health(kpis, 80, 100.0, [SurveyChange("csat", 80, 100, 70, 100)], moments)
    assert health.score is not None and health.score >= 75  # the score alone would read Healthy
    assert health.band is Band.WATCH and health.capped
    assert not health.label.startswith("Healthy")


def test_without_bad_news_a_high_score_is_healthy_and_a_low_one_is_not_lifted() -> None:
    good = stage_health([kpi("A", 95), kpi("B", 85)], 100, 100.0, [], [moment("M", "reliable")])
    assert good.band is Band.HEALTHY and not good.capped
    bad = stage_health([kpi("A", 10)], 200, 100.0, [], [moment("M", "broken")])
    assert bad.band is Band.AT_RISK and not bad.capped


def test_a_broken_moment_lowers_the_score() -> None:
    reliable = stage_health([kpi("A", 95)], None, None, [], [moment("M", "reliable")])
    broken = stage_health([kpi("A", 95)], None, None, [], [moment("M", "broken")])
    assert reliable.score == pytest.approx(100.0)
    assert broken.score == pytest.approx(0.4 / 0.6 * 100, abs=0.05)  # the score is kept to one decimal


def test_moment_score_counts_a_key_moment_twice() -> None:
    assert moment_score([moment("key", "broken"), moment("plain", "reliable", False)]) == pytest.approx(100 / 3)
    assert moment_score([]) is None


def test_the_explanation_names_the_kpi_its_value_and_its_target_and_the_broken_moment() -> None:
    health = stage_health(
        [kpi("Claims reported in one contact", 94.5), kpi("Claims settled within 10 days", 44.8, 70.0, None)],
        86,
        100.0,
        [],
        [moment("First notice of loss", "reliable"), moment("Claim acknowledged", "broken")],
    )
    assert health.explanation == (
        "Needs attention: 1 KPI off target (Claims settled within 10 days, 44.8% against target ≥ 70.0%); "
        "1 broken moment of truth (Claim acknowledged); complaints below a usual month"
    )


def test_the_explanation_in_words_for_good_and_very_bad_months() -> None:
    good = stage_health([kpi("A", 95), kpi("B", 99)], 100, 100.0, [], [moment("M", "reliable")])
    assert (
        good.explanation
        == "Healthy: every KPI on target; every moment of truth reliable; complaints about the same as a usual month"
    )
    bad = stage_health(
        [kpi("A", 85), kpi("B", 86), kpi("C", 10)],
        310,
        100.0,
        [SurveyChange("nps", 10, 100, 30, 100)],
        [moment("X", "unreliable"), moment("Y", "unreliable")],
    )
    assert bad.explanation == (
        "At risk: 1 KPI off target (C, 10.0% against target ≥ 90.0%); "
        "2 KPIs near target (A, 85.0% against target ≥ 90.0%; B, 86.0% against target ≥ 90.0%); "
        "2 unreliable moments of truth (X, Y); complaints about three times a usual month; "
        "1 survey score lower than last month"
    )
    for text in (good.explanation, bad.explanation):
        assert not re.search(r"\bNone\b|z =|p =|Poisson", text)
    assert stage_health([], None, None).explanation == "No data: nothing measured this month"

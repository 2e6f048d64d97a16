"""The unusual-rise rule against series whose answer was worked out by hand
(the arithmetic is in each test's comment)."""

from __future__ import annotations

import math

import pytest

from cxroom.insights.early_warning import Method, unusual_rise


def _year(flat: float = 100.0) -> list[float]:
    return [flat] * 12


def test_a_seasonal_peak_that_was_there_last_year_is_not_unusual() -> None:
    # 24 months at 100 except the same month last year at 200 (a winter peak);
    # this month 205. growth = (100+100+100)/(100+100+100) = 1; expected = 200 x 1 = 200;
    # z = (205 - 200) / sqrt(200 x (1 + 1)) = 5 / 20 = 0.25.
    series = _year() + _year()
    series[12] = 200
    series.append(205)
    check = unusual_rise(series)
    assert check.method is Method.SEASONAL
    assert check.expected == pytest.approx(200.0)
    assert check.z == pytest.approx(0.25)
    assert not check.unusual
    # ...although against last month it more than doubled: "went up" is not the rule.
    assert series[-1] / series[-2] > 2


def test_a_genuine_spike_is_unusual() -> None:
    # Flat at 100 for two years, then 150: expected = 100 x 1 = 100;
    # z = 50 / sqrt(100 x 2) = 50 / 14.142 = 3.536 >= 3 and 50 >= 5 more complaints.
    check = unusual_rise([*_year(), *_year(), 150])
    assert check.method is Method.SEASONAL
    assert check.expected == pytest.approx(100.0)
    assert check.z == pytest.approx(50 / math.sqrt(200))
    assert check.unusual
    assert "unusual rise" in check.explain()


def test_a_steady_trend_is_expected_but_a_spike_on_top_of_it_is_not() -> None:
    # The same three months a year ago: 100 each; the last three: 120 each;
    # the same month last year: 100. growth = 360 / 300 = 1.2; expected = 120.
    series = [100.0] * 12 + [100.0] + [110.0] * 8 + [120.0] * 3
    assert len(series) == 24
    on_trend = unusual_rise([*series, 130])
    # z = (130 - 120) / sqrt(120 x 2.2) = 10 / 16.248 = 0.615
    assert on_trend.expected == pytest.approx(120.0)
    assert on_trend.z == pytest.approx(10 / math.sqrt(264))
    assert not on_trend.unusual
    spike = unusual_rise([*series, 175])
    # z = 55 / 16.248 = 3.385
    assert spike.z == pytest.approx(55 / math.sqrt(264))
    assert spike.unusual


def test_with_less_than_fifteen_months_the_trailing_mean_is_the_baseline() -> None:
    # History 10, 12, 8, 10: mean 10 over k = 4 months; z = 20 / sqrt(10 x 1.25) = 5.657.
    check = unusual_rise([10, 12, 8, 10, 30])
    assert check.method is Method.TRAILING
    assert check.expected == pytest.approx(10.0)
    assert check.z == pytest.approx(20 / math.sqrt(12.5))
    assert check.unusual


def test_the_trailing_mean_uses_at_most_six_months() -> None:
    # 50, 50 then six months of 10: mean of the last six = 10.
    check = unusual_rise([50, 50, 10, 10, 10, 10, 10, 10, 12])
    assert check.expected == pytest.approx(10.0)
    assert check.z == pytest.approx(2 / math.sqrt(10 * (1 + 1 / 6)))
    assert not check.unusual


def test_a_tiny_category_needs_five_more_complaints_to_count() -> None:
    # Mean 1 over six months; 1 -> 5 is z = 4 / sqrt(1 x 7/6) = 3.70 but only 4 more complaints.
    small = unusual_rise([1, 0, 1, 2, 1, 1, 5])
    assert small.z == pytest.approx(4 / math.sqrt(7 / 6))
    assert not small.unusual
    # 1 -> 6: five more, z = 4.63: unusual.
    assert unusual_rise([1, 0, 1, 2, 1, 1, 6]).unusual


def test_without_a_year_ago_baseline_the_rule_falls_back_to_the_trailing_mean() -> None:
    # A category that did not exist a year ago: zeros where the seasonal rule needs data.
    series = [0.0] * 13 + [20.0] * 11
    check = unusual_rise([*series, 40])
    assert check.method is Method.TRAILING
    assert check.expected == pytest.approx(20.0)
    # z = 20 / sqrt(20 x 7/6) = 4.14
    assert check.unusual


def test_too_little_history_is_not_judged() -> None:
    for series in ([], [40], [5, 40], [5, 5, 40]):
        check = unusual_rise(series)
        assert check.method is Method.NOT_ENOUGH_DATA
        assert not check.unusual
        assert check.expected is None
    assert "not enough history" in unusual_rise([5, 40]).explain()


def test_the_threshold_is_a_parameter_and_falls_are_never_rises() -> None:
    series = [*_year(), *_year(), 130]  # z = 30 / sqrt(200) = 2.12
    assert not unusual_rise(series).unusual
    assert unusual_rise(series, threshold=2.0).unusual
    fall = unusual_rise([*_year(), *_year(), 40])
    assert fall.z is not None and fall.z < 0
    assert not fall.unusual

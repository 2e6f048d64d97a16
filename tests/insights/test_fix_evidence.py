"""The verdict on a fix's evidence, against cases computed by hand.

Every series is monthly; the charter is 1 Jan 2026 unless a test says
otherwise, so readings dated before it are the baseline."""

from __future__ import annotations

import math
from datetime import date

import pytest

from cxroom.insights import fix_evidence as fe
from cxroom.insights import fix_statistics as fs
from cxroom.models import Direction

CHARTER = date(2026, 1, 1)


def series(before: list[float], after: list[float], charter: date = CHARTER) -> list[fs.Reading]:
    """``before`` ends the month before the charter; ``after`` starts on the charter month."""
    out = [fs.Reading(fs.add_months(charter, i - len(before)), v) for i, v in enumerate(before)]
    out += [fs.Reading(fs.add_months(charter, i), v) for i, v in enumerate(after)]
    return out


# -- the statistics, by hand -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("t", "df", "p"),
    [
        (2.228139, 10, 0.05),  # the textbook 97.5% quantile of t(10)
        (12.706205, 1, 0.05),  # t(1) is Cauchy: P(|T| > 12.706) = 0.05
        (2.0, 10, 0.073388),
        (1.959964, 1e7, 0.05),  # large df: the normal distribution
        (0.0, 5, 1.0),
    ],
)
def test_student_t_two_sided_p_matches_tables(t: float, df: float, p: float) -> None:
    assert fs.student_t_two_sided_p(t, df) == pytest.approx(p, abs=2e-6)
    assert fs.student_t_two_sided_p(-t, df) == pytest.approx(p, abs=2e-6)


def test_welch_t_test_by_hand() -> None:
    # a: mean 2.5, var 5/3 -> 0.41667 per mean; b: mean 5, var 2.5 -> 0.5 per mean
    # se = sqrt(0.91667) = 0.95743, t = 2.5 / 0.95743 = 2.6112
    # df = 0.91667^2 / (0.41667^2/3 + 0.5^2/4) = 6.9808; R's t.test gives p = 0.03494
    result = fs.welch_t_test([1, 2, 3, 4], [3, 4, 5, 6, 7])
    assert result.t == pytest.approx(2.6112, abs=1e-4)
    assert result.df == pytest.approx(6.9808, abs=1e-4)
    assert result.p == pytest.approx(0.03494, abs=1e-4)


def test_welch_t_test_of_flat_periods() -> None:
    assert fs.welch_t_test([5, 5, 5], [5, 5]).p == 1.0
    different = fs.welch_t_test([5, 5, 5], [7, 7])
    assert different.p == 0.0 and math.isinf(different.t) and different.t > 0
    with pytest.raises(ValueError, match="two values"):
        fs.welch_t_test([1], [2, 3])


def test_control_limits_by_hand() -> None:
    # mean 70/6 = 11.6667; moving ranges 2,1,2,1,0 -> mean 1.2; sigma = 1.2 / 1.128 = 1.06383
    limits = fs.control_limits([10, 12, 11, 13, 12, 12])
    assert limits.centre == pytest.approx(11.6667, abs=1e-4)
    assert limits.sigma == pytest.approx(1.06383, abs=1e-5)
    assert limits.upper == pytest.approx(11.6667 + 3.19149, abs=1e-4)
    assert limits.lower == pytest.approx(11.6667 - 3.19149, abs=1e-4)


def test_longest_run_and_target() -> None:
    assert fs.longest_run([1, 3, 3, 0, 3, 3, 3], above=2, higher=True) == 3
    assert fs.longest_run([1, 3, 3, 0, 3, 3, 3], above=2, higher=False) == 1
    assert fs.target_met(90, 90, Direction.HIGHER_BETTER)
    assert not fs.target_met(89.9, 90, Direction.HIGHER_BETTER)
    assert fs.target_met(58, 60, Direction.LOWER_BETTER)
    assert not fs.target_met(61, 60, Direction.LOWER_BETTER)


def test_fill_months_puts_zero_in_quiet_months() -> None:
    filled = fs.fill_months(
        [(date(2026, 1, 1), 4), (date(2026, 3, 1), 2)], first=date(2025, 12, 1), last=date(2026, 4, 1)
    )
    assert [(r.period, r.value) for r in filled] == [
        (date(2025, 12, 1), 0.0),
        (date(2026, 1, 1), 4.0),
        (date(2026, 2, 1), 0.0),
        (date(2026, 3, 1), 2.0),
        (date(2026, 4, 1), 0.0),
    ]
    assert fs.add_months(date(2026, 1, 15), -1) == date(2025, 12, 1)
    assert fs.add_months(date(2025, 11, 1), 14) == date(2027, 1, 1)


# -- verdicts ------------------------------------------------------------------------------------

BEFORE = [60, 62, 61, 63, 61, 62]  # mean 61.5, moving ranges 2,1,2,2,1 -> sigma 1.418
CLEAR_GAIN = [70, 72, 71, 73, 72, 74]  # mean 72


def test_clear_improvement_when_higher_is_better() -> None:
    ev = fe.assess(series(BEFORE, CLEAR_GAIN), charter=CHARTER, direction="higher_better", target=70, unit="%")
    assert ev.verdict is fe.Verdict.IMPROVED
    assert ev.before_mean == pytest.approx(61.5)
    assert ev.after_mean == pytest.approx(72.0)
    assert ev.change == pytest.approx(10.5)
    assert ev.welch is not None and ev.welch.p < 0.001
    assert ev.limits is not None and ev.limits.upper == pytest.approx(61.5 + 3 * 1.6 / 1.128)
    assert ev.good_signals and not ev.bad_signals
    assert ev.target_met and ev.latest == fs.Reading(date(2026, 6, 1), 74)
    # says how much data it used and since when
    assert ev.n_before == 6 and ev.n_after == 6
    assert "6 monthly readings since the charter (Jan 2026 – Jun 2026)" in ev.explanation
    assert "6 months before (Jul 2025 – Dec 2025)" in ev.explanation
    assert "10.5 points better" in ev.explanation
    assert ev.data_used == "6 months before (Jul 2025 – Dec 2025), 6 since (Jan 2026 – Jun 2026)"


def test_the_same_numbers_are_worse_when_lower_is_better() -> None:
    ev = fe.assess(series(BEFORE, CLEAR_GAIN), charter=CHARTER, direction=Direction.LOWER_BETTER, target=55)
    assert ev.verdict is fe.Verdict.WORSE
    assert not ev.target_met
    assert ev.bad_signals and not ev.good_signals
    assert "worse" in ev.explanation


def test_wait_time_going_up_is_worse_and_going_down_is_improved() -> None:
    up = fe.assess(series([80, 82, 79, 81, 80, 82], [95, 97, 96, 98]), charter=CHARTER, direction="lower_better")
    assert up.verdict is fe.Verdict.WORSE
    down = fe.assess(series([80, 82, 79, 81, 80, 82], [65, 66, 64, 63]), charter=CHARTER, direction="lower_better")
    assert down.verdict is fe.Verdict.IMPROVED


def test_noise_only_is_no_change_yet() -> None:
    # before mean 403/8 = 50.375, after mean 50.5: a difference well inside the noise
    ev = fe.assess(
        series([50, 52, 49, 51, 50, 52, 48, 51], [51, 49, 52, 50]), charter=CHARTER, direction="higher_better"
    )
    assert ev.verdict is fe.Verdict.NO_CHANGE
    assert ev.welch is not None and ev.welch.p > 0.5
    assert not ev.good_signals and not ev.bad_signals
    assert ev.explanation.startswith("No change yet")
    assert fe.Verdict.NO_CHANGE.label == "no change yet"


def test_a_long_run_on_the_good_side_is_improvement_even_when_the_means_test_is_not() -> None:
    # noisy baseline (mean 50, sd 8.7): the t-test cannot see a 1.6-point gain, but 8 months in a row
    # above the baseline mean is a sustained shift (Western Electric rule 4)
    ev = fe.assess(
        series([40, 60, 45, 55, 42, 58], [51, 52, 51, 53, 51, 52, 51, 52]), charter=CHARTER, direction="higher_better"
    )
    assert ev.welch is not None and ev.welch.p > 0.05
    assert ev.verdict is fe.Verdict.IMPROVED
    assert ev.good_signals == ("8 readings in a row above the baseline mean",)


def test_a_single_unusual_month_is_not_yet_an_improvement() -> None:
    # baseline 50/51 alternating: sigma 1/1.128, upper limit 53.16; one month at 56, then back to normal
    ev = fe.assess(series([50, 51, 50, 51, 50, 51], [50.2, 56, 50.2, 50.8]), charter=CHARTER, direction="higher_better")
    assert ev.good_signals == ("1 reading above the control limit (53.2)",)
    assert ev.verdict is fe.Verdict.NO_CHANGE
    assert "not yet a sustained shift" in ev.explanation


def test_an_improvement_that_slipped_back_is_not_improved() -> None:
    ev = fe.assess(
        series([60, 61, 60, 61, 60, 61], [70, 71, 70, 71, 70, 59]), charter=CHARTER, direction="higher_better"
    )
    assert ev.welch is not None and ev.welch.p < 0.05
    assert ev.verdict is fe.Verdict.NO_CHANGE
    assert "back on the other side" in ev.explanation


@pytest.mark.parametrize(
    ("before", "after", "why"),
    [
        ([60, 61, 62, 60, 61], [70, 71, 72, 73], "there are 5 before and 4 since"),
        ([60, 61, 62, 60, 61, 62], [70, 71], "there are 6 before and 2 since"),
        ([], [70, 71, 72, 73], "no reading before the charter"),
        ([], [], "no reading before the charter"),
    ],
)
def test_too_little_data(before: list[float], after: list[float], why: str) -> None:
    ev = fe.assess(series(before, after), charter=CHARTER, direction="higher_better", target=65)
    assert ev.verdict is fe.Verdict.TOO_LITTLE_DATA
    assert why in ev.explanation
    assert ev.welch is None and ev.limits is None
    # a met target still counts, even with too little data for a verdict
    assert ev.target_met is bool(after)


def test_the_baseline_window_is_the_last_twelve_months() -> None:
    old = [10.0] * 12  # two years ago the KPI sat at 10
    recent = [60, 62, 61, 63, 61, 62, 60, 62, 61, 63, 61, 62]
    ev = fe.assess(series(old + recent, CLEAR_GAIN), charter=CHARTER, direction="higher_better")
    assert ev.n_before == 12 and ev.before_mean == pytest.approx(61.5)
    assert ev.before_from == date(2025, 1, 1)


def test_readings_on_the_charter_date_count_as_since() -> None:
    charter = date(2026, 1, 15)  # mid-month: the January reading is dated the 1st, before the charter
    ev = fe.assess(series(BEFORE, CLEAR_GAIN), charter=charter, direction="higher_better")
    assert ev.n_before == 7 and ev.n_after == 5


def test_celebration_basis_prefers_a_met_target_then_improvement() -> None:
    improved = fe.assess(series(BEFORE, CLEAR_GAIN), charter=CHARTER, direction="higher_better", target=80, unit="%")
    met = fe.assess(series([95] * 3, [97, 98]), charter=CHARTER, direction="higher_better", target=95, unit="%")
    flat = fe.assess(series([50, 52, 49, 51, 50, 52], [51, 49, 52]), charter=CHARTER, direction="higher_better")
    assert fe.celebration_basis([("Flat", flat)]) is None
    by_gain = fe.celebration_basis([("Flat", flat), ("Call-backs", improved)])
    assert by_gain is not None and by_gain.basis == "improved"
    assert by_gain.summary.startswith("Call-backs: improved from an average of 61.5% to 72.0% since the fix")
    by_target = fe.celebration_basis([("Call-backs", improved), ("Documents", met)])
    assert by_target is not None and by_target.basis == "target_met"
    assert by_target.summary == "Documents: 98.0% in Feb 2026 meets the target of 95.0%."

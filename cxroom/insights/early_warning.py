"""The "unusual rise" rule: did a complaint category rise beyond what its own
history leads us to expect, rather than merely "go up"?

Pure function on a monthly count series (oldest first, the month under review
last). Counts are treated as Poisson, and the expectation is built from the
series itself so a seasonal peak or a steady trend is not mistaken for news:

* **Seasonal-naive** (15 or more earlier months): expected = the same month
  last year × the year-on-year growth, where growth = (sum of the last 3
  months) / (sum of the same 3 months a year earlier). A January peak that
  was there last January too is expected; so is a category that has grown
  20 % all year.
* **Trailing baseline** (3-14 earlier months): expected = mean of up to the
  last 6 months.

The excess is scored as a Poisson z-score whose variance includes the noise of
the baseline itself:

    seasonal: z = (actual - expected) / sqrt(expected × (1 + growth))
    trailing: z = (actual - expected) / sqrt(expected × (1 + 1/k)),  k = months averaged

A month is an **unusual rise** when z ≥ 3 *and* it is at least 5 complaints
above expectation (so 1 → 4 in a tiny category is not news). Fewer than 3
earlier months: not judged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from cxroom.formatting import fmt_count, times_usual

__all__ = [
    "MIN_EXCESS",
    "RULE_TEXT",
    "SEASONAL_HISTORY",
    "THRESHOLD_Z",
    "Method",
    "RiseCheck",
    "unusual_rise",
]

THRESHOLD_Z = 3.0
MIN_EXCESS = 5
SEASONAL_HISTORY = 15  # earlier months needed for the seasonal-naive expectation
TRAILING_MIN = 3
TRAILING_MAX = 6
GROWTH_WINDOW = 3

RULE_TEXT = (
    f"**Unusual rise**: this month is at least {THRESHOLD_Z:g} standard deviations (Poisson) and "
    f"{MIN_EXCESS} complaints above what the category's own history predicts: the same month last "
    f"year × this year's growth (with {SEASONAL_HISTORY}+ months of history), otherwise the mean of "
    f"the last {TRAILING_MAX} months. Seasonal peaks and steady trends are expected, not unusual."
)


class Method(StrEnum):
    SEASONAL = "seasonal"
    TRAILING = "trailing"
    NOT_ENOUGH_DATA = "not_enough_data"


@dataclass(frozen=True)
class RiseCheck:
    actual: int
    expected: float | None
    z: float | None
    method: Method
    unusual: bool

    @property
    def excess(self) -> float | None:
        return None if self.expected is None else self.actual - self.expected

    def explain(self) -> str:
        """One line for the agenda and the presenter screen."""
        if self.method is Method.NOT_ENOUGH_DATA or self.expected is None or self.z is None:
            return f"{self.actual} this month (not enough history to judge)"
        basis = "seasonal expectation" if self.method is Method.SEASONAL else "recent average"
        verdict = "unusual rise" if self.unusual else "within the usual range"
        return f"{self.actual} vs {self.expected:.0f} expected ({basis}), z = {self.z:.1f}: {verdict}"

    def in_words(self) -> str:
        """The same judgement for leaders, without statistics: '45 complaints, about three times a
        usual month'. The method (expected count, z, Poisson) is ``method_text``'s, for an expander."""
        counted = fmt_count(self.actual, "complaint")
        if self.method is Method.NOT_ENOUGH_DATA or self.expected is None:
            return f"{counted} this month (too little history to say what is usual)"
        usual = "the usual for this time of year" if self.method is Method.SEASONAL else "a usual month"
        return f"{counted} this month, {times_usual(self.actual, self.expected, usual=usual)}"

    def method_text(self) -> str:
        """How the judgement was made, for the method expander (the statistics live here only)."""
        return self.explain()


def _z(actual: float, expected: float, variance_factor: float) -> float:
    variance = max(expected, 1.0) * variance_factor
    return (actual - expected) / math.sqrt(variance)


def unusual_rise(
    counts: Sequence[int | float],
    *,
    threshold: float = THRESHOLD_Z,
    min_excess: float = MIN_EXCESS,
) -> RiseCheck:
    """Judge the last value of ``counts`` (monthly, oldest first, no gaps: a month
    without complaints is 0) against the series' own history."""
    if not counts:
        return RiseCheck(0, None, None, Method.NOT_ENOUGH_DATA, False)
    values = [max(0.0, float(v)) for v in counts]
    actual = values[-1]
    history = values[:-1]
    actual_int = round(actual)

    if len(history) >= SEASONAL_HISTORY:
        recent = sum(history[-GROWTH_WINDOW:])
        year_before = sum(history[-12 - GROWTH_WINDOW : -12])
        same_month_last_year = history[-12]
        if year_before > 0 and same_month_last_year > 0:
            growth = recent / year_before
            expected = same_month_last_year * growth
            z = _z(actual, expected, 1.0 + growth)
            unusual = z >= threshold and actual - expected >= min_excess
            return RiseCheck(actual_int, expected, z, Method.SEASONAL, unusual)

    if len(history) >= TRAILING_MIN:
        window = history[-TRAILING_MAX:]
        k = len(window)
        expected = sum(window) / k
        z = _z(actual, expected, 1.0 + 1.0 / k)
        unusual = z >= threshold and actual - expected >= min_excess
        return RiseCheck(actual_int, expected, z, Method.TRAILING, unusual)

    return RiseCheck(actual_int, None, None, Method.NOT_ENOUGH_DATA, False)

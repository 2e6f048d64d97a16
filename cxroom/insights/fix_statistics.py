"""The statistics behind a fix's verdict: Welch's t-test, XmR control limits, runs, monthly series.

Pure functions on plain numbers (no SQL, no Streamlit). The t distribution's tail comes
from the incomplete beta function, so no statistics library is needed; the tests check it
against published t tables. fix_evidence turns these numbers into a verdict in words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from cxroom.models import Direction

__all__ = [
    "D2",
    "ControlLimits",
    "Reading",
    "WelchResult",
    "add_months",
    "control_limits",
    "fill_months",
    "longest_run",
    "mean",
    "student_t_two_sided_p",
    "target_met",
    "welch_t_test",
]

D2 = 1.128  # the bias constant d2 for moving ranges of two consecutive points


@dataclass(frozen=True)
class Reading:
    period: date
    value: float


@dataclass(frozen=True)
class WelchResult:
    t: float
    df: float
    p: float
    mean_a: float
    mean_b: float


@dataclass(frozen=True)
class ControlLimits:
    centre: float
    sigma: float
    lower: float
    upper: float


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _variance(values: Sequence[float]) -> float:
    """Sample variance (n - 1 in the denominator)."""
    m = mean(values)
    return sum((v - m) ** 2 for v in values) / (len(values) - 1)


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (d if abs(d) > tiny else tiny)
        c = 1.0 + aa / c
        c = c if abs(c) > tiny else tiny
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-14:
            break
    return h


def _betai(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _betacf(a, b, x) / a
    return 1.0 - front * _betacf(b, a, 1.0 - x) / b


def student_t_two_sided_p(t: float, df: float) -> float:
    """P(|T| >= |t|) for Student's t with ``df`` degrees of freedom (df may be fractional)."""
    if math.isnan(t) or df <= 0:
        return 1.0
    if math.isinf(t):
        return 0.0
    return min(1.0, max(0.0, _betai(df / 2.0, 0.5, df / (df + t * t))))


def welch_t_test(a: Sequence[float], b: Sequence[float]) -> WelchResult:
    """Welch's unequal-variances t-test of mean(b) - mean(a). Needs two values on each side."""
    if len(a) < 2 or len(b) < 2:
        raise ValueError("Welch's t-test needs at least two values on each side")
    mean_a, mean_b = mean(a), mean(b)
    va, vb = _variance(a) / len(a), _variance(b) / len(b)
    se2 = va + vb
    diff = mean_b - mean_a
    if se2 == 0.0:
        # Both periods perfectly flat: any difference is certain, none is none.
        if diff == 0.0:
            return WelchResult(0.0, float(len(a) + len(b) - 2), 1.0, mean_a, mean_b)
        return WelchResult(math.copysign(math.inf, diff), float(len(a) + len(b) - 2), 0.0, mean_a, mean_b)
    t = diff / math.sqrt(se2)
    df = se2**2 / ((va**2 / (len(a) - 1) if va else 0.0) + (vb**2 / (len(b) - 1) if vb else 0.0))
    return WelchResult(t, df, student_t_two_sided_p(t, df), mean_a, mean_b)


def control_limits(baseline: Sequence[float]) -> ControlLimits:
    """XmR (individuals) chart limits from a baseline: mean ± 3 · mean moving range / d2."""
    if len(baseline) < 2:
        raise ValueError("control limits need at least two baseline values")
    centre = mean(baseline)
    moving_ranges = [abs(b - a) for a, b in pairwise(baseline)]
    sigma = mean(moving_ranges) / D2
    return ControlLimits(centre, sigma, centre - 3 * sigma, centre + 3 * sigma)


def longest_run(values: Iterable[float], *, above: float, higher: bool) -> int:
    """The longest run of consecutive values strictly above (higher=True) or below ``above``."""
    best = run = 0
    for value in values:
        on_side = value > above if higher else value < above
        run = run + 1 if on_side else 0
        best = max(best, run)
    return best


def target_met(value: float, target: float, direction: Direction) -> bool:
    return value >= target if direction is Direction.HIGHER_BETTER else value <= target


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after (or before, if negative) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def fill_months(counts: Iterable[tuple[date, float]], *, first: date, last: date) -> list[Reading]:
    """Monthly counts from ``first`` to ``last`` (first-of-month dates), missing months as 0."""
    by_month = {d.replace(day=1): float(v) for d, v in counts}
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        day = date(year, month, 1)
        out.append(Reading(day, by_month.get(day, 0.0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out

"""Did the fix work? The verdict on a fix's evidence, from the room's own data.

Pure functions on plain numbers (no SQL, no Streamlit), so every rule can be
tested against hand-computed cases. docs/fixes.md explains the rules in words.

The question asked of every monthly series linked to a fix (a KPI, or the
complaint volume of its moment or stage) is: are the readings since the
charter different from the readings before it, beyond what the series' own
month-to-month noise explains, and in the direction that is good for the
customer? Two lenses look at it:

1. **Welch's t-test** on the mean of the readings before the charter (the
   baseline window: up to ``BASELINE_WINDOW`` months) against the mean of the
   readings since. Two-sided, significant at ``ALPHA``. Welch's version does
   not assume the two periods are equally noisy.
2. **An XmR control chart** of the baseline window: centre line = baseline
   mean, sigma = mean moving range / 1.128, limits = centre ± 3 sigma. Since
   the charter it looks for a run of ``RUN_LENGTH`` readings in a row on one
   side of the centre line (Western Electric rule 4: a sustained shift), and
   reports readings beyond a limit (rule 1: an unusual month).

"improved" needs a sustained shift to the good side (a significant t-test, or
the run), no significant t-test the other way, and the latest reading still
on the good side of the baseline mean (a fix that slipped back is not
improved). "worse" is the mirror image. Anything else with enough data is
"no change yet". Fewer than ``MIN_BEFORE`` readings before the charter or
``MIN_AFTER`` since is "too little data".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import pairwise
from typing import Any

from cxroom.models import Direction

__all__ = [
    "ALPHA",
    "BASELINE_WINDOW",
    "D2",
    "MIN_AFTER",
    "MIN_BEFORE",
    "RUN_LENGTH",
    "Celebration",
    "ControlLimits",
    "Evidence",
    "Reading",
    "Verdict",
    "WelchResult",
    "add_months",
    "assess",
    "celebration_basis",
    "control_limits",
    "fill_months",
    "longest_run",
    "student_t_two_sided_p",
    "target_met",
    "welch_t_test",
]

MIN_BEFORE = 6
MIN_AFTER = 3
BASELINE_WINDOW = 12
RUN_LENGTH = 8
ALPHA = 0.05
D2 = 1.128  # the bias constant d2 for moving ranges of two consecutive points


class Verdict(StrEnum):
    IMPROVED = "improved"
    NO_CHANGE = "no_change"
    WORSE = "worse"
    TOO_LITTLE_DATA = "too_little_data"

    @property
    def label(self) -> str:
        return {
            "improved": "improved",
            "no_change": "no change yet",
            "worse": "worse",
            "too_little_data": "too little data",
        }[self.value]

    @property
    def icon(self) -> str:
        return {"improved": "▲", "no_change": "＝", "worse": "▼", "too_little_data": "…"}[self.value]

    @property
    def colour(self) -> str:
        """A Streamlit badge colour; the label and icon carry the meaning too."""
        return {"improved": "green", "no_change": "blue", "worse": "red", "too_little_data": "gray"}[self.value]


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


@dataclass(frozen=True)
class Evidence:
    """The verdict on one series, with everything needed to explain it."""

    verdict: Verdict
    direction: Direction
    charter: date
    explanation: str
    n_before: int = 0
    n_after: int = 0
    before_from: date | None = None
    before_to: date | None = None
    after_from: date | None = None
    after_to: date | None = None
    before_mean: float | None = None
    after_mean: float | None = None
    welch: WelchResult | None = None
    limits: ControlLimits | None = None
    good_signals: tuple[str, ...] = ()
    bad_signals: tuple[str, ...] = ()
    latest: Reading | None = None
    target: float | None = None
    target_met: bool = False
    unit: str = ""

    @property
    def summary(self) -> str:
        """'61.2% → 84.9% (p < 0.001)': the shift in one line."""
        if self.before_mean is None or self.after_mean is None:
            return self.verdict.label
        text = f"{_num(self.before_mean, self.unit)} → {_num(self.after_mean, self.unit)}"
        return f"{text} ({_p_text(self.welch.p)})" if self.welch is not None else text

    @property
    def change(self) -> float | None:
        if self.before_mean is None or self.after_mean is None:
            return None
        return self.after_mean - self.before_mean

    @property
    def data_used(self) -> str:
        """'12 months before (Oct 2024 – Sep 2025), 11 since (Oct 2025 – Aug 2026)'."""
        return f"{_count(self.n_before, 'month')} before{_span(self.before_from, self.before_to)}, " + (
            f"{self.n_after} since{_span(self.after_from, self.after_to)}"
        )


@dataclass(frozen=True)
class Celebration:
    """Why a fix may be celebrated: 'target_met' or 'improved', and the proof in words."""

    basis: str
    summary: str


# -- statistics ---------------------------------------------------------------


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _variance(values: Sequence[float]) -> float:
    """Sample variance (n - 1 in the denominator)."""
    m = _mean(values)
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
    mean_a, mean_b = _mean(a), _mean(b)
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
    centre = _mean(baseline)
    moving_ranges = [abs(b - a) for a, b in pairwise(baseline)]
    sigma = _mean(moving_ranges) / D2
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


# -- the verdict ------------------------------------------------------------------


def _month(d: date | None) -> str:
    return "" if d is None else d.strftime("%b %Y")


def _span(first: date | None, last: date | None) -> str:
    if first is None or last is None:
        return ""
    if first == last:
        return f" ({_month(first)})"
    return f" ({_month(first)} – {_month(last)})"


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _num(value: float, unit: str) -> str:
    text = f"{value:,.1f}".rstrip("0").rstrip(".") if abs(value) < 1000 else f"{value:,.0f}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()


def _p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def assess(
    readings: Iterable[Reading | tuple[date, float]],
    *,
    charter: date,
    direction: Direction | str,
    target: float | None = None,
    unit: str = "",
) -> Evidence:
    """The verdict on one monthly series around a fix's charter date.

    Readings dated before ``charter`` are the baseline (the last
    ``BASELINE_WINDOW`` of them); readings on or after it are "since".
    ``direction`` says which way is good for the customer.
    """
    direction = Direction(direction)
    higher = direction is Direction.HIGHER_BETTER
    series = sorted(
        (r if isinstance(r, Reading) else Reading(r[0], float(r[1])) for r in readings), key=lambda r: r.period
    )
    before = [r for r in series if r.period < charter][-BASELINE_WINDOW:]
    after = [r for r in series if r.period >= charter]
    latest = after[-1] if after else None
    met = latest is not None and target is not None and target_met(latest.value, target, direction)
    common: dict[str, Any] = {
        "direction": direction,
        "charter": charter,
        "n_before": len(before),
        "n_after": len(after),
        "before_from": before[0].period if before else None,
        "before_to": before[-1].period if before else None,
        "after_from": after[0].period if after else None,
        "after_to": after[-1].period if after else None,
        "before_mean": _mean([r.value for r in before]) if before else None,
        "after_mean": _mean([r.value for r in after]) if after else None,
        "latest": latest,
        "target": target,
        "target_met": met,
        "unit": unit,
    }
    if len(before) < MIN_BEFORE or len(after) < MIN_AFTER:
        if not before:
            why = f"there is no reading before the charter ({charter:%d %b %Y}), so there is no baseline"
        else:
            why = (
                f"the verdict needs {MIN_BEFORE} monthly readings before the charter and {MIN_AFTER} since; "
                f"there are {len(before)} before and {len(after)} since"
            )
        return Evidence(verdict=Verdict.TOO_LITTLE_DATA, explanation=f"Too little data: {why}.", **common)

    b_values = [r.value for r in before]
    a_values = [r.value for r in after]
    welch = welch_t_test(b_values, a_values)
    limits = control_limits(b_values)
    diff = welch.mean_b - welch.mean_a
    better = diff > 0 if higher else diff < 0
    significant = welch.p < ALPHA and diff != 0.0

    good_limit, bad_limit = (limits.upper, limits.lower) if higher else (limits.lower, limits.upper)
    beyond_good = sum(1 for v in a_values if (v > good_limit if higher else v < good_limit))
    beyond_bad = sum(1 for v in a_values if (v < bad_limit if higher else v > bad_limit))
    run_good = longest_run(a_values, above=limits.centre, higher=higher)
    run_bad = longest_run(a_values, above=limits.centre, higher=not higher)
    side = "above" if higher else "below"
    other = "below" if higher else "above"
    good: list[str] = []
    bad: list[str] = []
    if beyond_good:
        good.append(f"{_count(beyond_good, 'reading')} {side} the control limit ({_num(good_limit, unit)})")
    if run_good >= RUN_LENGTH:
        good.append(f"{run_good} readings in a row {side} the baseline mean")
    if beyond_bad:
        bad.append(f"{_count(beyond_bad, 'reading')} {other} the control limit ({_num(bad_limit, unit)})")
    if run_bad >= RUN_LENGTH:
        bad.append(f"{run_bad} readings in a row {other} the baseline mean")

    latest_value = a_values[-1]
    latest_good = latest_value > limits.centre if higher else latest_value < limits.centre
    latest_bad = latest_value < limits.centre if higher else latest_value > limits.centre
    # A sustained shift: the means differ beyond noise, or a long run sits on one side.
    # Readings beyond a control limit are reported, but alone they mark an unusual
    # month, not a process that has changed.
    shift_good = (significant and better) or run_good >= RUN_LENGTH
    shift_bad = (significant and not better) or run_bad >= RUN_LENGTH
    if latest_good and shift_good and not (significant and not better):
        verdict = Verdict.IMPROVED
    elif latest_bad and shift_bad and not (significant and better):
        verdict = Verdict.WORSE
    else:
        verdict = Verdict.NO_CHANGE

    word = "better" if better else "worse"
    move = f"{_num(abs(diff), 'points' if unit == '%' else unit)} {word}" if diff else "no different"
    head = {
        Verdict.IMPROVED: "Improved",
        Verdict.WORSE: "Worse",
        Verdict.NO_CHANGE: "No change yet",
    }[verdict]
    text = (
        f"{head}: the {_count(len(after), 'monthly reading')} since the charter"
        f"{_span(after[0].period, after[-1].period)} "
        f"average {_num(welch.mean_b, unit)}, against {_num(welch.mean_a, unit)} in the "
        f"{_count(len(before), 'month')} before{_span(before[0].period, before[-1].period)}: {move}. "
        f"Welch's t-test: {_p_text(welch.p)}"
        f"{' (significant)' if significant else ' (not significant on its own)'}. "
    )
    signals = good + bad
    text += "Control chart: " + ("; ".join(signals) if signals else "no signal") + "."
    if verdict is Verdict.NO_CHANGE and (shift_good or shift_bad):
        text += f" The latest reading ({_num(latest_value, unit)}) is back on the other side of the baseline mean."
    elif verdict is Verdict.NO_CHANGE and signals:
        text += " Readings beyond a limit mark unusual months, not yet a sustained shift."
    return Evidence(
        verdict=verdict,
        explanation=text,
        welch=welch,
        limits=limits,
        good_signals=tuple(good),
        bad_signals=tuple(bad),
        **common,
    )


def celebration_basis(evidence: Iterable[tuple[str, Evidence]]) -> Celebration | None:
    """The evidence that earns a celebration, or None.

    A met target (the latest reading since the charter meets the KPI's target)
    comes first, then a verdict of improved. ``evidence`` pairs a series name
    with its assessment.
    """
    items = list(evidence)
    met = [(name, ev) for name, ev in items if ev.target_met and ev.latest is not None and ev.target is not None]
    if met:
        parts = [
            f"{name}: {_num(ev.latest.value, ev.unit)} in {_month(ev.latest.period)} "
            f"meets the target of {_num(ev.target, ev.unit)}"
            for name, ev in met
            if ev.latest is not None and ev.target is not None
        ]
        return Celebration("target_met", "; ".join(parts) + ".")
    improved = [(name, ev) for name, ev in items if ev.verdict is Verdict.IMPROVED]
    if improved:
        parts = [f"{name}: improved, {ev.summary}" for name, ev in improved]
        return Celebration("improved", "; ".join(parts) + ".")
    return None

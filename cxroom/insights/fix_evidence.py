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

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from cxroom.formatting import fmt_kpi
from cxroom.insights.fix_statistics import (
    ControlLimits,
    Reading,
    WelchResult,
    control_limits,
    longest_run,
    mean,
    target_met,
    welch_t_test,
)
from cxroom.models import Direction

__all__ = [
    "ALPHA",
    "BASELINE_WINDOW",
    "MIN_AFTER",
    "MIN_BEFORE",
    "RUN_LENGTH",
    "Celebration",
    "Evidence",
    "Verdict",
    "assess",
    "celebration_basis",
]

MIN_BEFORE = 6
MIN_AFTER = 3
BASELINE_WINDOW = 12
RUN_LENGTH = 8
ALPHA = 0.05


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
    def plain_summary(self) -> str:
        """The shift in words for leaders ('improved from an average of 61.2% to 76.4% since the fix,
        85.0% in Oct 2026'); the test behind it is in ``explanation``."""
        if self.before_mean is None or self.after_mean is None:
            return self.verdict.label.lower()
        text = (
            f"{self.verdict.label.lower()} from an average of {_num(self.before_mean, self.unit)} "
            f"to {_num(self.after_mean, self.unit)} since the fix"
        )
        if self.latest is not None:
            text += f", {_num(self.latest.value, self.unit)} in {_month(self.latest.period)}"
        return text

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
    # The room's one rule (cxroom.formatting): a celebration card and the wall print a KPI alike.
    return fmt_kpi(value, unit)


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
        "before_mean": mean([r.value for r in before]) if before else None,
        "after_mean": mean([r.value for r in after]) if after else None,
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
        parts = [f"{name}: {ev.plain_summary}" for name, ev in improved]
        return Celebration("improved", "; ".join(parts) + ".")
    return None

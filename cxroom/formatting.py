"""How numbers, changes, survey scores, months, dates and clip times read, on
every page and in every export: one set of rules, so a KPI reads the same on
the wall, the stage page, the presenter and the minutes.

Pure functions of plain values (no Streamlit), so the core (queries' minutes,
insights' explanations) can use them as well as the pages (through
``cxroom.ui.kit.format``). The text they return is not escaped: a unit typed by
a person goes through ``md`` before it enters Markdown.
"""

from __future__ import annotations

from datetime import date, datetime

__all__ = [
    "clip_time",
    "date_text",
    "datetime_text",
    "day_text",
    "fmt_change",
    "fmt_number",
    "fmt_pct",
    "fmt_survey",
    "month_label",
]


def fmt_number(value: float | None, unit: str = "") -> str:
    """A KPI value or target with its unit: one decimal below 100, none from 100 up
    (a tenth of a large number is noise on a wall); '%' sticks to the number."""
    if value is None:
        return "–"
    digits = 0 if abs(value) >= 100 else 1
    text = f"{value:,.{digits}f}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()


def fmt_change(change: float | None, unit: str = "") -> str | None:
    """A change of a value, signed, with the digits of ``fmt_number``; a change of a
    percentage is in points ('+1.5 pts'), never '%' (that would be a relative change)."""
    if change is None:
        return None
    digits = 0 if abs(change) >= 100 else 1
    text = f"{change:+,.{digits}f}" if round(change, digits) != 0 else f"{0:.{digits}f}"
    if unit == "%":
        return f"{text} pts"
    return f"{text} {unit}".strip()


def fmt_pct(change: float | None) -> str | None:
    """A relative change in whole percent ('+12%'); no sign on a change that rounds to zero."""
    if change is None:
        return None
    return f"{change:+.0f}%" if round(change) != 0 else "0%"


def fmt_survey(value: float | None, kind: str) -> str:
    """A survey score as its kind reads: NPS signed, CSAT in percent, CES out of 7."""
    if value is None:
        return "–"
    if kind == "nps":
        return f"{value:+.0f}"
    if kind == "csat":
        return f"{value:.0f}%"
    if kind == "ces":
        return f"{value:.1f} / 7"
    return f"{value:.1f}"


def month_label(month: date) -> str:
    """'October 2026'."""
    return f"{month:%B %Y}"


def date_text(day: date) -> str:
    """'3 Oct 2026' (no leading zero)."""
    return f"{day:%-d %b %Y}"


def day_text(day: date) -> str:
    """'3 Oct', where the year is plain from the page (the month shown)."""
    return f"{day:%-d %b}"


def datetime_text(at: datetime) -> str:
    """'3 Oct 2026 14:05'."""
    return f"{at:%-d %b %Y %H:%M}"


def clip_time(seconds: float) -> str:
    """A position in a recording as m:ss ('2:05')."""
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


# -- added for the wall's plain-language health and targets -------------------------------


def fmt_target(target: float | None, unit: str = "", direction: str = "higher_better") -> str:
    """A KPI's target as it reads beside its value: 'target ≥ 70.0%', 'target ≤ 60 s'."""
    if target is None:
        return "no target set"
    sign = "≥" if direction == "higher_better" else "≤"
    return f"target {sign} {fmt_number(target, unit)}"


_TIMES_WORDS = {2: "twice", 3: "three times", 4: "four times", 5: "five times", 6: "six times"}


def vs_usual(actual: float, usual: float | None) -> str | None:
    """How a month's count compares with a usual month, in words a leader reads at a glance
    ('about as usual', 'about 36% more than usual', 'about three times a usual month');
    None when there is no usual month to compare with."""
    if usual is None or usual <= 0:
        return None
    ratio = actual / usual
    if 0.9 <= ratio <= 1.1:
        return "about as usual"
    if ratio < 0.9:
        return f"about {(1 - ratio) * 100:.0f}% fewer than usual"
    if ratio < 1.9:
        return f"about {(ratio - 1) * 100:.0f}% more than usual"
    times = round(ratio)
    return f"about {_TIMES_WORDS.get(times, f'{times} times')} a usual month"


def count_words(n: int, singular: str, plural: str | None = None, *, one: str = "1") -> str:
    """'1 KPI', 'a broken moment' (one='a'), '2 broken moments': a count with its noun."""
    if n == 1:
        return f"{one} {singular}"
    return f"{n:,} {plural or singular + 's'}"


def fmt_survey_change(change: float | None, kind: str) -> str | None:
    """A change of a survey score as its kind reads: NPS in whole points ('+3'), CSAT and
    percent scores in points ('-1.2 pts'), CES in tenths ('+0.1')."""
    if change is None:
        return None
    digits = 0 if kind == "nps" else 1
    text = f"{change:+.{digits}f}" if round(change, digits) != 0 else f"{0:.{digits}f}"
    return f"{text} pts" if kind in ("csat", "percent") else text


def fmt_count(value: float, *, signed: bool = False) -> str:
    """A count, or an average of counts, in whole numbers with thousands commas ('1,204');
    signed for a change of a count ('+14', '-3', '0')."""
    whole = round(value)
    return f"{whole:+,}" if signed and whole != 0 else f"{whole:,}"

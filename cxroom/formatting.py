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


def fmt_count(value: int | None) -> str:
    """A count of things (customers, calls): whole, with thousands separators."""
    return "–" if value is None else f"{int(value):,}"


def fmt_amount(value: float | None, unit: str = "") -> str:
    """A sum of value (customer math's yearly revenue), compact: '$1.2M', '45.3k policies'.
    A unit of one or two non-letter characters ('$', '£', 'kr') is a currency and leads."""
    if value is None:
        return "–"
    size = abs(value)
    for limit, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
        if size >= limit:
            text = f"{value / limit:,.1f}{suffix}"
            break
    else:
        text = f"{value:,.0f}"
    unit = unit.strip()
    if unit and len(unit) <= 2 and not unit.isalpha():
        return f"-{unit}{text[1:]}" if text.startswith("-") else f"{unit}{text}"
    return f"{text} {unit}".strip()

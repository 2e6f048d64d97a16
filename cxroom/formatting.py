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
    "fmt_count",
    "fmt_kpi",
    "fmt_kpi_change",
    "fmt_money",
    "fmt_number",
    "fmt_pct",
    "fmt_survey",
    "month_label",
    "times_usual",
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


def fmt_target(target: float | None, unit: str = "", direction: str = "higher_better") -> str:
    """A KPI's target as it stands beside its value: 'target ≥ 70%', 'target ≤ 3.0 days'."""
    if target is None:
        return "no target"
    sign = "≥" if direction == "higher_better" else "≤"
    return f"target {sign} {fmt_number(target, unit)}"


# -- KPIs, counts, money and sizes in words (appended: one rule each, used by every page) ----------


def fmt_kpi(value: float | None, unit: str = "", *, none: str = "no reading") -> str:
    """A KPI's value with its unit, the way the wall, the presenter, the minutes and the
    celebrations all print it ('76.4%', '3.2 days', '1,250 calls'): ``fmt_number``'s digits, but a
    missing reading says so in words (``none``) instead of a dash, since leaders read it aloud."""
    return none if value is None else fmt_number(value, unit)


def fmt_kpi_change(change: float | None, unit: str = "", *, since: str = "") -> str | None:
    """A KPI's change with its unit, as on the wall ('-0.3 pts' for a percentage, '+1.2 days'),
    followed by ``since`` ('vs last month') when given; None without a change."""
    text = fmt_change(change, unit)
    if text is None:
        return None
    return f"{text} {since}".strip()


def fmt_count(n: int | float, singular: str | None = None, plural: str | None = None) -> str:
    """A count with thousands separators, alone ('1,204') or with its noun agreeing in
    number: '1 fix', '4 fixes', '12,345 complaints'."""
    whole = int(n)
    if singular is None:
        return f"{whole:,}"
    word = singular if whole == 1 else (plural or f"{singular}s")
    return f"{whole:,} {word}"


def fmt_money(value: float | None, currency: str = "") -> str:
    """An amount of money: whole units from 100 up, cents below; a one-character symbol goes
    before the number ('€1,250', '$12.50'), a code after it ('1,250 EUR')."""
    if value is None:
        return "–"
    digits = 0 if abs(value) >= 100 else 2
    text = f"{abs(value):,.{digits}f}"
    sign = "-" if value < 0 else ""
    if len(currency) == 1:
        return f"{sign}{currency}{text}"
    return f"{sign}{text} {currency}".strip()


_SMALL = {
    2: "twice",
    3: "three times",
    4: "four times",
    5: "five times",
    6: "six times",
    7: "seven times",
    8: "eight times",
    9: "nine times",
    10: "ten times",
}


def times_usual(actual: float, expected: float | None, *, usual: str = "a usual month") -> str:
    """How far a count is from what was expected, in words a leader reads aloud:
    'about three times a usual month', 'about half as much again as a usual month',
    'about the same as a usual month'. ``expected`` None or 0: 'with no usual level to compare'."""
    if expected is None or expected <= 0:
        return "with no usual level to compare"
    ratio = actual / expected
    if ratio >= 1.75:
        whole = round(ratio)
        return f"about {_SMALL[whole]} {usual}" if whole in _SMALL else f"about {whole} times {usual}"
    if ratio >= 1.35:
        return f"about half as much again as {usual}"
    if ratio >= 1.1:
        return f"a little above {usual}"
    if ratio > 0.9:
        return f"about the same as {usual}"
    if ratio > 0.6:
        return f"below {usual}"
    return f"well below {usual}"


# -- survey and count changes on the wall (appended) -------------------------------------------


def fmt_survey_change(change: float | None, kind: str) -> str | None:
    """A change of a survey score as its kind reads: NPS in whole points ('+3'), CSAT and
    percent scores in points ('-1.2 pts'), CES in tenths ('+0.1')."""
    if change is None:
        return None
    digits = 0 if kind == "nps" else 1
    text = f"{change:+.{digits}f}" if round(change, digits) != 0 else f"{0:.{digits}f}"
    return f"{text} pts" if kind in ("csat", "percent") else text


def fmt_count_change(change: int) -> str:
    """A change of a count, signed with thousands separators ('+14', '-1,203', '0')."""
    return f"{change:+,}" if change else "0"


def month_short(month: date) -> str:
    """'Oct 2026': a month under a chart, where the full name would crowd the axis."""
    return f"{month:%b %Y}"


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

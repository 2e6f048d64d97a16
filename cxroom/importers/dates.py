"""Which dates an import accepts, and how a date it cannot read with certainty is explained.

A date is stored only when it reads in the column's format AND falls inside the
room's window: not before the oldest plausible date (CXROOM_OLDEST_DATE, default
2000-01-01) and not in the future (later than tomorrow, UTC: one day of grace so
that a file written in a time zone ahead of UTC is not refused). Anything else
is quarantined with its row, column and reason; nothing is stored as another
date (year 0 read as 1 BC, ``01/03/25`` read as year 1, Excel's day 1 as 1899).

Two-digit years are read by one rule, the one C's and Python's ``strptime %y``
use (DuckDB's too, so no hand-written conversion): 00-68 are 2000-2068 and
69-99 are 1969-1999. Combined with the window this means a two-digit year is
either a recent past year or quarantined; the rule is stated in the preview's
date message, the report's notes and the ``--json`` report (``date_rules``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cxroom import settings
from cxroom.errors import InvalidInputError
from cxroom.importers import sqlexpr as sx
from cxroom.importers.mapping import DATE_FORMATS, TWO_DIGIT_YEAR_RULE

FUTURE_GRACE_DAYS = 1
# Dates after the window's newest day are quarantined (not only flagged): a reading
# dated next year cannot be a measurement, and the wall would plot it as one.
FUTURE_POLICY = "quarantined"


@dataclass(frozen=True)
class DateWindow:
    """The oldest and newest day an import stores (both inclusive)."""

    oldest: date
    newest: date

    @property
    def lower_sql(self) -> str:
        return f"TIMESTAMP '{self.oldest.isoformat()}'"

    @property
    def upper_sql(self) -> str:
        """The first instant after the window (exclusive bound)."""
        return f"TIMESTAMP '{(self.newest + timedelta(days=1)).isoformat()}'"

    def to_json(self) -> dict[str, Any]:
        return {
            "oldest": self.oldest.isoformat(),
            "newest": self.newest.isoformat(),
            "future": FUTURE_POLICY,
            "two_digit_years": TWO_DIGIT_YEAR_RULE,
            "setting": "CXROOM_OLDEST_DATE",
        }

    def too_old(self, shown_sql: str) -> str:
        return (
            f"{shown_sql} || ' is before {self.oldest.isoformat()}, the oldest date the room accepts "
            f"(setting CXROOM_OLDEST_DATE)'"
        )

    def too_new(self, shown_sql: str) -> str:
        return f"{shown_sql} || ' is in the future (after {self.newest.isoformat()})'"

    def check_day(self, day: date, what: str, written: str) -> date:
        """A whole-file date (a fixed period, the start of an index) must lie in the window too."""
        if day < self.oldest:
            raise InvalidInputError(
                f"{what} {written!r} is before {self.oldest.isoformat()}, the oldest date the room accepts "
                "(setting CXROOM_OLDEST_DATE)."
            )
        if day > self.newest:
            raise InvalidInputError(f"{what} {written!r} is in the future (after {self.newest.isoformat()}).")
        return day


def window(environ: dict[str, str] | None = None, today: date | None = None) -> DateWindow:
    """The window for an import starting now (the oldest date from CXROOM_OLDEST_DATE)."""
    today = today or datetime.now(UTC).date()  # the room keeps UTC throughout (store.utcnow)
    return DateWindow(settings.oldest_import_date(environ), today + timedelta(days=FUTURE_GRACE_DAYS))


def has_two_digit_year(fmt: str | None) -> bool:
    return bool(fmt) and "%y" in str(fmt)


def format_note(fmt: str) -> str | None:
    """The note a report carries when a column was read with two-digit years."""
    if has_two_digit_year(fmt):
        return f"Dates read as {DATE_FORMATS.get(fmt, fmt)}; two-digit years: {TWO_DIGIT_YEAR_RULE}."
    return None


def within(value_sql: str, win: DateWindow) -> str:
    """``value_sql`` (a TIMESTAMP or DATE) when inside the window, else NULL."""
    return f"(CASE WHEN {value_sql} >= {win.lower_sql} AND {value_sql} < {win.upper_sql} THEN {value_sql} END)"


def _cell_error(header_sql: str, condition: str, message_sql: str) -> str:
    return f"CASE WHEN {condition} THEN {{'column': {header_sql}, 'message': {message_sql}}} END"


def _shown(col: str) -> str:
    return f"'''' || left(trim({col}), 60) || ''''"


def column_errors(header: str, col: str, fmt: str, win: DateWindow, *, empty_message: str) -> list[str]:
    """Error-list elements for a date column read in ``fmt``: empty, unreadable, too old, in the future."""
    head = sx.lit(header)
    missing = sx.is_missing(col)
    raw = sx.date(col, fmt)
    unreadable = f"'not a date in the format {DATE_FORMATS.get(fmt, fmt)}: ' || {_shown(col)}"
    if "%Y" in fmt:
        # Say why when the value has a two-digit year where the format wants four digits.
        short_fmt = fmt.replace("%Y", "%y")
        hint = (
            f"choose the format {DATE_FORMATS[short_fmt]} to read it as {TWO_DIGIT_YEAR_RULE}"
            if short_fmt in DATE_FORMATS
            else "this format needs a four-digit year"
        )
        unreadable = (
            f"{unreadable} || CASE WHEN {sx.date(col, short_fmt)} IS NOT NULL "
            f"THEN {sx.lit(f' (a two-digit year: {hint})')} ELSE '' END"
        )
    return [
        _cell_error(head, missing, sx.lit(empty_message)),
        _cell_error(head, f"NOT {missing} AND {raw} IS NULL", unreadable),
        *range_errors(head, raw, _shown(col), win),
    ]


def range_errors(header_sql: str, value_sql: str, shown_sql: str, win: DateWindow) -> list[str]:
    """Error-list elements for a date value (SQL) outside the window."""
    return [
        _cell_error(header_sql, f"{value_sql} < {win.lower_sql}", win.too_old(shown_sql)),
        _cell_error(header_sql, f"{value_sql} >= {win.upper_sql}", win.too_new(shown_sql)),
    ]


def parse_day(value: str, what: str, win: DateWindow) -> date:
    """A period typed by a person (YYYY-MM-DD or YYYY-MM), inside the window."""
    text = value.strip()
    for fmt in ("%Y-%m-%d", "%Y-%m"):
        try:
            return win.check_day(datetime.strptime(text, fmt).date(), what, value)
        except ValueError:
            continue
    raise InvalidInputError(f"{what} {value!r} is not a date; use YYYY-MM-DD or YYYY-MM.")


# The furthest an index may count from its start: past it a period would not fit a date at all.
MAX_INDEX = 1_000_000


def period_from_index(start: date, frequency: str, index: int) -> date:
    """The period of the ``index``-th row (1-based) counted from ``start``."""
    if not 1 <= index <= MAX_INDEX:
        raise InvalidInputError(f"The index must be a whole number from 1 to {MAX_INDEX}, not {index}.")
    try:
        if frequency == "daily":
            return start + timedelta(days=index - 1)
        if frequency == "weekly":
            return start + timedelta(weeks=index - 1)
        month = start.month - 1 + index - 1
        return date(start.year + month // 12, month % 12 + 1, min(start.day, 28))
    except (OverflowError, ValueError) as exc:
        raise InvalidInputError(f"Row {index} counted {frequency} from {start.isoformat()} is not a date.") from exc

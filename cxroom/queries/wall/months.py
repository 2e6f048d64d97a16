"""The wall's calendar: which months hold data, which one opens by default, and
month arithmetic (the wall reads whole calendar months, ending at the chosen one)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, cast

import pandas as pd

from cxroom.store import Store

SPARK_PERIODS = 12  # periods in a sparkline, ending at the chosen month

# Months that have any complaint, KPI reading or survey answer, newest first.
# Every month, however old: a room holds at most a few hundred distinct months
# (imports quarantine dates before CXROOM_OLDEST_DATE and after tomorrow), and
# the DISTINCT runs in DuckDB, so the list stays small whatever the row count.
MONTHS_WITH_DATA = """
SELECT month FROM (
    SELECT DISTINCT date_trunc('month', received_at)::DATE AS month FROM complaints
    UNION
    SELECT DISTINCT date_trunc('month', period)::DATE FROM kpi_readings
    UNION
    SELECT DISTINCT date_trunc('month', answered_at)::DATE FROM survey_responses
)
ORDER BY month DESC
"""


def add_months(month: date, count: int) -> date:
    """The first day of the month ``count`` months after ``month`` (negative: before)."""
    index = month.year * 12 + (month.month - 1) + count
    return date(index // 12, index % 12 + 1, 1)


def last_complete_month(today: date | None = None) -> date:
    today = today or date.today()
    return add_months(today.replace(day=1), -1)


def months_with_data(store: Store) -> list[date]:
    """Every month with any complaint, KPI reading or survey answer, newest first."""
    return [as_date(row[0]) for row in store.execute(MONTHS_WITH_DATA)]


def default_month(months: Sequence[date], today: date | None = None) -> date:
    """The last complete calendar month that has data: min(last complete month, latest data month).

    A room without any data defaults to the last complete month.
    """
    last_complete = last_complete_month(today)
    complete = [m for m in months if m <= last_complete]
    return max(complete) if complete else last_complete


def as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, pd.Timestamp):
        return cast(date, value.date())  # pandas ships no type information here (no stubs installed)
    return cast(date, value)  # what is left is DuckDB's DATE, which it hands back as a datetime.date


def series_months(month: date) -> tuple[date, ...]:
    return tuple(add_months(month, i) for i in range(-SPARK_PERIODS, 1))

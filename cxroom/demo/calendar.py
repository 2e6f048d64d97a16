"""The demo's calendar and acting identity: who writes the demo and which months it spans.

Shared by every part of the demo so each builds on the same month list and timestamps.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

DEMO_ACTOR = "demo"
MONTHS = 24


def last_complete_month(today: date | None = None) -> date:
    today = today or date.today()
    first = today.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def month_starts(end_month: date, count: int = MONTHS) -> list[date]:
    months = []
    year, month = end_month.year, end_month.month
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]


def at(month: date, day: int = 1, hour: int = 9) -> datetime:
    return datetime(month.year, month.month, min(day, 28), hour)

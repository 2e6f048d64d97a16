"""Customer math, computed from monthly counts: customers in and out, net, retention, value
lost, and the reconciliation of in - out with the change in active customers (when an export
states the active customers). Pure: plain values in, frozen dataclasses out.

The room's terms (docs/customer-math.md): customers *in* are new and won back; customers *out*
are lost (they leave the count); downgraded customers stay customers, but the value they take
away is value out, with the value of lost customers. Retention of a month is the share of the
customers active at its start (the previous month's stated base) who were not lost in it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from cxroom.formatting import fmt_count


@dataclass(frozen=True)
class MonthCounts:
    """One month's movements as read (counts and summed value per movement)."""

    month: date
    counts: Mapping[str, int]  # movement -> customers
    values: Mapping[str, float]  # movement -> summed value
    active_end: int | None = None  # active customers at the month's end, when an export states it


@dataclass(frozen=True)
class MonthMath:
    month: date
    customers_in: int
    new: int
    won_back: int
    customers_out: int  # lost
    downgraded: int
    upgraded: int
    value_in: float  # new + won back + upgraded
    value_out: float  # lost + downgraded: the value lost
    active_start: int | None
    active_end: int | None

    @property
    def net_customers(self) -> int:
        return self.customers_in - self.customers_out

    @property
    def net_value(self) -> float:
        return self.value_in - self.value_out

    @property
    def retention(self) -> float | None:
        """Percent of the customers active at the month's start not lost in it (None: no base)."""
        if not self.active_start:
            return None
        return 100.0 * (1 - self.customers_out / self.active_start)

    @property
    def reconciliation_gap(self) -> int | None:
        """The change in active customers that in - out does not explain (0: it reconciles;
        None: the export does not state both bases)."""
        if self.active_start is None or self.active_end is None:
            return None
        return (self.active_end - self.active_start) - self.net_customers


def month_math(rows: Sequence[MonthCounts]) -> list[MonthMath]:
    """Each month's math, oldest first; a month's starting base is the previous month's end."""
    out: list[MonthMath] = []
    ordered = sorted(rows, key=lambda r: r.month)
    previous_end: dict[date, int | None] = {}
    for i, row in enumerate(ordered):
        previous_end[row.month] = ordered[i - 1].active_end if i and _next(ordered[i - 1].month) == row.month else None
    for row in ordered:
        c, v = row.counts, row.values
        out.append(
            MonthMath(
                month=row.month,
                customers_in=c.get("new", 0) + c.get("won_back", 0),
                new=c.get("new", 0),
                won_back=c.get("won_back", 0),
                customers_out=c.get("lost", 0),
                downgraded=c.get("downgraded", 0),
                upgraded=c.get("upgraded", 0),
                value_in=v.get("new", 0.0) + v.get("won_back", 0.0) + v.get("upgraded", 0.0),
                value_out=v.get("lost", 0.0) + v.get("downgraded", 0.0),
                active_start=previous_end[row.month],
                active_end=row.active_end,
            )
        )
    return out


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@dataclass(frozen=True)
class StageLosses:
    """What was lost at one stage in a month: customers, value, and the top reasons."""

    stage_id: int
    customers: int
    value: float
    reasons: tuple[tuple[str, int], ...]  # (reason, lost or downgraded customers), most first
    unit: str = ""  # the room's unit of value

    def reasons_text(self, limit: int = 3) -> str:
        return "; ".join(reason for reason, _n in self.reasons[:limit])


def calls_line(called: int, lost: int) -> str:
    """'We called 12 of 140 lost customers.'"""
    if not lost and not called:
        return "No customer was lost, and none was called."
    return f"We called {fmt_count(called)} of {fmt_count(lost)} lost customer{'s' if lost != 1 else ''}."


LOSS_RISE = 1.2  # an agenda reason: a fifth more customers lost at a stage than the month before
LOSS_RISE_MIN = 10  # ... and at least this many more


@dataclass(frozen=True)
class LossFacts:
    """An agenda fact: the customers a stage lost in the review month and the month before."""

    stage_id: int
    lost: int
    previous: int

    @property
    def rose(self) -> bool:
        return self.lost >= self.previous * LOSS_RISE and self.lost - self.previous >= LOSS_RISE_MIN

    def describe(self) -> str:
        return f"{fmt_count(self.lost)} lost this month, {fmt_count(self.previous)} the month before"

"""Reads of customer math: movements per month (24 months), losses by stage and by reason,
the room's definitions, and the calls made to lost customers. One query per read for all
stages; the math on the counts is cxroom.insights.customer_math."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cxroom.formatting import fmt_amount, fmt_count, fmt_count_change, fmt_kpi
from cxroom.insights.customer_math import LossFacts, MonthCounts, MonthMath, StageLosses, calls_line, month_math
from cxroom.queries.setup_file import Reader
from cxroom.queries.wall.months import add_months, as_date
from cxroom.store import Store

TREND_MONTHS = 24
TOP_REASONS = 3
DEFAULT_VALUE_UNIT = "annual revenue"

# Parameters: $first (first month shown), $next (the month after the last).
MONTHLY = """
SELECT date_trunc('month', moved_at)::DATE AS month, movement, count(*) AS n, coalesce(sum(value), 0) AS v
FROM customer_movements
WHERE moved_at >= $first AND moved_at < $next
GROUP BY ALL
"""

# The latest committed statement of each month's active customers, summed over the sources
# that state one (a room may load one export per business line).
BASE = """
SELECT month, sum(active)::BIGINT AS active FROM (
    SELECT b.month, b.source, arg_max(b.active_customers, b.batch_id) AS active
    FROM customer_base b JOIN import_batches i ON i.id = b.batch_id AND i.status = 'committed'
    WHERE b.month >= $first - INTERVAL 1 MONTH AND b.month < $next
    GROUP BY b.month, b.source
) GROUP BY month
"""

# Parameters: $month, $next. Lost and downgraded movements of the month, per stage and reason.
LOSSES = """
SELECT stage_id, reason, count(*) FILTER (WHERE movement = 'lost') AS lost, count(*) AS n, coalesce(sum(value), 0) AS v
FROM customer_movements
WHERE moved_at >= $month AND moved_at < $next AND movement IN ('lost', 'downgraded')
GROUP BY ALL
"""

# Parameters: $stage, $first, $next. One stage's lost and downgraded customers per month.
STAGE_MONTHLY = """
SELECT date_trunc('month', moved_at)::DATE AS month, count(*) FILTER (WHERE movement = 'lost') AS lost,
       count(*) FILTER (WHERE movement = 'downgraded') AS downgraded
FROM customer_movements
WHERE stage_id = $stage AND moved_at >= $first AND moved_at < $next AND movement IN ('lost', 'downgraded')
GROUP BY ALL
"""

DEFINITIONS = "SELECT term, text, updated_at, updated_by, version FROM customer_definitions"

# Parameters: $first, $next. Calls to lost customers per month, and how many lost customers they reached.
CALLS_MONTHLY = """
SELECT date_trunc('month', called_at)::DATE AS month, count(*) AS calls,
       count(DISTINCT coalesce(m.customer_key, 'call:' || c.id::VARCHAR)) AS customers
FROM lost_customer_calls c LEFT JOIN customer_movements m ON m.id = c.movement_id
WHERE called_at >= $first AND called_at < $next
GROUP BY ALL
"""

# Parameters: $stage. The calls to lost customers of one stage, newest first.
STAGE_CALLS = """
SELECT c.id, c.called_at, c.called_by, c.customer_said, c.reason, c.call_id, c.movement_id,
       mo.name AS moment, k.title AS recording_title
FROM lost_customer_calls c LEFT JOIN moments mo ON mo.id = c.moment_id LEFT JOIN calls k ON k.id = c.call_id
WHERE c.stage_id = $stage
ORDER BY c.called_at DESC, c.id DESC
LIMIT 200
"""

# Parameters: $month, $next. Lost customers of the month (not shown by id: the key is a hash) to link a call to.
LOST_THIS_MONTH = """
SELECT m.id, m.moved_at, m.reason, m.segment, m.value, s.name AS stage, s.slug AS stage_slug
FROM customer_movements m LEFT JOIN stages s ON s.id = m.stage_id
WHERE m.movement = 'lost' AND m.moved_at >= $month AND m.moved_at < $next
ORDER BY m.moved_at DESC, m.id DESC
LIMIT 500
"""


@dataclass(frozen=True)
class Definitions:
    incoming: str
    outgoing: str
    value_unit: str
    recorded: bool  # the room has written its own definitions down


@dataclass(frozen=True)
class CustomerMath:
    """The panel for a month: 24 months of math (oldest first), losses by stage and reason."""

    month: date
    months: tuple[MonthMath, ...]
    by_stage: dict[int, StageLosses]
    by_reason: tuple[tuple[str, int | None, int, float], ...]  # (reason, stage_id, customers, value), most first
    calls: dict[date, int]  # lost customers called per month
    definitions: Definitions

    @property
    def this_month(self) -> MonthMath | None:
        return next((m for m in self.months if m.month == self.month), None)

    @property
    def has_data(self) -> bool:
        return any(m.customers_in or m.customers_out or m.downgraded or m.upgraded for m in self.months)


DEFAULT_DEFINITIONS = Definitions(
    incoming="Not yet agreed: new and won-back customers as each system counts them.",
    outgoing="Not yet agreed: lost and downgraded customers as each system counts them.",
    value_unit=DEFAULT_VALUE_UNIT,
    recorded=False,
)


def definitions(db: Reader) -> Definitions:
    """The room's definitions (a store, or an open transaction that reads what it has written)."""
    rows = {r["term"]: r["text"] for r in db.fetch_dicts(DEFINITIONS)}
    if not rows:
        return DEFAULT_DEFINITIONS
    return Definitions(
        incoming=rows.get("incoming") or DEFAULT_DEFINITIONS.incoming,
        outgoing=rows.get("outgoing") or DEFAULT_DEFINITIONS.outgoing,
        value_unit=rows.get("value_unit") or DEFAULT_VALUE_UNIT,
        recorded=bool(rows.get("incoming") and rows.get("outgoing")),
    )


def load_customer_math(store: Store, month: date) -> CustomerMath:
    """Customer math for ``month`` (any day of it) and the 23 months before."""
    month = month.replace(day=1)
    first, nxt = add_months(month, 1 - TREND_MONTHS), add_months(month, 1)
    counts: dict[date, dict[str, int]] = {add_months(first, i): {} for i in range(TREND_MONTHS)}
    values: dict[date, dict[str, float]] = {m: {} for m in counts}
    for r in store.fetch_dicts(MONTHLY, {"first": first, "next": nxt}):
        key = as_date(r["month"])
        counts[key][r["movement"]] = int(r["n"])
        values[key][r["movement"]] = float(r["v"])
    base = {as_date(r["month"]): int(r["active"]) for r in store.fetch_dicts(BASE, {"first": first, "next": nxt})}
    rows = [MonthCounts(m, counts[m], values[m], base.get(m)) for m in counts]
    before = add_months(first, -1)
    if before in base:  # the base before the first month shown gives that month's retention
        rows.insert(0, MonthCounts(before, {}, {}, base[before]))
    months = tuple(mm for mm in month_math(rows) if mm.month >= first)
    defs = definitions(store)
    by_stage, by_reason = _losses(store.fetch_dicts(LOSSES, {"month": month, "next": nxt}), defs.value_unit)
    calls = {
        as_date(r["month"]): int(r["customers"])
        for r in store.fetch_dicts(CALLS_MONTHLY, {"first": first, "next": nxt})
    }
    return CustomerMath(month, months, by_stage, by_reason, calls, defs)


def _losses(
    rows: list[dict[str, Any]], unit: str
) -> tuple[dict[int, StageLosses], tuple[tuple[str, int | None, int, float], ...]]:
    per_stage: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        if r["stage_id"] is not None:
            per_stage.setdefault(int(r["stage_id"]), []).append(r)
    by_stage = {
        sid: StageLosses(
            stage_id=sid,
            customers=sum(int(r["lost"]) for r in rs),
            value=sum(float(r["v"]) for r in rs),
            reasons=tuple(
                (r["reason"] or "No reason given", int(r["n"]))
                for r in sorted(rs, key=lambda r: (-int(r["n"]), r["reason"]))[:TOP_REASONS]
            ),
            unit=unit,
        )
        for sid, rs in per_stage.items()
    }
    by_reason = tuple(
        (
            r["reason"] or "No reason given",
            None if r["stage_id"] is None else int(r["stage_id"]),
            int(r["n"]),
            float(r["v"]),
        )
        for r in sorted(rows, key=lambda r: (-int(r["n"]), r["reason"]))
    )
    return by_stage, by_reason


@dataclass(frozen=True)
class LostCall:
    id: int
    called_at: datetime
    called_by: str
    customer_said: str
    reason: str
    moment: str | None
    call_id: int | None
    recording_title: str | None
    movement_id: int | None


def stage_calls(store: Store, stage_id: int) -> tuple[LostCall, ...]:
    return tuple(
        LostCall(
            id=int(r["id"]),
            called_at=r["called_at"],
            called_by=r["called_by"],
            customer_said=r["customer_said"],
            reason=r["reason"],
            moment=r["moment"],
            call_id=r["call_id"],
            recording_title=r["recording_title"],
            movement_id=r["movement_id"],
        )
        for r in store.fetch_dicts(STAGE_CALLS, {"stage": stage_id})
    )


def lost_this_month(store: Store, month: date) -> list[dict[str, Any]]:
    """The month's lost customers, for a caller to link a call to (no customer id: only its hash is kept)."""
    month = month.replace(day=1)
    return store.fetch_dicts(LOST_THIS_MONTH, {"month": month, "next": add_months(month, 1)})


def stage_series(store: Store, stage_id: int, month: date) -> list[tuple[date, int, int]]:
    """(month, lost, downgraded) at one stage for the 24 months ending at ``month``, empty months as 0."""
    month = month.replace(day=1)
    first = add_months(month, 1 - TREND_MONTHS)
    found = {
        as_date(r["month"]): (int(r["lost"]), int(r["downgraded"]))
        for r in store.fetch_dicts(STAGE_MONTHLY, {"stage": stage_id, "first": first, "next": add_months(month, 1)})
    }
    return [(m, *found.get(m, (0, 0))) for m in (add_months(first, i) for i in range(TREND_MONTHS))]


COMPLAINTS_BY_STAGE_MONTH = """
SELECT s.slug, date_trunc('month', c.received_at)::DATE AS month, c.category, count(*) AS n
FROM complaints c JOIN stages s ON s.id = c.stage_id
GROUP BY ALL
"""


def complaints_by_stage_month(store: Store) -> list[dict[str, Any]]:
    """(slug, month, category, n) of every complaint on a stage: what the demo's losses follow."""
    return store.fetch_dicts(COMPLAINTS_BY_STAGE_MONTH)


# Parameters: $prev, $month, $next. Lost customers per stage in the month and the month before.
STAGE_LOSSES_TWO_MONTHS = """
SELECT stage_id, count(*) FILTER (WHERE moved_at >= $month) AS lost,
       count(*) FILTER (WHERE moved_at < $month) AS previous
FROM customer_movements
WHERE movement = 'lost' AND stage_id IS NOT NULL AND moved_at >= $prev AND moved_at < $next
GROUP BY stage_id
"""


def stage_losses(store: Store, month: date) -> tuple[LossFacts, ...]:
    """The agenda's fact: customers lost per stage in ``month`` and the month before (a read the
    agenda proposal, the minutes and exports can use; the full panel is ``load_customer_math``)."""
    month = month.replace(day=1)
    params = {"prev": add_months(month, -1), "month": month, "next": add_months(month, 1)}
    return tuple(
        LossFacts(int(r["stage_id"]), int(r["lost"]), int(r["previous"]))
        for r in store.fetch_dicts(STAGE_LOSSES_TWO_MONTHS, params)
    )


# -- the month's math in words: one set of figures for the wall screen, the deck and the minutes ----


@dataclass(frozen=True)
class Figure:
    label: str  # 'In', 'Lost', 'Net', 'Retention', 'Value lost'
    value: str  # the headline number, formatted
    aside: str = ""  # beside it: the value brought in, the downgrades


def month_figures(m: MonthMath, unit: str) -> tuple[Figure, ...]:
    """A month's customers in and out, net, retention and value lost, formatted for people."""
    return (
        Figure("In", fmt_count(m.customers_in), fmt_amount(m.value_in, unit)),
        Figure("Lost", fmt_count(m.customers_out), f"{fmt_count(m.downgraded)} downgraded"),
        Figure("Net", fmt_count_change(m.net_customers)),
        Figure("Retention", fmt_kpi(m.retention, "%", none="not stated")),
        Figure("Value lost", fmt_amount(m.value_out, unit)),
    )


def month_line(cm: CustomerMath) -> str | None:
    """'In 1,204 ($1.3M) · Lost 310 (42 downgraded) · Net +894 · Retention 99.7% · Value lost $402.5k';
    None for a room without movements (nothing to say, rather than a row of zeros)."""
    m = cm.this_month
    if not cm.has_data or m is None:
        return None
    return figures_text(month_figures(m, cm.definitions.value_unit))


def figures_text(figures: Sequence[Figure]) -> str:
    """'In 1,204 ($1.3M) · Lost 310 (42 downgraded)': figures as one line of text."""
    return " · ".join(f"{f.label} {f.value}" + (f" ({f.aside})" if f.aside else "") for f in figures)


def definitions_text(d: Definitions) -> str:
    """The room's definitions in one line, shown wherever the numbers are."""
    return f"In: {d.incoming} · Out: {d.outgoing} · Values in {d.value_unit}."


def loss_text(losses: StageLosses) -> str:
    """'42 · $51.2k': customers lost at a stage and the value lost there."""
    return f"{fmt_count(losses.customers)} · {fmt_amount(losses.value, losses.unit)}"


def reason_lines(cm: CustomerMath, stage_names: dict[int, str], limit: int) -> list[str]:
    """'270 · $259.1k: Long wait on phone (Get help)', the month's top reasons for losses (the numbers
    first: a long reason is what a slide cuts)."""
    unit = cm.definitions.value_unit
    return [
        f"{fmt_count(n)} · {fmt_amount(v, unit)}: {reason}{f' ({stage_names[sid]})' if sid in stage_names else ''}"
        for reason, sid, n, v in cm.by_reason[:limit]
    ]


STAGE_NAMES = "SELECT id, name FROM stages ORDER BY position, id"


def month_lines(store: Store, month: date) -> tuple[str, ...]:
    """The month's customer math as lines of plain text (the minutes' section): the figures, the
    losses by stage with their reasons, the top reasons, the calls and the definitions; empty for
    a room without movements."""
    cm = load_customer_math(store, month)
    line, m = month_line(cm), cm.this_month
    if line is None or m is None:
        return ()
    names = {int(r["id"]): str(r["name"]) for r in store.fetch_dicts(STAGE_NAMES)}
    ranked = sorted((x for x in cm.by_stage.values() if x.customers), key=lambda x: (-x.customers, x.stage_id))
    stages = [
        f"Lost at {names.get(x.stage_id, 'a stage no longer in the room')}: {loss_text(x)}"
        + (f" ({x.reasons_text()})" if x.reasons else "")
        for x in ranked
    ]
    reasons = reason_lines(cm, names, TOP_REASONS)
    return (
        line,
        *stages,
        *([f"Why customers left: {'; '.join(reasons)}"] if reasons else []),
        calls_line(cm.calls.get(cm.month, 0), m.customers_out),
        f"Counted as: {definitions_text(cm.definitions)}",
    )

"""What a stage column on the wall screen leads with: its news, worst first.

Broken key moments and off-target KPIs come before near-target ones, and those before what is
on target. Within one severity the read model's order is kept (a stable sort), so a read model
that already ranks its KPIs worst first is followed exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from cxroom.formatting import fmt_change, fmt_count, fmt_number, fmt_pct, fmt_target
from cxroom.insights.health import Rag
from cxroom.queries.wall.kpis import KpiTile
from cxroom.queries.wall.wall_data import StageColumn

# Severity: lower is worse. Tone: the colour a line is drawn in.
_KPI = {Rag.RED: (1, "red"), Rag.AMBER: (2, "amber"), Rag.GREEN: (4, "green"), Rag.NONE: (5, "none")}
_MOMENT = {"broken": (1, "red"), "unreliable": (3, "amber")}
COMPLAINTS_RISE_PCT = 20.0  # complaints this far above their usual month are news


@dataclass(frozen=True)
class News:
    severity: int
    tone: str  # red, amber, green or none
    title: str  # what it is about (a KPI, a moment, complaints)
    value: str  # the headline: a number, or a state in one word
    detail: str  # beside the value: the target, or what the state means


def stage_news(col: StageColumn) -> list[News]:
    """Every piece of news of a stage, worst first."""
    items: list[News] = []
    for moment in col.moments:
        if moment.state in _MOMENT:
            severity, tone = _MOMENT[moment.state]
            severity -= 1 if moment.is_key else 0  # a broken key moment leads
            kind = "key moment of truth" if moment.is_key else "moment of truth"
            items.append(News(severity, tone, moment.name, moment.state.capitalize(), kind))
    for kpi in col.kpis:
        severity, tone = _KPI[kpi.rag]
        change = fmt_change(kpi.change, kpi.unit)
        detail = fmt_target(kpi.target, kpi.unit, kpi.direction) if kpi.target is not None else ""
        if change and kpi.target is None:
            detail = f"{change} on last month"
        items.append(News(severity, tone, kpi.name, fmt_number(kpi.value, kpi.unit), detail))
    summary = col.complaints
    if summary is not None and summary.this_month:
        rise = summary.change_vs_average
        risen = rise is not None and rise >= COMPLAINTS_RISE_PCT
        usual = f"{fmt_pct(rise)} on a usual month" if rise is not None else "no usual month yet"
        items.append(
            News(2 if risen else 4, "amber" if risen else "none", "Complaints", fmt_count(summary.this_month), usual)
        )
    return sorted(items, key=lambda n: n.severity)


def worst_kpi(col: StageColumn) -> tuple[KpiTile, str] | None:
    """The stage's worst KPI that has a reading in its last year, and its tone: the one whose
    trend the spotlight draws (the same severity order as the column's news)."""
    read = [k for k in col.kpis if any(v is not None for v in k.values)]
    if not read:
        return None
    worst = min(read, key=lambda k: _KPI[k.rag][0])  # min keeps the read model's order on ties
    return worst, _KPI[worst.rag][1]

"""Where a KPI stands against its target, and the worst-first order of a stage's KPIs and
moments of truth: the wall, the stage page and the agenda read the bad news first.

``KpiDefinition`` is what every view of a KPI shares (the wall's tile, the agenda's fact);
each adds how it holds its value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from cxroom.insights.health import LADDER, KpiReading, MomentReading, Rag, kpi_rag

__all__ = ["KpiDefinition", "kpis_worst_first", "moments_worst_first", "shortfall"]


@dataclass(frozen=True)
class KpiDefinition:
    id: int
    stage_id: int
    name: str
    unit: str
    direction: str  # higher_better | lower_better
    target: float | None
    warning: float | None

    def rag_of(self, value: float | None) -> Rag:
        return kpi_rag(value, self.target, self.warning, self.direction)


def shortfall(value: float | None, target: float | None, direction: str) -> float | None:
    """How far ``value`` falls short of ``target``, as a share of the target (negative: it beats
    the target by that share), so KPIs of different units can be ranked; None without both."""
    if value is None or target is None:
        return None
    gap = target - value if direction == "higher_better" else value - target
    return gap / abs(target) if target else gap


K = TypeVar("K", bound=KpiReading)
M = TypeVar("M", bound=MomentReading)


def kpis_worst_first(kpis: Sequence[K]) -> list[K]:
    """Off target, then near target, then on target, then without a target; within a group the
    furthest from its target first (on target: the one closest to slipping first). Stable."""

    def key(kpi: K) -> tuple[int, float]:
        gap = shortfall(kpi.value, kpi.target, kpi.direction)
        return kpi.rag.rank, -(gap if gap is not None else 0.0)

    return sorted(kpis, key=key)


def moments_worst_first(moments: Sequence[M]) -> list[M]:
    """Broken, then unreliable, reliable, differentiating; key moments first within a rung. Stable."""

    def key(moment: M) -> tuple[int, bool]:
        rung = LADDER.index(moment.state) if moment.state in LADDER else len(LADDER)
        return rung, not moment.is_key

    return sorted(moments, key=key)

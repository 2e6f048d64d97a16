"""Where a KPI stands against its target and the worst-first order (pure)."""

from __future__ import annotations

import pytest

from cxroom.insights.agenda_facts import KpiFacts, MomentFacts
from cxroom.insights.health import Rag
from cxroom.insights.kpi_standing import kpis_worst_first, moments_worst_first, shortfall


@pytest.mark.parametrize(
    ("value", "target", "direction", "expected"),
    [
        (44.8, 70.0, "higher_better", 0.36),
        (80.0, 50.0, "higher_better", -0.6),
        (8.0, 4.0, "lower_better", 1.0),
        (2.0, 4.0, "lower_better", -0.5),
        (3.0, 0.0, "lower_better", 3.0),  # a zero target: the gap itself
        (None, 4.0, "lower_better", None),
        (4.0, None, "lower_better", None),
    ],
)
def test_shortfall_is_a_share_of_the_target_either_direction(
    value: float | None, target: float | None, direction: str, expected: float | None
) -> None:
    assert shortfall(value, target, direction) == (None if expected is None else pytest.approx(expected))


def _kpi(name: str, value: float | None, target: float | None, warning: float | None, direction: str) -> KpiFacts:
    return KpiFacts(1, 1, name, "%", direction, target, warning, value, None)


def test_off_target_first_then_near_then_on_then_none_each_furthest_first() -> None:
    kpis = [
        _kpi("no reading", None, 50, None, "higher_better"),
        _kpi("green comfortable", 99, 50, None, "higher_better"),
        _kpi("amber", 45, 50, 40, "higher_better"),
        _kpi("red a little", 4.4, 4, None, "lower_better"),
        _kpi("green just", 51, 50, None, "higher_better"),
        _kpi("red far", 20, 50, 40, "higher_better"),
        _kpi("no target", 7, None, None, "higher_better"),
    ]
    ordered = kpis_worst_first(kpis)
    assert [k.name for k in ordered] == [
        "red far",
        "red a little",
        "amber",
        "green just",
        "green comfortable",
        "no reading",
        "no target",
    ]
    assert [k.rag.rank for k in ordered] == sorted(k.rag.rank for k in ordered)
    assert ordered[0].rag is Rag.RED and kpis_worst_first([]) == []


def test_broken_moments_lead_and_key_moments_lead_their_rung() -> None:
    def moment(name: str, state: str, key: bool) -> MomentFacts:
        return MomentFacts(1, 1, name, key, state, state)

    moments = [
        moment("diff", "differentiating", True),
        moment("reliable", "reliable", False),
        moment("broken", "broken", False),
        moment("broken key", "broken", True),
        moment("unreliable", "unreliable", True),
    ]
    assert [m.name for m in moments_worst_first(moments)] == [
        "broken key",
        "broken",
        "unreliable",
        "reliable",
        "diff",
    ]

"""The wall's read model puts each stage's bad news first, on a real DuckDB built through
the services: KPIs off target, then near, on and without a target, each group furthest from
its target first; broken moments of truth before the rest; and the stage's health, capped
below Healthy by a red KPI or a broken moment, says why in words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from cxroom.insights.health import Band, Rag
from cxroom.models import Direction, KpiCreate, MomentCreate, Reliability, StageCreate
from cxroom.queries.wall.wall_data import load_wall
from cxroom.services import evidence, room
from cxroom.store import Store

ACTOR = "system"
OCT = date(2026, 10, 1)

# name, unit, direction, target, warning, October value: a mix of units and directions.
KPIS = [
    ("On target, close", "%", Direction.HIGHER_BETTER, 90.0, 80.0, 90.5),
    ("Near, a little", "%", Direction.HIGHER_BETTER, 90.0, 80.0, 88.0),
    ("Off, slightly", "s", Direction.LOWER_BETTER, 60.0, None, 63.0),  # 5 % over a lower-better target
    ("No target", "", Direction.HIGHER_BETTER, None, None, 12.0),
    ("On target, far", "%", Direction.LOWER_BETTER, 10.0, 12.0, 2.0),
    ("Off, far", "%", Direction.HIGHER_BETTER, 70.0, 60.0, 44.8),  # 36 % short
    ("Near, nearly off", "%", Direction.HIGHER_BETTER, 90.0, 80.0, 80.5),
]
EXPECTED_KPIS = [
    "Off, far",
    "Off, slightly",
    "Near, nearly off",
    "Near, a little",
    "On target, close",
    "On target, far",
    "No target",
]
# name, state, key: positions in this order.
MOMENTS = [
    ("Reliable key", Reliability.RELIABLE, True),
    ("Broken plain", Reliability.BROKEN, False),
    ("Differentiating", Reliability.DIFFERENTIATING, False),
    ("Unreliable plain", Reliability.UNRELIABLE, False),
    ("Broken key", Reliability.BROKEN, True),
]
EXPECTED_MOMENTS = ["Broken key", "Broken plain", "Unreliable plain", "Reliable key", "Differentiating"]


def _build(store: Store, kpis: list[tuple], moments: list[tuple]) -> None:
    room.create_stage(store, StageCreate(slug="claim", name="Make a claim"), actor=ACTOR)
    for name, state, key in moments:
        room.create_moment(
            store,
            MomentCreate(stage_slug="claim", name=name, reliability=state, is_key=key),
            actor=ACTOR,
            when=datetime(2026, 1, 1),
        )
    for name, unit, direction, target, warning, value in kpis:
        kpi_id = evidence.create_kpi(
            store,
            KpiCreate(stage_slug="claim", name=name, unit=unit, direction=direction, target=target, warning=warning),
            actor=ACTOR,
        )
        readings = pd.DataFrame({"kpi_id": kpi_id, "period": [date(2026, 9, 1), OCT], "value": [value, value]})
        with store.transaction(ACTOR) as tx:
            evidence.upsert_kpi_readings(tx, readings, None)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "room.duckdb")
    yield opened
    opened.close()


def test_kpis_and_moments_come_worst_first(store: Store) -> None:
    _build(store, KPIS, MOMENTS)
    column = load_wall(store, OCT).columns[0]
    assert [k.name for k in column.kpis] == EXPECTED_KPIS
    assert [k.rag for k in column.kpis] == [Rag.RED] * 2 + [Rag.AMBER] * 2 + [Rag.GREEN] * 2 + [Rag.NONE]
    assert [m.name for m in column.moments] == EXPECTED_MOMENTS


def test_the_order_holds_whatever_order_the_room_was_set_up_in(store: Store) -> None:
    _build(store, list(reversed(KPIS)), list(reversed(MOMENTS)))
    column = load_wall(store, OCT).columns[0]
    assert [k.name for k in column.kpis] == EXPECTED_KPIS
    assert [m.name for m in column.moments] == EXPECTED_MOMENTS


def test_one_red_kpi_caps_a_high_score_and_the_explanation_names_it_with_its_target(store: Store) -> None:
    green = [(f"Green {i}", "%", Direction.HIGHER_BETTER, 90.0, 80.0, 95.0) for i in range(8)]
    red = [("Claims settled within 10 days", "%", Direction.HIGHER_BETTER, 70.0, 60.0, 44.8)]
    _build(store, green + red, [("Claim acknowledged", Reliability.DIFFERENTIATING, True)])
    column = load_wall(store, OCT).columns[0]
    health = column.health
    assert health.score is not None and health.score >= 75
    assert health.band is Band.WATCH and health.capped
    assert health.explanation.startswith(
        "Needs attention: 1 KPI off target (Claims settled within 10 days, 44.8% against target ≥ 70.0%)"
    )
    assert column.kpis[0].name == "Claims settled within 10 days"


def test_a_broken_key_moment_caps_a_stage_whose_kpis_are_all_green(store: Store) -> None:
    green = [(f"Green {i}", "%", Direction.HIGHER_BETTER, 90.0, 80.0, 95.0) for i in range(3)]
    moments = [(f"Fine {i}", Reliability.DIFFERENTIATING, False) for i in range(3)]
    _build(store, green, [*moments, ("Claim acknowledged", Reliability.BROKEN, True)])
    health = load_wall(store, OCT).columns[0].health
    assert health.band is Band.WATCH
    assert "1 broken moment of truth (Claim acknowledged)" in health.explanation
    assert "every KPI on target" in health.explanation

"""Company-scale rooms for the benchmark: `python -m cxroom demo --scale medium|large`.

A scale room starts as the demo room (so it has real calls, artifacts, fixes
and reviews) and grows to a large company's size: more stages, moments, KPIs
with daily readings, and millions of complaints, generated set-wise inside
DuckDB. Same seed and end month, same room.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cxroom.demo import DEMO_ACTOR, build_demo, last_complete_month
from cxroom.media import MediaStore
from cxroom.models import (
    CategoryRuleCreate,
    Direction,
    Frequency,
    KpiCreate,
    MomentCreate,
    QuestionKind,
    Reliability,
    SiloCreate,
    StageCreate,
    SurveyQuestionCreate,
)
from cxroom.queries import room as room_queries
from cxroom.services import bulk, customer_math_load, evidence, room, scale_load
from cxroom.store import Store


@dataclass(frozen=True)
class Scale:
    name: str
    stages: int
    moments: int
    kpis: int
    complaints: int
    responses: int
    calls: int
    artifacts: int
    fixes: int
    reviews: int
    days: int = 3 * 365
    movements: int = 0  # customers in and out (customer math)


SCALES = {
    "medium": Scale("medium", 10, 40, 60, 200_000, 100_000, 500, 150, 80, 24, movements=500_000),
    "large": Scale("large", 12, 60, 120, 2_000_000, 1_000_000, 2_000, 500, 300, 36, movements=5_000_000),
}

_EXTRA_STAGES = [
    ("move-house", "Move house", "Let me take my cover with me without starting over."),
    ("add-driver", "Add a driver", "Let my family drive without a fuss."),
    ("travel", "Travel abroad", "Make sure I'm covered when I'm away."),
    ("upgrade", "Upgrade cover", "Offer me more when I need more."),
    ("complain", "Complain", "When I complain, listen and fix it."),
]
_EXTRA_SILOS = ["Partnerships", "Data & Analytics", "Procurement"]
_KINDS = [QuestionKind.NPS, QuestionKind.CSAT, QuestionKind.CES]


def build_scale(
    store: Store, media: MediaStore, *, scale: str, seed: int = 7, end_month: date | None = None
) -> dict[str, int]:
    spec = SCALES[scale]
    end = (end_month or last_complete_month()).replace(day=1)
    build_demo(store, media, seed=seed, end_month=end)
    for slug, name, goal in _EXTRA_STAGES[: max(spec.stages - 7, 0)]:
        room.create_stage(store, StageCreate(slug=slug, name=name, customer_goal=goal), actor=DEMO_ACTOR)
    for name in _EXTRA_SILOS:
        room.create_silo(store, SiloCreate(name=name), actor=DEMO_ACTOR)
    wall = room_queries.stages(store)
    stages = list(zip(wall["slug"], wall["name"], strict=True))
    existing = len(room_queries.moments_by_stage(store))
    states = list(Reliability)
    for n in range(spec.moments - existing):
        slug, name = stages[n % len(stages)]
        room.create_moment(
            store,
            MomentCreate(
                stage_slug=slug, name=f"{name}: touchpoint {n + 1}", reliability=states[n % 4], is_key=n % 3 == 0
            ),
            actor=DEMO_ACTOR,
        )
    moments = room_queries.moments_by_stage(store)
    existing_kpis = room_queries.room_info(store)["tables"]["kpis"]
    for n in range(spec.kpis - existing_kpis):
        slug, moment = moments[n % len(moments)]
        evidence.create_kpi(
            store,
            KpiCreate(
                stage_slug=slug,
                moment_name=moment,
                name=f"Daily KPI {n + 1}",
                unit="%",
                direction=Direction.HIGHER_BETTER,
                target=85.0,
                warning=80.0,
                frequency=Frequency.DAILY,
            ),
            actor=DEMO_ACTOR,
        )
    for n, (slug, moment) in enumerate(moments):
        evidence.create_category_rule(
            store,
            CategoryRuleCreate(category=f"Scale category {n + 1}", stage_slug=slug, moment_name=moment),
            actor=DEMO_ACTOR,
        )
    for n, (slug, name) in enumerate(stages):
        evidence.create_question(
            store,
            SurveyQuestionCreate(
                survey="Scale survey", text=f"How was '{name}' for you?", kind=_KINDS[n % 3], stage_slugs=[slug]
            ),
            actor=DEMO_ACTOR,
        )
    with store.transaction(DEMO_ACTOR) as tx:
        batch = bulk.open_batch(tx, kind="demo", source="Scale generator", file_name=scale)
        scale_load.load(
            tx,
            end=end,
            days=spec.days,
            complaints=spec.complaints,
            responses=spec.responses,
            calls=spec.calls - 10,
            artifacts=spec.artifacts - 22,
            fixes=spec.fixes - 10,
            reviews=spec.reviews - 3,
            batch_id=batch,
        )
        customer_math_load.load_scale_movements(tx, count=spec.movements, end=end, days=spec.days, batch_id=batch)
        bulk.close_batch(tx, batch, rows_read=spec.complaints, rows_imported=spec.complaints)
    store.checkpoint()
    tables: dict[str, int] = room_queries.room_info(store)["tables"]
    return tables

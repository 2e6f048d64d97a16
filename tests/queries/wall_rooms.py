"""Small rooms for the Wall's tests, built through the real services: one
stage with a little of everything (and a hostile verbatim), one stage with
nothing at all."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from cxroom.models import (
    CategoryRuleCreate,
    Direction,
    KpiCreate,
    MomentCreate,
    QuestionKind,
    Reliability,
    StageCreate,
    SurveyQuestionCreate,
)
from cxroom.services import bulk, evidence, room
from cxroom.store import Store

ACTOR = "system"
HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script> **bold** [link](http://example.com)"
MONTH = date(2026, 10, 1)


def add_complaints(store: Store, rows: list[tuple[datetime, str, str | None]], source: str = "Web form") -> None:
    """Complaints (received_at, category, verbatim) in one batch."""
    start = int(store.fetch_value("SELECT count(*) FROM complaints") or 0)
    frame = pd.DataFrame(
        {
            "source": source,
            "external_id": [f"T-{start + i:06d}" for i in range(len(rows))],
            "received_at": [r[0] for r in rows],
            "channel": "web",
            "category": [r[1] for r in rows],
            "subcategory": "",
            "verbatim": [r[2] for r in rows],
            "severity": "normal",
        }
    )
    with store.transaction(ACTOR) as tx:
        batch = bulk.open_batch(tx, kind="complaints", source=source, file_name="test")
        bulk.insert_complaints(tx, frame, batch)
        bulk.close_batch(tx, batch, rows_read=len(frame), rows_imported=len(frame))
        evidence.apply_category_rules(tx)


def small_room(store: Store) -> None:
    """'Alpha' has a moment, a KPI, complaints (one hostile) and a survey; 'Empty stage' has nothing."""
    room.create_stage(
        store, StageCreate(slug="alpha", name="Alpha", customer_goal="Help me **now** <b>please</b>"), actor=ACTOR
    )
    room.create_stage(store, StageCreate(slug="empty", name="Empty stage"), actor=ACTOR)
    room.create_moment(
        store,
        MomentCreate(stage_slug="alpha", name="First touch", reliability=Reliability.BROKEN, is_key=True),
        actor=ACTOR,
        when=datetime(2026, 1, 1),
    )
    kpi = evidence.create_kpi(
        store,
        KpiCreate(
            stage_slug="alpha",
            name="Answered in time",
            unit="%",
            direction=Direction.HIGHER_BETTER,
            target=90,
            warning=80,
        ),
        actor=ACTOR,
    )
    readings = pd.DataFrame(
        {"kpi_id": kpi, "period": [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)], "value": [70.0, 85.0, 88.5]}
    )
    with store.transaction(ACTOR) as tx:
        evidence.upsert_kpi_readings(tx, readings, None)
    evidence.create_category_rule(store, CategoryRuleCreate(category="Late", stage_slug="alpha"), actor=ACTOR)
    rows = [(datetime(2026, 9, d, 10), "Late", None) for d in range(1, 5)]
    rows += [(datetime(2026, 10, d, 10), "Late", f"Late again, mail me at jo{d}@example.com") for d in range(1, 4)]
    rows += [(datetime(2026, 10, 20, 12), "Late", HOSTILE)]
    rows += [(datetime(2026, 10, 21, 12), "Unmapped thing", "nobody owns this")]
    add_complaints(store, rows)
    question = evidence.create_question(
        store,
        SurveyQuestionCreate(
            survey="Pulse", text="How likely are you to recommend us?", kind=QuestionKind.NPS, stage_slugs=["alpha"]
        ),
        actor=ACTOR,
    )
    answers = pd.DataFrame(
        {
            "response_id": [f"R{i}" for i in range(10)],
            "question_id": question,
            "value": [10, 9, 9, 8, 7, 6, 3, 10, 9, 0],
            "answered_at": [datetime(2026, 10, 5)] * 10,
        }
    )
    with store.transaction(ACTOR) as tx:
        batch = bulk.open_batch(tx, kind="surveys", source="Pulse", file_name="test")
        bulk.insert_survey_responses(tx, answers, batch)
        bulk.close_batch(tx, batch, rows_read=10, rows_imported=10)


OLD_MONTH = date(2017, 3, 1)


def decade_room(store: Store) -> None:
    """``small_room`` plus ten years of history: a monthly KPI reading from January 2017
    (well over 60 months with data) and complaints and survey answers in March 2017."""
    small_room(store)
    kpi = store.fetch_value("SELECT id FROM kpis WHERE name = 'Answered in time'")
    periods = [date(2017 + i // 12, i % 12 + 1, 1) for i in range(12 * 9 + 7)]  # 2017-01 .. 2026-07
    readings = pd.DataFrame({"kpi_id": kpi, "period": periods, "value": [50.0 + i % 40 for i in range(len(periods))]})
    with store.transaction(ACTOR) as tx:
        evidence.upsert_kpi_readings(tx, readings, None)
    rows = [(datetime(2017, 3, d, 9), "Late", f"Old complaint {d}") for d in range(1, 8)]
    rows += [(datetime(2017, 3, 9, 9), "Unmapped thing", None), (datetime(2017, 4, 2, 9), "Late", None)]
    add_complaints(store, rows)
    question = store.fetch_value("SELECT id FROM survey_questions WHERE survey = 'Pulse'")
    answers = pd.DataFrame(
        {
            "response_id": [f"OLD{i}" for i in range(4)],
            "question_id": question,
            "value": [10, 10, 9, 2],
            "answered_at": [datetime(2017, 3, 15)] * 4,
        }
    )
    with store.transaction(ACTOR) as tx:
        batch = bulk.open_batch(tx, kind="surveys", source="Pulse", file_name="old")
        bulk.insert_survey_responses(tx, answers, batch)
        bulk.close_batch(tx, batch, rows_read=4, rows_imported=4)

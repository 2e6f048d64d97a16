"""The demo's KPIs with 24 monthly readings and its survey questions with their responses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import numpy as np
import pandas as pd

from cxroom import demo_content as content
from cxroom.demo.calendar import DEMO_ACTOR
from cxroom.models import Direction, KpiCreate, QuestionKind, SurveyQuestionCreate
from cxroom.services import bulk, evidence
from cxroom.store import Store, Tx


def _series(start: float, end: float, shape: str, noise: float, rng: np.random.Generator, n: int) -> np.ndarray:
    t = np.arange(n, dtype=float)
    if shape.startswith("fix:"):
        fixed_at = n - 1 - int(shape.split(":")[1])
        ramp = np.clip((t - fixed_at) / 4.0, 0.0, 1.0)
        base = start + (end - start) * ramp
    else:
        base = start + (end - start) * t / (n - 1)
    return base + rng.normal(0.0, noise, n)


def build_kpis(store: Store, months: list[date], rng: np.random.Generator) -> int:
    frames = []
    for (
        stage,
        moment,
        name,
        unit,
        direction,
        target,
        warning,
        silo,
        definition,
        start,
        end,
        noise,
        shape,
    ) in content.KPIS:
        kpi_id = evidence.create_kpi(
            store,
            KpiCreate(
                stage_slug=stage,
                moment_name=moment,
                name=name,
                unit=unit,
                direction=Direction(direction),
                target=target,
                warning=warning,
                silo_name=silo,
                definition=definition,
            ),
            actor=DEMO_ACTOR,
        )
        values = _series(start, end, shape, noise, rng, len(months))
        if unit == "%":
            values = np.clip(values, 0.0, 100.0)
        frames.append(pd.DataFrame({"kpi_id": kpi_id, "period": months, "value": np.round(values, 1)}))
    readings = pd.concat(frames, ignore_index=True)
    return _one_batch(store, "KPI warehouse", readings, evidence.upsert_kpi_readings)


def _survey_values(kind: str, score: float, n: int, rng: np.random.Generator) -> np.ndarray:
    if kind == "nps":
        promoters = 0.38 + score / 200.0
        detractors = 0.38 - score / 200.0
        group = rng.choice(3, size=n, p=[detractors, 1.0 - promoters - detractors, promoters])
        low = rng.integers(0, 7, n)
        mid = rng.integers(7, 9, n)
        high = rng.integers(9, 11, n)
        return np.where(group == 0, low, np.where(group == 1, mid, high)).astype(float)
    if kind == "csat":
        satisfied = rng.random(n) < score / 100.0
        return np.where(satisfied, rng.integers(4, 6, n), rng.integers(1, 4, n)).astype(float)
    # CES on 1-7 where 7 is "very easy": draw around the mean score
    return np.clip(np.round(rng.normal(score, 1.3, n)), 1, 7)


def build_surveys(store: Store, months: list[date], rng: np.random.Generator) -> int:
    frames = []
    for survey, text, kind, stages, per_month, start, end in content.SURVEY_QUESTIONS:
        question_id = evidence.create_question(
            store,
            SurveyQuestionCreate(survey=survey, text=text, kind=QuestionKind(kind), stage_slugs=stages),
            actor=DEMO_ACTOR,
        )
        code = "".join(word[0] for word in survey.split()).upper()
        for index, month in enumerate(months):
            score = start + (end - start) * index / (len(months) - 1) + rng.normal(0.0, 1.0 if kind != "ces" else 0.05)
            n = int(rng.poisson(per_month))
            days = rng.integers(0, 28, n)
            frames.append(
                pd.DataFrame(
                    {
                        "response_id": [f"{code}-{month:%Y%m}-{i:05d}" for i in range(n)],
                        "question_id": question_id,
                        "value": _survey_values(kind, score, n, rng),
                        "answered_at": [datetime(month.year, month.month, 1 + int(d), 12) for d in days],
                    }
                )
            )
    responses = pd.concat(frames, ignore_index=True)
    return _one_batch(store, "Survey platform", responses, bulk.insert_survey_responses)


def _one_batch(store: Store, source: str, rows: pd.DataFrame, insert: Callable[[Tx, pd.DataFrame, int], object]) -> int:
    """Write the demo's ``rows`` of one source as one committed batch, as an import would."""
    with store.transaction(DEMO_ACTOR) as tx:
        batch = bulk.open_batch(tx, kind="demo", source=source, file_name="demo")
        insert(tx, rows, batch)
        bulk.close_batch(tx, batch, rows_read=len(rows), rows_imported=len(rows))
    return len(rows)

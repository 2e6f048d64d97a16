"""What a theme build reads: a stage's masked texts, the months they fall in, and the
stage's stored model.

Only MASKED text is read here (``verbatim_masked``, ``comment_masked``): a text stored
without its masked form is left out, never read as imported.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import numpy as np

from cxroom.insights.themes import ThemeModel
from cxroom.store import Store

__all__ = ["model_for", "stage_texts", "stages_to_theme", "text_months"]

STAGES = "SELECT id FROM stages WHERE NOT archived ORDER BY position, id"
MODEL = "SELECT vocabulary, idf FROM theme_models WHERE stage_id = ?"
MODEL_THEMES = "SELECT id, slot, weights FROM themes WHERE stage_id = ? ORDER BY slot"
BUILT_MONTHS = "SELECT month, texts FROM theme_built_months WHERE stage_id = ? ORDER BY month"

# One row per distinct masked text of a stage and month, with how often it was said.
# $months: the months to read (NULL: all of them).
STAGE_TEXTS = """
WITH texts AS (
    SELECT 'complaint' AS kind, verbatim_masked AS text, date_trunc('month', received_at)::DATE AS month
    FROM complaints
    WHERE stage_id = $stage AND verbatim_masked IS NOT NULL
    UNION ALL
    SELECT 'comment', comment_masked, date_trunc('month', answered_at)::DATE
    FROM (
        SELECT DISTINCT r.response_id, r.comment_masked, r.answered_at
        FROM survey_responses r
        JOIN survey_question_stages qs ON qs.question_id = r.question_id AND qs.stage_id = $stage
        WHERE r.comment_masked IS NOT NULL
    )
)
SELECT kind, text, month, count(*) AS n
FROM texts
WHERE trim(text) <> '' AND ($months IS NULL OR list_contains($months, month))
GROUP BY ALL
ORDER BY text, month, kind
"""

# How many texts each stage has per month, every stage's at once (one read of the tables, not
# one per stage), counted as STAGE_TEXTS counts them: a month whose count changed since it was
# counted (an import undone, rows added to an old month) is counted again.
TEXT_MONTHS = """
SELECT stage_id, month, sum(n)::BIGINT AS n FROM (
    SELECT stage_id, date_trunc('month', received_at)::DATE AS month, count(*) AS n
    FROM complaints
    WHERE stage_id IS NOT NULL AND verbatim_masked IS NOT NULL AND trim(verbatim_masked) <> ''
    GROUP BY ALL
    UNION ALL
    SELECT stage_id, date_trunc('month', answered_at)::DATE, count(*)
    FROM (
        SELECT DISTINCT qs.stage_id, r.response_id, r.comment_masked, r.answered_at
        FROM survey_responses r JOIN survey_question_stages qs ON qs.question_id = r.question_id
        WHERE r.comment_masked IS NOT NULL AND trim(r.comment_masked) <> ''
    )
    GROUP BY ALL
)
GROUP BY ALL
"""


def stages_to_theme(store: Store) -> list[int]:
    return [int(r[0]) for r in store.execute(STAGES)]


def text_months(store: Store) -> dict[int, dict[date, int]]:
    """Per stage, how many texts each month with texts has."""
    found: dict[int, dict[date, int]] = {}
    for stage_id, month, n in store.execute(TEXT_MONTHS):
        found.setdefault(int(stage_id), {})[month] = int(n)
    return found


def stage_texts(store: Store, stage_id: int, months: list[date] | None = None) -> list[dict[str, Any]]:
    """Distinct masked texts of the stage (all months, or those given) with their counts."""
    return store.fetch_dicts(STAGE_TEXTS, {"stage": stage_id, "months": months})


def model_for(store: Store, stage_id: int) -> tuple[ThemeModel, list[int], dict[date, int]] | None:
    """The stored model of the stage, its themes' ids by slot and the months it has counted
    (with the number of texts each had then)."""
    row = store.fetch_one(MODEL, [stage_id])
    if row is None:
        return None
    themes = store.execute(MODEL_THEMES, [stage_id])
    if not themes:
        return None
    components = np.array([json.loads(w) for _, _, w in themes], dtype=np.float64)
    model = ThemeModel(tuple(json.loads(row[0])), np.array(json.loads(row[1]), dtype=np.float64), components)
    months = {r[0]: int(r[1]) for r in store.execute(BUILT_MONTHS, [stage_id])}
    return model, [int(t[0]) for t in themes], months

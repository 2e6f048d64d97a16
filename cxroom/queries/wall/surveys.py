"""Survey tiles on the wall: each linked question's score per month (by its kind)
with its change, and the newest open-text comments of the month (masked)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cxroom.insights.health import SurveyChange
from cxroom.privacy import mask_personal_data
from cxroom.queries.wall.months import SPARK_PERIODS, as_date
from cxroom.survey_sql import survey_score

SURVEY_COMMENTS_PER_STAGE = 2

# The newest open-text comments of the month's survey responses, per stage (through the
# questions linked to it). A response answers several questions and every answer row
# carries its comment, so responses are made distinct first.
RECENT_SURVEY_COMMENTS = """
WITH commented AS (
    SELECT DISTINCT qs.stage_id, q.survey, r.response_id, r.answered_at, r.comment_masked,
           CASE WHEN r.comment_masked IS NULL THEN r.comment END AS unmasked
    FROM survey_responses r
    JOIN survey_question_stages qs ON qs.question_id = r.question_id
    JOIN survey_questions q ON q.id = r.question_id
    WHERE r.comment IS NOT NULL AND r.answered_at >= $month AND r.answered_at < $next
)
SELECT stage_id, survey, answered_at, comment_masked, unmasked
FROM commented
QUALIFY row_number() OVER (PARTITION BY stage_id ORDER BY answered_at DESC, response_id) <= $per_stage
ORDER BY stage_id, answered_at DESC, response_id
"""

# Score of a question in a month, by its kind: NPS = % promoters (9-10) -
# % detractors (0-6); CSAT = % answering 4-5; CES and percent = mean.
SURVEY_SCORES = """
WITH scored AS (
    SELECT r.question_id, date_trunc('month', r.answered_at)::DATE AS month, count(*) AS n,
           {score} AS score
    FROM survey_responses r
    JOIN survey_questions q ON q.id = r.question_id
    WHERE r.answered_at >= $from12 AND r.answered_at < $next
    GROUP BY r.question_id, q.kind, month
)
SELECT qs.stage_id, q.id AS question_id, q.survey, q.text, q.kind, sc.month, sc.n, sc.score
FROM survey_question_stages qs
JOIN survey_questions q ON q.id = qs.question_id
JOIN stages st ON st.id = qs.stage_id AND NOT st.archived
LEFT JOIN scored sc ON sc.question_id = q.id
ORDER BY st.position, q.id, sc.month
""".replace("{score}", survey_score())


@dataclass(frozen=True)
class SurveyComment:
    answered_at: datetime
    survey: str
    text: str  # masked


def survey_comment_from_row(row: dict[str, Any]) -> SurveyComment:
    """A comment as the masked roles see it; a row stored without its masked text (SQL
    outside the room's imports) is masked here, never shown as stored."""
    text = row["comment_masked"]
    if text is None:
        text = mask_personal_data(row["unmasked"] or "")
    return SurveyComment(row["answered_at"], row["survey"], text)


@dataclass(frozen=True)
class SurveyTile:
    question_id: int
    survey: str
    text: str
    kind: str
    months: tuple[date, ...]
    scores: tuple[float | None, ...]
    counts: tuple[int, ...]

    @property
    def score(self) -> float | None:
        return self.scores[-1] if self.scores else None

    @property
    def n(self) -> int:
        return self.counts[-1] if self.counts else 0

    @property
    def previous(self) -> float | None:
        return self.scores[-2] if len(self.scores) > 1 else None

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous is None:
            return None
        return self.score - self.previous

    @property
    def spark(self) -> list[float]:
        return [v for v in self.scores[-SPARK_PERIODS:] if v is not None]

    def as_change(self) -> SurveyChange:
        previous_n = self.counts[-2] if len(self.counts) > 1 else 0
        return SurveyChange(self.kind, self.score, self.n, self.previous, previous_n)


def survey_tiles(rows: list[dict[str, Any]], series: tuple[date, ...]) -> dict[int, list[SurveyTile]]:
    by_pair: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_pair[(int(row["stage_id"]), int(row["question_id"]))].append(row)
    tiles: dict[int, list[SurveyTile]] = defaultdict(list)
    for (stage_id, question_id), pair_rows in by_pair.items():
        first = pair_rows[0]
        scored = {as_date(r["month"]): r for r in pair_rows if r["month"] is not None}
        tiles[stage_id].append(
            SurveyTile(
                question_id=question_id,
                survey=first["survey"],
                text=first["text"],
                kind=first["kind"],
                months=series,
                scores=tuple(None if m not in scored else float(scored[m]["score"]) for m in series),
                counts=tuple(0 if m not in scored else int(scored[m]["n"]) for m in series),
            )
        )
    return tiles

"""SQL for a survey question's score, shared by every query and service that computes one
(they may not import each other), so the wall, the review agenda and a review's snapshot
always say the same number."""

from __future__ import annotations


def survey_score(kind: str = "q.kind", value: str = "r.value") -> str:
    """The score of the answers in one GROUP BY group, by the question's kind: NPS = % promoters
    (9-10) − % detractors (0-6); CSAT = % answering 4 or 5; CES and percentages = the mean.
    ``kind`` and ``value`` are SQL expressions (column names of the query), never user input."""
    return (
        f"CASE {kind} "
        f"WHEN 'nps' THEN 100.0 * (count(*) FILTER (WHERE {value} >= 9) - count(*) FILTER (WHERE {value} <= 6)) "
        "/ count(*) "
        f"WHEN 'csat' THEN 100.0 * count(*) FILTER (WHERE {value} >= 4) / count(*) "
        f"ELSE avg({value}) END"
    )

"""The one survey score expression, computed by DuckDB on known answers."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from cxroom.survey_sql import survey_score


@pytest.mark.parametrize(
    ("kind", "answers", "expected"),
    [
        ("nps", [10, 9, 9, 8, 7, 6, 0, 3], 100.0 * (3 - 3) / 8),
        ("nps", [10, 10, 9, 7], 75.0),
        ("csat", [5, 4, 3, 1], 50.0),
        ("ces", [7, 6, 2], 5.0),
        ("percent", [80.0, 90.0], 85.0),
    ],
)
def test_survey_score_by_kind(tmp_path: Path, kind: str, answers: list[float], expected: float) -> None:
    con = duckdb.connect(str(tmp_path / "scores.duckdb"))
    try:
        con.execute("CREATE TABLE q (id INT, kind VARCHAR)")
        con.execute("CREATE TABLE r (question_id INT, value DOUBLE)")
        con.execute("INSERT INTO q VALUES (1, ?)", [kind])
        con.executemany("INSERT INTO r VALUES (1, ?)", [[a] for a in answers])
        sql = f"SELECT {survey_score()} FROM r JOIN q ON q.id = r.question_id GROUP BY q.kind"
        (score,) = con.execute(sql).fetchone()
    finally:
        con.close()
    assert score == pytest.approx(expected)

"""The Wall's reads: every number checked against direct SQL on the demo room,
a handful of queries for the whole wall, masking, empty stages, and the stage
detail's filtered complaint table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from cxroom.insights.health import LADDER, Band, Rag
from cxroom.queries import stage as stage_queries
from cxroom.queries.wall.months import add_months, default_month, last_complete_month, months_with_data
from cxroom.queries.wall.wall_data import WallData, load_wall
from cxroom.settings import Settings
from cxroom.store import Store, open_store

from .wall_rooms import HOSTILE, MONTH, small_room

DEMO_MONTH = date(2026, 10, 1)


@pytest.fixture(scope="module")
def demo_wall(demo_settings: Settings) -> WallData:
    return load_wall(open_store(demo_settings.db_path), DEMO_MONTH)


@pytest.fixture
def small_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "small.duckdb")
    small_room(store)
    yield store
    store.close()


# -- months -----------------------------------------------------------------


def test_add_months_crosses_years() -> None:
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)
    assert add_months(date(2026, 11, 1), 14) == date(2028, 1, 1)


def test_default_month_is_the_last_complete_month_with_data() -> None:
    months = [date(2026, 11, 1), date(2026, 10, 1), date(2026, 9, 1)]
    # Mid-November: November is not complete yet.
    assert default_month(months, today=date(2026, 11, 22)) == date(2026, 10, 1)
    # Data stops in September: the wall opens on September, not an empty October.
    assert default_month(months[2:], today=date(2026, 11, 22)) == date(2026, 9, 1)
    # No data at all: the last complete month.
    assert default_month([], today=date(2026, 3, 5)) == date(2026, 2, 1)
    assert last_complete_month(date(2026, 1, 15)) == date(2025, 12, 1)


def test_months_with_data_on_the_demo(demo_store: Store) -> None:
    months = months_with_data(demo_store)
    assert months[0] == DEMO_MONTH
    assert len(months) >= 24
    assert months == sorted(months, reverse=True)


# -- the whole wall vs direct SQL --------------------------------------------------


def test_one_column_per_stage_in_wall_order(demo_store: Store, demo_wall: WallData) -> None:
    slugs = [r[0] for r in demo_store.execute("SELECT slug FROM stages WHERE NOT archived ORDER BY position, id")]
    assert [c.stage.slug for c in demo_wall.columns] == slugs
    assert demo_wall.month == DEMO_MONTH


def _count(store: Store, stage_id: int, start: date, end: date) -> int:
    return int(
        store.fetch_value(
            "SELECT count(*) FROM complaints WHERE stage_id = ? AND received_at >= ? AND received_at < ?",
            [stage_id, start, end],
        )
    )


def test_complaint_numbers_match_sql(demo_store: Store, demo_wall: WallData) -> None:
    for col in demo_wall.columns:
        sid = col.stage.id
        summary = col.complaints
        assert summary is not None
        assert summary.this_month == _count(demo_store, sid, DEMO_MONTH, add_months(DEMO_MONTH, 1))
        assert summary.last_month == _count(demo_store, sid, add_months(DEMO_MONTH, -1), DEMO_MONTH)
        previous_12 = _count(demo_store, sid, add_months(DEMO_MONTH, -12), DEMO_MONTH)
        assert summary.average_12 == pytest.approx(previous_12 / 12)
        top = demo_store.execute(
            "SELECT category, count(*) AS n FROM complaints WHERE stage_id = ? AND received_at >= ? "
            "AND received_at < ? GROUP BY category ORDER BY n DESC, category LIMIT 3",
            [sid, DEMO_MONTH, add_months(DEMO_MONTH, 1)],
        )
        assert [(c.category, c.count) for c in col.categories] == [(r[0], r[1]) for r in top]


def test_unassigned_complaints_are_counted(demo_store: Store, demo_wall: WallData) -> None:
    expected = demo_store.fetch_value(
        "SELECT count(*) FROM complaints WHERE stage_id IS NULL AND received_at >= ? AND received_at < ?",
        [DEMO_MONTH, add_months(DEMO_MONTH, 1)],
    )
    assert demo_wall.unassigned_this_month == expected > 0


def test_kpi_values_changes_and_rag_match_sql(demo_store: Store, demo_wall: WallData) -> None:
    checked = 0
    for col in demo_wall.columns:
        for kpi in col.kpis:
            rows = dict(
                demo_store.execute(
                    "SELECT period, value FROM kpi_readings WHERE kpi_id = ? AND period IN (?, ?)",
                    [kpi.id, DEMO_MONTH, add_months(DEMO_MONTH, -1)],
                )
            )
            assert kpi.value == pytest.approx(rows[DEMO_MONTH])
            assert kpi.change == pytest.approx(rows[DEMO_MONTH] - rows[add_months(DEMO_MONTH, -1)])
            target, warning, direction = demo_store.fetch_one(
                "SELECT target, warning, direction FROM kpis WHERE id = ?", [kpi.id]
            )
            higher = direction == "higher_better"
            value = rows[DEMO_MONTH]
            meets_target = value >= target if higher else value <= target
            meets_warning = value >= warning if higher else value <= warning
            expected = Rag.GREEN if meets_target else (Rag.AMBER if meets_warning else Rag.RED)
            assert kpi.rag is expected
            assert len(kpi.spark) == 12
            checked += 1
    assert checked == demo_store.fetch_value("SELECT count(*) FROM kpis")


def _score(kind: str, values: pd.Series) -> float:
    if kind == "nps":
        return 100.0 * ((values >= 9).sum() - (values <= 6).sum()) / len(values)
    if kind == "csat":
        return 100.0 * (values >= 4).sum() / len(values)
    return float(values.mean())


def test_survey_scores_match_a_computation_in_pandas(demo_store: Store, demo_wall: WallData) -> None:
    checked = 0
    for col in demo_wall.columns:
        for tile in col.surveys:
            answers = demo_store.fetch_df(
                "SELECT value FROM survey_responses WHERE question_id = ? AND answered_at >= ? AND answered_at < ?",
                [tile.question_id, DEMO_MONTH, add_months(DEMO_MONTH, 1)],
            )["value"]
            assert tile.n == len(answers)
            assert tile.score == pytest.approx(_score(tile.kind, answers))
            checked += 1
    links = demo_store.fetch_value("SELECT count(*) FROM survey_question_stages")
    assert checked == links


def test_moments_silos_fixes_artifacts_and_calls(demo_store: Store, demo_wall: WallData) -> None:
    for col in demo_wall.columns:
        sid = col.stage.id
        names = [
            r[0] for r in demo_store.execute("SELECT name FROM moments WHERE stage_id = ? ORDER BY position, id", [sid])
        ]
        # Every moment, worst first: broken before unreliable before reliable..., key moments first in a rung.
        assert sorted(m.name for m in col.moments) == sorted(names)
        ranks = [(LADDER.index(m.state), not m.is_key) for m in col.moments]
        assert ranks == sorted(ranks)
        silos = {
            r[0]
            for r in demo_store.execute(
                "SELECT s.name FROM stage_silos ss JOIN silos s ON s.id = ss.silo_id WHERE ss.stage_id = ?", [sid]
            )
        }
        assert {s.name for s in col.silos} == silos
        active = {
            r[0]
            for r in demo_store.execute(
                "SELECT title FROM fixes WHERE stage_id = ? AND status NOT IN ('celebrated', 'dropped')", [sid]
            )
        }
        assert {f.title for f in col.fixes if f.status != "celebrated"} == active
        assert len(col.artifacts) == demo_store.fetch_value("SELECT count(*) FROM artifacts WHERE stage_id = ?", [sid])
        assert len(col.calls) == demo_store.fetch_value(
            "SELECT count(*) FROM calls WHERE stage_id = ? AND on_wall", [sid]
        )
    states = {m.state for c in demo_wall.columns for m in c.moments}
    assert states <= {"broken", "unreliable", "reliable", "differentiating"}


def test_health_is_computed_for_every_stage_with_evidence(demo_wall: WallData) -> None:
    for col in demo_wall.columns:
        assert col.health.band is not Band.NO_DATA
        assert col.health.score is not None and 0 <= col.health.score <= 100


def test_verbatims_and_transcripts_leave_the_query_layer_masked(demo_wall: WallData) -> None:
    email = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
    texts = [v.text for c in demo_wall.columns for v in c.verbatims]
    texts += [s.text for c in demo_wall.columns for call in c.calls for s in call.transcript]
    assert texts
    assert not [t for t in texts if email.search(t) or re.search(r"LM-\d{5}", t)]


def test_a_past_month_reads_that_month(demo_store: Store) -> None:
    month = date(2026, 3, 1)
    data = load_wall(demo_store, month)
    col = data.columns[0]
    assert col.complaints is not None
    assert col.complaints.this_month == _count(demo_store, col.stage.id, month, add_months(month, 1))
    assert col.kpis[0].months[-1] == month


class _Counting:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.calls = 0

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.store, name)
        if name in {"execute", "fetch_df", "fetch_dicts", "fetch_value", "fetch_one"}:

            def counted(*args: Any, **kwargs: Any) -> Any:
                self.calls += 1
                return attr(*args, **kwargs)

            return counted
        return attr


def test_the_whole_wall_costs_a_dozen_queries_not_one_per_stage(demo_store: Store) -> None:
    counting = _Counting(demo_store)
    load_wall(counting, DEMO_MONTH)  # type: ignore[arg-type]
    # 14, one for the survey comments of every stage, and five for customer math (movements, active
    # customers, losses, calls to lost customers, definitions)
    assert counting.calls <= 20
    stages = demo_store.fetch_value("SELECT count(*) FROM stages")
    assert counting.calls < stages * 3


# -- small rooms: empty stages, hostile text ----------------------------------------


def test_a_stage_without_evidence_has_an_empty_column(small_store: Store) -> None:
    data = load_wall(small_store, MONTH)
    empty = data.column("empty")
    assert empty is not None
    assert not empty.kpis and not empty.surveys and not empty.calls and not empty.moments
    assert empty.complaints is not None and empty.complaints.this_month == 0
    assert empty.health.band in {Band.NO_DATA, Band.HEALTHY}


def test_small_room_numbers(small_store: Store) -> None:
    data = load_wall(small_store, MONTH)
    alpha = data.column("alpha")
    assert alpha is not None
    assert alpha.complaints is not None
    assert (alpha.complaints.this_month, alpha.complaints.last_month) == (4, 4)
    assert data.unassigned_this_month == 1
    assert alpha.kpis[0].value == 88.5 and alpha.kpis[0].rag is Rag.AMBER
    nps = alpha.surveys[0]
    assert nps.n == 10 and nps.score == pytest.approx(100.0 * (5 - 3) / 10)
    assert alpha.moments[0].state == "broken"
    assert HOSTILE in {v.text for v in alpha.verbatims}  # kept as text: escaping is the UI's job
    assert all("@" not in v.text for v in alpha.verbatims)


def test_an_empty_room(empty_store: Store) -> None:
    data = load_wall(empty_store, MONTH)
    assert data.columns == ()
    assert months_with_data(empty_store) == []


# -- stage detail ----------------------------------------------------------------------


def test_stage_by_slug(demo_store: Store) -> None:
    found = stage_queries.stage_by_slug(demo_store, "pay")
    assert found is not None and found.name == "Pay"
    assert stage_queries.stage_by_slug(demo_store, "nope") is None
    assert stage_queries.stage_by_slug(demo_store, "'; DROP TABLE stages; --") is None


def test_complaint_table_total_matches_sql_and_is_limited(demo_store: Store) -> None:
    sid = int(demo_store.fetch_value("SELECT id FROM stages WHERE slug = 'get-help'"))
    flt = stage_queries.ComplaintFilter(since=DEMO_MONTH, until=date(2026, 10, 31), limit=50)
    page = stage_queries.complaints_page(demo_store, sid, flt)
    assert page.total == _count(demo_store, sid, DEMO_MONTH, date(2026, 11, 1))
    assert len(page.rows) == 50
    assert page.rows["received_at"].is_monotonic_decreasing


def test_complaint_table_filters_and_search(demo_store: Store) -> None:
    sid = int(demo_store.fetch_value("SELECT id FROM stages WHERE slug = 'pay'"))
    flt = stage_queries.ComplaintFilter(search="admin", categories=("Bill higher than quoted",), limit=500)
    page = stage_queries.complaints_page(demo_store, sid, flt)
    expected = demo_store.fetch_value(
        "SELECT count(*) FROM complaints WHERE stage_id = ? AND category = 'Bill higher than quoted' "
        "AND (verbatim ILIKE '%admin%' OR category ILIKE '%admin%' OR subcategory ILIKE '%admin%' "
        "OR external_id ILIKE '%admin%')",
        [sid],
    )
    assert page.total == expected > 0
    assert all("admin" in v.lower() for v in page.rows["verbatim"])
    assert set(page.rows["category"]) == {"Bill higher than quoted"}


def test_search_wildcards_are_literal(demo_store: Store) -> None:
    sid = int(demo_store.fetch_value("SELECT id FROM stages WHERE slug = 'pay'"))
    page = stage_queries.complaints_page(demo_store, sid, stage_queries.ComplaintFilter(search="%"))
    assert page.total == 0


def test_complaint_table_verbatims_are_masked(small_store: Store) -> None:
    sid = int(small_store.fetch_value("SELECT id FROM stages WHERE slug = 'alpha'"))
    page = stage_queries.complaints_page(small_store, sid, stage_queries.ComplaintFilter(with_text_only=True))
    assert page.total == 4
    assert not any("@" in v for v in page.rows["verbatim"])


def test_stage_histories(demo_store: Store) -> None:
    sid = int(demo_store.fetch_value("SELECT id FROM stages WHERE slug = 'claim'"))
    kpis = stage_queries.kpi_history(demo_store, sid, DEMO_MONTH)
    assert kpis["kpi_id"].nunique() == demo_store.fetch_value("SELECT count(*) FROM kpis WHERE stage_id = ?", [sid])
    assert kpis["month"].nunique() == 24
    surveys = stage_queries.survey_trend(demo_store, sid, DEMO_MONTH)
    assert set(surveys["stage_id"]) == {sid}
    trend = stage_queries.complaint_trend(demo_store, sid, DEMO_MONTH)
    assert int(trend["n"].sum()) == _count(demo_store, sid, add_months(DEMO_MONTH, -23), date(2026, 11, 1))
    evidence = stage_queries.stage_evidence(demo_store, sid)
    assert any(len(m.changes) > 1 for m in evidence.moments)  # the adjuster moment moved
    assert {f.status for f in evidence.fixes} >= {"celebrated"}

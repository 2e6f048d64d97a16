"""The warning about a second review of a month compares the month of data each review looks at,
not the calendar: a review held while last month's data is not loaded yet reviews the month before,
and a closed review reviews its snapshot's month. Real DuckDB files."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from cxroom.models import ReviewCreate, StageCreate
from cxroom.services import reviews as rs
from cxroom.services import room
from cxroom.services.submits import SimilarExists
from cxroom.store import Store

ACTOR = "system"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "room.duckdb")
    stage = room.create_stage(s, StageCreate(slug="claim", name="Make a claim"), actor=ACTOR)
    with s.transaction(ACTOR) as tx:  # complaints of August to October 2026: November is not loaded yet
        for n, month in enumerate((8, 9, 10)):
            tx.execute(
                "INSERT INTO complaints (source, external_id, received_at, category, stage_id) "
                "VALUES ('test', ?, ?, 'Slow call-back', ?)",
                [f"c{n}", datetime(2026, month, 12), stage],
            )
    yield s
    s.close()


def _plan(store: Store, title: str, held_on: date, *, allow_similar: bool = False) -> int:
    data = ReviewCreate(held_on=held_on, kind="monthly", title=title, attendees=["Fay"])
    return rs.plan_review_once(
        store, data, agenda=(), actor=ACTOR, nonce=f"{title}-{held_on}", allow_similar=allow_similar
    ).id


def test_a_review_held_before_last_months_data_arrives_reviews_the_same_month_as_the_one_before(
    store: Store,
) -> None:
    october = _plan(store, "Monthly room review · October 2026", date(2026, 11, 8))
    # Held 3 December: the calendar says November, but November's data is not loaded: October again.
    assert [r["id"] for r in rs.reviews_of_month(store, date(2026, 12, 3))] == [october]
    with pytest.raises(SimilarExists) as refused:
        _plan(store, "Monthly room review · December", date(2026, 12, 3))
    assert "October 2026" in str(refused.value)
    assert [r["id"] for r in refused.value.existing] == [october]
    # A review of September data (held in October, when September is loaded) is another month.
    assert rs.reviews_of_month(store, date(2026, 10, 8)) == []


def test_once_next_months_data_arrives_the_december_review_is_of_november(store: Store) -> None:
    _plan(store, "Monthly room review · October 2026", date(2026, 11, 8))
    stage = store.fetch_value("SELECT id FROM stages WHERE slug = 'claim'")
    with store.transaction(ACTOR) as tx:
        tx.execute(
            "INSERT INTO complaints (source, external_id, received_at, category, stage_id) "
            "VALUES ('test', 'nov', ?, 'Slow call-back', ?)",
            [datetime(2026, 11, 20), stage],
        )
    assert rs.reviews_of_month(store, date(2026, 12, 3)) == []
    november = _plan(store, "Monthly room review · November 2026", date(2026, 12, 3))
    assert [r["id"] for r in rs.reviews_of_month(store, date(2026, 12, 20))] == [november]


def test_a_closed_review_counts_with_the_month_its_snapshot_froze(store: Store) -> None:
    october = _plan(store, "Monthly room review · October 2026", date(2026, 11, 8))
    rs.close_review(store, october, expected_version=1, actor=ACTOR, when=datetime(2026, 11, 8, 11))
    stage = store.fetch_value("SELECT id FROM stages WHERE slug = 'claim'")
    with store.transaction(ACTOR) as tx:  # data of November arrives after the review closed
        tx.execute(
            "INSERT INTO complaints (source, external_id, received_at, category, stage_id) "
            "VALUES ('test', 'nov', ?, 'Slow call-back', ?)",
            [datetime(2026, 11, 20), stage],
        )
    # The closed review stays a review of October; December's review is of November: no warning.
    assert rs.reviews_of_month(store, date(2026, 12, 3)) == []
    assert [r["id"] for r in rs.reviews_of_month(store, date(2026, 11, 28))] == [october]
    # Allowed deliberately all the same.
    assert _plan(store, "A second October review", date(2026, 11, 28), allow_similar=True) != october

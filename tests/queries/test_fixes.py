"""Reads of the team-fix tracker on the demo room (read-only): the board and its
filters, overdue flags, verdicts, the fix page's detail, the load view, the
celebrations wall. Every number is checked against a plain query of its own."""

from __future__ import annotations

from datetime import date

import pytest

from cxroom.insights.fix_evidence import Verdict
from cxroom.queries import fixes as fq
from cxroom.store import Store

TODAY = date(2026, 11, 22)


def _ids(store: Store, sql: str, params: list[object] | None = None) -> set[int]:
    return {int(r[0]) for r in store.execute(sql, params)}


def test_board_hides_dropped_fixes_by_default(demo_store: Store) -> None:
    board = fq.board(demo_store, today=TODAY)
    assert set(board["id"]) == _ids(demo_store, "SELECT id FROM fixes WHERE status <> 'dropped'")
    assert "dropped" not in set(board["status"])
    everything = fq.board(demo_store, today=TODAY, filters=fq.BoardFilter(include_dropped=True))
    assert len(everything) == demo_store.fetch_value("SELECT count(*) FROM fixes") == 10
    # status order, then due date
    order = [fq.STATUS_ORDER.index(s) for s in everything["status"]]
    assert order == sorted(order)


def test_board_cards_carry_team_and_silos(demo_store: Store) -> None:
    board = fq.board(demo_store, today=TODAY).set_index("id")
    for fix_id, row in board.iterrows():
        silos = sorted(
            r[0]
            for r in demo_store.execute(
                "SELECT DISTINCT s.name FROM fix_members m JOIN silos s ON s.id = m.silo_id WHERE m.fix_id = ?",
                [fix_id],
            )
        )
        assert list(row["silos"]) == silos
        assert row["silo_count"] == len(silos) >= 2
        assert row["members"] == demo_store.fetch_value("SELECT count(*) FROM fix_members WHERE fix_id = ?", [fix_id])


@pytest.mark.parametrize(
    ("filters", "sql", "params"),
    [
        (
            fq.BoardFilter(stage="claim"),
            "SELECT f.id FROM fixes f JOIN stages s ON s.id = f.stage_id "
            "WHERE s.slug = 'claim' AND f.status <> 'dropped'",
            None,
        ),
        (
            fq.BoardFilter(silo="Digital"),
            "SELECT DISTINCT m.fix_id FROM fix_members m JOIN silos s ON s.id = m.silo_id "
            "JOIN fixes f ON f.id = m.fix_id WHERE s.name = 'Digital' AND f.status <> 'dropped'",
            None,
        ),
        (
            fq.BoardFilter(sponsor="Mark Ellison", include_dropped=True),
            "SELECT id FROM fixes WHERE sponsor = 'Mark Ellison'",
            None,
        ),
        (
            fq.BoardFilter(overdue_only=True),
            "SELECT id FROM fixes WHERE due_on < ? AND status IN "
            "('chartered', 'diagnosing', 'recommending', 'implementing', 'results')",
            [TODAY],
        ),
    ],
)
def test_board_filters(demo_store: Store, filters: fq.BoardFilter, sql: str, params: list[object] | None) -> None:
    expected = _ids(demo_store, sql, params)
    assert expected, "the demo room should have fixes for every filter"
    assert set(fq.board(demo_store, today=TODAY, filters=filters)["id"]) == expected


def test_board_filter_by_moment(demo_store: Store) -> None:
    moment = demo_store.fetch_value("SELECT id FROM moments WHERE name = 'Adjuster calls back within 24 hours'")
    board = fq.board(demo_store, today=TODAY, filters=fq.BoardFilter(moment=int(moment)))
    assert list(board["title"]) == ["Call back every new claim within 24 hours"]


def test_overdue_is_a_passed_due_date_until_the_room_closes_the_fix(demo_store: Store) -> None:
    board = fq.board(demo_store, today=TODAY).set_index("title")
    late = board.loc["Show why the price is what it is"]
    assert bool(late["overdue"]) and late["days_past_due"] == (TODAY - late["due_on"].date()).days > 0
    # a celebrated fix is past its due date too, but the room accepted it (cxroom.fix_status)
    assert not board.loc["Call back every new claim within 24 hours", "overdue"]
    earlier = fq.board(demo_store, today=date(2026, 6, 1)).set_index("title")
    assert not earlier.loc["Show why the price is what it is", "overdue"]


def test_board_verdicts(demo_store: Store) -> None:
    verdicts = fq.board_verdicts(demo_store)
    by_name = {v.name: v.evidence for vs in verdicts.values() for v in vs}
    assert by_name["Adjuster call-back within 24h"].verdict is Verdict.IMPROVED
    assert by_name["Average speed of answer"].verdict is Verdict.WORSE  # lower is better, and it went up
    assert by_name["Documents sent within 24h"].target_met
    assert by_name["ID cards in hand before cover starts"].verdict is Verdict.TOO_LITTLE_DATA
    linked = demo_store.fetch_value("SELECT count(*) FROM fix_kpis")
    assert sum(len(v) for v in verdicts.values()) == linked


def test_fix_detail(demo_store: Store) -> None:
    fix_id = int(
        demo_store.fetch_value("SELECT id FROM fixes WHERE title = 'Call back every new claim within 24 hours'")
    )
    detail = fq.fix_detail(demo_store, fix_id, today=TODAY)
    assert detail is not None
    assert detail.fix["moment"] == "Adjuster calls back within 24 hours"
    assert {m["silo"] for m in detail.members} == {"Claims", "Customer Service", "Digital"}
    times = [t["happened_at"] for t in detail.timeline]
    assert times == sorted(times, reverse=True)
    assert detail.timeline[-1]["to_status"] == "chartered"
    assert detail.timeline[0]["author"] == "Leila Mansour"  # the display name, not the e-mail
    assert [p["title"] for p in detail.presentations] == ["Monthly room review · September 2026"]
    assert detail.celebration is not None and detail.celebration["basis"] == "improved"
    assert fq.fix_detail(demo_store, 9999, today=TODAY) is None


def test_load_per_person_and_per_silo(demo_store: Store) -> None:
    people = fq.load_by_person(demo_store).set_index("person")
    expected = dict(
        demo_store.execute(
            "SELECT m.person, count(*) FROM fix_members m JOIN fixes f ON f.id = m.fix_id "
            "WHERE f.status NOT IN ('celebrated', 'dropped') GROUP BY 1"
        )
    )
    assert people["active_fixes"].to_dict() == expected
    assert people.loc["Ines Moreau", "active_fixes"] == 2
    assert people.loc["Tom Becker", "leading"] == 1
    silos = fq.load_by_silo(demo_store).set_index("silo")
    digital = demo_store.fetch_value(
        "SELECT count(DISTINCT m.fix_id) FROM fix_members m JOIN silos s ON s.id = m.silo_id JOIN fixes f "
        "ON f.id = m.fix_id WHERE s.name = 'Digital' AND f.status NOT IN ('celebrated', 'dropped')"
    )
    assert silos.loc["Digital", "active_fixes"] == digital


def test_celebrations_credit_team_and_silos(demo_store: Store) -> None:
    wins = fq.celebrations(demo_store)
    assert list(wins["title"]) == ["Call back every new claim within 24 hours", "Same-day policy documents"]
    first = wins.iloc[0]
    assert list(first["team"]) == ["Aisha Rahman · Customer Service", "Ines Moreau · Digital", "Robert Chen · Claims"]
    assert list(first["silos"]) == ["Claims", "Customer Service", "Digital"]
    assert first["basis"] == "improved" and first["celebrated_by"] == "Leila Mansour"


def test_charter_options(demo_store: Store) -> None:
    opts = fq.charter_options(demo_store)
    assert opts.stages[0][0] == "shop"
    assert "Digital" in opts.silos
    claim_kpis = {k["name"]: k["readings"] for k in opts.kpis_of("claim")}
    assert claim_kpis["Adjuster call-back within 24h"] == 24
    assert {m["name"] for m in opts.moments_of("claim")} >= {"Adjuster calls back within 24 hours"}
    assert len(fq.fix_choices(demo_store)) == 10

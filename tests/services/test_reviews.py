"""Writes of the room review on a copy of the demo room: planning with an
agenda, reordering it, capturing findings and decisions, chartering a fix
from a finding, closing (with its snapshot), reopening, and what happens when
two people work on the same review."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from cxroom.errors import ConflictError, InvalidInputError, PermissionDeniedError, StoreError
from cxroom.insights.agenda import AgendaKind, AgendaSection
from cxroom.insights.health import kpi_rag
from cxroom.models import DecisionCreate, FindingCreate, FixCreate, FixMember, ReviewCreate
from cxroom.queries.reviews import contents, listing
from cxroom.services import review_capture as capture
from cxroom.services import review_snapshot
from cxroom.services import reviews as rs
from cxroom.settings import Settings
from cxroom.store import Store

ACTOR = "system"
SNAPSHOT_TABLES = ["review_snapshot_kpis", "review_snapshot_complaints", "review_snapshot_moments"]


@pytest.fixture(scope="module")
def store(demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A private copy of the session's demo room (the original stays read-only)."""
    folder = tmp_path_factory.mktemp("reviews-services")
    target = folder / "room.duckdb"
    shutil.copyfile(demo_settings.db_path, target)
    wal = Path(f"{demo_settings.db_path}.wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}.wal"))
    opened = Store(target)
    yield opened
    opened.close()


def _item(title: str, *, stage_id: int | None = None, minutes: int = 5) -> rs.AgendaItemCreate:
    return rs.AgendaItemCreate(
        kind=AgendaKind.STAGE if stage_id else AgendaKind.NOTE,
        section=AgendaSection.OTHER,
        title=title,
        stage_id=stage_id,
        minutes=minutes,
    )


def _plan(store: Store, title: str, *items: str) -> int:
    data = ReviewCreate(held_on=date(2026, 11, 20), title=title, attendees=["Ann", "Bob"])
    return rs.plan_review(store, data, agenda=[_item(t) for t in items], actor=ACTOR)


def _titles(store: Store, review_id: int) -> list[str]:
    return [i.title for i in contents.agenda(store, review_id)]


def _team(*pairs: tuple[str, str]) -> list[FixMember]:
    return [FixMember(person=p, silo_name=s) for p, s in pairs]


def _fix(review_id: int, *members: tuple[str, str], stage: str = "get-help") -> FixCreate:
    return FixCreate(
        title="One owner per repeat contact",
        problem="Customers call three times about the same thing.",
        stage_slug=stage,
        sponsor="Ann",
        lead=members[0][0],
        members=_team(*members),
        chartered_on=date(2026, 11, 20),
        due_on=date(2027, 2, 20),
        chartered_review_id=review_id,
    )


# -- the demo's own reviews ------------------------------------------------------------


def test_the_demo_reviews_closed_by_build_demo_have_snapshots_of_their_months(store: Store) -> None:
    rows = store.fetch_df(
        "SELECT r.title, s.month FROM reviews r JOIN review_snapshots s ON s.review_id = r.id ORDER BY r.held_on"
    )
    assert rows["title"].tolist() == ["Monthly room review · August 2026", "Monthly room review · September 2026"]
    assert [m.date() if hasattr(m, "date") else m for m in rows["month"]] == [date(2026, 8, 1), date(2026, 9, 1)]
    # The claim call-back moment was broken until September: the August review saw it broken.
    states = store.fetch_df(
        "SELECT r.title, sm.reliability FROM review_snapshot_moments sm JOIN reviews r ON r.id = sm.review_id "
        "WHERE sm.name = 'Adjuster calls back within 24 hours' ORDER BY r.held_on"
    )
    assert states["reliability"].tolist() == ["broken", "unreliable"]


def test_snapshot_kpi_status_follows_the_health_rule(store: Store) -> None:
    rows = store.fetch_dicts("SELECT value, target, warning, direction, status FROM review_snapshot_kpis")
    assert rows
    for row in rows:
        assert row["status"] == kpi_rag(row["value"], row["target"], row["warning"], row["direction"]).value


def test_services_and_queries_agree_on_the_month_a_review_looks_at() -> None:
    assert review_snapshot.DATA_MONTH == listing.DATA_MONTH


# -- planning and the agenda -------------------------------------------------------------


def test_plan_a_review_with_its_agenda_in_one_transaction(store: Store) -> None:
    before = store.data_version()
    review_id = _plan(store, "Plan test", "One", "Two", "Three")
    assert store.data_version() == before + 1
    assert _titles(store, review_id) == ["One", "Two", "Three"]
    assert [i.position for i in contents.agenda(store, review_id)] == [1, 2, 3]
    audit = store.fetch_value(
        "SELECT after FROM audit_log WHERE entity = 'review' AND entity_id = ? AND action = 'create'", [str(review_id)]
    )
    assert '"agenda_items": 3' in audit


def test_reorder_add_and_remove_agenda_items(store: Store) -> None:
    review_id = _plan(store, "Agenda test", "A", "B", "C", "D")
    items = {i.title: i for i in contents.agenda(store, review_id)}
    rs.move_agenda_item(store, items["D"].id, offset=-2, expected_version=1, actor=ACTOR)
    assert _titles(store, review_id) == ["A", "D", "B", "C"]
    rs.move_agenda_item(store, items["A"].id, offset=10, expected_version=1, actor=ACTOR)
    assert _titles(store, review_id) == ["D", "B", "C", "A"]
    rs.remove_agenda_item(store, items["B"].id, expected_version=1, actor=ACTOR)
    assert _titles(store, review_id) == ["D", "C", "A"]
    rs.add_agenda_item(store, review_id, _item("E", minutes=12), actor=ACTOR)
    agenda = contents.agenda(store, review_id)
    assert [(i.title, i.position, i.source) for i in agenda][-1] == ("E", 4, "added")
    assert [i.position for i in agenda] == [1, 2, 3, 4]


def test_a_stale_agenda_edit_is_a_conflict(store: Store) -> None:
    review_id = _plan(store, "Stale agenda", "A", "B")
    first = contents.agenda(store, review_id)[0]
    rs.move_agenda_item(store, first.id, offset=1, expected_version=first.version, actor=ACTOR)
    with pytest.raises(ConflictError):
        rs.move_agenda_item(store, first.id, offset=-1, expected_version=first.version, actor=ACTOR)
    with pytest.raises(ConflictError):
        rs.remove_agenda_item(store, first.id, expected_version=first.version, actor=ACTOR)
    assert _titles(store, review_id) == ["B", "A"]


def test_edit_the_plan_with_its_version(store: Store) -> None:
    review_id = _plan(store, "Edit plan")
    changed = ReviewCreate(held_on=date(2026, 11, 21), title="Edited", attendees=["Ann", "Cy"])
    rs.update_review(store, review_id, changed, expected_version=1, actor=ACTOR)
    with pytest.raises(ConflictError):
        rs.update_review(store, review_id, changed, expected_version=1, actor=ACTOR)
    review = listing.get_review(store, review_id)
    assert review is not None and (review.title, review.attendees, review.version) == ("Edited", ("Ann", "Cy"), 2)


def test_replace_agenda_with_a_new_proposal(store: Store) -> None:
    review_id = _plan(store, "Replace", "Old")
    rs.replace_agenda(store, review_id, items=[_item("New 1"), _item("New 2")], actor=ACTOR)
    assert _titles(store, review_id) == ["New 1", "New 2"]


# -- capture -------------------------------------------------------------------------------


def test_two_people_adding_findings_never_lose_each_others(store: Store) -> None:
    review_id = _plan(store, "Two note takers")
    links = [
        capture.EvidenceLink(kind="complaints", ref_text="Repeat contact", label="Complaints · Repeat contact: 242")
    ]
    a = capture.add_finding(
        store,
        FindingCreate(review_id=review_id, text="Repeat contacts keep rising", stage_slug="get-help"),
        actor=ACTOR,
        evidence_links=links,
    )
    b = capture.add_finding(
        store,
        FindingCreate(
            review_id=review_id,
            text="ID cards arrive late",
            stage_slug="get-started",
            moment_name="ID card arrives before cover starts",
        ),
        actor="demo",
    )
    found = {f.id: f for f in contents.findings(store, review_id)}
    assert set(found) == {a, b}
    assert found[a].evidence == "Complaints · Repeat contact: 242"  # the links' labels, as text
    assert found[a].evidence_labels == ("Complaints · Repeat contact: 242",)
    assert found[b].moment_name == "ID card arrives before cover starts"


def test_editing_the_same_finding_twice_reports_a_conflict_instead_of_overwriting(store: Store) -> None:
    review_id = _plan(store, "Edit race")
    finding = capture.add_finding(
        store, FindingCreate(review_id=review_id, text="First bills differ from quotes"), actor=ACTOR
    )
    # Facilitator and note taker both opened version 1.
    capture.update_finding(
        store, finding, capture.FindingUpdate(text="Facilitator's wording"), expected_version=1, actor=ACTOR
    )
    with pytest.raises(ConflictError, match="changed by someone else"):
        capture.update_finding(
            store, finding, capture.FindingUpdate(text="Note taker's wording"), expected_version=1, actor=ACTOR
        )
    (kept,) = contents.findings(store, review_id)
    assert (kept.text, kept.version) == ("Facilitator's wording", 2)


def test_bad_findings_and_decisions_are_refused_with_a_message(store: Store) -> None:
    review_id = _plan(store, "Bad input")
    with pytest.raises(ValidationError):
        FindingCreate(review_id=review_id, text="  ")
    with pytest.raises(InvalidInputError, match="stage of the moment"):
        capture.add_finding(store, FindingCreate(review_id=review_id, text="Moment only", moment_name="X"), actor=ACTOR)
    other = _plan(store, "Other review")
    foreign = capture.add_finding(store, FindingCreate(review_id=other, text="Elsewhere"), actor=ACTOR)
    with pytest.raises(InvalidInputError, match="same review"):
        capture.add_decision(
            store, DecisionCreate(review_id=review_id, text="Act", owner="Ann", finding_id=foreign), actor=ACTOR
        )


def test_a_finding_something_rests_on_cannot_be_removed(store: Store) -> None:
    review_id = _plan(store, "Remove")
    keep = capture.add_finding(store, FindingCreate(review_id=review_id, text="Has a decision"), actor=ACTOR)
    drop = capture.add_finding(store, FindingCreate(review_id=review_id, text="A typo of a finding"), actor=ACTOR)
    capture.add_decision(
        store, DecisionCreate(review_id=review_id, text="Do it", owner="Ann", finding_id=keep), actor=ACTOR
    )
    with pytest.raises(InvalidInputError, match="rests on this finding"):
        capture.remove_finding(store, keep, expected_version=1, actor=ACTOR)
    capture.remove_finding(store, drop, expected_version=1, actor=ACTOR)
    assert [f.id for f in contents.findings(store, review_id)] == [keep]


def test_charter_a_fix_from_a_finding(store: Store) -> None:
    review_id = _plan(store, "Charter")
    finding = capture.add_finding(
        store, FindingCreate(review_id=review_id, text="Repeat contacts", stage_slug="get-help"), actor=ACTOR
    )
    fix_id = capture.charter_fix_from_finding(
        store,
        finding_id=finding,
        data=_fix(review_id, ("Jonas", "Customer Service"), ("Ines", "Digital")),
        actor=ACTOR,
    )
    row = store.fetch_dicts("SELECT status, chartered_review_id FROM fixes WHERE id = ?", [fix_id])[0]
    assert row == {"status": "chartered", "chartered_review_id": review_id}
    (f,) = contents.findings(store, review_id)
    assert f.fix_ids == (fix_id,)
    assert [x["id"] for x in contents.fixes_chartered(store, review_id)] == [fix_id]


# Two ways the second half of the command (linking the new fix to its finding) can fail in a damaged
# room: the link table is missing, or the database refuses the link row.
BROKEN_LINKS = {
    "link table missing": ["DROP TABLE review_finding_fixes"],
    "link row refused": [
        "DROP TABLE review_finding_fixes",
        "CREATE TABLE review_finding_fixes (finding_id BIGINT NOT NULL, fix_id BIGINT NOT NULL CHECK (fix_id < 0), "
        "PRIMARY KEY (finding_id, fix_id))",
    ],
}
WRITTEN_BY_A_CHARTER = ["fixes", "fix_members", "fix_kpis", "fix_updates", "review_finding_fixes", "audit_log"]


@pytest.mark.parametrize("damage", list(BROKEN_LINKS), ids=list(BROKEN_LINKS))
def test_charter_from_a_finding_is_one_transaction(
    demo_settings: Settings, tmp_path: Path, damage: str, request: pytest.FixtureRequest
) -> None:
    """A failure while linking the fix to its finding leaves no fix behind: the charter and the link
    commit together or not at all."""
    room = _private_copy(demo_settings, tmp_path)
    request.addfinalizer(room.close)
    review_id = _plan(room, "All or nothing")
    finding = capture.add_finding(
        room, FindingCreate(review_id=review_id, text="Repeat contacts", stage_slug="get-help"), actor=ACTOR
    )
    for sql in BROKEN_LINKS[damage]:
        room.execute(sql)
    before = {table: _rows(room, table) for table in WRITTEN_BY_A_CHARTER if table != "review_finding_fixes"}
    version = room.data_version()
    data = _fix(review_id, ("Jonas", "Customer Service"), ("Ines", "Digital"))
    with pytest.raises(StoreError):
        capture.charter_fix_from_finding(room, finding_id=finding, data=data, actor=ACTOR, nonce="form-1")
    assert {table: _rows(room, table) for table in before} == before
    assert room.data_version() == version
    assert room.fetch_value("SELECT count(*) FROM fixes WHERE title = ?", [data.title]) == 0


def test_charter_from_a_finding_sent_again_after_a_failure_charters_once(
    demo_settings: Settings, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """The failed send wrote nothing, so sending the same form again (same nonce) charters the fix and
    links it, once."""
    room = _private_copy(demo_settings, tmp_path)
    request.addfinalizer(room.close)
    review_id = _plan(room, "Try again")
    finding = capture.add_finding(
        room, FindingCreate(review_id=review_id, text="Repeat contacts", stage_slug="get-help"), actor=ACTOR
    )
    data = _fix(review_id, ("Jonas", "Customer Service"), ("Ines", "Digital"))
    room.execute("ALTER TABLE review_finding_fixes RENAME TO review_finding_fixes_away")
    with pytest.raises(StoreError):
        capture.charter_fix_from_finding(room, finding_id=finding, data=data, actor=ACTOR, nonce="form-1")
    room.execute("ALTER TABLE review_finding_fixes_away RENAME TO review_finding_fixes")
    fix_id = capture.charter_fix_from_finding(room, finding_id=finding, data=data, actor=ACTOR, nonce="form-1")
    again = capture.charter_fix_from_finding(room, finding_id=finding, data=data, actor=ACTOR, nonce="form-1")
    assert again == fix_id
    assert room.fetch_value("SELECT count(*) FROM fixes WHERE title = ?", [data.title]) == 1
    (f,) = contents.findings(room, review_id)
    assert f.fix_ids == (fix_id,)


def _private_copy(settings: Settings, folder: Path) -> Store:
    target = folder / "room.duckdb"
    shutil.copyfile(settings.db_path, target)
    wal = Path(f"{settings.db_path}.wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}.wal"))
    return Store(target)


def _rows(store: Store, table: str) -> int:
    return int(store.fetch_value(f"SELECT count(*) FROM {table}"))


def test_a_one_silo_team_is_refused(store: Store) -> None:
    review_id = _plan(store, "One silo")
    with pytest.raises(ValidationError, match="at least two silos"):
        _fix(review_id, ("Jonas", "Customer Service"), ("Maria", "Customer Service"))


def test_present_a_fix_in_this_review(store: Store) -> None:
    review_id = _plan(store, "Presentations")
    fix_id = int(store.fetch_value("SELECT min(id) FROM fixes WHERE status = 'results'"))
    capture.present_fix(store, review_id=review_id, fix_id=fix_id, actor=ACTOR, when=datetime(2026, 11, 20, 10))
    assert [p["id"] for p in contents.presentations(store, review_id)] == [fix_id]


# -- closing and reopening -------------------------------------------------------------------


def test_close_freezes_a_snapshot_and_makes_the_review_read_only(store: Store) -> None:
    review_id = _plan(store, "Close me", "Item")
    finding = capture.add_finding(store, FindingCreate(review_id=review_id, text="Something found"), actor=ACTOR)
    rs.close_review(store, review_id, expected_version=1, actor=ACTOR, when=datetime(2026, 11, 20, 12))
    review = listing.get_review(store, review_id)
    assert review is not None and review.closed
    assert review.snapshot_month == date(2026, 10, 1)  # held in November: October's data
    for table in SNAPSHOT_TABLES:
        assert store.fetch_value(f"SELECT count(*) FROM {table} WHERE review_id = ?", [review_id]) > 0
    complaints = store.fetch_value("SELECT sum(n) FROM review_snapshot_complaints WHERE review_id = ?", [review_id])
    assert complaints == store.fetch_value(
        "SELECT count(*) FROM complaints WHERE received_at >= DATE '2026-10-01' AND received_at < DATE '2026-11-01'"
    )
    item = contents.agenda(store, review_id)[0]
    refusals = [
        lambda: capture.add_finding(store, FindingCreate(review_id=review_id, text="Too late"), actor=ACTOR),
        lambda: capture.add_decision(
            store, DecisionCreate(review_id=review_id, text="Too late", owner="A"), actor=ACTOR
        ),
        lambda: capture.update_finding(
            store, finding, capture.FindingUpdate(text="Too late"), expected_version=1, actor=ACTOR
        ),
        lambda: rs.move_agenda_item(store, item.id, offset=1, expected_version=1, actor=ACTOR),
        lambda: rs.add_agenda_item(store, review_id, _item("Late"), actor=ACTOR),
        lambda: capture.present_fix(store, review_id=review_id, fix_id=1, actor=ACTOR),
    ]
    for refused in refusals:
        with pytest.raises(InvalidInputError, match="closed"):
            refused()


def test_closing_twice_says_it_is_already_closed(store: Store) -> None:
    review_id = _plan(store, "Close twice")
    assert rs.close_review(store, review_id, expected_version=1, actor=ACTOR) is True
    closed_at = store.fetch_value("SELECT closed_at FROM reviews WHERE id = ?", [review_id])
    # Closing again (a second click carries the version it saw, or the new one) changes nothing.
    assert rs.close_review(store, review_id, expected_version=1, actor=ACTOR) is False
    assert rs.close_review(store, review_id, expected_version=2, actor=ACTOR) is False
    assert store.fetch_value("SELECT closed_at FROM reviews WHERE id = ?", [review_id]) == closed_at
    closes = "SELECT count(*) FROM audit_log WHERE action = 'close' AND entity_id = ?"
    assert store.fetch_value(closes, [str(review_id)]) == 1
    assert store.fetch_value("SELECT count(*) FROM review_snapshots WHERE review_id = ?", [review_id]) == 1


def test_a_stale_close_is_a_conflict(store: Store) -> None:
    review_id = _plan(store, "Stale close")
    rs.start_review(store, review_id, expected_version=1, actor=ACTOR)
    with pytest.raises(ConflictError):
        rs.close_review(store, review_id, expected_version=1, actor=ACTOR)
    assert store.fetch_value("SELECT count(*) FROM review_snapshots WHERE review_id = ?", [review_id]) == 0


def test_reopen_is_explicit_and_audited(store: Store) -> None:
    review_id = _plan(store, "Reopen")
    rs.close_review(store, review_id, expected_version=1, actor=ACTOR)
    with pytest.raises(InvalidInputError, match="why"):
        rs.reopen_review(store, review_id, expected_version=2, reason=" ", actor=ACTOR)
    rs.reopen_review(store, review_id, expected_version=2, reason="A decision was missed", actor=ACTOR)
    review = listing.get_review(store, review_id)
    assert review is not None and review.status == "in_session" and review.snapshot_month is None
    assert store.fetch_value("SELECT count(*) FROM review_snapshot_kpis WHERE review_id = ?", [review_id]) == 0
    audit = store.fetch_value("SELECT after FROM audit_log WHERE action = 'reopen' AND entity_id = ?", [str(review_id)])
    assert "A decision was missed" in audit
    capture.add_finding(store, FindingCreate(review_id=review_id, text="The missed one"), actor=ACTOR)
    rs.close_review(store, review_id, expected_version=3, actor=ACTOR)
    assert store.fetch_value("SELECT count(*) FROM review_snapshots WHERE review_id = ?", [review_id]) == 1
    with pytest.raises(InvalidInputError, match="not closed"):
        rs.reopen_review(store, _plan(store, "Open one"), expected_version=1, reason="why not", actor=ACTOR)


def test_only_people_who_may_run_reviews_change_them(store: Store) -> None:
    with pytest.raises(PermissionDeniedError):
        rs.plan_review(store, ReviewCreate(held_on=date(2026, 12, 1), title="Nope"), agenda=(), actor="nobody@x.y")

"""Double submits: the same charter, plan or close sent twice (a double click, a resubmitted form, two
sessions at once) creates one row and one audit entry; a different command from the same form, or the
same one sent deliberately again with a new nonce, still creates its own. Real DuckDB files, real threads."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from cxroom.errors import PermissionDeniedError
from cxroom.models import (
    DecisionCreate,
    FindingCreate,
    FixCreate,
    FixMember,
    FixStatus,
    MomentCreate,
    ReviewCreate,
    SiloCreate,
    StageCreate,
)
from cxroom.permissions import Role
from cxroom.services import fixes, review_capture, room, trust
from cxroom.services import reviews as rs
from cxroom.services.submits import SimilarExists
from cxroom.store import Store

SYSTEM = "system"
FACILITATOR = "fay@room.test"
VIEWER = "vera@room.test"
NONCE = "form-nonce-1"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "room.duckdb")
    room.create_stage(s, StageCreate(slug="claim", name="Make a claim"), actor=SYSTEM)
    for silo in ["Claims", "Digital"]:
        room.create_silo(s, SiloCreate(name=silo), actor=SYSTEM)
    room.create_moment(s, MomentCreate(stage_slug="claim", name="Adjuster calls back"), actor=SYSTEM)
    trust.set_user_role(s, email=FACILITATOR, display_name="Fay", role=Role.FACILITATOR, actor=SYSTEM)
    trust.set_user_role(s, email=VIEWER, display_name="Vera", role=Role.VIEWER, actor=SYSTEM)
    yield s
    s.close()


def _fix(
    title: str = "Call back every new claim", moment: str | None = "Adjuster calls back", **extra: Any
) -> FixCreate:
    return FixCreate(
        title=title,
        problem="Customers wait days for a first call after they report a claim.",
        stage_slug="claim",
        moment_name=moment,
        sponsor="Paul Hart",
        lead="Robert Chen",
        members=[FixMember(person="Robert Chen", silo_name="Claims"), FixMember(person="Ann Lee", silo_name="Digital")],
        chartered_on=date(2026, 11, 20),
        **extra,
    )


def _review(title: str = "Monthly room review · October 2026", held_on: date = date(2026, 11, 20)) -> ReviewCreate:
    return ReviewCreate(held_on=held_on, title=title, attendees=["Catherine Doyle"])


def _count(store: Store, sql: str, params: list[Any] | None = None) -> int:
    return int(store.fetch_value(sql, params))


def _audits(store: Store, action: str, entity: str) -> int:
    return _count(store, "SELECT count(*) FROM audit_log WHERE action = ? AND entity = ?", [action, entity])


def _at_once(n: int, command: Callable[[], Any]) -> list[Any]:
    """Run the command in n threads released together; what each returned, or the exception it raised."""
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = command()
        except Exception as exc:  # the test reports what each thread got
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


# -- charter ---------------------------------------------------------------------------------------------


def test_the_same_charter_twice_makes_one_fix_one_team_one_audit_entry(store: Store) -> None:
    first = fixes.charter_fix_once(store, _fix(), actor=FACILITATOR, nonce=NONCE)
    again = fixes.charter_fix_once(store, _fix(), actor=FACILITATOR, nonce=NONCE)
    assert (first.repeated, again.repeated) == (False, True)
    assert again.id == first.id
    assert _count(store, "SELECT count(*) FROM fixes") == 1
    assert _count(store, "SELECT count(*) FROM fix_members WHERE fix_id = ?", [first.id]) == 2
    assert _count(store, "SELECT count(*) FROM fix_updates WHERE fix_id = ?", [first.id]) == 1
    assert _audits(store, "create", "fix") == 1


def test_a_different_command_from_the_same_form_is_a_new_fix(store: Store) -> None:
    """The form keeps its nonce: the next fix typed into it is another command, not a repeat."""
    a = fixes.charter_fix(store, _fix(), actor=FACILITATOR, nonce=NONCE)
    b = fixes.charter_fix(store, _fix("Call back on weekends too", moment=None), actor=FACILITATOR, nonce=NONCE)
    c = fixes.charter_fix(store, _fix(due_on=date(2027, 3, 1)), actor=FACILITATOR, nonce=NONCE)  # one field differs
    assert len({a, b, c}) == 3
    assert _audits(store, "create", "fix") == 3


def test_the_same_fix_with_a_new_nonce_or_none_is_chartered_again(store: Store) -> None:
    """A deliberate second team (the form draws a new nonce on 'charter anyway'); the CLI sends no nonce."""
    a = fixes.charter_fix(store, _fix(), actor=FACILITATOR, nonce=NONCE)
    b = fixes.charter_fix(store, _fix(), actor=FACILITATOR, nonce="form-nonce-2")
    c = fixes.charter_fix(store, _fix(), actor=SYSTEM)
    d = fixes.charter_fix(store, _fix(), actor=SYSTEM)
    assert len({a, b, c, d}) == 4
    assert store.fetch_value("SELECT count(*) FROM fixes WHERE submit_key IS NULL") == 2


def test_a_repeat_is_still_refused_to_who_may_not_charter(store: Store) -> None:
    fixes.charter_fix(store, _fix(), actor=FACILITATOR, nonce=NONCE)
    with pytest.raises(PermissionDeniedError):
        fixes.charter_fix(store, _fix(), actor=VIEWER, nonce=NONCE)


@pytest.mark.parametrize("threads", [2, 6])
def test_the_same_charter_from_threads_at_once_makes_one_fix(store: Store, threads: int) -> None:
    for round_ in range(3):
        nonce = f"{NONCE}-{threads}-{round_}"
        results = _at_once(threads, lambda n=nonce: fixes.charter_fix_once(store, _fix(), actor=FACILITATOR, nonce=n))
        assert not [r for r in results if isinstance(r, Exception)], results
        assert len({r.id for r in results}) == 1
        assert sorted(r.repeated for r in results) == [False] + [True] * (threads - 1)
    assert _count(store, "SELECT count(*) FROM fixes") == 3
    assert _audits(store, "create", "fix") == 3


def test_the_same_charter_from_a_finding_twice_links_once(store: Store) -> None:
    review = rs.plan_review(store, _review(), agenda=(), actor=FACILITATOR)
    finding = review_capture.add_finding(
        store, FindingCreate(review_id=review, text="Nobody calls back"), actor=FACILITATOR
    )
    other = review_capture.add_finding(
        store, FindingCreate(review_id=review, text="Nobody calls back, again"), actor=FACILITATOR
    )
    data = _fix(chartered_review_id=review)

    def send(on: int) -> int:
        return review_capture.charter_fix_from_finding(store, finding_id=on, data=data, actor=FACILITATOR, nonce=NONCE)

    results = _at_once(4, lambda: send(finding))
    assert len(set(results)) == 1 and isinstance(results[0], int)
    assert send(finding) == results[0]
    assert _count(store, "SELECT count(*) FROM review_finding_fixes WHERE finding_id = ?", [finding]) == 1
    assert _audits(store, "create", "fix") == 1 and _audits(store, "link", "finding") == 1
    # The same fix typed from another finding is another charter.
    assert send(other) != results[0]
    assert _audits(store, "create", "fix") == 2


# -- plan ------------------------------------------------------------------------------------------------


def test_the_same_plan_twice_or_at_once_makes_one_review_with_one_agenda(store: Store) -> None:
    agenda = [
        rs.AgendaItemCreate(kind="note", section="other", title="Walk the wall"),
        rs.AgendaItemCreate(kind="note", section="other", title="Decisions"),
    ]

    def plan() -> Any:
        return rs.plan_review_once(store, _review(), agenda=agenda, actor=FACILITATOR, nonce=NONCE)

    results = [plan(), *_at_once(5, plan)]
    assert not [r for r in results if isinstance(r, Exception)], results
    assert {r.id for r in results} == {results[0].id}
    assert [r.repeated for r in results] == [False] + [True] * 5
    assert _count(store, "SELECT count(*) FROM reviews") == 1
    assert _count(store, "SELECT count(*) FROM review_agenda_items") == 2
    assert _audits(store, "create", "review") == 1
    # Another title from the same form is another review.
    assert rs.plan_review(store, _review("Extra review"), agenda=(), actor=FACILITATOR, nonce=NONCE) != results[0].id


def test_reviews_of_the_same_month_are_found_for_the_warning(store: Store) -> None:
    october = rs.plan_review(store, _review(), agenda=(), actor=FACILITATOR)
    rs.plan_review(store, _review("November", held_on=date(2026, 12, 3)), agenda=(), actor=FACILITATOR)
    same = rs.reviews_of_month(store, date(2026, 11, 2))  # held in November: October's data too
    assert [r["id"] for r in same] == [october]
    assert rs.reviews_of_month(store, date(2027, 2, 1)) == []


def test_active_fixes_on_the_same_moment_or_title_are_found_for_the_warning(store: Store) -> None:
    on_moment = fixes.charter_fix(store, _fix(), actor=FACILITATOR)
    by_title = fixes.charter_fix(store, _fix("Claim status by text", moment=None), actor=FACILITATOR)

    def like(title: str, moment: str | None) -> list[int]:
        return [r["id"] for r in fixes.active_fixes_like(store, stage_slug="claim", moment_name=moment, title=title)]

    assert like("Something new", "Adjuster calls back") == [on_moment]
    assert like("  claim STATUS by text ", None) == [by_title]
    assert like("Something new", None) == []
    fixes.move_fix(
        store,
        on_moment,
        to_status=FixStatus.DROPPED,
        note="Merged into another team",
        expected_version=1,
        actor=FACILITATOR,
    )
    assert like("Something new", "Adjuster calls back") == []  # only active fixes count


# -- close -----------------------------------------------------------------------------------------------


def test_closing_from_threads_at_once_closes_once(store: Store) -> None:
    review = rs.plan_review(store, _review(), agenda=(), actor=FACILITATOR)
    results = _at_once(4, lambda: rs.close_review(store, review, expected_version=1, actor=FACILITATOR))
    assert sorted(results, key=str) == [False, False, False, True]
    assert _audits(store, "close", "review") == 1
    assert _count(store, "SELECT count(*) FROM review_snapshots WHERE review_id = ?", [review]) == 1


# -- look-alikes: refused on the forms' first send, created when meant --------------------------------------


def test_a_charter_like_an_active_fix_is_refused_naming_it_until_sent_deliberately(store: Store) -> None:
    first = fixes.charter_fix(store, _fix(), actor=FACILITATOR, nonce=NONCE)
    # A double click of the first charter is not a look-alike: it is the same command.
    again = fixes.charter_fix_once(store, _fix(), actor=FACILITATOR, nonce=NONCE, allow_similar=False)
    assert again == (first, True)
    for look_alike in (_fix("Another idea for call-backs"), _fix(" CALL BACK EVERY NEW CLAIM", moment=None)):
        with pytest.raises(SimilarExists) as refused:
            fixes.charter_fix_once(store, look_alike, actor=FACILITATOR, nonce="form-2", allow_similar=False)
        assert [r["id"] for r in refused.value.existing] == [first]
        assert "Call back every new claim" in str(refused.value)
    assert _count(store, "SELECT count(*) FROM fixes") == 1
    deliberate = fixes.charter_fix(store, _fix("Another idea for call-backs"), actor=FACILITATOR, nonce="form-2|anyway")
    assert deliberate != first and _audits(store, "create", "fix") == 2


def test_a_plan_for_a_month_with_a_review_is_refused_naming_it_until_sent_deliberately(store: Store) -> None:
    first = rs.plan_review(store, _review(), agenda=(), actor=FACILITATOR, nonce=NONCE)
    with pytest.raises(SimilarExists) as refused:
        rs.plan_review_once(
            store,
            _review("Second October review", held_on=date(2026, 11, 28)),
            agenda=(),
            actor=FACILITATOR,
            nonce=NONCE,
            allow_similar=False,
        )
    assert [r["id"] for r in refused.value.existing] == [first] and "October 2026" in str(refused.value)
    december = rs.plan_review_once(
        store,
        _review("Next", held_on=date(2026, 12, 9)),
        agenda=(),
        actor=FACILITATOR,
        nonce=NONCE,
        allow_similar=False,
    )
    assert december.repeated is False
    assert _audits(store, "create", "review") == 2


# -- findings and decisions, typed during the live session ------------------------------------------------


def test_the_same_finding_or_decision_twice_or_at_once_is_recorded_once(store: Store) -> None:
    review = rs.plan_review(store, _review(), agenda=(), actor=FACILITATOR)
    link = review_capture.EvidenceLink(kind="complaints", ref_text="Slow call-back", label="Complaints: Slow call-back")
    finding = FindingCreate(review_id=review, text="Nobody calls back", stage_slug="claim")

    def record() -> int:
        return review_capture.add_finding(store, finding, actor=FACILITATOR, evidence_links=[link], nonce=NONCE)

    found = {record(), *_at_once(4, record)}
    assert len(found) == 1
    first = found.pop()
    assert _count(store, "SELECT count(*) FROM review_finding_evidence WHERE finding_id = ?", [first]) == 1
    # Other evidence, or other words, from the same form: another finding.
    assert review_capture.add_finding(store, finding, actor=FACILITATOR, nonce=NONCE) != first
    decision = DecisionCreate(
        review_id=review, text="Name an owner for every claim call-back", owner="Paul Hart", finding_id=first
    )
    decided = {review_capture.add_decision(store, decision, actor=FACILITATOR, nonce=NONCE) for _ in range(2)}
    decided |= set(_at_once(3, lambda: review_capture.add_decision(store, decision, actor=FACILITATOR, nonce=NONCE)))
    assert len(decided) == 1
    assert _audits(store, "create", "finding") == 2 and _audits(store, "create", "decision") == 1


def test_a_room_made_before_the_keys_upgrades_across_the_gap_in_numbers(tmp_path: Path) -> None:
    """Migration 0008 follows 0005 and the import and masking migrations: the runner applies what is missing,
    in order,
    rows made before it have no key, and keyed charters work at once."""
    path = tmp_path / "old.duckdb"
    old = Store(path, migrate_to=5)
    room.create_stage(old, StageCreate(slug="claim", name="Make a claim"), actor=SYSTEM)
    for silo in ["Claims", "Digital"]:
        room.create_silo(old, SiloCreate(name=silo), actor=SYSTEM)
    old.execute(
        "INSERT INTO fixes (title, problem, stage_id, sponsor, lead, chartered_on) "
        "SELECT 'Old fix', 'An old problem', id, 'Paul Hart', 'Robert Chen', DATE '2025-01-01' FROM stages"
    )
    old.close()
    upgraded = Store(path)
    try:
        assert upgraded.schema_version() >= 8
        assert upgraded.fetch_value("SELECT submit_key FROM fixes WHERE title = 'Old fix'") is None
        a = fixes.charter_fix(upgraded, _fix(moment=None), actor=SYSTEM, nonce=NONCE)
        assert fixes.charter_fix(upgraded, _fix(moment=None), actor=SYSTEM, nonce=NONCE) == a
        assert upgraded.fetch_value("SELECT count(*) FROM fixes") == 2
    finally:
        upgraded.close()

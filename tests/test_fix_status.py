"""Fix statuses and their rules in one place: the Python rule and the SQL the queries
run are the same rule, checked case by case on a real DuckDB file."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cxroom import fix_status
from cxroom.models import FixStatus
from cxroom.store import Store

TODAY = date(2026, 11, 22)
OFFSETS = (None, -400, -1, 0, 1, 30)  # days from today to the due date; None: no due date
CASES = [(s.value, None if o is None else TODAY + timedelta(days=o)) for s in FixStatus for o in OFFSETS]


def test_every_status_has_one_place_in_the_order_and_a_look() -> None:
    assert set(fix_status.ORDER) == set(FixStatus) and len(fix_status.ORDER) == len(FixStatus)
    assert fix_status.ORDER[-1] is FixStatus.DROPPED and FixStatus.DROPPED not in fix_status.LANES
    assert set(FixStatus) == fix_status.ACTIVE | fix_status.CLOSED
    assert not fix_status.ACTIVE & fix_status.CLOSED
    looks = [fix_status.look(s.value) for s in fix_status.ORDER]
    assert len({x.text for x in looks}) == len(looks), "two statuses would read alike"
    assert fix_status.look("legacy-status").text == "• Legacy-status"  # shown in words, capitalised


@pytest.mark.parametrize(
    ("status", "offset", "overdue"),
    [
        ("implementing", -1, True),
        ("chartered", -400, True),
        # Results past due: still overdue until the room accepts them (the board used to say no).
        ("results", -1, True),
        ("celebrated", -1, False),
        ("dropped", -400, False),
        ("implementing", 0, False),  # due today is due, not overdue
        ("results", 5, False),
    ],
)
def test_the_overdue_rule(status: str, offset: int, overdue: bool) -> None:
    due = TODAY + timedelta(days=offset)
    assert fix_status.is_overdue(status, due, TODAY) is overdue
    assert fix_status.days_overdue(status, due, TODAY) == (-offset if overdue else 0)
    assert fix_status.is_overdue(status, None, TODAY) is False


def test_due_by_counts_the_day_itself_and_only_open_fixes() -> None:
    assert fix_status.is_due_by("results", TODAY, TODAY)
    assert not fix_status.is_due_by("results", TODAY + timedelta(days=1), TODAY)
    assert not fix_status.is_due_by("celebrated", TODAY - timedelta(days=9), TODAY)


def test_the_sql_is_the_python_rule(empty_store: Store) -> None:
    """Every status against every kind of due date: the SQL the board, wall and reviews run agrees."""
    rows = empty_store.execute(
        "SELECT s, d, "
        + fix_status.overdue_sql("s", "d", "CAST(? AS DATE)")
        + " AS overdue, "
        + fix_status.active_sql("s")
        + " AS active FROM (SELECT unnest(?) AS s, unnest(?) AS d)",
        [TODAY, [c[0] for c in CASES], [c[1] for c in CASES]],
    )
    seen = 0
    for status, due, overdue, active in rows:
        assert overdue is fix_status.is_overdue(status, due, TODAY), (status, due)
        assert active is fix_status.is_active(status), status
        seen += 1
    assert seen == len(CASES) == len(FixStatus) * len(OFFSETS)


# -- words for leaders ------------------------------------------------------------------------


def test_every_status_reads_as_a_capitalised_word_and_has_a_material_icon() -> None:
    for status in fix_status.ORDER:
        word = fix_status.word(status.value)
        assert word[0].isupper() and "_" not in word and word.lower().startswith(status.value[:4])
        assert fix_status.look(status.value).material.startswith(":material/")
        assert fix_status.look(status.value).badge.endswith(word)


def test_an_unknown_status_reads_in_words_never_as_an_internal_name() -> None:
    assert fix_status.word("on_hold") == "On hold"
    assert fix_status.look("waiting_for__vendor").label == "Waiting for vendor"
    assert fix_status.word("") == "No status"

"""Double submits through the pages, on a private copy of the demo room: two clicks on "Charter the fix
team" (and on "Plan the review") make one record and one audit entry; a charter that repeats an active fix
and a plan for a month that already has a review warn, link to the existing one, and go ahead only when
the person confirms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.models import FindingCreate
from cxroom.services import review_capture as capture
from cxroom.services.imports import import_file
from cxroom.settings import Settings
from cxroom.store import Store, open_store
from tests.conftest import copy_demo_room


@pytest.fixture
def room(demo_settings: Settings, tmp_path: Path) -> Settings:
    return copy_demo_room(demo_settings, tmp_path)


def _open(app_for: Callable[..., AppTest], room: Settings, page: str, **params: str) -> AppTest:
    at = app_for(room)
    at.run()
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _count(store: Store, sql: str, params: list[object] | None = None) -> int:
    return int(store.fetch_value(sql, params))


def _plain(text: object) -> str:
    return str(text).replace("\\", "")


def test_two_clicks_on_charter_the_fix_team_make_one_fix(app_for: Callable[..., AppTest], room: Settings) -> None:
    store = open_store(room.db_path)
    review = int(store.fetch_value("SELECT max(id) FROM reviews WHERE status <> 'closed'"))
    # A finding on a stage with no moment: no look-alike fix, so only the double click is at stake.
    finding = capture.add_finding(
        store,
        FindingCreate(review_id=review, text="Quotes expire before customers can pay", stage_slug="buy"),
        actor="system",
    )
    at = _open(app_for, room, "views/review.py", review=str(review))
    at.session_state["review-tab"] = "Capture"
    at.run()
    k = f"charter-{finding}"
    sponsor = store.fetch_value("SELECT attendees[1] FROM reviews WHERE id = ?", [review])
    at.selectbox(key=f"{k}-sponsor").set_value(sponsor)
    at.text_input(key=f"{k}-person-0").input("Jonas Lindqvist")
    at.selectbox(key=f"{k}-silo-0").set_value("Customer Service")
    at.text_input(key=f"{k}-person-1").input("Maria Santos")
    at.selectbox(key=f"{k}-silo-1").set_value("Digital")
    shown = []
    for _ in range(2):  # the second click reaches the server with the same form, as a double click does
        at.button(key=f"{k}-go").click()
        at.run()
        assert not at.exception and not at.error, [e.value for e in at.error]
        shown += [_plain(s.value) for s in at.success]
    title = "Quotes expire before customers can pay"
    fixes = store.fetch_dicts("SELECT id FROM fixes WHERE title = ?", [title])
    assert len(fixes) == 1
    # The message names the fix by its title (leaders never see its number).
    assert shown == [f"Fix team chartered: '{title}' is in the fix tracker now."] * 2
    fix_audits = "SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'fix' AND entity_id = ?"
    assert _count(store, fix_audits, [str(fixes[0]["id"])]) == 1
    assert _count(store, "SELECT count(*) FROM audit_log WHERE action = 'link' AND entity_id = ?", [str(finding)]) == 1


def test_a_charter_like_an_active_fix_warns_links_and_goes_ahead_on_confirm(
    app_for: Callable[..., AppTest], room: Settings
) -> None:
    store = open_store(room.db_path)
    existing = store.fetch_dicts(
        "SELECT f.id, f.title FROM fixes f JOIN stages s ON s.id = f.stage_id "
        "WHERE s.slug = 'claim' AND f.status NOT IN ('celebrated', 'dropped') ORDER BY f.id LIMIT 1"
    )[0]
    before = _count(store, "SELECT count(*) FROM fixes")
    at = _open(app_for, room, "views/fixes.py")
    at.selectbox(key="charter-stage").set_value("claim").run()
    at.text_input(key="charter-title").input(f"  {existing['title'].upper()} ")  # the same title, typed loosely
    at.text_area(key="charter-problem").input("Customers wait days for a first call after a claim.")
    at.text_input(key="charter-sponsor").input("Paul Hart")
    for i, (person, silo) in enumerate([("Robert Chen", "Claims"), ("Maria Santos", "Customer Service")]):
        at.text_input(key=f"charter-person-{i}").input(person)
        at.selectbox(key=f"charter-silo-{i}").set_value(silo)
    at.button(key="charter-submit").click().run()
    assert not at.exception and not at.error
    warnings = [_plain(w.value) for w in at.warning]
    assert any("already has in progress" in w and existing["title"] in w for w in warnings), warnings
    links = [(_plain(link.value), link.proto.page, link.proto.query_string) for link in at.page_link]
    assert (existing["title"], "fix", f"fix={existing['id']}") in links
    assert _count(store, "SELECT count(*) FROM fixes") == before  # nothing chartered yet

    at.button(key="charter-similar-go").click().run()
    assert not at.exception and not at.error
    assert _count(store, "SELECT count(*) FROM fixes") == before + 1
    new = store.fetch_dicts("SELECT id, title FROM fixes ORDER BY id DESC LIMIT 1")[0]
    assert new["id"] != existing["id"] and _plain(at.title[0].value) == new["title"]  # landed on the new fix
    fix_audits = "SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'fix' AND entity_id = ?"
    assert _count(store, fix_audits, [str(new["id"])]) == 1


def test_a_cancelled_warning_charters_nothing(app_for: Callable[..., AppTest], room: Settings) -> None:
    store = open_store(room.db_path)
    title = str(store.fetch_value("SELECT title FROM fixes WHERE status = 'implementing' ORDER BY id LIMIT 1"))
    stage = str(
        store.fetch_value("SELECT s.slug FROM fixes f JOIN stages s ON s.id = f.stage_id WHERE f.title = ?", [title])
    )
    before = _count(store, "SELECT count(*) FROM fixes")
    at = _open(app_for, room, "views/fixes.py")
    at.selectbox(key="charter-stage").set_value(stage).run()
    at.text_input(key="charter-title").input(title)
    at.text_area(key="charter-problem").input("The same problem, chartered by someone else.")
    at.text_input(key="charter-sponsor").input("Paul Hart")
    for i, (person, silo) in enumerate([("Robert Chen", "Claims"), ("Maria Santos", "Customer Service")]):
        at.text_input(key=f"charter-person-{i}").input(person)
        at.selectbox(key=f"charter-silo-{i}").set_value(silo)
    at.button(key="charter-submit").click().run()
    assert any("already has in progress" in _plain(w.value) for w in at.warning)
    at.button(key="charter-similar-cancel").click().run()
    assert not at.exception and not at.warning
    assert _count(store, "SELECT count(*) FROM fixes") == before


def test_two_clicks_on_plan_make_one_review_and_a_month_with_a_review_warns(
    app_for: Callable[..., AppTest], room: Settings, tmp_path: Path
) -> None:
    store = open_store(room.db_path)
    # A review looks at the latest month with data, and the demo's October already has its
    # review: November complaints arrive, so a review held in December has a month of its own.
    source = tmp_path / "november.csv"
    source.write_text(
        "Date received,Complaint ID,Issue,Consumer complaint narrative\n"
        + "".join(f"2026-11-{1 + n:02d},nov-{n},Billing,The bill was wrong again ({n}).\n" for n in range(20)),
        encoding="utf-8",
    )
    assert import_file(store, kind="complaints", path=source, actor="system").committed
    at = _open(app_for, room, "views/reviews.py")
    at.date_input(key="plan-date").set_value(date(2026, 12, 10))  # November 2026 data: no review yet
    at.text_input(key="plan-title").input("November walk")
    for _ in range(2):
        at.button(key="FormSubmitter:plan-review-Plan the review and propose its agenda").click()
        at.run()
        assert not at.exception and not at.error
    assert _count(store, "SELECT count(*) FROM reviews WHERE title = 'November walk'") == 1
    planned = str(store.fetch_value("SELECT id FROM reviews WHERE title = 'November walk'"))
    review_audits = "SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'review' AND entity_id = ?"
    assert _count(store, review_audits, [planned]) == 1

    # Another review of November's data: a warning that links to the first, and nothing planned.
    at.text_input(key="plan-title").input("November again")
    at.button(key="FormSubmitter:plan-review-Plan the review and propose its agenda").click()
    at.run()
    first = int(store.fetch_value("SELECT id FROM reviews WHERE title = 'November walk'"))
    assert any("already has a review of November 2026 data" in _plain(w.value) for w in at.warning)
    assert ("November walk", "review", f"review={first}") in [
        (_plain(link.value), link.proto.page, link.proto.query_string) for link in at.page_link
    ]
    assert _count(store, "SELECT count(*) FROM reviews WHERE title = 'November again'") == 0


def test_two_clicks_on_record_the_finding_and_the_decision_record_each_once(
    app_for: Callable[..., AppTest], room: Settings
) -> None:
    store = open_store(room.db_path)
    review = int(store.fetch_value("SELECT max(id) FROM reviews WHERE status <> 'closed'"))
    at = _open(app_for, room, "views/review.py", review=str(review))
    at.session_state["review-tab"] = "Capture"
    at.run()
    text = "Customers repeat their story to every agent"
    for _ in range(2):  # a double click sends the text as typed twice (the page has not cleared it yet)
        at.text_area(key="finding-text").input(text)
        at.button(key="finding-save").click()
        at.run()
        assert not at.exception and not at.error, [e.value for e in at.error]
    assert _count(store, "SELECT count(*) FROM review_findings WHERE text = ?", [text]) == 1
    decision = "Give every caller one case number"
    for _ in range(2):
        at.text_area(key="decision-text").input(decision)
        at.selectbox(key="decision-owner").set_value(
            store.fetch_value("SELECT attendees[1] FROM reviews WHERE id = ?", [review])
        )
        at.button(key="decision-save").click()
        at.run()
        assert not at.exception and not at.error, [e.value for e in at.error]
    assert _count(store, "SELECT count(*) FROM review_decisions WHERE text = ?", [decision]) == 1

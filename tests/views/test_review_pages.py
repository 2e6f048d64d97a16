"""AppTest of every step of a room review, on a private copy of the demo room:
plan (and the proposed agenda), reorder the agenda, capture findings,
decisions and a fix chartered on the spot, a team presenting, closing with
minutes, the comparison with the last review, presenter mode, and the
refusals (empty finding, one-silo team, stale edits, closing twice)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.insights.agenda import propose_agenda
from cxroom.insights.follow_up import FOLLOW_UP_TITLE
from cxroom.models import FindingCreate, ReviewCreate
from cxroom.queries.reviews import agenda_facts, contents, listing
from cxroom.services import review_capture as capture
from cxroom.services import reviews as rs
from cxroom.settings import Settings
from cxroom.store import Store, open_store
from tests.hostile_text import as_read

ACTOR = "system"
LEAK = "sam.castillo@example.com"


@pytest.fixture(scope="module")
def room(demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A private copy of the demo room; media is shared read-only with the session's demo."""
    folder = tmp_path_factory.mktemp("reviews-pages")
    target = folder / "room.duckdb"
    shutil.copyfile(demo_settings.db_path, target)
    wal = Path(f"{demo_settings.db_path}.wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}.wal"))
    store = open_store(target)
    # A verbatim with personal data, the newest of October at Get help.
    store.execute(
        "INSERT INTO complaints (source, external_id, received_at, channel, category, verbatim, stage_id) "
        "SELECT 'E-mail', 'TEST-LEAK', TIMESTAMP '2026-10-31 23:00', 'email', 'Long wait on phone', ?, id "
        "FROM stages WHERE slug = 'get-help'",
        [f"Third time asking, write to {LEAK} or call 555-201-3344."],
    )
    return Settings(db_path=target, media_dir=demo_settings.media_dir)


@pytest.fixture
def store(room: Settings) -> Store:
    return open_store(room.db_path)


@pytest.fixture
def planned(store: Store) -> int:
    """A review held on 20 November 2026 (October's data) with the proposed agenda."""
    held = date(2026, 11, 20)
    proposal = propose_agenda(agenda_facts.agenda_inputs(store, held_on=held))
    items = [rs.AgendaItemCreate.model_validate(p, from_attributes=True) for p in proposal]
    data = ReviewCreate(held_on=held, title="Page test review", attendees=["Catherine Doyle", "Mark Ellison"])
    return rs.plan_review(store, data, agenda=items, actor=ACTOR)


@pytest.fixture
def open_page(app_for: Callable[..., AppTest], room: Settings) -> Iterator[Callable[..., AppTest]]:
    def make(page: str, *, tab: str | None = None, **params: str) -> AppTest:
        at = app_for(room)
        at.run()  # the frame first, so the user is known
        at.switch_page(page)
        for key, value in params.items():
            at.query_params[key] = value
        if tab is not None:
            at.session_state["review-tab"] = tab  # only the open tab runs
        at.run()
        assert not at.exception, at.exception
        return at

    yield make


def _switch_tab(at: AppTest, tab: str) -> None:
    at.session_state["review-tab"] = tab
    at.run()
    assert not at.exception, at.exception


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(as_read(str(p)) for p in parts)


def _errors(at: AppTest) -> list[str]:
    return [as_read(str(e.value)) for e in at.error]


def _success(at: AppTest) -> list[str]:
    return [str(s.value) for s in at.success]


def _add_finding(store: Store, review_id: int, text: str = "Repeat contacts keep rising") -> int:
    return capture.add_finding(
        store,
        FindingCreate(review_id=review_id, text=text, stage_slug="get-help", moment_name="Third contact in a month"),
        actor=ACTOR,
    )


# -- plan ----------------------------------------------------------------------------------------


def test_plan_a_review_and_see_the_agenda_proposed_from_the_data(
    open_page: Callable[..., AppTest], store: Store
) -> None:
    at = open_page("views/reviews.py")
    assert "Monthly room review · September 2026" in _texts(at) or at.get("page_link")
    at.date_input(key="plan-date").set_value(date(2026, 11, 25))
    at.text_input(key="plan-title").input("Planned from the page")
    at.text_area(key="plan-attendees").input("Catherine Doyle\nMark Ellison\n\n")
    at.button(key="FormSubmitter:plan-review-Plan the review and propose its agenda").click()
    at.run()
    # The demo room already has a review of October's data: the form warns and links to it first.
    assert not at.exception and not _errors(at)
    assert any("already has a review of October 2026 data" in str(w.value) for w in at.warning)
    assert [link.value for link in at.page_link if link.proto.page == "review"][-1] == (
        "Monthly room review · October 2026"
    )
    assert not store.fetch_value("SELECT count(*) FROM reviews WHERE title = 'Planned from the page'")
    at.button(key="plan-review-similar-go").click()
    at.run()
    assert not at.exception and not _errors(at)
    assert any("Review planned with a proposed agenda" in s for s in _success(at))
    review = store.fetch_dicts("SELECT id, attendees, status FROM reviews WHERE title = 'Planned from the page'")[0]
    assert review["attendees"] == ["Catherine Doyle", "Mark Ellison"] and review["status"] == "planned"
    items = contents.agenda(store, review["id"])
    # The demo's earlier decisions come back first, then the stages letting customers down.
    assert items[0].title == FOLLOW_UP_TITLE and any("owner Mark Ellison" in r for r in items[0].reasons)
    assert items[1].section.value == "letting_down" and items[1].title == "Get help"

    at = open_page("views/review.py", review=str(review["id"]))
    text = _texts(at)
    assert "Where we are letting customers down" in text and "Fixes due to present" in text
    assert "KPI off target · Customers with 3+ contacts in a month" in text


def test_an_unknown_review_in_the_url_is_a_message_not_a_traceback(open_page: Callable[..., AppTest]) -> None:
    at = open_page("views/review.py", review="nope")
    assert any("There is no review nope" in e for e in _errors(at))


# -- agenda ----------------------------------------------------------------------------------------


def test_reorder_remove_and_add_agenda_items(open_page: Callable[..., AppTest], store: Store, planned: int) -> None:
    first, second = contents.agenda(store, planned)[:2]
    at = open_page("views/review.py", review=str(planned))
    at.button(key=f"agenda-down-{first.id}").click()
    at.run()
    assert [i.id for i in contents.agenda(store, planned)][:2] == [second.id, first.id]
    at.button(key=f"agenda-remove-{second.id}").click()
    at.run()
    assert second.id not in [i.id for i in contents.agenda(store, planned)]
    at.text_input(key="agenda-add-title").input("Customer story: the burst pipe")
    at.number_input(key="agenda-add-minutes").set_value(7)
    at.button(key="agenda-add-go").click()
    at.run()
    last = contents.agenda(store, planned)[-1]
    assert (last.title, last.minutes, last.source) == ("Customer story: the burst pipe", 7, "added")
    assert any("Item added" in s for s in _success(at))


def test_edit_the_plan_and_take_the_attendance(open_page: Callable[..., AppTest], store: Store, planned: int) -> None:
    at = open_page("views/review.py", review=str(planned))
    (attendees,) = [w for w in at.text_area if w.label == "Attendees (one per line)"]
    attendees.input("Catherine Doyle\nPaul Hart")
    at.button(key=f"FormSubmitter:edit-plan-{planned}-Save the plan").click()
    at.run()
    assert not _errors(at) and "Plan updated." in _success(at)
    review = listing.get_review(store, planned)
    assert review is not None and review.attendees == ("Catherine Doyle", "Paul Hart")


# -- capture ---------------------------------------------------------------------------------------------


def test_record_a_finding_from_the_agenda_item_with_its_evidence(
    open_page: Callable[..., AppTest], store: Store, planned: int
) -> None:
    item = contents.agenda(store, planned)[1]  # Get help (after the follow-up of earlier decisions)
    at = open_page("views/review.py", tab="Capture", review=str(planned))
    at.selectbox(key="finding-item").set_value(item.id)
    at.run()
    assert at.selectbox(key="finding-stage").value == "get-help"  # prefilled from the item
    evidence = at.multiselect(key="finding-evidence-get-help")
    kpi_label = next(o for o in evidence.options if o.startswith("KPI · Customers with 3+ contacts"))
    evidence.select(kpi_label)
    at.text_area(key="finding-text").input("A third of repeat callers are chasing a promised call-back.")
    at.button(key="finding-save").click()
    at.run()
    assert not _errors(at) and any("Finding recorded" in s for s in _success(at))
    (finding,) = contents.findings(store, planned)
    assert finding.stage_slug == "get-help"
    assert set(finding.evidence_labels) == {kpi_label, f"Agenda item {item.position}: {item.title}"}
    links = store.fetch_df("SELECT kind, ref_id FROM review_finding_evidence WHERE finding_id = ?", [finding.id])
    assert set(links["kind"]) == {"kpi", "agenda_item"}
    assert at.text_area(key="finding-text").value == ""  # cleared for the next one


def test_an_empty_finding_gets_a_clear_message(open_page: Callable[..., AppTest], store: Store, planned: int) -> None:
    at = open_page("views/review.py", tab="Capture", review=str(planned))
    at.text_area(key="finding-text").input("  ")
    at.button(key="finding-save").click()
    at.run()
    assert not at.exception
    assert _errors(at) == ["The finding is empty or too short (at least 3 characters)."]
    assert contents.findings(store, planned) == []


def test_record_a_decision_with_its_owner(open_page: Callable[..., AppTest], store: Store, planned: int) -> None:
    finding = _add_finding(store, planned)
    at = open_page("views/review.py", tab="Capture", review=str(planned))
    at.text_area(key="decision-text").input("Give every second contact a named case owner.")
    at.selectbox(key="decision-owner").set_value("Mark Ellison")
    at.date_input(key="decision-due").set_value(date(2027, 1, 31))
    at.selectbox(key="decision-finding").set_value(finding)
    at.button(key="decision-save").click()
    at.run()
    assert not _errors(at)
    (decision,) = contents.decisions(store, planned)
    assert (decision.owner, decision.due_on, decision.finding_id) == ("Mark Ellison", date(2027, 1, 31), finding)
    at.text_area(key="decision-text").input("No owner")
    at.button(key="decision-save").click()
    at.run()
    assert _errors(at) == ["The decision's owner is empty or too short (at least 1 characters)."]


def test_charter_a_fix_team_on_the_spot(open_page: Callable[..., AppTest], store: Store, planned: int) -> None:
    finding = _add_finding(store, planned, "Customers call three times about one problem. Nobody owns it.")
    at = open_page("views/review.py", tab="Capture", review=str(planned))
    k = f"charter-{finding}"
    assert at.text_input(key=f"{k}-title").value == "Customers call three times about one problem"
    assert at.text_area(key=f"{k}-problem").value.startswith("Customers call three times")
    at.selectbox(key=f"{k}-sponsor").set_value("Mark Ellison")
    at.text_input(key=f"{k}-person-0").input("Jonas Lindqvist")
    at.selectbox(key=f"{k}-silo-0").set_value("Customer Service")
    at.text_input(key=f"{k}-person-1").input("Maria Santos")
    at.selectbox(key=f"{k}-silo-1").set_value("Customer Service")
    at.button(key=f"{k}-go").click()
    at.run()
    assert not at.exception
    assert any("at least two silos" in e for e in _errors(at))
    assert store.fetch_value("SELECT count(*) FROM fixes WHERE chartered_review_id = ?", [planned]) == 0

    at.selectbox(key=f"{k}-silo-1").set_value("Digital")
    at.multiselect(key=f"{k}-kpis").select("Customers with 3+ contacts in a month")
    at.button(key=f"{k}-go").click()
    at.run()
    # The demo room has an active fix on this moment: the form warns and links to it before chartering.
    assert not _errors(at)
    active = store.fetch_dicts(
        "SELECT f.id, f.title FROM fixes f JOIN moments m ON m.id = f.moment_id WHERE m.name = ? "
        "AND f.status NOT IN ('celebrated', 'dropped')",
        ["Third contact in a month"],
    )
    assert active and any("already has in progress" in str(w.value) for w in at.warning)
    linked = {link.value.replace("\\", "") for link in at.page_link if link.proto.page == "fix"}
    assert {a["title"] for a in active} <= linked
    assert store.fetch_value("SELECT count(*) FROM fixes WHERE chartered_review_id = ?", [planned]) == 0
    at.button(key=f"{k}-similar-go").click()
    at.run()
    assert not _errors(at)
    assert any("Fix team chartered" in s and "fix tracker" in s for s in _success(at))
    fix = store.fetch_dicts(
        "SELECT id, title, lead, sponsor, status FROM fixes WHERE chartered_review_id = ?", [planned]
    )[0]
    assert (fix["lead"], fix["sponsor"], fix["status"]) == ("Jonas Lindqvist", "Mark Ellison", "chartered")
    assert store.fetch_value("SELECT count(*) FROM fix_kpis WHERE fix_id = ?", [fix["id"]]) == 1
    assert contents.findings(store, planned)[0].fix_ids == (fix["id"],)


def test_a_conflicting_edit_of_the_same_finding_is_reported(
    open_page: Callable[..., AppTest], store: Store, planned: int
) -> None:
    finding = _add_finding(store, planned)
    # The note taker opens the finding (version 1), then the facilitator saves a change.
    at = open_page("views/review.py", tab="Capture", review=str(planned))
    capture.update_finding(
        store, finding, capture.FindingUpdate(text="The facilitator's wording"), expected_version=1, actor=ACTOR
    )
    at.text_area(key=f"finding-edit-text-{finding}").input("The note taker's wording")
    at.button(key=f"finding-edit-save-{finding}").click()
    at.run()
    assert not at.exception
    assert any("changed by someone else" in e for e in _errors(at))
    assert contents.findings(store, planned)[0].text == "The facilitator's wording"


# -- teams present -------------------------------------------------------------------------------------


def test_a_fix_team_presents_and_is_marked_presented(
    open_page: Callable[..., AppTest], store: Store, planned: int
) -> None:
    fix_id = int(store.fetch_value("SELECT id FROM fixes WHERE title = 'Renewal letter in plain language'"))
    at = open_page("views/review.py", tab="Teams present", review=str(planned))
    at.selectbox(key="present-fix").set_value(fix_id)
    at.run()
    text = _texts(at)
    assert "Renewal letter in plain language" in text and "**Results**" in text and "Before and after" in text
    at.button(key=f"present-go-{fix_id}").click()
    at.run()
    assert store.fetch_value(
        "SELECT count(*) FROM fix_presentations WHERE fix_id = ? AND review_id = ?", [fix_id, planned]
    )
    assert "Presented in this review." in _success(at)


# -- close, minutes, since the last review ------------------------------------------------------------------


def test_close_the_review_then_read_the_minutes_and_what_changed(
    open_page: Callable[..., AppTest], store: Store, planned: int
) -> None:
    _add_finding(store, planned, "Repeat contacts keep rising at Get help")
    at = open_page("views/review.py", tab="Since the last review", review=str(planned))
    # While the review is open, "since the last review" already shows the room as it stands.
    assert any("So far: the room as it stands now" in str(c.value) for c in at.caption), [
        str(c.value) for c in [*at.caption, *at.info, *at.error]
    ]
    assert any("moved onto target" in str(m.value) for m in at.markdown)
    _switch_tab(at, "Close and minutes")
    at.checkbox(key="close-sure").check()
    at.run()
    at.button(key="close-go").click()
    at.run()
    assert not _errors(at)
    review = listing.get_review(store, planned)
    assert review is not None and review.closed and review.snapshot_month == date(2026, 10, 1)
    # The minutes (Markdown, print-ready HTML) and the deck (PowerPoint, PDF), side by side.
    assert [b.label for b in at.get("download_button")] == [
        "Minutes as Markdown",
        "Minutes as printable HTML",
        "Deck (PowerPoint)",
        "Deck (PDF)",
    ]
    text = _texts(at)
    assert "# Minutes: Page test review" in text and "Repeat contacts keep rising at Get help" in text
    _switch_tab(at, "Since the last review")
    text = _texts(at)
    assert "KPIs that moved across their target" in text
    assert "Fixes that progressed or slipped" in text
    _switch_tab(at, "Capture")
    assert not [w for w in at.text_area if w.key == "finding-text"]  # read-only now


def test_closing_twice_from_a_stale_page_says_it_was_already_closed(
    open_page: Callable[..., AppTest], store: Store, planned: int
) -> None:
    at = open_page("views/review.py", tab="Close and minutes", review=str(planned))
    at.checkbox(key="close-sure").check()
    at.run()
    rs.close_review(store, planned, expected_version=1, actor=ACTOR)  # someone else closes it meanwhile
    at.button(key="close-go").click()
    at.run()
    assert not at.exception and not _errors(at)
    shown = _success(at) + [str(i.value) for i in at.info]
    assert any("already closed" in s and "nothing changed" in s for s in shown)
    closes = "SELECT count(*) FROM audit_log WHERE action = 'close' AND entity_id = ?"
    assert store.fetch_value(closes, [str(planned)]) == 1


def test_a_closed_review_is_read_only_until_it_is_reopened_with_a_reason(
    open_page: Callable[..., AppTest], store: Store, planned: int
) -> None:
    rs.close_review(store, planned, expected_version=1, actor=ACTOR, when=datetime(2026, 11, 20, 11))
    at = open_page("views/review.py", review=str(planned))
    assert not [b for b in at.button if str(b.key).startswith("agenda-")]
    _switch_tab(at, "Capture")
    assert "reopen it to capture more" in " ".join(str(i.value) for i in at.info)
    _switch_tab(at, "Close and minutes")
    at.button(key="reopen-go").click()
    at.run()
    assert any("Say why" in e for e in _errors(at))
    at.text_input(key="reopen-reason").input("The settlement decision was not minuted")
    at.button(key="reopen-go").click()
    at.run()
    review = listing.get_review(store, planned)
    assert review is not None and review.status == "in_session"


# -- presenter mode --------------------------------------------------------------------------------------------


def test_presenter_walks_the_agenda_with_the_evidence(
    open_page: Callable[..., AppTest], store: Store, planned: int
) -> None:
    at = open_page("views/presenter.py", review=str(planned), item="2")  # 1 is the follow-up
    text = _texts(at)
    assert "# Get help" in text and "Item 2 of" in text and "## KPIs against target · October 2026" in text
    assert len(at.metric) >= 3 and at.get("plotly_chart")
    # Customer text with personal data is masked on the room's screen.
    assert "write to [email] or call [phone]" in text  # as read
    assert any("write to \\[email\\] or call \\[phone\\]" in str(m.value) for m in at.markdown)  # escaped
    assert LEAK not in text and "555-201-3344" not in text
    audio = at.get("audio")
    if store.fetch_value("SELECT count(*) FROM calls c JOIN stages s ON s.id = c.stage_id WHERE s.slug = 'get-help'"):
        assert len(audio) == 1
        call = store.fetch_dicts(
            "SELECT clip_start_s, clip_end_s FROM calls c JOIN stages s ON s.id = c.stage_id "
            "WHERE s.slug = 'get-help' ORDER BY recorded_at DESC, c.id LIMIT 1"
        )[0]
        assert audio[0].proto.start_time == call["clip_start_s"]
        assert audio[0].proto.end_time == call["clip_end_s"]
    at.button(key="presenter-next").click()
    at.run()
    assert at.query_params["item"] == ["3"] or at.query_params["item"] == "3"
    assert "Item 3 of" in _texts(at)


def test_presenter_shows_a_fix_team_and_marks_it_presented(
    open_page: Callable[..., AppTest], store: Store, planned: int
) -> None:
    fix_item = next(i for i in contents.agenda(store, planned) if i.fix_id is not None)
    at = open_page("views/presenter.py", review=str(planned), item=str(fix_item.position))
    text = _texts(at)
    assert "**A fix team presents**" in text and f"# {fix_item.fix_title}" in text
    at.button(key=f"presenter-present-{fix_item.fix_id}").click()
    at.run()
    assert store.fetch_value(
        "SELECT count(*) FROM fix_presentations WHERE fix_id = ? AND review_id = ?", [fix_item.fix_id, planned]
    )


def test_presenter_walks_any_stage_and_explains_bad_links(open_page: Callable[..., AppTest], planned: int) -> None:
    at = open_page("views/presenter.py", review=str(planned), stage="claim")
    assert "# Make a claim" in _texts(at) and "Walking the wall" in _texts(at)
    at = open_page("views/presenter.py", review=str(planned), item="x")
    assert any("not an agenda item number" in e for e in _errors(at))
    at = open_page("views/presenter.py", review=str(planned), stage="nowhere")
    assert any("There is no stage nowhere" in e for e in _errors(at))

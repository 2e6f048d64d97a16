"""The Room setup page (one test per tab: create, edit, and refusals shown as
messages), the first-run guide on an empty room, and rooms of one's own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cxroom.models import StageUpdate
from cxroom.permissions import Role
from cxroom.queries import setup as q
from cxroom.services import room, rooms
from cxroom.settings import Settings
from cxroom.setup_models import AccountabilityCell
from cxroom.store import Store, open_store
from cxroom.ui import identity
from cxroom.ui.identity import User
from cxroom.ui.navigation import specs_for
from cxroom.ui.setup.accountability import matrix_changes, matrix_frame, owner_changes
from cxroom.ui.setup.calls import apply_editor
from tests.services.test_room_setup import VIEWER, build_small_room


@pytest.fixture
def small_room(tmp_settings: Settings) -> tuple[Settings, Store, dict[str, int]]:
    store = open_store(tmp_settings.db_path)
    return tmp_settings, store, build_small_room(store)


def open_setup(app_for: Callable[..., AppTest], settings: Settings, section: str | None = None) -> AppTest:
    at = app_for(settings)
    at.run()  # the frame first: switch_page before a first run would skip app.py
    at.switch_page("views/setup.py")
    if section:
        at.query_params["section"] = section
    at.run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r} in {[b.label for b in at.button]}"
    matches[0].click().run()
    assert not at.exception, at.exception
    return at


def messages(elements: object) -> str:
    """The text of success/error elements without the escaping that keeps user text literal."""
    return " ".join(e.value.replace("\\", "").replace("\u2060", "") for e in elements)  # type: ignore[attr-defined]


# -- who gets the set-up pages -------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FIX_MEMBER])
def test_setup_pages_are_left_out_for_viewers_and_fix_members(role: Role) -> None:
    offered = {s.url_path for s in specs_for(User(actor="x@y.z", name="x", role=role, mode="header"))}
    assert not offered & {"setup", "first-run"}


def test_setup_pages_are_offered_to_facilitators() -> None:
    offered = {s.url_path for s in specs_for(User(actor="x@y.z", name="x", role=Role.FACILITATOR, mode="header"))}
    assert {"setup", "first-run"} <= offered


def test_a_write_refused_by_the_service_shows_a_message_not_a_traceback(
    app_for: Callable[..., AppTest],
    small_room: tuple[Settings, Store, dict[str, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The page thinks the person is a facilitator (their role was revoked meanwhile): the service refuses."""
    settings, store, _ = small_room
    monkeypatch.setattr(
        identity, "current_user", lambda: User(actor=VIEWER, name="Vera", role=Role.FACILITATOR, mode="header")
    )
    at = open_setup(app_for, settings, "Stages")
    at.text_input(key="new_stage_name").input("Renew")
    click(at, "Add stage")
    assert "may not do 'room.edit'" in messages(at.error)
    assert q.stages(store)["name"].tolist() == ["Shop", "Buy", "Pay"]


# -- Stages ---------------------------------------------------------------------------------


def test_stages_tab_adds_renames_reorders_and_archives(
    app_for: Callable[..., AppTest], small_room: tuple[Settings, Store, dict[str, int]]
) -> None:
    settings, store, ids = small_room
    at = open_setup(app_for, settings, "Stages")
    at.text_input(key="new_stage_name").input("Renew or leave")
    at.text_input(key="new_stage_goal").input("Reward my loyalty")
    click(at, "Add stage")
    assert "Stage 'Renew or leave' added" in messages(at.success)
    assert q.stages(store)["slug"].tolist()[-1] == "renew-or-leave"

    at.selectbox(key="edit_stage_pick").select(ids["pay"]).run()
    at.text_input(key=f"stage_{ids['pay']}_v1_name").input("Pay the bill")
    click(at, "Save stage")
    assert "saved" in messages(at.success)
    assert q.stages(store).set_index("id").loc[ids["pay"], "name"] == "Pay the bill"

    at.button(key=f"stage_order_left_{ids['pay']}").click().run()
    assert q.stages(store)["name"].tolist()[:3] == ["Shop", "Pay the bill", "Buy"]

    click(at, "Archive this stage (take it off the wall)")
    assert "archived" in messages(at.success)
    stages = q.stages(store).set_index("id")
    assert bool(stages.loc[ids["pay"], "archived"]) and stages.loc[ids["pay"], "complaints"] == 5
    click(at, "Put back on the wall")
    assert not bool(q.stages(store).set_index("id").loc[ids["pay"], "archived"])


def test_a_stale_stage_edit_shows_a_conflict(
    app_for: Callable[..., AppTest], small_room: tuple[Settings, Store, dict[str, int]]
) -> None:
    settings, store, ids = small_room
    at = open_setup(app_for, settings, "Stages")
    at.selectbox(key="edit_stage_pick").select(ids["buy"]).run()
    room.update_stage(store, ids["buy"], StageUpdate(name="Buy online"), expected_version=1, actor="cli")  # meanwhile
    at.text_input(key=f"stage_{ids['buy']}_v1_name").input("Purchase")
    click(at, "Save stage")
    assert "changed by someone else" in messages(at.error)
    assert q.stages(store).set_index("id").loc[ids["buy"], "name"] == "Buy online"
    at.text_input(key="new_stage_name").input("")
    click(at, "Add stage")
    assert "name" in messages(at.error)  # an empty name is refused with a message


# -- Moments of truth --------------------------------------------------------------------------


def test_moments_tab_adds_edits_and_changes_reliability_with_a_reason(
    app_for: Callable[..., AppTest], small_room: tuple[Settings, Store, dict[str, int]]
) -> None:
    settings, store, ids = small_room
    at = open_setup(app_for, settings, "Moments of truth")
    at.selectbox(key="moments_stage").select(ids["pay"]).run()
    at.text_input(key="new_moment_name").input("Refund within 5 days")
    at.checkbox(key="new_moment_rescues_at_risk").check()
    at.checkbox(key="new_moment_is_key").check()
    click(at, "Add moment")
    assert "Refund within 5 days" in messages(at.success)
    added = q.moments(store).set_index("name").loc["Refund within 5 days"]
    assert bool(added["rescues_at_risk"]) and bool(added["is_key"]) and not bool(added["drives_revenue"])

    at.selectbox(key=f"moments_pick_{ids['pay']}").select(ids["bill"]).run()
    prefix = f"moment_{ids['bill']}_v1"
    at.checkbox(key=f"{prefix}_grows_wallet").check()
    click(at, "Save moment")
    assert bool(q.moments(store).set_index("id").loc[ids["bill"], "grows_wallet"])

    prefix = f"moment_{ids['bill']}_v2"
    at.selectbox(key=f"{prefix}_to_state").select("reliable")
    click(at, "Change reliability")
    assert "reason" in messages(at.error)  # no reason, no change
    assert q.moments(store).set_index("id").loc[ids["bill"], "reliability"] == "broken"
    at.selectbox(key=f"{prefix}_to_state").select("reliable")
    at.text_input(key=f"{prefix}_reason").input("Three months of bills matched")
    click(at, "Change reliability")
    assert q.moment_history(store, ids["bill"])["reason"].iloc[0] == "Three months of bills matched"
    assert any((df.value["reason"] == "Three months of bills matched").any() for df in at.dataframe)

    # the order within the stage: the ends cannot move past themselves; the last moves up one place
    def pay_order() -> list[int]:
        moments = q.moments(store)
        return [int(i) for i in moments[moments["stage_id"] == ids["pay"]]["id"]]

    before = pay_order()
    assert len(before) >= 2
    assert at.button(key=f"moment_up_{before[0]}").disabled and at.button(key=f"moment_down_{before[-1]}").disabled
    assert not at.button(key=f"moment_up_{before[-1]}").disabled
    at.button(key=f"moment_up_{before[-1]}").click().run()
    assert pay_order() == [*before[:-2], before[-1], before[-2]]
    at.button(key=f"moment_down_{before[-1]}").click().run()
    assert pay_order() == before


def test_a_used_moment_offers_no_delete_and_a_spare_one_can_go(
    app_for: Callable[..., AppTest], small_room: tuple[Settings, Store, dict[str, int]]
) -> None:
    settings, store, ids = small_room
    at = open_setup(app_for, settings, "Moments of truth")
    at.selectbox(key="moments_stage").select(ids["pay"]).run()
    at.selectbox(key=f"moments_pick_{ids['pay']}").select(ids["bill"]).run()
    assert "Delete this moment" not in [b.label for b in at.button]
    assert any("Cannot be deleted" in c.value for c in at.caption)
    at.selectbox(key=f"moments_pick_{ids['pay']}").select(ids["spare"]).run()
    click(at, "Delete this moment")
    assert "Spare moment" not in q.moments(store)["name"].tolist()


# -- Silos & accountability ------------------------------------------------------------------------


def test_silos_tab_adds_renames_and_shows_the_matrix(
    app_for: Callable[..., AppTest], small_room: tuple[Settings, Store, dict[str, int]]
) -> None:
    settings, store, ids = small_room
    at = open_setup(app_for, settings, "Silos & accountability")
    at.text_input(key="new_silo_name").input("Claims")
    click(at, "Add silo")
    assert "Claims" in q.silos(store)["name"].tolist()
    matrix = at.dataframe[1].value  # the silos, then the matrix (a data editor)
    assert matrix["stage"].tolist() == ["Shop", "Buy", "Pay"]
    assert matrix.loc[2, str(ids["Billing"])] == "owner" and len(matrix.columns) == 5
    at.selectbox(key="silo_pick").select(ids["Sales"]).run()
    at.text_input(key=f"silo_{ids['Sales']}_v1_name").input("Sales & brokers")
    click(at, "Save silo")
    assert "Sales & brokers" in q.silos(store)["name"].tolist()
    at.selectbox(key="silo_pick").select(ids["Billing"]).run()
    click(at, "Delete this silo")
    assert "cannot be deleted" in messages(at.error)


def test_matrix_edits_become_cells_with_the_role_seen(small_room: tuple[Settings, Store, dict[str, int]]) -> None:
    _, store, ids = small_room
    wide, stage_ids, silo_ids = matrix_frame(q.accountability(store))
    assert wide["stage"].tolist() == ["Shop", "Buy", "Pay"] and len(silo_ids) == 3
    assert wide.loc[2, str(ids["Billing"])] == "owner"
    edits = {0: {str(ids["Sales"]): "owner"}, 2: {str(ids["Billing"]): None, "stage": "ignored"}}
    cells = matrix_changes(wide, edits, stage_ids)
    assert cells == [
        AccountabilityCell(stage_id=ids["shop"], silo_id=ids["Sales"], before=None, after="owner"),
        AccountabilityCell(stage_id=ids["pay"], silo_id=ids["Billing"], before="owner", after=None),
    ]


def test_transcript_editor_rows_are_applied_in_order() -> None:
    seen = pd.DataFrame(
        [{"start": 0, "end": 2, "speaker": "A", "text": "Hi"}, {"start": 2, "end": 4, "speaker": "B", "text": "Hello"}]
    )
    edits = {
        "edited_rows": {1: {"text": "Hello there"}},
        "deleted_rows": [0],
        "added_rows": [{"start": 4, "end": 6, "speaker": "A", "text": "Bye"}, {}],
    }
    assert apply_editor(seen, edits) == [
        {"start": 2, "end": 4, "speaker": "B", "text": "Hello there"},
        {"start": 4, "end": 6, "speaker": "A", "text": "Bye"},
    ]


# -- KPIs -------------------------------------------------------------------------------------------


def test_kpis_tab_adds_and_edits_a_kpi(
    app_for: Callable[..., AppTest], small_room: tuple[Settings, Store, dict[str, int]]
) -> None:
    settings, store, ids = small_room
    at = open_setup(app_for, settings, "KPIs")
    at.selectbox(key="new_kpi_stage").select(ids["pay"]).run()
    at.text_input(key="new_kpi_name").input("Autopay success")
    at.text_input(key="new_kpi_unit").input("%")
    at.number_input(key="new_kpi_target").set_value(97.0)
    at.number_input(key="new_kpi_warning").set_value(99.0)
    click(at, "Add KPI")
    assert "warning threshold" in messages(at.error)  # the rule of the model, as a message
    at.number_input(key="new_kpi_warning").set_value(95.0)
    at.selectbox(key="new_kpi_moment").select(ids["autopay"])
    at.selectbox(key="new_kpi_silo").select(ids["Digital"])
    click(at, "Add KPI")
    added = q.kpis(store).set_index("name").loc["Autopay success"]
    assert (added["moment_name"], added["silo_name"], added["target"]) == ("Autopay set up first time", "Digital", 97)

    at.selectbox(key="kpi_pick").select(ids["kpi"]).run()
    prefix = f"kpi_{ids['kpi']}_v1"
    at.number_input(key=f"{prefix}_target").set_value(98.0)
    at.selectbox(key=f"{prefix}_silo").select(0)  # — none —
    click(at, "Save KPI")
    edited = q.kpis(store).set_index("id").loc[ids["kpi"]]
    assert edited["target"] == 98 and pd.isna(edited["silo_name"]) and edited["readings"] == 2


# -- Survey questions ----------------------------------------------------------------------------------


def test_questions_tab_adds_a_question_and_relinks_its_stages(
    app_for: Callable[..., AppTest], small_room: tuple[Settings, Store, dict[str, int]]
) -> None:
    settings, store, ids = small_room
    at = open_setup(app_for, settings, "Survey questions")
    at.text_input(key="new_question_survey").input("Onboarding")
    at.text_input(key="new_question_text").input("How likely are you to recommend us?")
    at.selectbox(key="new_question_kind").select("nps")
    at.multiselect(key="new_question_stages").select(ids["buy"])
    click(at, "Add question")
    added = q.questions(store).set_index("text").loc["How likely are you to recommend us?"]
    assert (added["kind"], added["stage_names"]) == ("nps", "Buy")

    at.selectbox(key="question_pick").select(ids["question"]).run()
    prefix = f"question_{ids['question']}_v1"
    assert at.selectbox(key=f"{prefix}_kind").disabled  # it has answers
    at.multiselect(key=f"{prefix}_stages").select(ids["shop"])
    click(at, "Save question")
    assert q.questions(store).set_index("id").loc[ids["question"], "stage_names"] == "Shop, Pay"


# -- Artifacts & calls ------------------------------------------------------------------------------------


def test_artifacts_are_edited_and_removed_only_when_confirmed(
    app_for: Callable[..., AppTest], small_room: tuple[Settings, Store, dict[str, int]]
) -> None:
    settings, store, ids = small_room
    at = open_setup(app_for, settings, "Artifacts & calls")
    prefix = f"artifact_{ids['artifact']}_v1"
    at.text_input(key=f"{prefix}_title").input("First bill, new layout")
    at.text_area(key=f"{prefix}_caption").input("<img src=x onerror=alert(1)> **bold**")
    click(at, "Save artifact")
    row = q.artifacts(store).set_index("id").loc[ids["artifact"]]
    assert row["title"] == "First bill, new layout" and row["caption"].startswith("<img")
    prefix = f"artifact_{ids['artifact']}_v2"
    click(at, "Remove artifact")
    assert "confirm" in messages(at.error)
    assert not q.artifacts(store).empty
    at.checkbox(key=f"{prefix}_confirm").check()
    click(at, "Remove artifact")
    assert q.artifacts(store).empty


def test_calls_choose_what_plays_on_the_wall_and_the_clip(
    app_for: Callable[..., AppTest], small_room: tuple[Settings, Store, dict[str, int]]
) -> None:
    settings, store, ids = small_room
    at = app_for(settings)
    at.run()
    at.switch_page("views/setup.py")
    at.query_params["section"] = "Artifacts & calls"
    at.query_params["evidence"] = "Calls"
    at.run()
    assert not at.exception
    older = ids["Older call"]
    at.selectbox(key="call_pick").select(older).run()
    click(at, "Play this call on the wall")
    calls = q.calls(store).set_index("id")
    assert calls.loc[older, "plays_on_wall"] and not calls.loc[ids["Newer call"], "on_wall"]
    prefix = f"call_{older}_v1"  # it was on the wall already: only the newer call changed
    at.number_input(key=f"{prefix}_start").set_value(8)
    at.number_input(key=f"{prefix}_end").set_value(25)
    click(at, "Save clip and transcript")
    assert "Clip saved" in messages(at.success)
    row = q.calls(store).set_index("id").loc[older]
    assert (row["clip_start_s"], row["clip_end_s"]) == (8, 25)
    assert q.transcript_segments(row["transcript"])[0]["text"] == "Hello"  # untouched transcript stays


# -- Rooms and the first run ----------------------------------------------------------------------------------


@pytest.fixture
def follow_pointer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings as they will be once Settings.from_env reads active_room.txt (harmless once it does)."""
    original = Settings.from_env.__func__  # type: ignore[attr-defined]

    def from_env(cls: type[Settings], environ: dict[str, str] | None = None) -> Settings:
        settings = original(cls, environ)
        active = rooms.resolve_active(settings.db_path)
        if active == settings.db_path:
            return settings
        return cls(db_path=active, media_dir=active.parent / "media")

    monkeypatch.setattr(Settings, "from_env", classmethod(from_env))


@pytest.mark.usefixtures("follow_pointer")
def test_start_an_empty_room_and_switch_back_to_the_demo(
    app_for: Callable[..., AppTest], small_room: tuple[Settings, Store, dict[str, int]]
) -> None:
    settings, store, _ = small_room
    at = open_setup(app_for, settings, "Rooms")
    at.text_input(key="new_room_name").input("Acme Insurance")
    click(at, "Start a new empty room")
    assert not at.error, messages(at.error)
    new_db = Path(settings.db_path).parent / "rooms" / "acme-insurance" / "room.duckdb"
    assert rooms.resolve_active(settings.db_path) == new_db
    assert at.title[0].value == "Set up your Customer Room"  # the first-run guide of the new room
    assert "Acme Insurance" in at.caption[0].value
    # The old room is untouched.
    assert q.stages(store)["name"].tolist() == ["Shop", "Buy", "Pay"]

    at.switch_page("views/setup.py")
    at.query_params["section"] = "Rooms"
    at.run()
    assert not at.exception
    click(at, "Switch to this room")  # the small room is the home room here (not a demo)
    assert rooms.resolve_active(settings.db_path) == settings.db_path
    assert "Switched to" in messages(at.success)


def test_an_empty_room_opens_the_first_run_guide(app_for: Callable[..., AppTest], tmp_settings: Settings) -> None:
    store = open_store(tmp_settings.db_path)
    at = app_for(tmp_settings)
    at.run()
    assert not at.exception
    assert at.title[0].value == "Set up your Customer Room"
    at.text_input(key="fr_stage_name").input("Shop")
    click(at, "Add stage")
    at.text_input(key="fr_stage_name").input("Buy")
    click(at, "Add stage")
    assert q.stages(store)["name"].tolist() == ["Shop", "Buy"]
    assert at.text_input(key="fr_stage_name").value == ""  # ready for the next one
    assert at.title[0].value == "Set up your Customer Room"  # still in the guide after the first stage
    at.text_input(key="fr_room_name").input("Acme Insurance")
    click(at, "Save name")
    assert q.room_name(store) == "Acme Insurance"
    click(at, "Next: Moments of truth →")
    at.selectbox(key="fr_moment_stage").select(int(q.stages(store)["id"].iloc[1]))
    at.text_input(key="fr_moment_name").input("Policy bought in one sitting")
    at.checkbox(key="fr_moment_drives_revenue").check()
    click(at, "Add moment")
    assert q.moments(store)["stage_name"].tolist() == ["Buy"]
    click(at, "Next: Silos →")
    click(at, "Next: KPIs →")
    click(at, "Next: First import →")
    assert "5 · A first import" in [h.value for h in at.subheader]
    click(at, "Finish — show me the wall")
    assert at.title[0].value != "Set up your Customer Room"
    at.run()
    assert at.title[0].value != "Set up your Customer Room"  # the wall is the default page again


def test_a_room_with_stages_opens_the_wall(
    app_for: Callable[..., AppTest], small_room: tuple[Settings, Store, dict[str, int]]
) -> None:
    at = app_for(small_room[0])
    at.run()
    assert not at.exception
    assert at.title[0].value != "Set up your Customer Room"


def test_owner_changes_make_one_owner_per_stage(small_room: tuple[Settings, Store, dict[str, int]]) -> None:
    _, store, ids = small_room
    long = q.accountability(store)
    cells = owner_changes(long, {ids["pay"]: ids["Sales"], ids["shop"]: None, ids["buy"]: ids["Digital"]})
    assert sorted((c.stage_id, c.silo_id, c.before, c.after) for c in cells) == sorted(
        [
            (ids["pay"], ids["Billing"], "owner", None),
            (ids["pay"], ids["Sales"], None, "owner"),
            (ids["buy"], ids["Digital"], None, "owner"),
        ]
    )
    assert owner_changes(long, {ids["pay"]: ids["Billing"]}) == []


def test_names_are_shown_as_text_not_markdown(
    app_for: Callable[..., AppTest], small_room: tuple[Settings, Store, dict[str, int]]
) -> None:
    settings, store, _ = small_room
    at = open_setup(app_for, settings, "Stages")
    hostile = "**Pay** ![x](http://evil.example/x.png) <b>now</b>"
    at.text_input(key="new_stage_name").input(hostile)
    click(at, "Add stage")
    assert hostile in q.stages(store)["name"].tolist()
    shown = [m.value for m in at.markdown if "evil" in m.value]
    assert shown and all("![x](" not in v and "**Pay**" not in v for v in shown)
    assert any(r"\*\*Pay\*\*" in v for v in shown)

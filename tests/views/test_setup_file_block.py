"""The Set-up file tab of Room setup (AppTest): the downloads, an uploaded file's dry run,
Apply as the person at the page, a bad file's lines, and a refusal for someone who may not
edit the room. AppTest cannot drive st.file_uploader, so the tests put the uploaded file
where the uploader's callback puts it (session state); everything after that is the page."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.permissions import Role
from cxroom.queries import setup_file as q
from cxroom.services import trust
from cxroom.settings import Settings
from cxroom.setupfile.apply import apply_text
from cxroom.store import Store, open_store
from cxroom.ui import identity
from cxroom.ui.identity import User
from cxroom.ui.setup_file_block import PENDING
from tests.setupfile.helpers import checksums
from tests.setupfile.test_apply import SMALL

FAY = "fay@bank.example"
VERA = "vera@bank.example"


@pytest.fixture
def room(tmp_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Store:
    store = open_store(tmp_settings.db_path)
    apply_text(store, SMALL, actor="cli")
    trust.set_user_role(store, email=FAY, display_name="Fay", role=Role.FACILITATOR, actor="cli")
    trust.set_user_role(store, email=VERA, display_name="Vera", role=Role.VIEWER, actor="cli")
    return store


def as_user(monkeypatch: pytest.MonkeyPatch, email: str) -> None:
    """The page believes this person is a facilitator; the services decide from the room's roles."""
    monkeypatch.setattr(
        identity, "current_user", lambda: User(actor=email, name=email, role=Role.FACILITATOR, mode="header")
    )


def open_tab(app_for: Callable[..., AppTest], settings: Settings, text: str | None, name: str = "room.yaml") -> AppTest:
    at = app_for(settings)
    at.run()
    at.switch_page("views/setup.py")
    at.query_params["section"] = "Set-up file"
    if text is not None:
        at.session_state[PENDING] = {"name": name, "text": text, "sha256": hashlib.sha256(text.encode()).hexdigest()}
    at.run()
    assert not at.exception, at.exception
    return at


def codes(at: AppTest) -> str:
    return "\n".join(c.value for c in at.code)


def test_download_dry_run_and_apply_as_the_person(
    app_for: Callable[..., AppTest], tmp_settings: Settings, room: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, FAY)
    edited = SMALL.replace("name: Join\n", "name: Join the bank\n").replace("target: 98", "target: 97")
    at = open_tab(app_for, tmp_settings, edited)
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Download the set-up file", "Download the category rules (CSV)"]
    shown = codes(at)
    assert "join (name)" in shown and "Bills right first time (target)" in shown
    assert "2 change(s) would be made (dry run: nothing was written)." in shown
    assert next(s["name"] for s in q.stages(room)) == "Join"  # the dry run wrote nothing
    last_entry = room.fetch_value("SELECT max(id) FROM audit_log")
    apply = next(b for b in at.button if b.label == "Apply 2 change(s)")
    apply.click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Applied."]
    assert codes(at).strip().endswith("2 change(s) made.")
    assert next(s["name"] for s in q.stages(room)) == "Join the bank"
    entries = room.execute("SELECT actor, action, entity FROM audit_log WHERE id > ? ORDER BY id", [last_entry])
    assert entries == [(FAY, "update", "stage"), (FAY, "update", "kpi"), (FAY, "apply_setup_file", "room")]
    assert not [b for b in at.button if b.label.startswith("Apply")]  # applied: nothing pending any more


def test_a_bad_file_shows_its_lines_and_offers_no_apply(
    app_for: Callable[..., AppTest], tmp_settings: Settings, room: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, FAY)
    before = checksums(room)
    bad = SMALL.replace("    direction: lower\n", "    direction: sometimes\n")
    at = open_tab(app_for, tmp_settings, bad)
    line = bad.splitlines().index("    direction: sometimes") + 1
    assert f"line {line}: kpis[1].direction: must be 'higher' or 'lower'" in codes(at)
    assert "cannot be applied" in at.error[0].value
    assert not [b for b in at.button if b.label.startswith("Apply")]
    assert checksums(room) == before


def test_rules_csv_upload_creates_only_new_rules(
    app_for: Callable[..., AppTest], tmp_settings: Settings, room: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, FAY)
    text = "source,category,subcategory,stage,moment\n,Billing error,,pay,First bill right\ncfpb,Late fee,,pay,\n"
    at = open_tab(app_for, tmp_settings, text, name="rules.csv")
    assert "category rules     1 created, 0 updated, 1 unchanged" in codes(at)
    next(b for b in at.button if b.label == "Apply 1 change(s)").click().run()
    assert room.fetch_value("SELECT count(*) FROM category_rules") == 3


def test_someone_who_may_not_edit_the_room_is_refused(
    app_for: Callable[..., AppTest], tmp_settings: Settings, room: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, VERA)  # the page was offered (a stale role), the services refuse
    before = {t: v for t, v in checksums(room).items() if t != "audit_log"}
    at = open_tab(app_for, tmp_settings, SMALL.replace("name: Join\n", "name: Joined\n"))
    assert "may not do 'room.edit'" in codes(at)
    assert not [b for b in at.button if b.label.startswith("Apply")]
    assert {t: v for t, v in checksums(room).items() if t != "audit_log"} == before

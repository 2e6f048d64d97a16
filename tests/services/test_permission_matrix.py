"""Every role against every write action, through the service layer: allowed
writes land with one audit entry each, refused writes change nothing and leave
one 'refused' entry. And no service opens a write transaction without asking."""

from __future__ import annotations

import ast
import itertools
from datetime import date
from pathlib import Path

import pytest

from cxroom.errors import PermissionDeniedError
from cxroom.media import MediaStore
from cxroom.models import (
    ArtifactCreate,
    ArtifactKind,
    FixCreate,
    FixMember,
    ReviewCreate,
    SiloCreate,
    StageCreate,
)
from cxroom.permissions import ALLOWED, Action, Role
from cxroom.queries import trust as trust_queries
from cxroom.services import backup, evidence, fixes, imports, reviews, room, trust
from cxroom.settings import Settings
from cxroom.store import Store
from tests.test_media import _png

SERVICES = Path(__file__).resolve().parents[2] / "cxroom" / "services"
PEOPLE = {
    "viewer": ("vera@room.test", "Vera Viewer", Role.VIEWER),
    "member": ("fran@room.test", "Fran Member", Role.FIX_MEMBER),
    "outsider": ("olga@room.test", "Olga Outsider", Role.FIX_MEMBER),
    "facilitator": ("fay@room.test", "Fay Facilitator", Role.FACILITATOR),
    "admin": ("adam@room.test", "Adam Admin", Role.ADMIN),
}
_counter = itertools.count()


@pytest.fixture
def room_env(tmp_settings: Settings) -> tuple[Store, Settings, int]:
    store = Store(tmp_settings.db_path)
    for email, name, role in PEOPLE.values():
        trust.set_user_role(store, email=email, display_name=name, role=role, actor="cli")
    room.create_stage(store, StageCreate(slug="pay", name="Pay"), actor="cli")
    for silo in ("Billing", "Claims"):
        room.create_silo(store, SiloCreate(name=silo), actor="cli")
    fix_id = fixes.charter_fix(
        store,
        FixCreate(
            title="First bill equals quote",
            problem="First bills differ from the quote.",
            stage_slug="pay",
            sponsor="Sue Sponsor",
            lead="Fran Member",
            chartered_on=date(2026, 1, 5),
            members=[
                FixMember(person="Fran Member", silo_name="Billing"),
                FixMember(person="Carl Claims", silo_name="Claims"),
            ],
        ),
        actor="cli",
    )
    # walk it to 'results' so that celebrating (with an override) is a legal next step
    for version, status in enumerate(["diagnosing", "recommending", "implementing", "results"], start=1):
        fixes.move_fix(
            store,
            fix_id,
            to_status=fixes.FixStatus(status),
            note=f"to {status}",
            expected_version=version,
            actor="cli",
            fields={"results": "Bills now match."},
        )
    return store, tmp_settings, fix_id


def _csv(folder: Path) -> Path:
    path = folder / f"complaints-{next(_counter)}.csv"
    path.write_text("Complaint ID,Date received,Issue\nC-1,2026-01-03,Billing error\n", encoding="utf-8")
    return path


def _call(action: Action, store: Store, settings: Settings, fix_id: int, actor: str) -> None:
    n = next(_counter)
    if action is Action.ROOM_EDIT:
        room.create_silo(store, SiloCreate(name=f"Silo {n}"), actor=actor)
    elif action is Action.EVIDENCE_EDIT:
        media = MediaStore(settings).put(_png(10 + n, 10), allowed={"image"}, original_name="a.png")
        evidence.add_artifact(
            store,
            ArtifactCreate(stage_slug="pay", title=f"Bill {n}", kind=ArtifactKind.BILL, media_sha256=media.sha256),
            media,
            actor=actor,
        )
    elif action is Action.IMPORT:
        imports.import_file(store, kind="complaints", path=_csv(settings.db_path.parent), source=f"s{n}", actor=actor)
    elif action is Action.REVIEW_EDIT:
        reviews.create_review(store, ReviewCreate(held_on=date(2026, 2, 1), title=f"Review {n}"), actor=actor)
    elif action is Action.FIX_CHARTER:
        fixes.charter_fix(
            store,
            FixCreate(
                title=f"Fix {n}",
                problem="Customers are let down here.",
                stage_slug="pay",
                sponsor="Sue",
                lead="A",
                chartered_on=date(2026, 1, 5),
                members=[FixMember(person="A", silo_name="Billing"), FixMember(person="B", silo_name="Claims")],
            ),
            actor=actor,
        )
    elif action is Action.FIX_EDIT:
        fixes.add_note(store, fix_id, note=f"Update {n}", actor=actor)
    elif action is Action.FIX_OVERRIDE:
        _override(store, fix_id, actor)
    elif action is Action.USERS_ADMIN:
        trust.set_user_role(store, email=f"new{n}@room.test", display_name="New", role=Role.VIEWER, actor=actor)
    elif action is Action.TOKENS_ADMIN:
        trust.create_display_token(store, label=f"Screen {n}", actor=actor)
    elif action is Action.BACKUP:
        backup.backup_room(store, settings.media_dir, settings.db_path.parent / f"backup-{n}", actor=actor)
    elif action is Action.RETENTION:
        trust.set_call_retention(store, days=365, actor=actor)
    else:  # pragma: no cover - a new action without a case here fails the coverage test below
        raise AssertionError(f"no representative call for {action}")


def _override(store: Store, fix_id: int, actor: str) -> None:
    """Celebrate without evidence: only an audited override may do that."""
    version = int(store.fetch_value("SELECT version FROM fixes WHERE id = ?", [fix_id]))
    fixes.move_fix(
        store,
        fix_id,
        to_status=fixes.FixStatus.CELEBRATED,
        note="Sponsor override for the test",
        expected_version=version,
        actor=actor,
        override_reason="Proven in the field, not yet in data",
    )


def _expected(who: str, action: Action) -> bool:
    role = PEOPLE[who][2]
    if who == "outsider" and action is Action.FIX_EDIT:
        return False  # a fix member, but not on this fix
    return action in ALLOWED[role]


CASES = [(who, action) for who in PEOPLE for action in Action]


@pytest.mark.parametrize(("who", "action"), CASES, ids=[f"{w}-{a.value}" for w, a in CASES])
def test_every_role_against_every_write(room_env: tuple[Store, Settings, int], who: str, action: Action) -> None:
    store, settings, fix_id = room_env
    email = PEOPLE[who][0]
    audit_before = store.fetch_value("SELECT count(*) FROM audit_log WHERE actor = ?", [email])
    version_before = store.data_version()
    if _expected(who, action):
        _call(action, store, settings, fix_id, email)
        entries = store.fetch_dicts("SELECT action FROM audit_log WHERE actor = ? ORDER BY id", [email])
        assert len(entries) > audit_before, "an allowed write must leave an audit entry"
        assert "refused" not in [e["action"] for e in entries]
        assert store.data_version() > version_before
    else:
        with pytest.raises(PermissionDeniedError) as exc:
            _call(action, store, settings, fix_id, email)
        message = str(exc.value)
        assert action.value in message or "not a member" in message or "without evidence" in message
        assert store.data_version() == version_before, "a refused write must change nothing"
        entries = store.fetch_dicts("SELECT action, after FROM audit_log WHERE actor = ?", [email])
        assert [e["action"] for e in entries][audit_before:] == ["refused"]


def test_the_matrix_covers_every_action() -> None:
    assert {action for _, action in CASES} == set(Action)


def test_allowed_writes_leave_exactly_one_audit_entry_each(room_env: tuple[Store, Settings, int]) -> None:
    store, settings, fix_id = room_env
    actions = [a for a in Action if a is not Action.FIX_OVERRIDE]
    for action in actions:
        _call(action, store, settings, fix_id, "adam@room.test")
    count = store.fetch_value("SELECT count(*) FROM audit_log WHERE actor = 'adam@room.test'")
    assert count == len(actions)


# restore_room replaces the whole database file and refuses while any process (the app) holds it:
# only whoever runs the CLI on the server can reach it, and it records the restore in the audit log.
# preview_file stages the file, and review_snapshot.provisional takes a review's snapshot, inside a
# transaction that is always rolled back: reads, not writes.
PROCESS_LEVEL = {"backup.py:restore_room", "imports.py:preview_file", "review_snapshot.py:provisional"}


def _transactions_without_require(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = []
    for func in tree.body:
        if not isinstance(func, ast.FunctionDef) or func.name.startswith("_"):
            continue
        calls = [n for n in ast.walk(func) if isinstance(n, ast.Call)]
        opens_tx = any(getattr(n.func, "attr", "") == "transaction" for n in calls)
        asks = any(getattr(n.func, "attr", "") == "require" for n in calls)
        if opens_tx and not asks and f"{path.name}:{func.name}" not in PROCESS_LEVEL:
            missing.append(f"{path.name}:{func.name}")
    return missing


def test_every_service_write_checks_a_permission() -> None:
    missing = [m for path in sorted(SERVICES.glob("*.py")) for m in _transactions_without_require(path)]
    assert missing == []


# -- names that are nobody --------------------------------------------------------------------
# Pages that lost track of who was acting fell back to the session's typed name, to
# "facilitator", or to "local", single-user mode's person, which was then a system actor and
# skipped this check whatever the sign-in mode. The services refuse each of them.
NOBODY = ["", "   ", "facilitator", "Fran Member", "nobody@room.test", "display:Lobby", "LOCAL"]


def _refused_everywhere(store: Store, settings: Settings, fix_id: int, actor: str) -> dict[Action, str]:
    """Try every write as ``actor``; the message of each refusal (each must change nothing)."""
    messages = {}
    for action in Action:
        version_before = store.data_version()
        refusals_before = store.fetch_value(
            "SELECT count(*) FROM audit_log WHERE actor = ? AND action = 'refused'", [actor]
        )
        with pytest.raises(PermissionDeniedError) as exc:
            _call(action, store, settings, fix_id, actor)
        assert store.data_version() == version_before, f"{action.value} as {actor!r} changed the room"
        assert store.fetch_value("SELECT count(*) FROM audit_log WHERE actor = ? AND action <> 'refused'", [actor]) == 0
        refusals = store.fetch_value("SELECT count(*) FROM audit_log WHERE actor = ? AND action = 'refused'", [actor])
        assert refusals == refusals_before + 1, f"{action.value} as {actor!r} left no 'refused' entry"
        messages[action] = str(exc.value)
    return messages


@pytest.mark.parametrize("actor", NOBODY, ids=repr)
def test_an_unknown_or_fallback_name_may_change_nothing(room_env: tuple[Store, Settings, int], actor: str) -> None:
    store, settings, fix_id = room_env
    messages = _refused_everywhere(store, settings, fix_id, actor)
    # (celebrating without evidence is refused earlier, by the rule of who may override)
    checked = {a: m for a, m in messages.items() if a is not Action.FIX_OVERRIDE}
    if not actor.strip():
        assert all("names nobody" in m for m in checked.values()), checked
    else:
        assert all(f"{actor} (viewer) may not do '{a.value}'" in m for a, m in checked.items()), checked


@pytest.mark.parametrize("mode", ["oidc", "header"])
def test_single_user_modes_person_is_nobody_in_a_room_that_signs_people_in(
    room_env: tuple[Store, Settings, int], monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.setenv("CXROOM_AUTH", mode)
    store, settings, fix_id = room_env
    messages = _refused_everywhere(store, settings, fix_id, "local")
    checked = [m for a, m in messages.items() if a is not Action.FIX_OVERRIDE]
    assert all(f"CXROOM_AUTH={mode}" in m and "single-user mode" in m for m in checked), checked
    assert trust_queries.role_of(store, "local") is Role.VIEWER


@pytest.mark.parametrize("mode", [None, "single", "something-unknown"])
def test_single_user_modes_person_administers_a_room_in_single_user_mode(
    room_env: tuple[Store, Settings, int], monkeypatch: pytest.MonkeyPatch, mode: str | None
) -> None:
    """Unset or unreadable CXROOM_AUTH means single-user mode (as on the pages): 'local' is the admin."""
    if mode is None:
        monkeypatch.delenv("CXROOM_AUTH", raising=False)
    else:
        monkeypatch.setenv("CXROOM_AUTH", mode)
    store, settings, fix_id = room_env
    for action in Action:
        _call(action, store, settings, fix_id, "local")
    done = [e["action"] for e in store.fetch_dicts("SELECT action FROM audit_log WHERE actor = 'local'")]
    assert len(done) >= len(Action) and "refused" not in done
    assert trust_queries.role_of(store, "local") is Role.ADMIN


@pytest.mark.parametrize("actor", ["cli", "inbox", "schedule", "demo", "system"])
def test_the_rooms_own_processes_act_in_every_sign_in_mode(
    room_env: tuple[Store, Settings, int], monkeypatch: pytest.MonkeyPatch, actor: str
) -> None:
    monkeypatch.setenv("CXROOM_AUTH", "oidc")
    store, settings, fix_id = room_env
    for action in (Action.ROOM_EDIT, Action.IMPORT, Action.USERS_ADMIN):
        _call(action, store, settings, fix_id, actor)
    assert store.fetch_value("SELECT count(*) FROM audit_log WHERE actor = ? AND action = 'refused'", [actor]) == 0

"""Roles enforced in the service layer, display tokens, call retention."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from cxroom.errors import InvalidInputError, PermissionDeniedError
from cxroom.media import MediaStore
from cxroom.models import SiloCreate, StageCreate
from cxroom.permissions import Role
from cxroom.queries import trust as trust_queries
from cxroom.services import room, trust
from cxroom.settings import Settings
from cxroom.store import Store
from tests.test_media import _wav


def test_unknown_people_are_viewers_and_their_writes_are_refused_and_logged(empty_store: Store) -> None:
    with pytest.raises(PermissionDeniedError) as exc:
        room.create_stage(empty_store, StageCreate(slug="pay", name="Pay"), actor="stranger@example.com")
    assert "viewer" in str(exc.value) and "room.edit" in str(exc.value)
    assert empty_store.fetch_value("SELECT count(*) FROM stages") == 0
    refused = empty_store.fetch_dicts("SELECT actor, action, after FROM audit_log")
    assert [(r["actor"], r["action"]) for r in refused] == [("stranger@example.com", "refused")]
    assert "room.edit" in refused[0]["after"]


def test_roles_come_from_the_users_table(empty_store: Store) -> None:
    trust.set_user_role(
        empty_store, email="Leila@Example.com", display_name="Leila", role=Role.FACILITATOR, actor="cli"
    )
    assert trust_queries.role_of(empty_store, "leila@example.com") is Role.FACILITATOR
    room.create_silo(empty_store, SiloCreate(name="Claims"), actor="leila@example.com")
    with pytest.raises(PermissionDeniedError):
        trust.set_user_role(
            empty_store, email="x@example.com", display_name="X", role=Role.ADMIN, actor="leila@example.com"
        )
    with pytest.raises(InvalidInputError):
        trust.set_user_role(empty_store, email="not-an-email", display_name="X", role=Role.ADMIN, actor="cli")


def test_display_tokens_can_be_revoked_and_expire(empty_store: Store) -> None:
    token = trust.create_display_token(empty_store, label="Lobby screen", actor="cli", valid_days=30)
    assert trust.check_display_token(empty_store, token) == "Lobby screen"
    stored = trust_queries.display_tokens(empty_store)
    assert token not in stored.to_string()  # only its hash is kept
    with pytest.raises(InvalidInputError) as exc:
        trust.check_display_token(empty_store, token, now=datetime.now() + timedelta(days=31))
    assert "expired" in str(exc.value)
    trust.revoke_display_token(empty_store, token_sha256=stored["id"][0], actor="cli")
    with pytest.raises(InvalidInputError) as exc:
        trust.check_display_token(empty_store, token)
    assert "revoked" in str(exc.value)
    with pytest.raises(InvalidInputError) as exc:
        trust.check_display_token(empty_store, "made-up")
    assert "not valid" in str(exc.value)


def test_retention_deletes_expired_recordings_and_logs_it(empty_store: Store, tmp_settings: Settings) -> None:
    from cxroom.models import CallCreate
    from cxroom.services import evidence

    media = MediaStore(tmp_settings)
    room.create_stage(empty_store, StageCreate(slug="claim", name="Claim"), actor="cli")
    old = media.put(_wav(1.0), allowed={"audio"}, original_name="old.wav")
    new = media.put(_wav(2.0), allowed={"audio"}, original_name="new.wav")
    for stored, when in ((old, datetime(2020, 1, 1)), (new, datetime.now())):
        evidence.add_call(
            empty_store,
            CallCreate(
                stage_slug="claim",
                title=f"call {when:%Y}",
                media_sha256=stored.sha256,
                duration_s=stored.duration_s or 1,
                clip_end_s=1,
                recorded_at=when,
            ),
            stored,
            actor="cli",
        )
    trust.set_call_retention(empty_store, days=365, actor="cli")
    assert trust.purge_expired_calls(empty_store, media, actor="cli") == 1
    assert empty_store.fetch_value("SELECT count(*) FROM calls") == 1
    assert not old.path.exists() and new.path.exists()
    logged = empty_store.fetch_value("SELECT count(*) FROM audit_log WHERE action = 'delete_expired'")
    assert logged == 1

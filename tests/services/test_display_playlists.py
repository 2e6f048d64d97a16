"""A display link's playlist: saved per link, audited, validated, refused to non-admins."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from cxroom.errors import NotFoundError, PermissionDeniedError
from cxroom.models import DisplayPlaylist
from cxroom.queries import display as display_queries
from cxroom.services import display, trust
from cxroom.store import Store


def test_a_link_plays_the_defaults_until_its_playlist_is_saved(empty_store: Store) -> None:
    token = trust.create_display_token(empty_store, label="Lobby", actor="cli")
    other = trust.create_display_token(empty_store, label="Boardroom", actor="cli")
    link = trust.token_id(token)
    assert display_queries.playlist_for(empty_store, link) == DisplayPlaylist()
    assert DisplayPlaylist().refresh_s == 60

    short = DisplayPlaylist(wall_s=4, spotlight_s=3, fixes_s=0, celebrations_s=5, refresh_s=10)
    display.set_playlist(empty_store, token_sha256=link, playlist=short, actor="cli")
    display.set_playlist(empty_store, token_sha256=link, playlist=short.model_copy(update={"wall_s": 7}), actor="cli")

    assert display_queries.playlist_for(empty_store, link).wall_s == 7
    assert display_queries.playlist_for(empty_store, link).celebrations_s == 5
    assert display_queries.playlist_for(empty_store, trust.token_id(other)) == DisplayPlaylist()  # per link
    audited = empty_store.fetch_dicts(
        "SELECT actor, action, entity_id, before FROM audit_log WHERE action = 'set_playlist' ORDER BY id"
    )
    assert [(a["actor"], a["entity_id"]) for a in audited] == [("cli", "Lobby"), ("cli", "Lobby")]
    assert audited[0]["before"] is None and '"wall_s": 4' in audited[1]["before"]


def test_a_playlist_needs_a_real_link_and_an_admin(empty_store: Store) -> None:
    token = trust.create_display_token(empty_store, label="Lobby", actor="cli")
    with pytest.raises(NotFoundError):
        display.set_playlist(empty_store, token_sha256="0" * 64, playlist=DisplayPlaylist(), actor="cli")
    with pytest.raises(PermissionDeniedError):
        display.set_playlist(
            empty_store, token_sha256=trust.token_id(token), playlist=DisplayPlaylist(), actor="stranger@example.com"
        )
    assert empty_store.fetch_value("SELECT count(*) FROM display_playlists") == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("wall_s", 0), ("wall_s", 2), ("spotlight_s", 1), ("fixes_s", -1), ("refresh_s", 4), ("celebrations_s", 3601)],
)
def test_unreadable_intervals_are_refused(field: str, value: int) -> None:
    with pytest.raises(ValidationError):
        DisplayPlaylist(**{field: value})
    assert DisplayPlaylist(**{field: 0 if field in ("spotlight_s", "fixes_s", "celebrations_s") else 60})

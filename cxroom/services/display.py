"""Writes for the wall screens: the playlist of a display link (what it shows, for how long)."""

from __future__ import annotations

from cxroom.errors import NotFoundError
from cxroom.models import DisplayPlaylist
from cxroom.permissions import Action
from cxroom.store import Store, utcnow

UPSERT = """
INSERT INTO display_playlists
    (token_sha256, wall_s, spotlight_s, fixes_s, celebrations_s, refresh_s, updated_by, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (token_sha256) DO UPDATE SET
    wall_s = excluded.wall_s, spotlight_s = excluded.spotlight_s, fixes_s = excluded.fixes_s,
    celebrations_s = excluded.celebrations_s, refresh_s = excluded.refresh_s,
    updated_by = excluded.updated_by, updated_at = excluded.updated_at,
    version = display_playlists.version + 1
"""


def set_playlist(store: Store, *, token_sha256: str, playlist: DisplayPlaylist, actor: str) -> None:
    """Save what the link ``token_sha256`` (the id Admin and `token list` show) plays."""
    with store.transaction(actor) as tx:
        tx.require(Action.TOKENS_ADMIN)
        label = tx.fetch_value("SELECT label FROM display_tokens WHERE token_sha256 = ?", [token_sha256])
        if label is None:
            raise NotFoundError("There is no such wall-screen link.")
        before = tx.fetch_dicts(
            "SELECT wall_s, spotlight_s, fixes_s, celebrations_s, refresh_s FROM display_playlists "
            "WHERE token_sha256 = ?",
            [token_sha256],
        )
        p = playlist
        tx.execute(
            UPSERT,
            [token_sha256, p.wall_s, p.spotlight_s, p.fixes_s, p.celebrations_s, p.refresh_s, actor, utcnow()],
        )
        tx.audit("set_playlist", "display_token", str(label), before[0] if before else None, p.model_dump())

"""Reads for the wall screens: the playlist a display link plays."""

from __future__ import annotations

from cxroom.models import DisplayPlaylist
from cxroom.store import Store

PLAYLIST = """
SELECT wall_s, spotlight_s, fixes_s, celebrations_s, refresh_s
FROM display_playlists WHERE token_sha256 = ?
"""


def playlist_for(store: Store, token_sha256: str) -> DisplayPlaylist:
    """The link's playlist; the defaults when none was saved for it."""
    rows = store.fetch_dicts(PLAYLIST, [token_sha256])
    return DisplayPlaylist(**rows[0]) if rows else DisplayPlaylist()

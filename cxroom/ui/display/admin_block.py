"""Admin → Wall screens: the playlist of each display link (what it shows, for how long)."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from cxroom.errors import CxroomError
from cxroom.models import DisplayPlaylist
from cxroom.queries import display as display_queries
from cxroom.services import display as display_service
from cxroom.store import Store
from cxroom.ui.kit.text import md

FIELDS = (
    ("wall_s", "The wall (s per page)", 3),
    ("spotlight_s", "Spotlight (s per stage)", 0),
    ("fixes_s", "Fix board (s)", 0),
    ("celebrations_s", "Celebrations (s)", 0),
    ("refresh_s", "Fresh data every (s)", 5),
)


def playlist_form(store: Store, actor: str, token_id: str, label: str) -> None:
    """The link's playlist as a form of seconds; 0 leaves a screen out."""
    current = display_queries.playlist_for(store, token_id)
    with st.form(f"playlist_{token_id}"):
        st.caption(md(f"What '{label}' shows in turn; 0 leaves a screen out."))
        cells = st.columns(len(FIELDS))
        values = {
            name: cell.number_input(
                text, min_value=low, max_value=3600, value=getattr(current, name), key=f"{name}_{token_id}"
            )
            for cell, (name, text, low) in zip(cells, FIELDS, strict=True)
        }
        if st.form_submit_button("Save playlist"):
            try:
                playlist = DisplayPlaylist(**{k: int(v) for k, v in values.items()})
                display_service.set_playlist(store, token_sha256=token_id, playlist=playlist, actor=actor)
                st.success(md(f"Saved: '{label}' plays it from its next screen."))
            except ValidationError as exc:
                st.error(md(str(exc.errors()[0]["msg"]).removeprefix("Value error, ")))
            except CxroomError as exc:
                st.error(md(str(exc)))

"""The wall screen's own cached reads, keyed like the wall's (cxroom.ui.cache) on the data
version and the database: a screen that shows the celebrations every few seconds reads the
wins once per change of the data, not once per screen."""

from __future__ import annotations

import streamlit as st

from cxroom.queries import display as display_queries
from cxroom.ui import context


@st.cache_data(show_spinner=False, max_entries=16)
def wins(data_version: int, db: str, asked: tuple[display_queries.WinAsked, ...]) -> dict[int, display_queries.Win]:
    del data_version, db  # cache key only
    return display_queries.wins(context.store(), asked)

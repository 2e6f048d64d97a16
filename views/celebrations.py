"""The Celebrations wall: fixes the room's data proved (or the sponsor vouched
for), crediting the team and their silos; from here a moment of truth moves up
the reliability ladder."""

from __future__ import annotations

import streamlit as st

from cxroom.ui import fix_components as fc
from cxroom.ui import navigation

fc.style()

st.title(":material/celebration: Celebrations", anchor=False)
st.caption("Proven results, and the people and silos who got them, across the experience.")
fc.show_flash()

wins = fc.celebrations()
if wins.empty:
    st.info("Nothing celebrated yet. A fix is celebrated from 'results' once the room's data shows it worked.")
    navigation.page_link(fc.FIXES_PAGE, label="See the fixes in progress", icon=":material/view_kanban:")
    st.stop()

fc.celebration_summary(wins)
rows = wins.to_dict("records")
for start in range(0, len(rows), 2):
    cols = st.columns(2, gap="medium")
    for col, row in zip(cols, rows[start : start + 2], strict=False):
        with col:
            fc.celebration_card(row, key="celebration")

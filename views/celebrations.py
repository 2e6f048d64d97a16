"""The Celebrations wall: fixes the room's data proved (or the sponsor vouched
for), crediting the team and their silos; from here a moment of truth moves up
the reliability ladder."""

from __future__ import annotations

import streamlit as st

from cxroom.ui import navigation
from cxroom.ui.fixes import actions, celebrate, common, reads

common.style()

st.title(":material/celebration: Celebrations", anchor=False)
st.caption("Proven results, and the people and silos who got them, across the experience.")
actions.show_flash()

wins = reads.celebrations()
if wins.empty:
    st.info("Nothing celebrated yet. A fix is celebrated from 'results' once the room's data shows it worked.")
    navigation.page_link(common.FIXES_PAGE, label="See the fixes in progress", icon=":material/view_kanban:")
    st.stop()

celebrate.celebration_summary(wins)
rows = wins.to_dict("records")
for start in range(0, len(rows), 2):
    cols = st.columns(2, gap="medium")
    for col, row in zip(cols, rows[start : start + 2], strict=False):
        with col:
            celebrate.celebration_card(row, key="celebration")

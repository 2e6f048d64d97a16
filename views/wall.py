"""The Wall: one column per stage, and beneath each the evidence of how the
experience is really delivered, for one month (?month=YYYY-MM).

?mode=wall turns it into the unattended wall screen: no chrome, dark, large
type, refreshing itself; &spotlight=SECONDS rotates a highlight through the
stages; &screen=2&of=3 shows the second third of the stages.
"""

from __future__ import annotations

import streamlit as st

from cxroom.ui.decks import wall_deck_downloads
from cxroom.ui.kit.text import md
from cxroom.ui.wall.state import read_wall_state
from cxroom.ui.wall.wall_page import wall_page
from cxroom.ui.wall.wall_screen import WALL_SCREEN_REFRESH_S

state = read_wall_state(st.query_params)
if state.wall_screen:
    st.set_page_config(initial_sidebar_state="collapsed")
for problem in state.problems:
    st.warning(md(problem), icon=":material/warning:")

if state.wall_screen:
    # Re-reads the data version on every tick, so a new import shows by itself.
    st.fragment(run_every=state.spotlight_s or WALL_SCREEN_REFRESH_S)(wall_page)(state)
else:
    wall_page(state)
    wall_deck_downloads(state)

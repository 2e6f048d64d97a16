"""Fix teams: the board by status, the list, the load on people and silos,
and the form that charters a new cross-functional team."""

from __future__ import annotations

import streamlit as st

from cxroom.ui import fix_components as fc

fc.style()

st.title("Fix teams", anchor=False)
st.caption(
    "Cross-functional teams taking moments of truth from broken to reliable. Each card links to the fix's page; "
    "the evidence badge is the room's own verdict on its KPIs."
)
fc.show_flash()

opts = fc.options()
filters = fc.board_filters(opts, key="board-filter")
board = fc.board_data(filters)
verdicts = fc.verdicts()

tab_board, tab_list, tab_load, tab_charter = st.tabs(["Board", "List", "Team load", "Charter a fix"])
with tab_board:
    if board.empty:
        st.info("No fix matches these filters." if filters != fc.fix_queries.BoardFilter() else "No fix yet.")
    else:
        fc.board(board, verdicts, key="board")
with tab_list:
    fc.fix_list(board, verdicts)
with tab_load:
    people, silos = fc.load()
    fc.load_view(people, silos)
with tab_charter:
    new_id = fc.charter_form(opts, key="charter")
    if new_id:
        st.switch_page(fc.FIX_PAGE, query_params={"fix": str(new_id)})

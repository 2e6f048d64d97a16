"""Fix teams: the board by status, the list, the load on people and silos,
and the form that charters a new cross-functional team."""

from __future__ import annotations

import streamlit as st

from cxroom.ui.fixes import actions, board, charter, common, reads

common.style()

st.title("Fix teams", anchor=False)
st.caption(
    "Cross-functional teams taking moments of truth from broken to reliable. Each card links to the fix's page; "
    "the evidence badge is the room's own verdict on its KPIs."
)
actions.show_flash()

opts = reads.options()
filters = board.board_filters(opts, key="board-filter")
fixes = reads.board_data(filters)
verdicts = reads.verdicts()

tab_board, tab_list, tab_load, tab_charter = st.tabs(["Board", "List", "Team load", "Charter a fix"])
with tab_board:
    if fixes.empty:
        st.info("No fix matches these filters." if board.any_filter(filters) else "No fix yet.")
    else:
        board.board(fixes, verdicts, key="board")
with tab_list:
    board.fix_list(fixes, verdicts)
with tab_load:
    people, silos = reads.load()
    board.load_view(people, silos)
with tab_charter:
    new_id = charter.charter_form(opts, key="charter")
    if new_id:
        st.switch_page(common.FIX_PAGE, query_params={"fix": str(new_id)})

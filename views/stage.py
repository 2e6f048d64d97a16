"""Stage detail (?stage=<slug>&month=YYYY-MM): every complaint (filtered and
searched in the database), KPI and survey trends, the full artifact gallery
and every call with its transcript. An unknown stage falls back to the wall."""

from __future__ import annotations

import streamlit as st

from cxroom.ui.kit.text import md
from cxroom.ui.wall.stage_page import stage_page
from cxroom.ui.wall.state import read_wall_state

state = read_wall_state(st.query_params)
for problem in state.problems:
    st.warning(md(problem), icon=":material/warning:")
stage_page(state)

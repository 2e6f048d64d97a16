"""Room setup: the stages on the wall, the moments of truth, the silos and
who is accountable, the KPIs, the survey questions, the artifacts and calls,
and which room this is. Facilitators and admins only."""

from __future__ import annotations

import streamlit as st

from cxroom.queries import setup as setup_queries
from cxroom.ui import context, setup_file_block
from cxroom.ui import setup_components as sc
from cxroom.ui.identity import acting_user
from cxroom.ui.kit.text import md

sc.require_facilitator()
store = context.store()
actor = acting_user().actor

st.title("Room setup")
st.caption(f"Room: {md(setup_queries.room_name(store))}")

SECTIONS = {
    "Stages": sc.stages_section,
    "Moments of truth": sc.moments_section,
    "Silos & accountability": sc.silos_section,
    "KPIs": sc.kpis_section,
    "Survey questions": sc.questions_section,
    "Artifacts & calls": sc.evidence_section,
    "Rooms": sc.rooms_section,
    "Set-up file": setup_file_block.render,
}
# Only the open tab runs. ?section=<tab label> opens a tab (not bound to the URL:
# a bound query parameter makes st.switch_page fail on this page).
wanted = st.query_params.get("section")
tabs = st.tabs(list(SECTIONS), key="setup_section", on_change="rerun", default=wanted if wanted in SECTIONS else None)
for tab, render in zip(tabs, SECTIONS.values(), strict=True):
    if tab.open:
        with tab:
            render(store, actor)

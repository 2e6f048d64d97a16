"""Room setup: the stages on the wall, the moments of truth, the silos and
who is accountable, the KPIs, the survey questions, the artifacts and calls,
and which room this is. Facilitators and admins only."""

from __future__ import annotations

import streamlit as st

from cxroom.queries import setup as setup_queries
from cxroom.ui import context, setup_file_block
from cxroom.ui.kit.actor import require_acting_user
from cxroom.ui.kit.text import md
from cxroom.ui.setup.access import require_facilitator
from cxroom.ui.setup.curation import evidence_section
from cxroom.ui.setup.customer_math import customer_math_section
from cxroom.ui.setup.kpis import kpis_section
from cxroom.ui.setup.moments import moments_section
from cxroom.ui.setup.rooms import rooms_section
from cxroom.ui.setup.silos import silos_section
from cxroom.ui.setup.stages import stages_section
from cxroom.ui.setup.surveys import questions_section

require_facilitator()
store = context.store()
actor = require_acting_user().actor

st.title("Room setup")
st.caption(f"Room: {md(setup_queries.room_name(store))}")

SECTIONS = {
    "Stages": stages_section,
    "Moments of truth": moments_section,
    "Silos & accountability": silos_section,
    "KPIs": kpis_section,
    "Survey questions": questions_section,
    "Artifacts & calls": evidence_section,
    "Customer math": customer_math_section,
    "Rooms": rooms_section,
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

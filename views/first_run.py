"""First set-up: a guided walk from an empty room to a wall worth looking at —
stages, moments of truth, silos, KPIs, then a first import. Opens by itself
for facilitators while the room has no stages."""

from __future__ import annotations

import streamlit as st

from cxroom.queries import setup as setup_queries
from cxroom.ui import context
from cxroom.ui.kit.actor import require_acting_user
from cxroom.ui.kit.text import md
from cxroom.ui.navigation import FIRST_RUN_FLAG
from cxroom.ui.setup import first_run as guide
from cxroom.ui.setup.access import require_facilitator

require_facilitator()
store = context.store()
actor = require_acting_user().actor
if not setup_queries.has_stages(store):
    st.session_state[FIRST_RUN_FLAG] = True  # stay in the guide after the first stage is added

st.title("Set up your Customer Room")
st.caption(
    f"Room: {md(setup_queries.room_name(store))} · Five steps from an empty room to a wall worth walking. "
    "Everything can be changed later under Room setup."
)
progress = setup_queries.progress(store)
step = guide.current_step(progress)
guide.step_bar(progress)
guide.first_run_step(store, actor, step, progress)
guide.step_nav(step)

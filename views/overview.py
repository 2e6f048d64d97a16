"""Room overview: the stages in wall order and what hangs beneath each."""

from __future__ import annotations

import streamlit as st

from cxroom.queries import room
from cxroom.ui import context
from cxroom.ui.kit.text import md
from cxroom.ui.room_cache import cached_overview

store = context.store()
version = context.data_version()
st.title(md(room.room_name(store)))
st.caption("The stages of our customers' experience, in wall order, and the evidence hanging beneath each.")

overview = cached_overview(version)
if overview.empty:
    st.info("This room has no stages yet. Build the demo room with `python -m cxroom demo`, or set up your own.")
    st.stop()

st.dataframe(
    overview.drop(columns=["colour", "slug"]),
    hide_index=True,
    width="stretch",
    column_config={
        "name": st.column_config.TextColumn("Stage"),
        "customer_goal": st.column_config.TextColumn("The customer's goal", width="large"),
        "moments": st.column_config.NumberColumn("Moments of truth"),
        "key_moments": st.column_config.NumberColumn("Key moments"),
        "broken_moments": st.column_config.NumberColumn("Broken"),
        "kpis": st.column_config.NumberColumn("KPIs"),
        "artifacts": st.column_config.NumberColumn("Artifacts"),
        "calls": st.column_config.NumberColumn("Calls"),
        "complaints": st.column_config.NumberColumn("Complaints", format="localized"),
        "active_fixes": st.column_config.NumberColumn("Active fixes"),
    },
)
unassigned = room.unassigned_complaints(store)
if unassigned:
    st.warning(
        f"{unassigned:,} complaints are not yet lined up to a stage: map their categories on the Listening page."
    )

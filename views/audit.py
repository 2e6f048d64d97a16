"""Audit log: every write to the room, who made it and when, before and after."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from cxroom.queries import trust as trust_queries
from cxroom.ui import context
from cxroom.ui.export import safe_csv

store = context.store()
st.title("Audit log")
st.caption("Every change to the room — who, when, what, and the record before and after. Refused attempts too.")

actors, entities = trust_queries.audit_facets(store)
c1, c2, c3, c4 = st.columns([2, 2, 2, 3])
actor = c1.selectbox("Who", ["Anyone", *actors], key="audit_actor")
entity = c2.selectbox("What", ["Everything", *entities], key="audit_entity")
window = c3.date_input("When", value=(date.today() - timedelta(days=365 * 3), date.today()), key="audit_dates")
# While a range is being picked the widget holds one date only.
since, until = (window[0], window[-1]) if isinstance(window, tuple) and window else (None, None)
text = c4.text_input("Containing", placeholder="e.g. a stage name or a complaint category", key="audit_text")

log = trust_queries.audit_log(
    store,
    actor=None if actor == "Anyone" else actor,
    entity=None if entity == "Everything" else entity,
    since=since,
    until=until,
    text=text.strip() or None,
    limit=1000,
)
st.caption(f"Showing {len(log):,} of {trust_queries.audit_count(store):,} entries (newest first, at most 1,000).")
st.dataframe(
    log,
    hide_index=True,
    width="stretch",
    column_config={
        "id": None,
        "happened_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
        "actor": "Who",
        "action": "Action",
        "entity": "Entity",
        "entity_id": "Id",
        "before": st.column_config.TextColumn("Before", width="medium"),
        "after": st.column_config.TextColumn("After", width="medium"),
    },
)
st.download_button("Export as CSV", safe_csv(log), file_name="cxroom-audit-log.csv", mime="text/csv")

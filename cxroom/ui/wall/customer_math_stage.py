"""Customer math under one stage: "lost at this stage" in the wall column, and the stage tab
(the stage's losses over 24 months, this month's reasons, the calls to its lost customers and,
for those who may, a form to log one)."""

from __future__ import annotations

from datetime import datetime, time
from typing import TYPE_CHECKING

import plotly.graph_objects as go
import streamlit as st

from cxroom.errors import CxroomError
from cxroom.insights.customer_math import calls_line
from cxroom.permissions import Action, can
from cxroom.services import customer_math as service
from cxroom.ui import context
from cxroom.ui.kit import actor as kit_actor
from cxroom.ui.kit.format import date_text
from cxroom.ui.kit.text import md
from cxroom.ui.wall import customer_math as panel
from cxroom.ui.wall.charts import PLOT_LAYOUT
from cxroom.ui.wall.voices import voice

if TYPE_CHECKING:
    from cxroom.ui.wall.evidence import InColumn, OnStagePage


def in_column(c: InColumn) -> None:
    """Nothing in a column whose stage lost no one this month (or in a room without movements);
    on a wall screen whose columns are narrow, the band above them says it for the room."""
    # One line: the column is for the worst news at a glance; the reasons are in the band
    # above the columns and on the stage page's "Customers lost" tab.
    line = panel.stage_line(c.col.losses, reasons=False)
    if line and (c.roomy or not c.wall_screen):
        c.prose.add(line)


def count(p: OnStagePage) -> int | None:
    return p.col.losses.customers if p.col.losses else None


def tab(p: OnStagePage) -> None:
    cm = panel.for_month(p.month)
    st.caption(md(panel.definitions_text(cm)))
    if cm.has_data:
        line = panel.stage_line(p.col.losses)
        st.markdown(line or "No customer lost at this stage this month.")
        st.plotly_chart(_stage_figure(p), key=f"{p.key}-lost-trend")
    else:
        st.info("No customer movements imported yet (Listening → customer movements).")
    st.markdown("##### Calls to lost customers")
    m = cm.this_month
    st.caption(calls_line(cm.calls.get(p.month, 0), m.customers_out if m else 0) + " (the whole room, this month)")
    calls = panel.stage_calls(p.version, p.db, p.col.stage.id)
    if not calls:
        st.caption("No call to a customer lost at this stage is logged yet.")
    for call in calls[:20]:
        with st.container(border=True, key=f"{p.key}-lost-call-{call.id}"):
            head = f"**{md(call.called_by)}** called · {date_text(call.called_at)}"
            if call.reason:
                head += f" · {md(call.reason)}"
            if call.moment:
                head += f" · {md(call.moment)}"
            st.markdown(head)
            if call.customer_said:
                voice(call.customer_said, key=f"{p.key}-lost-said-{call.id}")
            if call.recording_title:
                st.caption(md(f"Recording: {call.recording_title} (in the Calls tab)"))
    if can(kit_actor.acting_role(), Action.EVIDENCE_EDIT):
        _log_form(p)


def _stage_figure(p: OnStagePage) -> go.Figure:
    series = panel.stage_series(p.version, p.db, p.col.stage.id, p.month.isoformat())
    fig = go.Figure()
    fig.add_bar(x=[r[0] for r in series], y=[r[1] for r in series], name="Lost", marker_color=panel.OUT_COLOUR)
    fig.add_bar(x=[r[0] for r in series], y=[r[2] for r in series], name="Downgraded", marker_color="#F58518")
    fig.update_layout(**PLOT_LAYOUT, barmode="stack", title="Customers lost and downgraded at this stage, 24 months")
    return fig


def _log_form(p: OnStagePage) -> None:
    with st.expander("Log a call to a lost customer"), st.form(f"{p.key}-lost-call-form", clear_on_submit=True):
        called_by = st.text_input("Who called", max_chars=200)
        day = st.date_input("When", value=datetime.now().date())
        said = st.text_area("What the customer said", max_chars=2000)
        reason = st.text_input("Reason (mapped to a stage by the category rules)", max_chars=200)
        here = st.checkbox(f"Lost at this stage ({md(p.col.stage.name)})", value=True)  # labels are Markdown
        if st.form_submit_button("Log the call"):
            data = dict(
                called_at=datetime.combine(day, time(12)),
                called_by=called_by,
                customer_said=said,
                reason=reason,
                stage_slug=p.col.stage.slug if here else None,
            )
            try:
                service.log_lost_call(context.store(), service.LostCallCreate(**data), actor=kit_actor.acting_actor())
            except (CxroomError, ValueError) as exc:
                st.error(md(str(exc)))
            else:
                st.success("Logged.")

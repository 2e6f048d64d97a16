"""Customer math on the wall: a band above the columns (customers in and out, net, retention,
value lost, the 24-month trend, the top reasons, the calls to lost customers, and the room's
definitions beside them), "lost at this stage" in each column, and a stage tab with the stage's
losses and the calls to its lost customers."""

from __future__ import annotations

from datetime import date

import plotly.graph_objects as go
import streamlit as st

from cxroom.formatting import fmt_amount, fmt_count
from cxroom.insights.customer_math import MonthMath, StageLosses, calls_line
from cxroom.queries import customer_math as q
from cxroom.queries.customer_math import CustomerMath
from cxroom.queries.wall.wall_data import WallData
from cxroom.ui import context
from cxroom.ui.kit.format import fmt_number, month_label
from cxroom.ui.kit.text import md
from cxroom.ui.wall.charts import PLOT_LAYOUT

IN_COLOUR, OUT_COLOUR, NET_COLOUR = "#4C78A8", "#E45756", "#333333"


@st.cache_data(show_spinner=False, max_entries=48)
def read(data_version: int, db: str, month_iso: str) -> CustomerMath:
    del data_version, db  # cache key only
    return q.load_customer_math(context.store(), date.fromisoformat(month_iso))


@st.cache_data(show_spinner=False, max_entries=64)
def stage_calls(data_version: int, db: str, stage_id: int) -> tuple[q.LostCall, ...]:
    del data_version, db
    return q.stage_calls(context.store(), stage_id)


@st.cache_data(show_spinner=False, max_entries=64)
def stage_series(data_version: int, db: str, stage_id: int, month_iso: str) -> list[tuple[date, int, int]]:
    del data_version, db
    return q.stage_series(context.store(), stage_id, date.fromisoformat(month_iso))


def for_month(month: date) -> CustomerMath:
    return read(context.data_version(), str(context.settings().db_path), month.isoformat())


def definitions_text(cm: CustomerMath) -> str:
    d = cm.definitions
    return f"In: {d.incoming} · Out: {d.outgoing} · Values in {d.value_unit}."


def band(data: WallData, *, wall_screen: bool = False) -> None:
    """The customer-math band above the wall's columns; nothing when the room has no movements."""
    cm, month = data.customer_math, data.month
    if cm is None or not cm.has_data:
        return
    m = cm.this_month
    if m is None:
        return
    if wall_screen:
        _screen_band(cm, m, data)
        return
    unit = cm.definitions.value_unit
    with st.container(border=True, key="customer-math-band"):
        left, middle, right = st.columns([6, 4, 3], gap="medium")
        with left:
            st.markdown(f"###### Customer math · {month_label(month)}")
            with st.container(horizontal=True, key="customer-math-metrics"):
                _metrics(cm, m, unit)
            st.caption(md(definitions_text(cm)))
        with middle:
            st.plotly_chart(trend_figure(cm, height=170), key="customer-math-trend")
        with right:
            st.markdown("###### Why customers left")
            st.markdown("  \n".join(_reason_lines(cm, data, 4)) or "No losses recorded this month.")
            st.caption(calls_line(cm.calls.get(month, 0), m.customers_out))


# The wall screen never scrolls: its band is one line of numbers and one of definitions, and
# the columns give up that height (their own safety net, in the theme, is 6.8rem).
SCREEN_CSS = """
.st-key-customer-math-band { gap: 0.2rem; }
.st-key-customer-math-band p {
  margin: 0 !important; line-height: 1.45; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
.st-key-wall-columns { max-height: calc(100vh - 10.2rem) !important; }
"""


def _screen_band(cm: CustomerMath, m: MonthMath, data: WallData) -> None:
    st.html(f"<style>{SCREEN_CSS}</style>")
    unit = cm.definitions.value_unit
    retention = fmt_number(m.retention, "%") if m.retention is not None else "–"
    top = _reason_lines(cm, data, 1)
    numbers = (
        f"**Customer math · {month_label(data.month)}** · In **{fmt_count(m.customers_in)}** "
        f"({md(fmt_amount(m.value_in, unit))}) · Out **{fmt_count(m.customers_out)}** lost, "
        f"{fmt_count(m.downgraded)} downgraded · Net **{fmt_signed(m.net_customers)}** · Retention **{retention}** · "
        f"Value lost **{md(fmt_amount(m.value_out, unit))}**"
        + (f" · Top reason: {top[0]}" if top else "")
        + f" · {calls_line(cm.calls.get(data.month, 0), m.customers_out)}"
    )
    with st.container(key="customer-math-band"):  # one element: two lines of one paragraph
        st.markdown(f"{numbers}  \n:small[:gray[{md(definitions_text(cm))}]]")


def _reason_lines(cm: CustomerMath, data: WallData, limit: int) -> list[str]:
    """'**Long wait on phone** (Get help) · 270 · $259.1k', the month's top reasons for losses."""
    stages = {c.stage.id: c.stage.name for c in data.columns}
    unit = cm.definitions.value_unit
    return [
        f"**{md(r)}**{f' ({md(stages[sid])})' if sid in stages else ''} · {fmt_count(n)} · {md(fmt_amount(v, unit))}"
        for r, sid, n, v in cm.by_reason[:limit]
    ]


def fmt_signed(n: int) -> str:
    return f"+{fmt_count(n)}" if n > 0 else fmt_count(n)


def _metrics(cm: CustomerMath, m: MonthMath, unit: str) -> None:
    st.metric(
        "Customers in",
        fmt_count(m.customers_in),
        delta=fmt_amount(m.value_in, unit),
        delta_arrow="off",
        delta_color="off",
        help=md(f"New {fmt_count(m.new)}, won back {fmt_count(m.won_back)}. {cm.definitions.incoming}"),
    )
    st.metric(
        "Customers out",
        fmt_count(m.customers_out),
        delta=f"+{fmt_count(m.downgraded)} downgraded",
        delta_arrow="off",
        delta_color="off",
        help=md(f"Lost {fmt_count(m.customers_out)}; downgraded {fmt_count(m.downgraded)}. {cm.definitions.outgoing}"),
    )
    st.metric("Net", fmt_signed(m.net_customers), help="Customers in − lost.")
    st.metric(
        "Retention",
        fmt_number(m.retention, "%") if m.retention is not None else "–",
        help="Share of the customers active at the month's start who were not lost in it "
        "(needs an export that states active customers).",
    )
    st.metric(
        "Value lost",
        md(fmt_amount(m.value_out, unit)),
        help=md(f"The {unit} of lost customers and of downgrades."),
    )


def trend_figure(cm: CustomerMath, *, height: int = 260) -> go.Figure:
    """24 months: customers in (up) and lost (down) as bars, net as a line."""
    x = [m.month for m in cm.months]
    fig = go.Figure()
    fig.add_bar(x=x, y=[m.customers_in for m in cm.months], name="In", marker_color=IN_COLOUR)
    fig.add_bar(x=x, y=[-m.customers_out for m in cm.months], name="Lost", marker_color=OUT_COLOUR)
    fig.add_scatter(x=x, y=[m.net_customers for m in cm.months], name="Net", mode="lines", line_color=NET_COLOUR)
    fig.update_layout(
        **{**PLOT_LAYOUT, "height": height, "margin": {"l": 0, "r": 0, "t": 24, "b": 0}},
        barmode="relative",
        title={"text": "Customers in (blue) and lost (red), net (line): 24 months", "font": {"size": 13}},
    )
    return fig


def stage_line(losses: StageLosses | None) -> str | None:
    """'Lost at this stage: 42 customers, $51.2k' and the top reasons (None: nothing lost)."""
    if losses is None:
        return None
    # Our own words and numbers; only the unit and the reasons come from people (escaped).
    text = f"Lost at this stage: {fmt_count(losses.customers)} customers, {md(fmt_amount(losses.value, losses.unit))}"
    reasons = losses.reasons_text()
    return f"{text}  \n:small[{md(reasons)}]" if reasons else text

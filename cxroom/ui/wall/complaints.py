"""Complaints: the month's count, change and top categories with the newest
verbatims on the wall, and the stage page's trend chart and filtered table."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cxroom.formatting import fmt_count, fmt_count_change, times_usual
from cxroom.queries.stage import ComplaintFilter, ComplaintOptions
from cxroom.queries.wall.complaints import ComplaintSummary
from cxroom.queries.wall.months import add_months
from cxroom.queries.wall.wall_data import StageColumn
from cxroom.ui import cache
from cxroom.ui.kit.format import day_text, delta_style, fmt_pct
from cxroom.ui.kit.text import md, plotly_text
from cxroom.ui.prose import Prose
from cxroom.ui.wall.charts import PLOT_LAYOUT
from cxroom.ui.wall.voices import personal_data_toggle, trim_at_word, voice, words_table


def complaints_block(
    col: StageColumn,
    month: date,
    *,
    key: str,
    prose: Prose,
    wall_screen: bool = False,
    categories: int = 3,
    verbatims: int = 2,
    in_column: bool = False,
) -> None:
    """This month's complaints: count, change, 12-month bars, top categories and recent verbatims.
    The wall screen leaves out the bars and, unless told otherwise, categories and verbatims."""
    summary: ComplaintSummary | None = col.complaints
    prose.heading(f"Complaints · {month:%B}" if in_column else "Complaints")
    if summary is None or (summary.this_month == 0 and not any(summary.counts)):
        prose.add(prose.note("No complaints about this stage in the last 12 months."))
        return
    prose.flush()
    prev = add_months(month, -1)
    st.metric(
        f"Complaints in {month:%B}",
        f"{summary.this_month:,}",
        delta=fmt_pct(summary.change_vs_last),
        **delta_style(summary.change_vs_last, 0, "inverse"),
        delta_description=f"vs {prev:%b} ({summary.last_month:,})",
        # A column has no room for a second chart (the stage page has the bars).
        chart_data=None if in_column else list(summary.counts[-12:]),
        chart_type="bar",
        help="Complaints lined up to this stage by their category. Bars: the last 12 months.",
        label_visibility="collapsed" if in_column else "visible",
    )
    if summary.average_12:
        usual = times_usual(summary.this_month, summary.average_12).capitalize()
        prose.add(prose.note(f"**{usual}** ({fmt_count(round(summary.average_12))} on average)"))
    if summary.this_month == 0:
        prose.add(prose.note("No complaints this month."))
        return
    if col.categories and categories:
        lines = []
        for cat in col.categories[:categories]:
            diff = fmt_count_change(cat.count - cat.previous) if cat.count != cat.previous else None
            lines.append(f"{md(cat.category)} · **{cat.count:,}**" + (f" ({md(diff)} vs {prev:%b})" if diff else ""))
        prose.add("  \n".join(lines))
    if col.verbatims[:verbatims]:
        prose.flush()
    for index, verbatim in enumerate(col.verbatims[:verbatims]):
        quote = f"“{trim_at_word(verbatim.text, 160 if in_column else 400)}”"
        if not wall_screen:
            # The source goes in the same text element: one element per verbatim, not two.
            quote += f"\n— {verbatim.source} · {day_text(verbatim.received_at)}"
        voice(quote, key=f"{key}-v{index}", boxed=not in_column)


def complaint_filters(options: ComplaintOptions, month: date, *, key: str) -> ComplaintFilter:
    """The complaint table's filters (default: the chosen month, newest 200)."""
    first_day = month
    last_day = date.fromordinal(add_months(month, 1).toordinal() - 1)
    row1 = st.columns([3, 2, 2])
    search = row1[0].text_input(
        "Search verbatims, categories and ids", key=f"{key}-search", placeholder="e.g. refund, fee, LMC-0031"
    )
    period = row1[1].date_input(
        "Received between",
        value=(first_day, last_day),
        min_value=options.first or first_day,
        max_value=max(options.last or last_day, last_day),
        key=f"{key}-period-{month:%Y%m}",
        format="DD/MM/YYYY",
    )
    limit = row1[2].selectbox("Rows shown", [50, 200, 500], index=1, key=f"{key}-limit")
    row2 = st.columns([3, 2, 2, 2])
    categories = row2[0].multiselect("Categories", options.categories, key=f"{key}-cats")
    sources = row2[1].multiselect("Sources", options.sources, key=f"{key}-sources")
    severities = row2[2].multiselect("Severity", options.severities, key=f"{key}-sev")
    with_text = row2[3].checkbox("Only with a verbatim", key=f"{key}-text")
    unmasked = personal_data_toggle(row2[3], key=f"{key}-unmasked")
    since = until = None
    if isinstance(period, tuple | list):
        if len(period) >= 1:
            since = period[0]
        if len(period) == 2:
            until = period[1]
    elif isinstance(period, date):
        since = until = period
    return ComplaintFilter(
        search=search[:200],
        categories=tuple(categories),
        sources=tuple(sources),
        severities=tuple(severities),
        since=since,
        until=until,
        with_text_only=with_text,
        limit=int(limit),
        show_personal_data=bool(unmasked),
    )


def complaints_tab(col: StageColumn, month: date, version: int, db: str, *, key: str) -> None:
    import plotly.express as px

    summary = col.complaints
    if summary is None or not any(summary.counts):
        st.info("No complaints are lined up to this stage in the last 12 months.")
    left, right = st.columns([1, 2], gap="large")
    with left, st.container(key=f"compact-{col.stage.slug}-summary"):
        if summary is not None and any(summary.counts):
            with Prose() as prose:
                complaints_block(col, month, key=f"{key}-summary", prose=prose)
    trend = cache.complaint_trend(version, db, col.stage.id, month.isoformat())
    if not trend.empty:
        trend = trend.assign(category=trend["category"].map(plotly_text))  # plotly renders some HTML tags
        fig = px.bar(
            trend,
            x="month",
            y="n",
            color="category",
            title="Complaints per month, by category (24 months)",
            labels={"n": "complaints", "month": ""},
            color_discrete_sequence=px.colors.qualitative.Safe,
        )
        fig.update_layout(**{**PLOT_LAYOUT, "height": 380, "showlegend": True, "legend_title_text": ""})
        fig.update_layout(legend={"orientation": "h", "y": -0.15})
        with right:
            st.plotly_chart(fig, key=f"{key}-trend", config={"displayModeBar": False})
    options = cache.complaint_options(version, db, col.stage.id)
    if not options.categories:
        return
    flt = complaint_filters(options, month, key=f"{key}-flt")
    page = cache.complaints_page(version, db, col.stage.id, flt)
    words_table(
        page.rows,
        page.total,
        noun="complaints",
        empty="Nothing matches these filters.",
        words=("verbatim", "Verbatim"),
        unmasked=flt.show_personal_data,
        columns={
            "received_at": st.column_config.DatetimeColumn("Received", format="D MMM YYYY HH:mm"),
            "source": "Source",
            "channel": "Channel",
            "category": "Category",
            "subcategory": "Subcategory",
            "severity": "Severity",
            "external_id": "Id",
        },
        key=f"{key}-table",
    )

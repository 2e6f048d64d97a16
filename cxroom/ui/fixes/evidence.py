"""The evidence from the room's data on a fix's page: one panel and chart per
KPI (or complaint series), with the verdict and, when it holds, the celebration basis."""

from __future__ import annotations

from datetime import datetime, timedelta

import plotly.graph_objects as go
import streamlit as st

from cxroom.formatting import fmt_target
from cxroom.services import fix_evidence
from cxroom.ui.fixes.common import (
    BASIS,
    VERDICT_ICON,
)
from cxroom.ui.kit.format import date_text, fmt_kpi, fmt_kpi_change, month_label
from cxroom.ui.kit.text import md, plotly_text


def evidence_chart(series: fix_evidence.SeriesEvidence, *, key: str) -> go.Figure:
    ev = series.evidence
    x = [r.period for r in series.readings]
    y = [r.value for r in series.readings]
    fig = go.Figure()
    if ev.limits is not None and ev.before_from is not None:
        end = x[-1] if x else ev.charter
        fig.add_trace(
            go.Scatter(
                x=[ev.before_from, end, end, ev.before_from],
                y=[ev.limits.lower, ev.limits.lower, ev.limits.upper, ev.limits.upper],
                fill="toself",
                mode="lines",
                fillcolor="rgba(120,130,150,0.12)",
                line={"width": 0},
                hoverinfo="skip",
                name="Usual range before the charter",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines+markers",
            name=plotly_text(series.name),
            line={"color": "#1F4E79", "width": 2},
            marker={"size": 6},
            # The hover text comes from the room's formatting rule, not plotly's own number format.
            customdata=[plotly_text(fmt_kpi(v, series.unit)) for v in y],
            hovertemplate="%{x|%b %Y}: %{customdata}<extra></extra>",
        )
    )
    if ev.before_mean is not None and ev.before_from is not None and ev.before_to is not None:
        fig.add_trace(
            go.Scatter(
                x=[ev.before_from, ev.before_to],
                y=[ev.before_mean, ev.before_mean],
                mode="lines",
                line={"color": "#6B7280", "width": 3},
                name=plotly_text(f"Before: {fmt_kpi(ev.before_mean, series.unit)}"),
                hoverinfo="skip",
            )
        )
    if ev.after_mean is not None and ev.after_from is not None and ev.after_to is not None:
        colour = {"improved": "#15803D", "worse": "#B91C1C"}.get(ev.verdict.value, "#6B7280")
        fig.add_trace(
            go.Scatter(
                x=[ev.after_from, ev.after_to],
                y=[ev.after_mean, ev.after_mean],
                mode="lines",
                line={"color": colour, "width": 3},
                name=plotly_text(f"Since: {fmt_kpi(ev.after_mean, series.unit)}"),
                hoverinfo="skip",
            )
        )
    if series.target is not None:
        fig.add_hline(
            y=series.target,
            line={"color": "#15803D", "dash": "dash", "width": 1.5},
            annotation_text=plotly_text(fmt_target(series.target, series.unit, series.direction.value)),
            annotation_position="top left",
        )
    charter = datetime(ev.charter.year, ev.charter.month, ev.charter.day)
    fig.add_shape(
        type="line",
        x0=charter,
        x1=charter,
        y0=0,
        y1=1,
        yref="paper",
        line={"color": "#C2410C", "width": 2, "dash": "dot"},
    )
    # Label on the side with room: left of the line when the charter is late in the range.
    late = bool(x) and (charter - datetime.combine(x[0], datetime.min.time())) > (
        datetime.combine(x[-1], datetime.min.time()) - charter
    )
    fig.add_annotation(
        x=charter,
        y=1,
        yref="paper",
        text=f"chartered {date_text(ev.charter)}",
        showarrow=False,
        xanchor="right" if late else "left",
        yanchor="bottom",
        font={"color": "#C2410C"},
    )
    fig.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.18},
        yaxis={"title": plotly_text(series.unit)},
        xaxis={"range": [x[0] - timedelta(days=20), x[-1] + timedelta(days=20)]} if x else {},
    )
    del key
    return fig


def evidence_section(fe_all: fix_evidence.FixEvidence, *, key: str) -> None:
    st.markdown("### Evidence from the room's data")
    celebration = fe_all.celebration()
    if celebration is not None:
        icon, word = BASIS[celebration.basis]
        st.success(f"**{word} today**: {md(celebration.summary)}", icon=icon)
    if not fe_all.kpis:
        st.caption(
            "No KPI is linked to this fix, so the verdict rests on complaint volume alone. Link a KPI when "
            "chartering a fix to measure the moment of truth directly."
        )
    for i, series in enumerate(fe_all.series):
        _series_panel(series, key=f"{key}-{i}")


def _series_panel(series: fix_evidence.SeriesEvidence, *, key: str) -> None:
    ev = series.evidence
    with st.container(border=True, key=f"{key}-series"):
        head, badge = st.columns([4, 1], vertical_alignment="center")
        head.markdown(f"**{md(series.name)}**" + (f" · {md(series.scope)}" if series.scope else ""))
        with badge:
            st.badge(ev.verdict.label, color=ev.verdict.colour, icon=VERDICT_ICON[ev.verdict.value])  # type: ignore[arg-type]
        if series.kind == "kpi":
            better = "higher is better" if series.direction.value == "higher_better" else "lower is better"
            cols = st.columns(3)
            base_when = month_label(series.baseline_period) if series.baseline_period else "no reading"
            cols[0].metric(
                "Baseline at charter",
                _metric(series.baseline, series.unit),
                help=f"Last reading before the charter: {base_when}",
            )
            cols[1].metric("Target", _metric(series.target, series.unit, none="no target"), help=better)
            latest = ev.latest
            if latest is not None:
                delta = None if series.baseline is None else latest.value - series.baseline
                cols[2].metric(
                    f"Now ({month_label(latest.period)})",
                    _metric(latest.value, series.unit),
                    delta=fmt_kpi_change(delta, series.unit if series.unit == "%" else md(series.unit)),
                    delta_color="normal" if series.direction.value == "higher_better" else "inverse",
                )
            else:
                cols[2].metric("Now", "no reading", help="No reading since the charter yet.")
        if series.readings:
            st.plotly_chart(evidence_chart(series, key=key), key=f"{key}-chart", config={"displayModeBar": False})
        # In words for leaders; the test and the control chart behind the verdict for whoever asks.
        words = ev.plain_summary
        st.caption(md(f"{words[:1].upper()}{words[1:]}."))
        with st.expander("How this was judged", icon=":material/functions:"):
            st.caption(md(ev.explanation))


def _metric(value: float | None, unit: str, *, none: str = "no reading") -> str:
    # Metric values and deltas are Markdown: a unit typed by a person is escaped ('%' is the
    # room's own, and makes a change read in points).
    return fmt_kpi(value, unit if unit == "%" else md(unit), none=none)

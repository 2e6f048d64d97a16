"""One stage on the room's screen in presenter mode: why it is here, KPIs
against target, complaints, the customer's words, a call, what customers receive."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cxroom.insights.health import Rag
from cxroom.privacy import mask_personal_data
from cxroom.queries.reviews import presenting
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.reads import media_bytes

RELIABILITY_ICON = {"broken": "✖", "unreliable": "⚠", "reliable": "✔", "differentiating": "★"}


def _kpi_metric(kpi: Any, trend: Sequence[tuple[date, float]]) -> None:
    unit = kpi.unit if kpi.unit in ("%", "") else f" {kpi.unit}"
    shown_unit = unit if kpi.unit in ("%", "") else f" {md(kpi.unit)}"  # metric values and deltas are Markdown
    value = "—" if kpi.value is None else f"{kpi.value:g}{shown_unit}"
    delta = None
    if kpi.value is not None and kpi.previous_value is not None:
        delta = f"{kpi.value - kpi.previous_value:+.1f}{shown_unit} vs last month"
    rag = kpi.rag
    target = "" if kpi.target is None else f"target {kpi.target:g}{unit}"
    st.metric(
        md(kpi.name),
        value,
        delta=delta,
        delta_color="normal" if kpi.direction == "higher_better" else "inverse",
        chart_data=[v for _, v in trend] or None,
        border=True,
    )
    colour = {Rag.GREEN: "green", Rag.AMBER: "orange", Rag.RED: "red"}.get(rag, "gray")
    st.markdown(f":{colour}[{rag.icon} {rag.word}]" + (f" · {md(target)}" if target else ""))


def _complaints_figure(frame: pd.DataFrame, colour: str, month: date) -> go.Figure:
    months = [pd.Timestamp(m).date() for m in frame["month"]]
    colours = [colour if m == month else "#B8C2CC" for m in months]
    fig = go.Figure(go.Bar(x=[f"{m:%b %y}" for m in months], y=frame["complaints"], marker_color=colours))
    fig.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        font={"size": 18},
        xaxis={"tickfont": {"size": 18}},
        yaxis={"title": None, "tickfont": {"size": 18}},
        showlegend=False,
    )
    return fig


def stage_slide(ev: presenting.StageEvidence, *, reasons: Sequence[str], key: str) -> None:
    """One stage on the room's screen: why it is here, KPIs vs target, complaints,
    the customer's words, a call to play, what customers receive."""
    st.markdown(f"# {md(ev.name)}")
    if ev.customer_goal:
        st.markdown(f"> “{md(ev.customer_goal)}”")
    left, right = st.columns([0.42, 0.58], gap="large")
    with left:
        st.markdown("## Why we are here")
        if reasons:
            st.markdown("\n".join(f"- {md(r)}" for r in reasons))
        else:
            st.markdown("Walking the wall: this stage is not flagged by the data this month.")
        broken = [m for m in ev.moments if m.state in ("broken", "unreliable")]
        if broken:
            st.markdown("## Moments of truth")
            st.markdown("\n".join(f"- {RELIABILITY_ICON.get(m.state, '')} {md(m.name)}: **{m.state}**" for m in broken))
    with right:
        st.markdown(f"## KPIs vs target · {ev.month:%B %Y}")
        kpis = list(ev.kpis)
        for start in range(0, len(kpis), 3):
            cols = st.columns(3)
            for n, kpi in enumerate(kpis[start : start + 3]):
                with cols[n]:
                    _kpi_metric(kpi, ev.kpi_trends.get(kpi.id, ()))
        if not kpis:
            st.caption("No KPIs at this stage yet.")
    left, right = st.columns([0.5, 0.5], gap="large")
    with left:
        st.markdown("## Complaints, last 13 months")
        if ev.complaints_monthly["complaints"].sum() > 0:
            st.plotly_chart(
                _complaints_figure(ev.complaints_monthly, ev.colour, ev.month),
                key=f"{key}-complaints",
                config={"displayModeBar": False},
            )
            checks = [(c.category, c.check()) for c in ev.categories if c.counts and c.counts[-1] > 0]
            checks.sort(key=lambda pair: (not pair[1].unusual, -pair[1].actual))
            table = pd.DataFrame(
                [
                    {
                        "Category": md(category),  # st.table reads cells as Markdown
                        "This month": check.actual,
                        "Expected": "—" if check.expected is None else f"{check.expected:.0f}",
                        "Verdict": "▲ unusual rise" if check.unusual else "usual range",
                    }
                    for category, check in checks[:5]
                ]
            )
            if not table.empty:
                st.table(table, hide_index=True)
        else:
            st.caption("No complaints lined up to this stage.")
    with right:
        st.markdown("## In our customers' words")
        if ev.verbatims:
            for v in ev.verbatims:
                st.markdown(f"> “{md(mask_personal_data(v.text))}”")
                st.caption(md(f"{v.category} · {v.source} · {v.received_at:%d %b %Y}"))
        else:
            st.caption("No verbatims this month.")
    if ev.calls or ev.artifacts:
        left, right = st.columns([0.5, 0.5], gap="large")
        with left:
            if ev.calls:
                call_player(ev.calls[0], key=f"{key}-call")
        with right:
            if ev.artifacts:
                artifacts_strip(ev.artifacts[:3])


def call_player(call: presenting.CallClip, *, key: str) -> None:
    st.markdown(f"## Listen: {md(call.title)}")
    data = media_bytes(call.sha256, call.mime)
    if data is None:
        st.caption("The recording is missing from the media folder.")
        return
    st.audio(data, format=call.mime, start_time=call.clip_start_s, end_time=call.clip_end_s)
    st.caption(
        f"Clip {call.clip_start_s // 60}:{call.clip_start_s % 60:02d}–{call.clip_end_s // 60}:"
        f"{call.clip_end_s % 60:02d} of {int(call.duration_s) // 60}:{int(call.duration_s) % 60:02d}"
    )
    lines = call.clip_segments[:6]
    if lines:
        st.markdown("\n".join(f"**{md(s.speaker)}:** {md(mask_personal_data(s.text))}  " for s in lines))


def artifacts_strip(artifacts: Sequence[presenting.Artifact]) -> None:
    from cxroom.ui import cache as wall_cache  # the wall's thumbnails (PDF first pages too)

    st.markdown("## What customers receive")
    cols = st.columns(len(artifacts))
    for col, artifact in zip(cols, artifacts, strict=True):
        with col:
            thumb = wall_cache.thumbnail(artifact.sha256, artifact.mime)
            if thumb is not None:
                st.image(thumb, width="stretch")
            st.caption(md(artifact.title))

"""One stage on the room's screen in presenter mode: why it is here, KPIs
against target, complaints, the customer's words, a call, what customers receive."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cxroom.insights.early_warning import RULE_TEXT
from cxroom.insights.health import Rag
from cxroom.privacy import mask_personal_data
from cxroom.queries.reviews import presenting
from cxroom.ui.kit.format import clip_time, date_text, delta_style, fmt_kpi, fmt_kpi_change, month_label
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.reads import media_bytes

RELIABILITY_ICON = {
    "broken": ":material/cancel:",
    "unreliable": ":material/warning:",
    "reliable": ":material/check_circle:",
    "differentiating": ":material/star:",
}
REASONS_SHOWN = 3  # the rest fold away, so the call clip stays on a 1080p screen
KPIS_SHOWN = 6
VERBATIMS_SHOWN = 2


def _kpi_metric(kpi: Any, trend: Sequence[tuple[date, float]]) -> None:
    """One KPI as the wall shows it (cxroom.formatting): value and unit, change in points for a
    percentage, the target beside it. Metric values and deltas are Markdown: a typed unit is escaped."""
    change = None if kpi.value is None or kpi.previous_value is None else kpi.value - kpi.previous_value
    # Only the typed unit is escaped, as on the wall: an escaped leading '-' would read as a rise.
    unit = kpi.unit if kpi.unit == "%" else md(kpi.unit)
    st.metric(
        md(kpi.name),
        fmt_kpi(kpi.value, unit),
        delta=fmt_kpi_change(change, unit, since="vs last month"),
        chart_data=[v for _, v in trend] or None,
        border=True,
        **delta_style(change, colour="normal" if kpi.direction == "higher_better" else "inverse"),
    )
    rag = kpi.rag
    colour = {Rag.GREEN: "green", Rag.AMBER: "orange", Rag.RED: "red"}.get(rag, "gray")
    target = "" if kpi.target is None else f" · target {md(fmt_kpi(kpi.target, kpi.unit))}"
    st.markdown(f":{colour}[{rag.word}]{target}")


def _complaints_figure(frame: pd.DataFrame, colour: str, month: date) -> go.Figure:
    months = [pd.Timestamp(m).date() for m in frame["month"]]
    colours = [colour if m == month else "#B8C2CC" for m in months]
    fig = go.Figure(go.Bar(x=[f"{m:%b %y}" for m in months], y=frame["complaints"], marker_color=colours))
    fig.update_layout(
        height=150,
        margin={"l": 10, "r": 10, "t": 6, "b": 6},
        font={"size": 16},
        xaxis={"tickfont": {"size": 16}},
        yaxis={"title": None, "tickfont": {"size": 16}},
        showlegend=False,
    )
    return fig


def _why(ev: presenting.StageEvidence, reasons: Sequence[str]) -> None:
    st.markdown("## Why we are here")
    if reasons:
        st.markdown("\n".join(f"- {md(r)}" for r in reasons[:REASONS_SHOWN]))
        if len(reasons) > REASONS_SHOWN:
            with st.expander(f"{len(reasons) - REASONS_SHOWN} more"):
                st.markdown("\n".join(f"- {md(r)}" for r in reasons[REASONS_SHOWN:]))
    else:
        st.markdown("Walking the wall: this stage is not flagged by the data this month.")
    broken = [m for m in ev.moments if m.state in ("broken", "unreliable")]
    if broken:
        st.markdown(
            "Moments of truth: "
            + " · ".join(f"{RELIABILITY_ICON.get(m.state, '')} {md(m.name)} **{m.state}**" for m in broken)
        )


def _complaints(ev: presenting.StageEvidence, key: str) -> None:
    st.markdown("### Complaints, last 13 months")
    if ev.complaints_monthly["complaints"].sum() <= 0:
        st.caption("No complaints lined up to this stage.")
        return
    st.plotly_chart(
        _complaints_figure(ev.complaints_monthly, ev.colour, ev.month),
        key=f"{key}-complaints",
        config={"displayModeBar": False},
    )
    checks = [(c.category, c.check()) for c in ev.categories if c.counts and c.counts[-1] > 0]
    checks.sort(key=lambda pair: (not pair[1].unusual, -pair[1].actual))
    lines = [f"- **{md(category)}**: {md(check.in_words())}" for category, check in checks[:2] if check.unusual]
    if lines:
        st.markdown("\n".join(lines))
    with st.expander("How an unusual rise is judged (method)", icon=":material/functions:"):
        st.markdown(RULE_TEXT)
        for category, check in checks[:5]:
            st.caption(md(f"{category}: {check.method_text()}"))


def stage_slide(ev: presenting.StageEvidence, *, reasons: Sequence[str], key: str) -> None:
    """One stage on the room's screen, laid out to fit a 1080p projector whole (the presenter's
    controls sit below it): why it is here and the call clip on the left, KPIs against target on
    the right; then complaints, the customer's words and what customers receive. What does not fit
    folds into expanders; the keyed container lets the presenter's CSS and the browser test find it."""
    with st.container(key="presenter-slide", gap="small"):
        _slide(ev, reasons=reasons, key=key)


def _slide(ev: presenting.StageEvidence, *, reasons: Sequence[str], key: str) -> None:
    st.markdown(f"# {md(ev.name)}")
    if ev.customer_goal:
        st.caption(f"The customer's goal: “{md(ev.customer_goal)}”")
    left, right = st.columns([0.42, 0.58], gap="large")
    with left:
        _why(ev, reasons)
        if ev.calls:
            call_player(ev.calls[0], key=f"{key}-call")
    with right:
        st.markdown(f"## KPIs against target · {month_label(ev.month)}")
        kpis = list(ev.kpis)[:KPIS_SHOWN]
        for start in range(0, len(kpis), 3):
            cols = st.columns(3)
            for n, kpi in enumerate(kpis[start : start + 3]):
                with cols[n]:
                    _kpi_metric(kpi, ev.kpi_trends.get(kpi.id, ()))
        if not kpis:
            st.caption("No KPIs at this stage yet.")
    first, second, third = st.columns([0.36, 0.38, 0.26], gap="large")
    with first:
        _complaints(ev, key)
    with second:
        st.markdown("### In our customers' words")
        if ev.verbatims:
            for v in ev.verbatims[:VERBATIMS_SHOWN]:
                st.markdown(f"> “{md(mask_personal_data(v.text))}”")
                st.caption(md(f"{v.category} · {v.source} · {date_text(v.received_at)}"))
        else:
            st.caption("No verbatims this month.")
    with third, st.container(key="presenter-artifacts"):
        if ev.artifacts:
            artifacts_strip(ev.artifacts[:2])


def call_player(call: presenting.CallClip, *, key: str) -> None:
    st.markdown(f"### :material/headphones: Listen: {md(call.title)}")
    data = media_bytes(call.sha256, call.mime)
    if data is None:
        st.caption("The recording is missing from the media folder.")
        return
    st.audio(data, format=call.mime, start_time=call.clip_start_s, end_time=call.clip_end_s)
    clip = f"{clip_time(call.clip_start_s)}–{clip_time(call.clip_end_s)} of {clip_time(call.duration_s)}"
    lines = call.clip_segments[:6]
    if not lines:
        st.caption(f"Clip {clip}")
    else:  # the clip's span in the expander's label: one line less on a slide that must fit 1080p
        with st.expander(f"What is said in the clip ({clip})"):
            st.markdown("\n".join(f"**{md(s.speaker)}:** {md(mask_personal_data(s.text))}  " for s in lines))


def artifacts_strip(artifacts: Sequence[presenting.Artifact]) -> None:
    from cxroom.ui import cache as wall_cache  # the wall's thumbnails (PDF first pages too)

    st.markdown("### What customers receive")
    cols = st.columns(len(artifacts))
    for col, artifact in zip(cols, artifacts, strict=True):
        with col:
            thumb = wall_cache.thumbnail(artifact.sha256, artifact.mime)
            if thumb is not None:
                st.image(thumb, width="stretch")
            st.caption(md(artifact.title))

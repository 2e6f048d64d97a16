"""A fix team presenting: pick the team, mark it presented, and its
problem, findings, recommendations and results with before/after evidence."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cxroom import fix_status
from cxroom.formatting import date_text
from cxroom.queries.reviews import contents, listing, presenting
from cxroom.services import review_capture
from cxroom.ui import context
from cxroom.ui.kit.actor import acting_actor as acting_user
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.reads import cached_fix, cached_fix_evidence, cached_fixes_for_presenting, db_key, version
from cxroom.ui.reviews.state import attempt

# -- teams present ------------------------------------------------------------------------------------


def fix_choice(review: listing.Review, items: Sequence[contents.AgendaItem], *, key: str) -> int | None:
    fixes = cached_fixes_for_presenting(version(), db_key(), review.id)
    if not fixes:
        st.caption("No fix teams yet.")
        return None
    on_agenda = [i.fix_id for i in items if i.fix_id is not None]
    by_id = {int(f["id"]): f for f in fixes}
    order = [i for i in on_agenda if i in by_id] + [i for i in by_id if i not in on_agenda]

    def label(fix_id: int) -> str:
        f = by_id[fix_id]
        mark = "presented · " if f["presented"] else ("on the agenda · " if fix_id in on_agenda else "")
        return f"{mark}{f['title']} ({fix_status.word(f['status'])}, {f['stage_name']})"

    return st.selectbox("Fix team presenting", options=order, format_func=label, key=key)


def present_button(review: listing.Review, fix: presenting.FixPresentation, *, key: str) -> None:
    presented = review.id in {rid for rid, _ in fix.presented_in}
    if presented:
        st.success("Presented in this review.", icon=":material/check_circle:")
        return
    if review.closed:
        st.caption("The review is closed: presentations can no longer be recorded.")
        return
    if st.button("Mark as presented in this review", type="primary", key=key):
        attempt(
            lambda: review_capture.present_fix(
                context.store(), review_id=review.id, fix_id=fix.id, actor=acting_user()
            ),
            success=f"Marked as presented: {md(fix.title)}",
        )


def presenting_panel(review: listing.Review, items: Sequence[contents.AgendaItem]) -> None:
    fix_id = fix_choice(review, items, key="present-fix")
    if fix_id is None:
        return
    fix = cached_fix(version(), db_key(), fix_id)
    if fix is None:
        st.error("That fix no longer exists.")
        return
    present_button(review, fix, key=f"present-go-{fix_id}")
    fix_presentation_view(fix, cached_fix_evidence(version(), db_key(), fix_id))


def fix_presentation_view(
    fix: presenting.FixPresentation,
    evidence: Any,
    *,
    large: bool = False,
    kicker: str = "",
    reasons: Sequence[str] = (),
) -> None:
    """Problem, findings, recommendations and results, with before/after evidence."""
    if kicker:
        st.markdown(f"**{md(kicker)}**")
    st.markdown(f"{'#' if large else '###'} {md(fix.title)}")
    where = " · ".join(p for p in (fix.stage_name, fix.moment_name) if p)
    team = ", ".join(f"{person} ({silo})" for person, silo in fix.members)
    st.caption(
        md(
            f"{where} · {fix_status.word(fix.status)} · lead {fix.lead} · sponsor {fix.sponsor} · "
            f"chartered {date_text(fix.chartered_on)}" + (f" · due {date_text(fix.due_on)}" if fix.due_on else "")
        )
    )
    if team:
        st.caption(md(f"Team: {team}"))
    if reasons:
        st.markdown("\n".join(f"- {md(r)}" for r in reasons))
    parts = [
        ("The problem", fix.problem),
        ("What the team found", fix.findings or "\n".join(fix.review_findings)),
        ("Recommendations", fix.recommendations),
        ("Results", fix.results),
    ]
    cols = st.columns(2 if large else 4)
    for n, (title, text) in enumerate(parts):
        with cols[n % len(cols)]:
            st.markdown(f"**{title}**")
            if text.strip():
                st.markdown(md(text))
            else:
                st.caption("Not written yet.")
    series = list(getattr(evidence, "series", ()) or ())
    if not series:
        return
    st.markdown(f"{'###' if large else '####'} Before and after")
    cols = st.columns(min(3, len(series)))
    for n, s in enumerate(series[:3]):
        with cols[n]:
            verdict = s.evidence.verdict
            st.markdown(f"**{md(s.name)}**")
            # In words for the room ('improved from an average of 61.4% to 76.4% since the fix'); the
            # test behind the verdict (p-values, control limits) only for whoever opens the method.
            words = s.evidence.plain_summary
            shown = "" if words == verdict.label.lower() else f" · {md(words)}"
            st.markdown(f":{verdict.colour}[**{md(verdict.label.capitalize())}**]{shown}")
            st.caption(md(s.evidence.data_used))
            with st.expander("How this was judged", icon=":material/functions:"):
                st.caption(md(s.evidence.explanation))
            st.plotly_chart(
                _before_after_figure(s, large=large),
                key=f"fix-ev-{fix.id}-{n}-{large}",
                config={"displayModeBar": False},
            )


def _before_after_figure(series: Any, *, large: bool) -> go.Figure:
    frame = pd.DataFrame([{"period": r.period, "value": r.value} for r in series.readings[-24:]])
    fig = go.Figure()
    if not frame.empty:
        fig.add_trace(go.Scatter(x=frame["period"], y=frame["value"], mode="lines+markers", line={"color": "#1F4E79"}))
    charter = series.evidence.charter
    fig.add_vline(x=charter, line_dash="dot", line_color="#888")
    fig.add_annotation(x=charter, y=1, yref="paper", text="chartered", showarrow=False, yanchor="bottom")
    target = getattr(series, "target", None)
    if target is not None:
        fig.add_hline(y=target, line_dash="dash", line_color="#2E7D32", annotation_text="target")
    fig.update_layout(
        height=260 if large else 200,
        margin={"l": 10, "r": 10, "t": 24, "b": 10},
        showlegend=False,
        font={"size": 16 if large else 12},
        xaxis={"tickfont": {"size": 16 if large else 12}},
        yaxis={"tickfont": {"size": 16 if large else 12}},
    )
    return fig

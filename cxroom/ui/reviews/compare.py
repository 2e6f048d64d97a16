"""Since the last review: this review's snapshot beside the one before, as tables for people."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cxroom.queries.reviews import listing
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.reads import cached_comparison, db_key, version

HIDDEN_COLUMNS = ("stage_id", "fix_id", "is_key")


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for people: dates as dates, one decimal, blanks for nothing, plain headers."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            shown = values.map(lambda v: "" if pd.isna(v) else f"{v:%d %b %Y}")
        elif pd.api.types.is_float_dtype(values):
            shown = values.map(lambda v: "" if pd.isna(v) else f"{v:,.1f}")
        else:
            # st.table reads its cells as Markdown: names from files and people go in escaped.
            shown = values.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else md(v))
        out[str(column).replace("_", " ").capitalize()] = shown
    return out


# -- since the last review --------------------------------------------------------------------------------


def comparison_view(review: listing.Review) -> None:
    found = cached_comparison(version(), db_key(), review.id)
    if found is None:
        if review.closed:
            st.info("This is the first review with a snapshot: there is nothing earlier to compare it with.")
        else:
            st.info(
                "The comparison appears when the review closes: closing freezes this review's snapshot of the "
                "room, which is then set beside the last closed review's."
            )
        return
    st.caption(f"{found.month:%B %Y} (this review) beside {found.previous_month:%B %Y} (the review before).")
    for line in found.headline():
        st.markdown(f"- {md(line)}")
    tables = [
        ("KPIs that moved across their target", found.kpi_crossings, "No KPI crossed its target."),
        ("Moments of truth that changed reliability", found.moment_changes, "No moment changed state."),
        ("Fixes that progressed or slipped", found.fix_changes, "No fix moved."),
        ("Complaints per stage", found.complaints_by_stage, "No complaints in either month."),
        ("The biggest complaint shifts by category", found.complaints_by_category, "No category changed."),
        ("Survey scores", found.survey_changes, "No survey scores in both months."),
    ]
    for title, frame, empty in tables:
        st.markdown(f"#### {title}")
        if frame.empty:
            st.caption(empty)
        else:
            st.table(readable(frame.drop(columns=[c for c in HIDDEN_COLUMNS if c in frame.columns])), hide_index=True)

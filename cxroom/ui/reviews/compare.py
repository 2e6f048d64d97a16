"""Since the last review: this review's snapshot beside the one before, as tables for people."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cxroom.queries.reviews import listing
from cxroom.ui.kit.format import date_text, fmt_kpi, fmt_number, month_label
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.reads import cached_comparison, db_key, version

HIDDEN_COLUMNS = ("stage_id", "fix_id", "is_key", "status_before", "status_now")


def _with_units(frame: pd.DataFrame) -> pd.DataFrame:
    """KPI values with their unit, as the wall prints them (cxroom.formatting); the unit column goes."""
    if "unit" not in frame.columns:
        return frame
    out = frame.copy()
    for column in ("before", "now", "target"):
        if column in out.columns:
            out[column] = [
                "" if pd.isna(v) else fmt_kpi(float(v), str(u)) for v, u in zip(out[column], out["unit"], strict=True)
            ]
    return out.drop(columns=["unit"])


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for people: KPI values with their units, dates as dates, blanks for nothing, plain headers."""
    frame = _with_units(frame)
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            shown = values.map(lambda v: "" if pd.isna(v) else date_text(v))
        elif pd.api.types.is_float_dtype(values):
            shown = values.map(lambda v: "" if pd.isna(v) else fmt_number(float(v)))
        else:
            # st.table reads its cells as Markdown: names from files and people go in escaped.
            shown = values.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else md(v))
        out[str(column).replace("_", " ").capitalize()] = shown
    return out


# -- since the last review --------------------------------------------------------------------------------


def comparison_view(review: listing.Review) -> None:
    found = cached_comparison(version(), db_key(), review.id)
    if found is None:
        st.info("No earlier review was closed, so there is nothing to compare with yet.")
        return
    if review.closed:
        st.caption(
            f"{month_label(found.month)} (this review) beside {month_label(found.previous_month)} (the review before)."
        )
    else:
        st.caption(
            f"So far: the room as it stands now ({month_label(found.month)} data) beside the last closed review "
            f"({month_label(found.previous_month)}). Closing this review freezes it."
        )
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

"""The Listening page's mapping form for a per-call KPI file (one row per call):
the date column, and one KPI per measure (a yes/no rate, a mean, the call count)
in an editable table, proposed by the preview (cxroom.importers.per_call)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from cxroom.importers.report import FilePreview
from cxroom.queries import imports as q
from cxroom.store import Store
from cxroom.ui.kit.text import md
from cxroom.ui.listening.pickers import date_format_choice, pick_column

MEASURES = {"rate": "% yes (rate)", "mean": "mean", "count": "number of calls"}


def per_call_mapping(store: Store, p: FilePreview, base: dict[str, Any]) -> dict[str, Any] | None:
    """The mapping of a per-call file, or None while it is incomplete. It uses the Listening
    forms' column and date-format pickers (one look for every form)."""
    per = base.get("aggregate") or "day"
    st.caption(f"One row per call: the rows are aggregated per {'day' if per == 'day' else 'calendar month'}.")
    period = pick_column("Date column", p.headers, base.get("period"), "per_call_period", required=True)
    date_format = date_format_choice(p, period, base.get("date_format"), "per_call_date_format")
    if date_format == "required":
        return None
    proposed = base.get("measures") or {}
    table = pd.DataFrame(
        [{"KPI": name, "column": spec["column"], "measure": spec["measure"]} for name, spec in proposed.items()],
        columns=["KPI", "column", "measure"],
    )
    edited = st.data_editor(
        table,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key="per_call_measures",
        column_config={
            "KPI": st.column_config.TextColumn("KPI in this room", required=True),
            "column": st.column_config.SelectboxColumn("Column", options=p.headers, required=True),
            "measure": st.column_config.SelectboxColumn("Measure", options=list(MEASURES), required=True),
        },
    )
    measures = {
        str(row["KPI"]).strip(): {"column": row["column"], "measure": row["measure"]}
        for row in edited.to_dict("records")
        if str(row.get("KPI") or "").strip() and row.get("column") and row.get("measure")
    }
    known = {n.casefold() for n in q.kpi_names(store)}
    unknown = [n for n in measures if n.casefold() not in known]
    if unknown:
        st.warning(
            "No KPI of this room is called "
            + ", ".join(f"'{md(u)}'" for u in unknown)
            + ": those readings are not imported until the KPI exists (or rename the row to an existing KPI)."
        )
    if not measures:
        return None
    return {"period": period, "date_format": date_format, "aggregate": per, "measures": measures}

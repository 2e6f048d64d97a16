"""The column mapping of a KPI file: wide (one column per KPI) or long (KPI name, period,
value), with or without a date column, proposing the KPIs the room does not know yet; a
per-call file goes to its own form."""

from __future__ import annotations

from typing import Any

import streamlit as st

from cxroom.importers.report import FilePreview
from cxroom.queries import imports as q
from cxroom.store import Store
from cxroom.ui.listening import kpi_proposals
from cxroom.ui.listening.per_call_mapping import per_call_mapping
from cxroom.ui.listening.pickers import NONE, date_format_choice, layout_choice, pick_column


def kpi_mapping(store: Store, p: FilePreview, actor: str) -> dict[str, Any] | None:
    base = p.saved or p.suggested
    if p.suggested.get("aggregate"):  # a per-call file (the import options asked for it)
        base = p.saved if p.saved and p.saved.get("aggregate") == p.suggested["aggregate"] else p.suggested
        return per_call_mapping(store, p, base)
    h = p.headers
    layout = layout_choice(base, "kpi_layout", wide="One column per KPI", long="KPI name, period, value")
    mapping: dict[str, Any] = {"layout": layout}
    if layout == "long":
        mapping["kpi_name"] = pick_column("KPI name column", h, base.get("kpi_name"), "kpi_name", required=True)
        mapping["value"] = pick_column("Value column", h, base.get("value"), "kpi_value", required=True)
        kpi_proposals.propose(store, p, actor, name_column=mapping["kpi_name"], value_column=mapping["value"])
    period = pick_column("Period (date or month) column", h, base.get("period"), "kpi_period")
    mapping["period"] = period
    if period is None:
        st.info("This file has no date column. Number its rows from a start period, or give one period for all.")
        c1, c2, c3 = st.columns(3)
        mapping["index"] = c1.selectbox(
            "Index column",
            [NONE, *h],
            index=([NONE, *h].index(base.get("index")) if base.get("index") in h else 0),
            key="kpi_index",
        )
        mapping["index"] = None if mapping["index"] == NONE else mapping["index"]
        start = c2.date_input("Period of index 1", value=None, key="kpi_start")
        mapping["frequency"] = c3.selectbox("Frequency", ["daily", "weekly", "monthly"], key="kpi_frequency")
        mapping["start"] = start.isoformat() if start else None
        if not start:
            return None
    else:
        mapping["date_format"] = date_format_choice(p, period, base.get("date_format"), "kpi_date_format")
        if mapping["date_format"] == "required":
            return None
    if layout == "wide":
        known = {n.casefold(): n for n in q.kpi_names(store)}
        candidates = [c for c in h if c not in (period, mapping.get("index"))]
        default = [c for c in (base.get("kpi_columns") or {}) if c in candidates]
        chosen = st.multiselect("KPI columns", candidates, default=default, key="kpi_columns")
        kpi_proposals.propose(store, p, actor, columns=chosen, frequency=mapping.get("frequency"))
        mapping["kpi_columns"] = {c: known.get(c.casefold(), c) for c in chosen}
        if not chosen:
            return None
    return mapping

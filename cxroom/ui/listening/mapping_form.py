"""Which column mapping form the Listening page shows for a kind of file: the forms
written for complaints, KPIs and surveys, and for any other importable kind of the
registry a form of its mapping's columns, so a new kind can be uploaded without a
form of its own."""

from __future__ import annotations

from typing import Any

import streamlit as st

from cxroom.importers.mapping import MAPPING_MODELS, column_fields
from cxroom.importers.report import FilePreview
from cxroom.store import Store
from cxroom.ui.kit.text import md
from cxroom.ui.listening.complaint_mapping import complaint_mapping
from cxroom.ui.listening.kpi_mapping import kpi_mapping
from cxroom.ui.listening.pickers import date_format_choice, pick_column
from cxroom.ui.listening.survey_mapping import survey_mapping


def mapping_form(store: Store, kind: str, p: FilePreview, source: str, actor: str) -> dict[str, Any] | None:
    """The mapping the person confirmed for a file of ``kind``; None while it is incomplete."""
    if kind == "complaints":
        return complaint_mapping(p)
    if kind == "kpis":
        return kpi_mapping(store, p, actor)
    if kind == "surveys":
        return survey_mapping(p, source)
    return columns_mapping(kind, p)


def columns_mapping(kind: str, p: FilePreview) -> dict[str, Any] | None:
    """One column picker per field of the kind's mapping (a required one offers only the
    file's columns), and the date format of the first date column when the mapping has one."""
    base = p.saved or p.suggested
    if p.saved:
        st.success(md(f"Using the column mapping saved for source '{p.source}' (change it below if needed)."))
    mapping: dict[str, Any] = {}
    c1, c2 = st.columns(2)
    for i, (name, required) in enumerate(column_fields(MAPPING_MODELS[kind])):
        label = name.replace("_", " ").capitalize() + (" *" if required else "")
        with c1 if i % 2 == 0 else c2:
            mapping[name] = pick_column(label, p.headers, base.get(name), f"map_{kind}_{name}", required=required)
    if "date_format" in MAPPING_MODELS[kind].model_fields:
        dated = next((column for column in mapping.values() if column in p.date_columns), None)
        fmt = date_format_choice(p, dated, base.get("date_format"), f"map_{kind}_date_format")
        if fmt == "required":
            return None
        mapping["date_format"] = fmt
    return mapping

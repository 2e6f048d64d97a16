"""The column mapping of a complaints file: date received, category, and the optional
columns, with the date format asked for when the dates are ambiguous."""

from __future__ import annotations

from typing import Any

import streamlit as st

from cxroom.importers.report import FilePreview
from cxroom.ui.kit.text import md
from cxroom.ui.listening.pickers import date_format_choice, pick_column


def complaint_mapping(p: FilePreview) -> dict[str, Any] | None:
    base = p.saved or p.suggested
    if p.saved:
        st.success(md(f"Using the column mapping saved for source '{p.source}' (change it below if needed)."))
    h = p.headers
    c1, c2 = st.columns(2)
    with c1:
        received = pick_column("Date received *", h, base.get("received_at"), "map_received", required=True)
        category = pick_column(
            "Category (issue) *",
            h,
            base.get("category"),
            "map_category",
            required=True,
            help_text="CFPB files: Issue (or Product). Categories are mapped to stages below.",
        )
        subcategory = pick_column("Subcategory", h, base.get("subcategory"), "map_subcategory")
        external_id = pick_column(
            "Complaint id",
            h,
            base.get("external_id"),
            "map_external_id",
            help_text="Without an id, a row is recognised on re-import by its content.",
        )
    with c2:
        verbatim = pick_column("Verbatim (customer's words)", h, base.get("verbatim"), "map_verbatim")
        channel = pick_column("Channel", h, base.get("channel"), "map_channel")
        severity = pick_column("Severity", h, base.get("severity"), "map_severity")
        fmt = date_format_choice(p, received, base.get("date_format"), "map_date_format")
    if fmt == "required":
        return None
    return {
        "received_at": received,
        "category": category,
        "subcategory": subcategory,
        "external_id": external_id,
        "verbatim": verbatim,
        "channel": channel,
        "severity": severity,
        "date_format": fmt,
    }

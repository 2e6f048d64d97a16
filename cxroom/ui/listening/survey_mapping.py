"""The column mapping of a survey file: wide (one column per question) or long (question,
value rows), the response id and date (or one period for all), the values that mean not
applicable, the question kind, and the open-text comment columns."""

from __future__ import annotations

from typing import Any

import streamlit as st

from cxroom.importers.report import FilePreview
from cxroom.ui.listening.pickers import layout_choice, pick_column


def survey_mapping(p: FilePreview, source: str) -> dict[str, Any] | None:
    base = p.saved or p.suggested
    h = p.headers
    layout = layout_choice(base, "survey_layout", wide="One column per question", long="Question, value rows")
    mapping: dict[str, Any] = {
        "layout": layout,
        "survey": st.text_input("Survey name", base.get("survey") or source, key="survey_name"),
    }
    c1, c2 = st.columns(2)
    with c1:
        mapping["response_id"] = pick_column(
            "Response id",
            h,
            base.get("response_id"),
            "survey_rid",
            help_text="Without one, a hash of the row identifies it on re-import.",
        )
        mapping["answered_at"] = pick_column("Answered at (date)", h, base.get("answered_at"), "survey_date")
    with c2:
        na = st.text_input(
            "Values meaning not applicable (comma-separated)",
            ", ".join(base.get("na_values") or []),
            key="survey_na",
            help="The airline survey uses 0 for 'not rated'.",
        )
        mapping["na_values"] = [v.strip() for v in na.split(",") if v.strip()]
        if mapping["answered_at"] is None:
            period = st.text_input(
                "Period of the answers (YYYY-MM)", base.get("fixed_period") or "", key="survey_period"
            )
            mapping["fixed_period"] = period.strip() or None
            if not mapping["fixed_period"]:
                st.info("The file has no date column: give the month the answers belong to.")
                return None
    kind = st.selectbox(
        "Question kind",
        ["csat", "nps", "ces", "percent"],
        key="survey_kind",
        format_func=lambda k: {
            "csat": "CSAT (1-5)",
            "nps": "NPS (0-10)",
            "ces": "CES (1-7)",
            "percent": "Percent (0-100)",
        }[k],
    )
    if layout == "wide":
        candidates = [c for c in h if c not in (mapping["response_id"], mapping["answered_at"])]
        default = [c for c in (base.get("questions") or {}) if c in candidates]
        chosen = st.multiselect("Question (rating) columns", candidates, default=default, key="survey_questions")
        mapping["questions"] = {c: kind for c in chosen}
        if not chosen:
            return None
    else:
        mapping["question"] = pick_column("Question column", h, base.get("question"), "survey_q", required=True)
        mapping["value"] = pick_column("Value column", h, base.get("value"), "survey_v", required=True)
        mapping["default_kind"] = kind
    taken = {mapping.get("response_id"), mapping.get("answered_at"), mapping.get("question"), mapping.get("value")}
    open_text = [c for c in h if c not in taken and c not in mapping.get("questions", {})]
    mapping["comments"] = st.multiselect(
        "Comment (open-text answer) columns",
        open_text,
        default=[c for c in (base.get("comments") or []) if c in open_text],
        key="survey_comments",
        help="Joined, a line each, into the response's comment; personal data is masked for the roles "
        "that may not see it.",
    )
    return mapping

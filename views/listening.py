"""Listening: load complaint, KPI and survey files, map complaint categories to
stages, manage import batches, and hang calls and artifacts on the wall."""

from __future__ import annotations

import streamlit as st

from cxroom.importers.report import ImportOptions
from cxroom.ui import context
from cxroom.ui.kit.actor import require_acting_user
from cxroom.ui.listening.batches import batches_panel
from cxroom.ui.listening.calls_artifacts import media_panel
from cxroom.ui.listening.category_mapping import mapping_tab
from cxroom.ui.listening.inbox import inbox_block
from cxroom.ui.listening.mapping_form import mapping_form
from cxroom.ui.listening.report import render_report, run_import
from cxroom.ui.listening.state import KIND_LABELS, REPORT_KEY
from cxroom.ui.listening.upload_preview import file_facts, preview, upload

store = context.store()
actor = require_acting_user().actor

st.title("Listening")
st.caption("Bring in what customers tell us — complaints, KPIs, surveys, calls — and line it up to the stages.")
inbox_block()

tab_import, tab_batches, tab_mapping, tab_media = st.tabs(
    ["Import a file", "Batches", "Category mapping", "Calls & artifacts"]
)

with tab_import:
    kind = st.radio(
        "What is in the file?", list(KIND_LABELS), format_func=KIND_LABELS.get, horizontal=True, key="import_kind"
    )
    pending = upload(kind)
    if pending is None:
        st.info("Upload a CSV, XLSX or Parquet export. Large files: `python -m cxroom import complaints FILE`.")
    else:
        source = st.text_input(
            "Source (where the file comes from)",
            key="import_source",
            help="Complaints are de-duplicated per source; the column mapping is saved per source.",
        )
        options = ImportOptions()
        if kind == "kpis":
            rows_are = st.selectbox(
                "Rows in the file",
                [None, "day", "month"],
                format_func=lambda v: {
                    None: "One row per period (KPI values)",
                    "day": "One row per call, per day",
                    "month": "One row per call, per month",
                }[v],
                key="import_aggregate",
                help="A call log (answered, speed of answer, rating per call) becomes daily or monthly KPI "
                "readings: rates, means and the number of calls.",
            )
            options.aggregate = rows_are
        first_look = preview(store, kind, pending, source, options)
        if first_look is not None:
            file_facts(first_look, pending["name"])
            mapping = mapping_form(store, kind, first_look, source or first_look.source, actor)
            c1, c2, _ = st.columns([1, 1, 5])
            check = c1.button("Check (dry run)", disabled=mapping is None, key="import_check")
            go = c2.button("Import", type="primary", disabled=mapping is None, key="import_go")
            if mapping is None:
                st.caption("Complete the mapping above to import.")
            if (check or go) and mapping is not None:
                run_import(
                    store,
                    kind=kind,
                    pending=pending,
                    source=source or first_look.source,
                    mapping=mapping,
                    options=options,
                    dry_run=check,
                    actor=actor,
                )
    report = st.session_state.get(REPORT_KEY)
    if report is not None:
        render_report(store, report)

with tab_batches:
    batches_panel(store, actor)

with tab_mapping:
    mapping_tab(store, actor)

with tab_media:
    media_panel(store, context.media(), actor)

"""The import with a progress bar, and its report: counts, the file's facts, the problems
found, the quarantine to download, and the categories not yet mapped to a stage."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from cxroom.errors import CxroomError
from cxroom.importers.report import ImportOptions, ImportReport
from cxroom.queries import imports as q
from cxroom.services import themes
from cxroom.services.imports import import_file
from cxroom.store import Store
from cxroom.ui.kit.text import md
from cxroom.ui.listening.state import REPORT_KEY


def run_import(
    store: Store,
    *,
    kind: str,
    pending: dict[str, Any],
    source: str,
    mapping: dict[str, Any],
    options: ImportOptions,
    dry_run: bool,
    actor: str,
) -> ImportReport | None:
    bar = st.progress(0.0, text="Starting…")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    try:
        report = import_file(
            store,
            kind=kind,
            path=pending["path"],
            source=source or None,
            mapping=mapping,
            options=options,
            dry_run=dry_run,
            actor=actor,
            progress=progress,
            file_name=pending["name"],
        )
    except CxroomError as exc:
        bar.empty()
        st.error(md(f"Nothing was imported: {exc}"))
        return None
    themes.after_import(store, kind=kind, committed=report.committed, actor=actor)
    st.session_state[REPORT_KEY] = report
    return report


def render_report(store: Store, report: ImportReport) -> None:
    title = "Dry run: nothing was written" if report.dry_run else f"Batch #{report.batch_id} imported"
    with st.container(border=True, key="import_report"):
        st.subheader(title)
        c = st.columns(5)
        c[0].metric("Rows read", f"{report.rows_read:,}")
        c[1].metric("Would import" if report.dry_run else "Imported", f"{report.rows_imported:,}")
        c[2].metric("Duplicates", f"{report.rows_duplicate:,}")
        c[3].metric("Rejected", f"{report.rows_rejected:,}", help="rows not imported (in the quarantine)")
        # Bad values skipped from rows that were imported: not rows, so counted apart.
        c[4].metric(
            "Values rejected",
            f"{report.values_rejected:,}",
            help="bad values skipped from rows that were imported (in the quarantine)",
        )
        st.caption(
            md(
                f"{report.file_name} · {report.file_kind.upper()} · {report.encoding}"
                + (
                    f" + {report.encoding_fallback} for {report.rows_encoding_fallback:,} row(s)"
                    if report.encoding_fallback and report.encoding_fallback != report.encoding
                    else ""
                )
                + (f" · dates {report.date_format}" if report.date_format else "")
                + f" · source '{report.source}' · {report.elapsed_s:.1f} s"
            )
        )
        for note in report.notes:
            st.info(md(note))
        if report.errors:
            st.markdown(
                f"**{report.errors_total:,} problem(s)** — the rows not imported and the values skipped "
                "are in the quarantine."
            )
            st.dataframe(
                pd.DataFrame(report.errors),
                hide_index=True,
                width="stretch",
                column_config={
                    "row": st.column_config.NumberColumn("Row", format="%d", width="small"),
                    "column": st.column_config.TextColumn("Column", width="medium"),
                    "message": st.column_config.TextColumn("Reason", width="large"),
                },
            )
        if report.committed and (report.rows_rejected or report.values_rejected):
            st.download_button(
                "Download the quarantine (CSV)",
                q.quarantine_csv(store, report.batch_id),
                file_name=f"quarantine-batch-{report.batch_id}.csv",
                mime="text/csv",
                key=f"dl_report_{report.batch_id}",
            )
        if report.unmapped_categories:
            total = sum(c["rows"] for c in report.unmapped_categories)
            st.warning(
                f"{total:,} of the new complaints have a category not yet mapped to a stage; "
                "map them in the **Category mapping** tab."
            )

"""The Batches tab: every import, its quarantine (rows not imported, values skipped) to read
and download, and undoing a committed batch."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cxroom.errors import CxroomError
from cxroom.queries import imports as q
from cxroom.services.imports import undo_batch
from cxroom.store import Store
from cxroom.ui.kit.text import md


def batches_panel(store: Store, actor: str) -> None:
    frame = q.batches(store)
    if frame.empty:
        st.info("No imports yet.")
        return
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "id": st.column_config.NumberColumn("Batch", format="%d"),
            "started_at": "Started",
            "finished_at": None,
            "created_by": "By",
            "rows_read": "Read",
            "rows_imported": "Imported",
            "rows_duplicate": "Duplicates",
            "rows_rejected": "Rejected",
        },
    )
    ids = frame["id"].astype(int).tolist()
    chosen = st.selectbox("Batch", ids, format_func=lambda i: _batch_label(frame, i), key="batch_pick")
    if chosen is None:
        return
    row = frame[frame["id"] == chosen].iloc[0]
    counts = q.quarantine_counts(store, int(chosen))
    c1, c2 = st.columns(2)
    with c1:
        if counts["rows_not_imported"] or counts["rows_with_values_skipped"]:
            st.markdown(
                f"**Quarantine: {counts['rows_not_imported']:,} row(s) not imported · "
                f"{counts['values_skipped']:,} value(s) skipped from {counts['rows_with_values_skipped']:,} "
                "imported row(s)**"
            )
            st.dataframe(
                q.quarantine(store, int(chosen), limit=200),
                hide_index=True,
                width="stretch",
                column_config={"outcome": st.column_config.TextColumn("Outcome", width="medium")},
            )
            st.download_button(
                "Download the quarantine (CSV)",
                q.quarantine_csv(store, int(chosen)),
                file_name=f"quarantine-batch-{chosen}.csv",
                mime="text/csv",
                key=f"dl_batch_{chosen}",
            )
        else:
            st.caption("Nothing quarantined in this batch.")
    with c2:
        if row["status"] == "committed":
            sure = st.checkbox(f"Yes, take batch #{chosen} out of the room", key=f"undo_sure_{chosen}")
            if st.button("Undo this batch", disabled=not sure, key=f"undo_{chosen}", type="primary"):
                try:
                    removed = undo_batch(store, batch_id=int(chosen), actor=actor)
                    st.success(
                        f"Batch #{chosen} undone: "
                        + ", ".join(f"{n:,} {k.replace('_', ' ')}" for k, n in removed.items() if n)
                        + " removed."
                    )
                except CxroomError as exc:
                    st.error(md(str(exc)))
        else:
            st.caption(f"Batch #{chosen} was undone.")


def _batch_label(frame: pd.DataFrame, batch_id: int) -> str:
    row = frame[frame["id"] == batch_id].iloc[0]
    return f"#{batch_id} · {row['kind']} · {row['source']} · {row['file_name']} ({row['status']})"

"""The inbox on the Listening page: is the worker running, what is queued, running, done
and failed, and the last error. File names and errors come from outside: shown as text."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from cxroom.inbox.state import inbox_summary
from cxroom.ui import context
from cxroom.ui.kit.text import md


# A fragment with a Refresh button, not one that reruns itself every few seconds: the page's file
# uploader loses an upload that lands while a timed fragment rerun is in flight (Streamlit issue
# 9079, seen here as an upload whose preview never came), and this block shares the page with it.
@st.fragment
def inbox_block() -> None:
    """The inbox's state; its Refresh button reruns this block alone."""
    summary = inbox_summary(context.settings().inbox_path)
    with st.container(border=True, key="inbox-block"):
        st.button("Refresh", key="inbox-refresh", icon=":material/refresh:", help="Read the inbox's state again.")
        running = summary["running"]
        # One line of counts, not st.metric: the page's import report owns the metrics.
        st.markdown(
            f"**Inbox** · {summary['queued']} queued · {1 if running else 0} running · {summary['done']} done · "
            f"{summary['failed']} failed — files dropped beside the room (cron, SFTP, `python -m cxroom import` "
            "while the app runs)"
        )
        if not summary["worker_running"]:
            st.warning(
                "No inbox worker is running in this server, so dropped files wait. Start the room with "
                "`python -m cxroom serve` (or `make run`).",
                icon=":material/warning:",
            )
        if running:
            st.caption(
                md(
                    f"Importing {running.get('file')} ({running.get('kind')}): "
                    f"{float(running.get('progress') or 0) * 100:.0f}% {running.get('message') or ''}"
                )
            )
        if summary["recent_done"]:
            last = summary["recent_done"][0]
            batch = f", batch #{last['batch_id']}: {last.get('rows_imported')} rows" if last.get("batch_id") else ""
            when = f"{last.get('kind')}, {last.get('claimed_at')} UTC{batch}"
            st.caption(md(f"Last imported: {last.get('file_name')} ({when})"))
        error = summary["last_error"]
        if error:
            st.error(md(f"Last failure ({error.get('at')}, {error.get('file')}): {error.get('error')}"))
        recent = _recent_rows(summary)
        if recent:
            st.dataframe(pd.DataFrame(recent), hide_index=True, width="stretch", key="inbox-recent")
        st.caption(md(f"Folder: {summary['folder']}"))


def _recent_rows(summary: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [{"outcome": "done", **e} for e in summary["recent_done"]] + [
        {"outcome": "failed", **e} for e in summary["recent_failed"]
    ]
    rows.sort(key=lambda r: r.get("claimed_at") or "", reverse=True)
    return [
        {
            "when (UTC)": r.get("claimed_at"),
            "kind": r.get("kind"),
            "file": r.get("file_name"),
            "outcome": r["outcome"],
            "batch": r.get("batch_id"),
            "rows imported": r.get("rows_imported"),
            "error": r.get("error") or "",
        }
        for r in rows
    ]

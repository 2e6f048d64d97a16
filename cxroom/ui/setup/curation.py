"""The Artifacts & calls tab (new ones are added on the Listening page)."""

from __future__ import annotations

import streamlit as st

from cxroom.store import Store
from cxroom.ui.setup.access import page_exists
from cxroom.ui.setup.artifacts import artifacts_panel
from cxroom.ui.setup.calls import calls_panel


def evidence_section(store: Store, actor: str) -> None:
    if page_exists("views/listening.py"):
        st.page_link(
            "views/listening.py", label="Add new calls and artifacts on the Listening page", icon=":material/upload:"
        )
    wanted = st.query_params.get("evidence")
    artifacts_tab, calls_tab = st.tabs(
        ["Artifacts", "Calls"],
        key="evidence_kind",
        on_change="rerun",
        default=wanted if wanted in ("Artifacts", "Calls") else None,
    )
    if artifacts_tab.open:
        with artifacts_tab:
            artifacts_panel(store, actor)
    if calls_tab.open:
        with calls_tab:
            calls_panel(store, actor)

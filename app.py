"""The frame of the Customer Room: page config, navigation and the shared
sidebar. No data access here: pages call cxroom."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="Customer Room", page_icon="🧭", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Room overview", icon="🧭", url_path="overview", default=True),
]

st.navigation(PAGES).run()

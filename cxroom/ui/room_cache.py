"""Cached reads for the room overview, keyed on the data version so any
committed write shows at the next rerun."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cxroom.queries import room
from cxroom.ui import context


@st.cache_data(show_spinner=False, max_entries=8)
def cached_overview(data_version: int) -> pd.DataFrame:
    del data_version  # only part of the cache key
    return room.stage_overview(context.store())

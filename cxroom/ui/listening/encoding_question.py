"""The question asked when some rows of a file are not UTF-8 and their encoding cannot be
told: each candidate encoding with the first such row as it reads it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

# Offered besides the detector's candidates when it cannot decide.
COMMON_ENCODINGS = ["cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "latin-1", "iso8859-2", "koi8-r"]


def encoding_question(candidates: list[tuple[str, str]], sha256: str) -> str | None:
    """Ask which encoding the rows that are not UTF-8 are in, showing how each candidate reads them."""
    st.warning(
        "Some rows of this file are not UTF-8, and their encoding cannot be told for sure. "
        "Choose the one that reads them right (the UTF-8 rows are read as UTF-8 either way)."
    )
    if candidates:
        st.dataframe(
            pd.DataFrame(candidates, columns=["Encoding", "The first such row reads"]),
            hide_index=True,
            width="stretch",
        )
    names = list(dict.fromkeys([name for name, _ in candidates] + COMMON_ENCODINGS))
    return st.selectbox(
        "Encoding of the rows that are not UTF-8",
        names,
        index=None,
        placeholder="Choose the encoding",
        key=f"import_encoding_{sha256[:16]}",
    )

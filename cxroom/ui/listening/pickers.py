"""The pickers every mapping form of the Listening page shares, so the forms look alike:
a column of the file (or none), the layout of a file, and the date format of a date column."""

from __future__ import annotations

import streamlit as st

from cxroom.importers.mapping import DATE_FORMATS
from cxroom.importers.report import FilePreview
from cxroom.ui.kit.text import md

NONE = "— not in this file —"


def pick_column(
    label: str,
    headers: list[str],
    default: str | None,
    key: str,
    *,
    required: bool = False,
    help_text: str | None = None,
) -> str | None:
    """A column of the file; unless ``required``, NONE first, which returns None."""
    options = headers if required else [NONE, *headers]
    index = options.index(default) if default in options else 0
    choice = st.selectbox(label, options, index=index, key=key, help=help_text)
    return None if choice == NONE else choice


def layout_choice(base: dict[str, object], key: str, *, wide: str, long: str) -> str:
    """'wide' or 'long': how the file lays out its rows, the proposal's (or saved) layout first."""
    return str(
        st.radio(
            "Layout",
            ["wide", "long"],
            index=0 if base.get("layout", "wide") == "wide" else 1,
            horizontal=True,
            key=key,
            format_func=lambda v: {"wide": wide, "long": long}[v],
        )
    )


def date_format_choice(p: FilePreview, column: str | None, default: str | None, key: str) -> str | None:
    """'auto' unless the column is ambiguous: then the person must choose."""
    info = p.date_columns.get(column or "", {})
    labels = {"auto": "Detect from the values", **DATE_FORMATS}
    if info.get("ambiguous"):
        st.warning(md(info["message"]))
        choices = list(info["ambiguous"])
        picked = st.radio(
            "Date format", choices, format_func=lambda f: labels.get(f, f), key=key, index=None, horizontal=True
        )
        return picked or "required"
    if info.get("label"):
        st.caption(md(f"Dates in '{column}' read as {info['label']}."))
    keys = list(labels)
    picked = st.selectbox(
        "Date format",
        keys,
        index=keys.index(default) if default in keys else 0,
        format_func=lambda f: labels[f],
        key=key,
    )
    return None if picked == "auto" else picked

"""Reading the set-up forms: values held in the session, select boxes whose value is a
record's id, and the cells of a DataFrame that may be missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from cxroom.queries import setup as q
from cxroom.store import Store

NONE_LABEL = "— none —"
NONE = 0  # the "none" choice of an id select box (database ids start at 1)


def session_value(key: str, default: Any = None) -> Any:
    return st.session_state.get(key, default)


def session_text(key: str) -> str:
    return str(st.session_state.get(key) or "").strip()


def labelled(frame: pd.DataFrame, label: Callable[[Any], str], id_col: str = "id") -> dict[int, str]:
    """Options for a select box: id -> readable label (a duplicate label gets its id appended)."""
    out: dict[int, str] = {}
    seen: set[str] = set()
    for row in frame.itertuples(index=False):
        text = label(row)
        if text in seen:
            text = f"{text} (#{getattr(row, id_col)})"
        seen.add(text)
        out[int(getattr(row, id_col))] = text
    return out


def pick_id(
    label: str,
    options: dict[int, str],
    *,
    key: str,
    none: bool = False,
    current: int | None = None,
    help: str | None = None,
) -> int | None:
    """A select box whose value is an id (stable when the record is renamed), shown by its label.
    With ``none``, the first choice is NONE (0: ids start at 1), which returns None."""
    values: list[int] = ([NONE] if none else []) + list(options)
    index = values.index(current) if current in values else 0
    chosen = st.selectbox(
        label,
        values,
        index=index if values else None,
        key=key,
        help=help,
        format_func=lambda v: NONE_LABEL if v == NONE else options.get(v, f"#{v}"),
    )
    return None if chosen in (None, NONE) else int(chosen)


def picked_id(key: str, options: dict[int, str] | None = None) -> int | None:
    """In a callback: the id a select box made by ``pick_id`` holds now."""
    value = st.session_state.get(key)
    if value in (None, NONE) or (options is not None and value not in options):
        return None
    return int(value)


def is_missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA (what a missing cell of a DataFrame may be)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are not missing
        return False


def as_int(value: Any) -> int | None:
    return None if is_missing(value) else int(value)


def as_float(value: Any) -> float | None:
    return None if is_missing(value) else float(value)


def stage_choices(store: Store, *, include_archived: bool = False) -> dict[int, str]:
    stages = q.stages(store)
    if not include_archived:
        stages = stages[~stages["archived"]]
    return labelled(stages, lambda r: r.name)

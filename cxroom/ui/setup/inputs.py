"""Reading the set-up forms: values held in the session, select boxes whose value is a
record's id (and the record an edit form is for), and the cells of a DataFrame that may be missing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

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


class Picked(NamedTuple):
    """A record chosen to edit: its id, its row, the version the person saw, and the prefix
    of its form's widget keys ("kpi_7_v3": a save bumps the version, so the form starts afresh)."""

    id: int
    row: pd.Series
    version: int
    prefix: str


def pick_record(
    label: str, frame: pd.DataFrame, label_of: Callable[[Any], str], *, key: str, prefix: str
) -> Picked | None:
    """The edit forms' record picker: one of ``frame``'s rows (by id, shown by ``label_of``)."""
    record_id = pick_id(label, labelled(frame, label_of), key=key)
    if record_id is None:
        return None
    row = frame[frame["id"] == record_id].iloc[0]
    version = int(row["version"])
    return Picked(record_id, row, version, f"{prefix}_{record_id}_v{version}")


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


def stages_to_add_to(store: Store, why: str) -> pd.DataFrame | None:
    """The stages a new record may hang under (not archived); None, with ``why`` said, when there are none."""
    stages = q.stages(store)
    stages = stages[~stages["archived"]]
    if stages.empty:
        st.info(why)
        return None
    return stages


def stage_choices(store: Store, *, include_archived: bool = False) -> dict[int, str]:
    stages = q.stages(store)
    if not include_archived:
        stages = stages[~stages["archived"]]
    return labelled(stages, lambda r: r.name)


def pick_stage_moments(store: Store, prefix: str, *, current: int) -> tuple[int, pd.DataFrame] | None:
    """The stage a record hangs under (archived stages included: it may hang under one) and
    that stage's moments of truth, for the record's moment picker."""
    stage_id = pick_id("Stage", stage_choices(store, include_archived=True), key=f"{prefix}_stage", current=current)
    if stage_id is None:
        return None
    moments = q.moments(store)
    return stage_id, moments[moments["stage_id"] == stage_id]

"""In the KPI import preview: the KPI columns (wide files) or names (long files)
the room does not know, each proposed as a new KPI with a guessed direction and
unit, for the person to give a stage, unit and target, then created before the
import."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from cxroom.errors import CxroomError
from cxroom.importers.report import FilePreview
from cxroom.models import Direction, KpiCreate
from cxroom.queries import imports as qi
from cxroom.services import kpi_proposals as kp
from cxroom.store import Store
from cxroom.ui.kit.text import md
from cxroom.ui.listening.state import PREVIEW_KEY

DIRECTIONS = {Direction.LOWER_BETTER.value: "lower is better", Direction.HIGHER_BETTER.value: "higher is better"}
FREQUENCIES = ["daily", "weekly", "monthly"]
FLASH = "kpi_proposals_flash"


def _said(kpi: KpiCreate) -> str:
    target = f", target {kpi.target:g}{kpi.unit}" if kpi.target is not None else ""
    return f"{kpi.name} ({DIRECTIONS[kpi.direction.value]}{target})"


def editor_key(default_stage: str, names: list[str]) -> str:
    """The proposals table's key: a new one when the stage for all or the names change, so the
    table starts again from the guesses."""
    return "kpi_proposals_" + hashlib.sha256("\x1f".join([default_stage, *names]).encode()).hexdigest()[:12]


def unknown_names(store: Store, p: FilePreview, *, columns: list[str] | None = None, name_column: str | None = None):
    """The wide file's KPI columns, or the long file's KPI names (from the preview's rows), no KPI has."""
    known = {n.casefold() for n in qi.kpi_names(store)}
    if name_column is not None:
        names = [str(v).strip() for v in p.sample[name_column].dropna() if str(v).strip()]
    else:
        names = list(columns or [])
    return [n for n in dict.fromkeys(names) if n.casefold() not in known]


def propose(
    store: Store,
    p: FilePreview,
    actor: str,
    *,
    columns: list[str] | None = None,
    name_column: str | None = None,
    value_column: str | None = None,
    frequency: str | None = None,
) -> None:
    """Propose each unknown KPI of the file on its own row: direction guessed from the name,
    unit from the preview's values; the person sets stage, unit, target (and warning)."""
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(md(flash))
    names = unknown_names(store, p, columns=columns, name_column=name_column)
    if not names:
        return
    st.warning(
        "No KPI of this room is called "
        + ", ".join(f"'{md(n)}'" for n in names)
        + ". Their readings are not imported until the KPI exists: create them here."
    )
    stages = qi.stage_choices(store)
    if not stages:
        st.caption("Create the room's stages first (Room setup).")
        return
    by_name = {name: slug for slug, name in stages}
    default_stage = st.selectbox("Stage of the new KPIs", list(by_name), key="kpi_new_stage")
    rows = []
    for name in names:
        direction, why = kp.guess_direction(name)
        if name_column is not None and value_column is not None:
            values = p.sample.loc[p.sample[name_column].astype(str).str.strip() == name, value_column]
        else:
            values = p.sample.get(name, [])
        rows.append(
            {
                "create": True,
                "name": name,
                "stage": default_stage,
                "direction": DIRECTIONS[direction.value],
                "unit": kp.guess_unit(values),
                "target": None,
                "warning": None,
                "frequency": frequency if frequency in FREQUENCIES else "daily",
                "why": why,
            }
        )
    table = pd.DataFrame(rows).astype({"target": "float64", "warning": "float64"})
    key = editor_key(default_stage, names)
    edited = st.data_editor(
        table,
        key=key,
        hide_index=True,
        width="stretch",
        disabled=["name", "why"],
        column_config={
            "create": st.column_config.CheckboxColumn("Create", width="small"),
            "name": st.column_config.TextColumn("KPI"),
            "stage": st.column_config.SelectboxColumn("Stage", options=list(by_name), required=True),
            "direction": st.column_config.SelectboxColumn(
                "Better is", options=list(DIRECTIONS.values()), required=True
            ),
            "unit": st.column_config.TextColumn("Unit", max_chars=20),
            "target": st.column_config.NumberColumn("Target"),
            "warning": st.column_config.NumberColumn("Warning at"),
            "frequency": st.column_config.SelectboxColumn("Frequency", options=FREQUENCIES, required=True),
            "why": st.column_config.TextColumn("Why this direction", width="large"),
        },
    )
    if st.button("Create these KPIs", type="primary", key="kpi_proposals_create"):
        chosen = edited[edited["create"].fillna(False).astype(bool)]
        back = {label: value for value, label in DIRECTIONS.items()}
        try:
            proposals = [
                KpiCreate(
                    stage_slug=by_name[r["stage"]],
                    name=r["name"],
                    unit=r["unit"] if isinstance(r["unit"], str) else "",
                    direction=back[r["direction"]],
                    target=None if pd.isna(r["target"]) else float(r["target"]),
                    warning=None if pd.isna(r["warning"]) else float(r["warning"]),
                    frequency=r["frequency"],
                )
                for r in chosen.to_dict("records")
            ]
            if not proposals:
                raise ValueError("Tick Create for at least one KPI.")
            kp.create_kpis(store, proposals, actor=actor)
        except (CxroomError, ValueError, KeyError) as exc:
            st.error(md(str(exc)))
            return
        st.session_state.pop(PREVIEW_KEY, None)
        st.session_state.pop(key, None)
        st.session_state[FLASH] = "Created " + ", ".join(_said(k) for k in proposals)
        st.rerun()

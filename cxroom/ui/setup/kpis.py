"""The KPIs tab: what each KPI of a moment of truth measures (readings come from imports)."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from cxroom.models import Direction, Frequency, KpiCreate
from cxroom.queries import setup as q
from cxroom.services import curation, evidence
from cxroom.setup_models import KpiDefinition
from cxroom.store import Store
from cxroom.ui.setup.inputs import (
    as_float,
    as_int,
    labelled,
    pick_id,
    pick_record,
    pick_stage_moments,
    picked_id,
    session_text,
    session_value,
    stages_to_add_to,
)
from cxroom.ui.setup.messages import attempt, show_flash


def _kpi_fields(prefix: str) -> dict[str, Any]:
    return {
        "name": session_text(f"{prefix}_name"),
        "unit": session_text(f"{prefix}_unit"),
        "direction": Direction(session_value(f"{prefix}_direction") or Direction.HIGHER_BETTER.value),
        "target": as_float(session_value(f"{prefix}_target")),
        "warning": as_float(session_value(f"{prefix}_warning")),
        "frequency": Frequency(session_value(f"{prefix}_frequency") or Frequency.MONTHLY.value),
        "definition": session_text(f"{prefix}_definition"),
    }


def _create_kpi(
    store: Store,
    actor: str,
    prefix: str,
    stage_slug: str,
    moments: dict[int, str],
    silos: dict[int, str],
    options: tuple[dict[int, str], dict[int, str]],
) -> None:
    fields = _kpi_fields(prefix)

    def go() -> int:
        data = KpiCreate(
            stage_slug=stage_slug,
            moment_name=moments.get(picked_id(f"{prefix}_moment", options[0]) or -1),
            silo_name=silos.get(picked_id(f"{prefix}_silo", options[1]) or -1),
            **fields,
        )
        return evidence.create_kpi(store, data, actor=actor)

    attempt(
        prefix,
        go,
        f"KPI '{fields['name']}' added.",
        clear=[f"{prefix}_{k}" for k in ("name", "unit", "target", "warning", "definition")],
    )


def _kpi_inputs(
    prefix: str, *, moments: pd.DataFrame, silos: pd.DataFrame, row: Any = None
) -> tuple[dict[int, str], dict[int, str]]:
    """The fields of a KPI (inside a form); ``row`` fills them for an edit. Returns the moment and silo options."""

    def get(name: str, default: Any) -> Any:
        return default if row is None else row[name]

    c1, c2, c3 = st.columns([3, 1, 2])
    c1.text_input(
        "KPI", value=get("name", ""), key=f"{prefix}_name", max_chars=200, placeholder="e.g. Bills matching the quote"
    )
    c2.text_input("Unit", value=get("unit", ""), key=f"{prefix}_unit", max_chars=20, placeholder="%")
    directions = [d.value for d in Direction]
    c3.selectbox(
        "Better when",
        directions,
        index=directions.index(get("direction", directions[0])),
        format_func=lambda d: "higher" if d == "higher_better" else "lower",
        key=f"{prefix}_direction",
    )
    c4, c5, c6 = st.columns(3)
    c4.number_input("Target", value=as_float(get("target", None)), key=f"{prefix}_target", format="%g")
    c5.number_input(
        "Warning at",
        value=as_float(get("warning", None)),
        key=f"{prefix}_warning",
        format="%g",
        help="Amber between warning and target; red beyond the warning.",
    )
    frequencies = [f.value for f in Frequency]
    c6.selectbox(
        "Measured", frequencies, index=frequencies.index(get("frequency", "monthly")), key=f"{prefix}_frequency"
    )
    moment_options = labelled(moments, lambda r: r.name)
    silo_options = labelled(silos, lambda r: r.name)
    c7, c8 = st.columns(2)
    with c7:
        pick_id(
            "Moment of truth", moment_options, key=f"{prefix}_moment", none=True, current=as_int(get("moment_id", None))
        )
    with c8:
        pick_id(
            "Silo that runs it", silo_options, key=f"{prefix}_silo", none=True, current=as_int(get("silo_id", None))
        )
    st.text_area("Definition (how it is measured)", value=get("definition", ""), key=f"{prefix}_definition", height=68)
    return moment_options, silo_options


def add_kpi_form(store: Store, actor: str, *, prefix: str = "new_kpi") -> None:
    show_flash(prefix)
    stages = stages_to_add_to(store, "Add a stage first: every KPI measures a moment in a stage.")
    if stages is None:
        return
    box = st.container(border=True)
    box.markdown("**Add a KPI**")
    with box:
        stage_id = pick_id("Stage of the new KPI", labelled(stages, lambda r: r.name), key=f"{prefix}_stage")
    if stage_id is None:
        return
    slug = str(stages[stages["id"] == stage_id].iloc[0]["slug"])
    moments = q.moments(store)
    moments = moments[moments["stage_id"] == stage_id]
    silos = q.silos(store)
    with box, st.form(f"{prefix}_form", border=False):
        options = _kpi_inputs(prefix, moments=moments, silos=silos)
        st.form_submit_button(
            "Add KPI",
            type="primary",
            on_click=_create_kpi,
            args=(
                store,
                actor,
                prefix,
                slug,
                {int(r.id): r.name for r in moments.itertuples()},
                {int(r.id): r.name for r in silos.itertuples()},
                options,
            ),
        )


def _save_kpi(
    store: Store,
    actor: str,
    kpi_id: int,
    version: int,
    prefix: str,
    stage_id: int,
    options: tuple[dict[int, str], dict[int, str]],
) -> None:
    def go() -> None:
        data = KpiDefinition(
            stage_id=stage_id,
            moment_id=picked_id(f"{prefix}_moment", options[0]),
            silo_id=picked_id(f"{prefix}_silo", options[1]),
            **_kpi_fields(prefix),
        )
        curation.update_kpi(store, kpi_id, data, expected_version=version, actor=actor)

    attempt("kpis", go, f"KPI '{session_text(f'{prefix}_name')}' saved.")


def kpis_section(store: Store, actor: str) -> None:
    kpis = q.kpis(store)
    st.caption(
        "KPIs of the moments of truth tell leaders where the operation fails before survey results arrive. "
        "Readings come in from files on the Listening page; here you define what each KPI is."
    )
    if kpis.empty:
        st.info("No KPIs yet.")
    else:
        shown = kpis.assign(direction=kpis["direction"].map({"higher_better": "higher", "lower_better": "lower"}))
        st.dataframe(
            shown[
                [
                    "stage_name",
                    "moment_name",
                    "name",
                    "unit",
                    "direction",
                    "target",
                    "warning",
                    "frequency",
                    "silo_name",
                    "readings",
                    "last_period",
                ]
            ],
            hide_index=True,
            width="stretch",
            column_config={
                "stage_name": "Stage",
                "moment_name": "Moment",
                "name": "KPI",
                "unit": "Unit",
                "direction": "Better when",
                "target": "Target",
                "warning": "Warning at",
                "frequency": "Measured",
                "silo_name": "Silo",
                "readings": "Readings",
                "last_period": st.column_config.DateColumn("Last reading"),
            },
        )
    add_kpi_form(store, actor)
    if kpis.empty:
        return
    st.subheader("Edit a KPI")
    show_flash("kpis")
    picked = pick_record("KPI", kpis, lambda r: f"{r.name} · {r.stage_name}", key="kpi_pick", prefix="kpi")
    if picked is None:
        return
    kpi_id, row, version, prefix = picked
    placed = pick_stage_moments(store, prefix, current=int(row["stage_id"]))
    if placed is None:
        return
    stage_id, moments = placed
    with st.form(f"{prefix}_form"):
        options = _kpi_inputs(prefix, moments=moments, silos=q.silos(store), row=row)
        st.caption(f"{int(row['readings']):,} readings stay as they are.")
        st.form_submit_button(
            "Save KPI",
            type="primary",
            on_click=_save_kpi,
            args=(store, actor, kpi_id, version, prefix, stage_id, options),
        )

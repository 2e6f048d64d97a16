"""The Silos & accountability tab: the departments that shape the experience, and their
editing (the matrix of who owns each stage lives in accountability.py)."""

from __future__ import annotations

import streamlit as st

from cxroom.models import SiloCreate
from cxroom.queries import setup as q
from cxroom.services import room
from cxroom.setup_models import SiloEdit
from cxroom.store import Store
from cxroom.ui.setup.accountability import accountability_matrix
from cxroom.ui.setup.inputs import pick_record, session_text
from cxroom.ui.setup.messages import attempt, show_flash


def _create_silo(store: Store, actor: str, prefix: str) -> None:
    name = session_text(f"{prefix}_name")
    attempt(
        prefix,
        lambda: room.create_silo(
            store, SiloCreate(name=name, description=session_text(f"{prefix}_description")), actor=actor
        ),
        f"Silo '{name}' added.",
        clear=[f"{prefix}_name", f"{prefix}_description"],
    )


def add_silo_form(store: Store, actor: str, *, prefix: str = "new_silo") -> None:
    show_flash(prefix)
    with st.form(f"{prefix}_form"):
        st.markdown("**Add a silo** (a department that shapes the experience)")
        c1, c2 = st.columns([1, 2])
        c1.text_input("Silo", key=f"{prefix}_name", placeholder="e.g. Billing", max_chars=200)
        c2.text_input("What it does", key=f"{prefix}_description", max_chars=2000)
        st.form_submit_button("Add silo", type="primary", on_click=_create_silo, args=(store, actor, prefix))


def _save_silo(store: Store, actor: str, silo_id: int, version: int, prefix: str) -> None:
    data = {"name": session_text(f"{prefix}_name"), "description": session_text(f"{prefix}_description")}
    attempt(
        "silos",
        lambda: room.update_silo(store, silo_id, SiloEdit(**data), expected_version=version, actor=actor),
        f"Silo '{data['name']}' saved.",
    )


def _delete_silo(store: Store, actor: str, silo_id: int, version: int, name: str) -> None:
    attempt(
        "silos",
        lambda: room.delete_silo(store, silo_id, expected_version=version, actor=actor),
        f"Silo '{name}' deleted.",
    )


def silos_section(store: Store, actor: str) -> None:
    silos = q.silos(store)
    if silos.empty:
        st.info("No silos yet. Add the departments that shape your customers' experience.")
    else:
        st.dataframe(
            silos.drop(columns=["id", "version"]),
            hide_index=True,
            width="stretch",
            column_config={
                "name": "Silo",
                "description": st.column_config.TextColumn("What it does", width="large"),
                "owns": st.column_config.NumberColumn("Owns stages"),
                "contributes": st.column_config.NumberColumn("Contributes to"),
                "kpis": st.column_config.NumberColumn("KPIs"),
            },
        )
    add_silo_form(store, actor)
    st.subheader("Accountability matrix")
    accountability_matrix(store, actor)
    if silos.empty:
        show_flash("silos")  # e.g. the last silo was just deleted
        return
    st.subheader("Edit a silo")
    show_flash("silos")
    picked = pick_record("Silo", silos, lambda r: r.name, key="silo_pick", prefix="silo")
    if picked is None:
        return
    silo_id, row, version, prefix = picked
    with st.form(f"{prefix}_form"):
        c1, c2 = st.columns([1, 2])
        c1.text_input("Silo", value=row["name"], key=f"{prefix}_name", max_chars=200)
        c2.text_input("What it does", value=row["description"], key=f"{prefix}_description", max_chars=2000)
        st.form_submit_button(
            "Save silo", type="primary", on_click=_save_silo, args=(store, actor, silo_id, version, prefix)
        )
    st.button(
        "Delete this silo",
        key=f"{prefix}_delete",
        on_click=_delete_silo,
        args=(store, actor, silo_id, version, row["name"]),
        help="Only a silo with no accountability, KPI or fix-team member can be deleted.",
    )

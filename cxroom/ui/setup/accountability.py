"""Which silo owns each stage and which contribute: the editable matrix and the simple
owners form of the first-run guide."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import streamlit as st

from cxroom.models import SiloRole
from cxroom.queries import setup as q
from cxroom.services import accountability
from cxroom.setup_models import AccountabilityCell, AccountabilityChange
from cxroom.store import Store
from cxroom.ui.kit.text import md
from cxroom.ui.setup.inputs import labelled, pick_id, picked_id
from cxroom.ui.setup.labels import ROLE_OPTIONS
from cxroom.ui.setup.messages import attempt, flash, show_flash


def matrix_frame(long: pd.DataFrame) -> tuple[pd.DataFrame, list[int], list[int]]:
    """Stages x silos (columns named by silo id) with 'owner', 'contributor' or None; stage and silo ids in order."""
    stage_ids = list(dict.fromkeys(int(s) for s in long["stage_id"]))
    silo_ids = list(dict.fromkeys(int(s) for s in long["silo_id"]))
    names = dict(zip(long["stage_id"].astype(int), long["stage_name"], strict=False))
    wide = pd.DataFrame({"stage": [names[s] for s in stage_ids]})
    roles = {
        (int(r.stage_id), int(r.silo_id)): (r.role if isinstance(r.role, str) else None) for r in long.itertuples()
    }
    for silo in silo_ids:
        wide[str(silo)] = pd.Series([roles.get((s, silo)) for s in stage_ids], dtype="object")
    return wide, stage_ids, silo_ids


def matrix_changes(
    seen: pd.DataFrame, edited_rows: dict[Any, dict[str, Any]], stage_ids: Sequence[int]
) -> list[AccountabilityCell]:
    """The cells a person changed in the data editor, each with the role they saw."""
    cells = []
    for row, changes in edited_rows.items():
        index = int(row)
        for column, value in changes.items():
            if column == "stage":
                continue
            before = seen.at[index, column]
            before = before if isinstance(before, str) and before else None
            after = value if isinstance(value, str) and value else None
            if before != after:
                cells.append(
                    AccountabilityCell(
                        stage_id=stage_ids[index],
                        silo_id=int(column),
                        before=None if before is None else SiloRole(before),
                        after=None if after is None else SiloRole(after),
                    )
                )
    return cells


def _save_matrix(store: Store, actor: str, editor_key: str, seen: pd.DataFrame, stage_ids: list[int]) -> None:
    edits = st.session_state.get(editor_key) or {}
    cells = matrix_changes(seen, edits.get("edited_rows", {}), stage_ids)
    if not cells:
        flash("matrix", "success", "Nothing changed.")
        return

    attempt(
        "matrix",
        lambda: accountability.apply_accountability(store, AccountabilityChange(cells=cells), actor=actor),
        lambda n: f"Accountability saved ({n} changes).",
        then=lambda _: _new_matrix_generation(),
    )


def _new_matrix_generation() -> None:
    """A fresh editor (drops unsaved edits): after a save, or when the person discards."""
    st.session_state["matrix_generation"] = int(st.session_state.get("matrix_generation", 0)) + 1


def accountability_matrix(store: Store, actor: str, *, key: str = "matrix") -> None:
    """Stages x silos: who owns and who contributes to each stage, editable in place."""
    show_flash("matrix")
    long = q.accountability(store)
    if long.empty:
        st.info("Add stages and silos first; then say here which silo owns each stage and which contribute.")
        return
    wide, stage_ids, silo_ids = matrix_frame(long)
    silo_names = dict(zip(long["silo_id"].astype(int), long["silo_name"], strict=False))
    generation = int(st.session_state.get("matrix_generation", 0))
    editor_key = f"{key}_editor_{generation}"
    config: dict[str, Any] = {"stage": st.column_config.TextColumn("Stage", disabled=True)}
    for silo in silo_ids:
        config[str(silo)] = st.column_config.SelectboxColumn(silo_names[silo], options=ROLE_OPTIONS, required=False)
    st.caption(
        "Accountability runs across the experience: one silo **owns** each stage, others **contribute**. "
        "Click a cell to choose; clear it to remove the silo from the stage."
    )
    st.data_editor(
        wide, key=editor_key, hide_index=True, width="stretch", column_config=config, num_rows="fixed", placeholder="·"
    )
    with st.container(horizontal=True):
        st.button(
            "Save accountability",
            type="primary",
            key=f"{key}_save",
            on_click=_save_matrix,
            args=(store, actor, editor_key, wide.copy(), stage_ids),
        )
        st.button("Discard my changes", key=f"{key}_discard", on_click=_new_matrix_generation)
    owners = long[long["role"] == SiloRole.OWNER.value].groupby("stage_name", sort=False).size()
    orphans = [name for name in wide["stage"] if name not in owners.index]
    crowded = [name for name, n in owners.items() if n > 1]
    if orphans:
        st.warning("No silo owns: " + md(", ".join(orphans)), icon=":material/person_off:")
    if crowded:
        st.warning(
            "More than one owner (accountability is blurred): " + md(", ".join(crowded)), icon=":material/group:"
        )


def owner_changes(long: pd.DataFrame, chosen: dict[int, int | None]) -> list[AccountabilityCell]:
    """Cells that make ``chosen[stage_id]`` the one owner of each stage (the old owner steps down)."""
    roles = {
        (int(r.stage_id), int(r.silo_id)): (r.role if isinstance(r.role, str) else None) for r in long.itertuples()
    }
    cells = []
    for stage_id, owner in chosen.items():
        for (stage, silo), role in roles.items():
            if stage != stage_id:
                continue
            want = SiloRole.OWNER.value if silo == owner else (None if role == SiloRole.OWNER.value else role)
            if want != role:
                cells.append(
                    AccountabilityCell(
                        stage_id=stage,
                        silo_id=silo,
                        before=None if role is None else SiloRole(role),
                        after=None if want is None else SiloRole(want),
                    )
                )
    return cells


def _save_owners(store: Store, actor: str, prefix: str, long: pd.DataFrame, stage_ids: list[int]) -> None:
    chosen = {stage: picked_id(f"{prefix}_{stage}") for stage in stage_ids}
    cells = owner_changes(long, chosen)
    if not cells:
        flash(prefix, "success", "Nothing changed.")
        return
    attempt(
        prefix,
        lambda: accountability.apply_accountability(store, AccountabilityChange(cells=cells), actor=actor),
        "Owners saved.",
    )


def owners_form(store: Store, actor: str, *, prefix: str = "owners") -> None:
    """The simple view of accountability: which one silo owns each stage (contributors: the full matrix)."""
    show_flash(prefix)
    long = q.accountability(store)
    if long.empty:
        return
    silos = labelled(
        long.drop_duplicates("silo_id").rename(columns={"silo_name": "name"}), lambda r: r.name, id_col="silo_id"
    )
    stage_ids = list(dict.fromkeys(int(s) for s in long["stage_id"]))
    with st.form(f"{prefix}_form"):
        st.markdown("**Who owns each stage?** Contributors can be added in the matrix under Room setup.")
        cols = st.columns(min(len(stage_ids), 4))
        for i, stage in enumerate(stage_ids):
            rows = long[long["stage_id"] == stage]
            owner = rows[rows["role"] == SiloRole.OWNER.value]
            with cols[i % len(cols)]:
                pick_id(
                    md(rows["stage_name"].iloc[0]),
                    silos,
                    key=f"{prefix}_{stage}",
                    none=True,
                    current=int(owner["silo_id"].iloc[0]) if not owner.empty else None,
                )
        st.form_submit_button(
            "Save owners", type="primary", on_click=_save_owners, args=(store, actor, prefix, long, stage_ids)
        )

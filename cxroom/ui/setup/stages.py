"""The Stages tab: the stages on the wall in order, adding, editing, archiving, and a
stage's history."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from cxroom.models import StageCreate, StageUpdate
from cxroom.queries import setup as q
from cxroom.services import room
from cxroom.setup_models import slugify
from cxroom.store import Store
from cxroom.ui.kit.text import md
from cxroom.ui.setup.inputs import pick_record, session_text, session_value
from cxroom.ui.setup.messages import attempt, show_flash
from cxroom.ui.setup.ordering import move_buttons


def unique_slug(name: str, taken: Iterable[str]) -> str:
    base = slugify(name)
    used = set(taken)
    slug, n = base, 2
    while slug in used:
        slug = f"{base[:55]}-{n}"
        n += 1
    return slug


def _create_stage(store: Store, actor: str, prefix: str) -> None:
    name = session_text(f"{prefix}_name")
    taken = q.stages(store)["slug"].tolist()

    def go() -> int:
        data = StageCreate(
            slug=unique_slug(name, taken),
            name=name,
            customer_goal=session_text(f"{prefix}_goal"),
            description=session_text(f"{prefix}_description"),
            colour=session_value(f"{prefix}_colour") or "#4C78A8",
        )
        return room.create_stage(store, data, actor=actor)

    attempt(
        prefix,
        go,
        f"Stage '{name}' added to the end of the wall.",
        clear=[f"{prefix}_name", f"{prefix}_goal", f"{prefix}_description"],
    )


def add_stage_form(store: Store, actor: str, *, prefix: str = "new_stage", compact: bool = False) -> None:
    """A form that appends a stage to the wall."""
    show_flash(prefix)
    with st.form(f"{prefix}_form", border=True):
        st.markdown("**Add a stage**")
        c1, c2 = st.columns([2, 3])
        c1.text_input("Stage name", key=f"{prefix}_name", placeholder="e.g. Get help", max_chars=200)
        c2.text_input(
            "The customer's goal at this stage",
            key=f"{prefix}_goal",
            placeholder="e.g. My problem is solved the first time I ask",
            max_chars=500,
        )
        if not compact:
            c3, c4 = st.columns([4, 1])
            c3.text_area("Description", key=f"{prefix}_description", height=68)
            c4.color_picker("Colour", value="#4C78A8", key=f"{prefix}_colour")
        st.form_submit_button("Add stage", type="primary", on_click=_create_stage, args=(store, actor, prefix))


def _save_stage(store: Store, actor: str, stage_id: int, version: int, prefix: str) -> None:
    def go() -> None:
        data = StageUpdate(
            name=session_text(f"{prefix}_name"),
            customer_goal=session_text(f"{prefix}_goal"),
            description=session_text(f"{prefix}_description"),
            colour=session_value(f"{prefix}_colour"),
        )
        room.update_stage(store, stage_id, data, expected_version=version, actor=actor)

    attempt("stages", go, f"Stage '{session_text(f'{prefix}_name')}' saved.")


def _archive(store: Store, actor: str, stage_id: int, version: int, name: str, archive: bool) -> None:
    if archive:
        attempt(
            "stages",
            lambda: room.archive_stage(store, stage_id, expected_version=version, actor=actor),
            f"Stage '{name}' archived: it left the wall; its complaints, KPIs and history stay.",
        )
    else:
        attempt(
            "stages",
            lambda: room.restore_stage(store, stage_id, expected_version=version, actor=actor),
            f"Stage '{name}' is back on the wall.",
        )


def stage_order_list(store: Store, actor: str, stages: pd.DataFrame, *, key: str) -> None:
    """The stages on the wall, left to right, with buttons to move them."""
    active = stages[~stages["archived"]]
    order = [(int(r.id), int(r.version)) for r in active.itertuples()]
    for i, r in enumerate(active.itertuples()):
        with st.container(border=True, key=f"{key}_row_{r.id}"):
            c1, c2, c3, c4 = st.columns([6, 5, 0.6, 0.6], vertical_alignment="center")
            c1.markdown(f"**{i + 1}. {md(r.name)}**  \n{md(r.customer_goal) or ' '}")
            c2.caption(f"{r.moments} moments · {r.kpis} KPIs · {r.complaints:,} complaints · {r.rules} category rules")
            move_buttons(
                (c3, c4),
                store,
                actor,
                order,
                i,
                "stage_order",
                keys=(f"{key}_left_{r.id}", f"{key}_right_{r.id}"),
                icons=(":material/arrow_back:", ":material/arrow_forward:"),
                helps=("Move left on the wall", "Move right on the wall"),
            )


def stages_section(store: Store, actor: str) -> None:
    show_flash("stage_order")
    stages = q.stages(store)
    active = stages[~stages["archived"]]
    st.caption(
        "The stages of your customers' experience, in wall order (left to right). Renaming keeps the stage's "
        "history; archiving takes it off the wall but keeps its complaints, KPIs and audit trail."
    )
    if active.empty:
        st.info("No stages on the wall yet. Add the first one below.")
    else:
        stage_order_list(store, actor, stages, key="stage_order")
    add_stage_form(store, actor)
    if stages.empty:
        return
    st.subheader("Edit a stage")
    show_flash("stages")
    picked = pick_record(
        "Stage", stages, lambda r: r.name + (" (archived)" if r.archived else ""), key="edit_stage_pick", prefix="stage"
    )
    if picked is None:
        return
    stage_id, row, version, prefix = picked
    with st.form(f"{prefix}_form"):
        c1, c2 = st.columns([2, 3])
        c1.text_input("Name", value=row["name"], key=f"{prefix}_name", max_chars=200)
        c2.text_input("The customer's goal", value=row["customer_goal"], key=f"{prefix}_goal", max_chars=500)
        c3, c4 = st.columns([4, 1])
        c3.text_area("Description", value=row["description"], key=f"{prefix}_description", height=68)
        c4.color_picker("Colour", value=row["colour"], key=f"{prefix}_colour")
        st.caption(f"Address in links and import rules: `{row['slug']}` (does not change when you rename).")
        st.form_submit_button(
            "Save stage", type="primary", on_click=_save_stage, args=(store, actor, stage_id, version, prefix)
        )
    archived = bool(row["archived"])
    label = "Put back on the wall" if archived else "Archive this stage (take it off the wall)"
    st.button(
        label,
        key=f"{prefix}_archive",
        on_click=_archive,
        args=(store, actor, stage_id, version, row["name"], not archived),
    )
    if not archived and row["rules"]:
        st.caption(
            f"{row['rules']} category rules send complaints to this stage; after archiving they still do "
            "(change them on the Listening page)."
        )
    stage_history(store, stage_id, int(row["complaints"]))


def stage_history(store: Store, stage_id: int, complaints: int) -> None:
    with st.expander(f"History of this stage ({complaints:,} complaints)"):
        history = q.stage_complaint_history(store, stage_id)
        if history.empty:
            st.caption("No complaints have been lined up to this stage.")
        else:
            st.bar_chart(history, x="month", y="complaints", height=180)
        audit = q.audit_of(store, "stage", stage_id)
        st.dataframe(
            audit,
            hide_index=True,
            width="stretch",
            column_config={
                "happened_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
                "actor": "Who",
                "action": "What",
                "before": st.column_config.TextColumn("Before", width="medium"),
                "after": st.column_config.TextColumn("After", width="medium"),
            },
        )

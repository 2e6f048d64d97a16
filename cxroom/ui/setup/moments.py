"""The Moments of truth tab: a stage's moments in order, adding and editing them, their
reliability and its history, and the silos accountable for each."""

from __future__ import annotations

import streamlit as st

from cxroom.models import MomentCreate, Reliability, ReliabilityChange, SiloRole
from cxroom.queries import setup as q
from cxroom.services import accountability, room
from cxroom.setup_models import MomentEdit
from cxroom.store import Store
from cxroom.ui.kit.text import md
from cxroom.ui.setup.inputs import (
    labelled,
    pick_id,
    pick_record,
    picked_id,
    session_text,
    session_value,
    stage_choices,
    stages_to_add_to,
)
from cxroom.ui.setup.labels import FLAGS, ROLE_OPTIONS, reliability_badge, reliability_label
from cxroom.ui.setup.messages import attempt, show_flash
from cxroom.ui.setup.ordering import move_buttons


def _create_moment(
    store: Store,
    actor: str,
    prefix: str,
    stage_slugs: dict[int, str],
    stage_options: dict[int, str] | None,
    stage_id: int | None,
) -> None:
    name = session_text(f"{prefix}_name")
    if stage_options is not None:
        stage_id = picked_id(f"{prefix}_stage", stage_options)

    def go() -> int:
        data = MomentCreate(
            stage_slug=stage_slugs.get(stage_id or -1, ""),
            name=name,
            description=session_text(f"{prefix}_description"),
            is_key=bool(session_value(f"{prefix}_is_key")),
            reliability=Reliability(session_value(f"{prefix}_reliability") or Reliability.UNRELIABLE.value),
            **{flag: bool(session_value(f"{prefix}_{flag}")) for flag in FLAGS},
        )
        return room.create_moment(store, data, actor=actor)

    attempt(
        prefix,
        go,
        f"Moment of truth '{name}' added.",
        clear=[f"{prefix}_name", f"{prefix}_description", f"{prefix}_is_key", *(f"{prefix}_{f}" for f in FLAGS)],
    )


def add_moment_form(store: Store, actor: str, *, prefix: str = "new_moment", stage_id: int | None = None) -> None:
    """A form that adds a moment of truth (to ``stage_id``, or to a stage picked in the form)."""
    show_flash(prefix)
    stages = stages_to_add_to(store, "Add a stage first: every moment of truth happens in a stage.")
    if stages is None:
        return
    slugs = {int(r.id): str(r.slug) for r in stages.itertuples()}
    with st.form(f"{prefix}_form"):
        st.markdown("**Add a moment of truth**")
        stage_options = None
        if stage_id is None:
            stage_options = labelled(stages, lambda r: r.name)
            pick_id("Stage", stage_options, key=f"{prefix}_stage")
        c1, c2 = st.columns([2, 1])
        c1.text_input(
            "Moment", key=f"{prefix}_name", placeholder="e.g. The first bill matches the quote", max_chars=200
        )
        c2.selectbox(
            "How reliable is it today?",
            [r.value for r in Reliability],
            index=1,
            format_func=reliability_label,
            key=f"{prefix}_reliability",
        )
        st.text_input("Description", key=f"{prefix}_description", max_chars=2000)
        st.caption("Why it matters (tick all that apply)")
        cols = st.columns(len(FLAGS) + 1)
        for col, (flag, text) in zip(cols, FLAGS.items(), strict=False):
            col.checkbox(text, key=f"{prefix}_{flag}")
        cols[-1].checkbox("A key moment (top 10-20)", key=f"{prefix}_is_key")
        st.form_submit_button(
            "Add moment",
            type="primary",
            on_click=_create_moment,
            args=(store, actor, prefix, slugs, stage_options, stage_id),
        )


def _save_moment(store: Store, actor: str, moment_id: int, version: int, prefix: str) -> None:
    def go() -> None:
        data = MomentEdit(
            name=session_text(f"{prefix}_name"),
            description=session_text(f"{prefix}_description"),
            is_key=bool(session_value(f"{prefix}_is_key")),
            **{flag: bool(session_value(f"{prefix}_{flag}")) for flag in FLAGS},
        )
        room.update_moment(store, moment_id, data, expected_version=version, actor=actor)

    attempt("moments", go, f"Moment '{session_text(f'{prefix}_name')}' saved.")


def _change_reliability(store: Store, actor: str, moment_id: int, version: int, prefix: str) -> None:
    def go() -> None:
        data = ReliabilityChange(
            moment_id=moment_id,
            to_state=Reliability(session_value(f"{prefix}_to_state")),
            reason=session_text(f"{prefix}_reason"),
            expected_version=version,
        )
        room.change_reliability(store, data, actor=actor)

    attempt("moments", go, f"Reliability changed to {session_value(f'{prefix}_to_state')}.", clear=[f"{prefix}_reason"])


def _delete_moment(store: Store, actor: str, moment_id: int, version: int, name: str) -> None:
    attempt(
        "moments",
        lambda: room.delete_moment(store, moment_id, expected_version=version, actor=actor),
        f"Moment '{name}' deleted.",
    )


def _link_moment_silo(
    store: Store, actor: str, moment_id: int, prefix: str, silo_names: dict[int, str], options: dict[int, str]
) -> None:
    silo = picked_id(f"{prefix}_silo", options) or -1
    role = SiloRole(session_value(f"{prefix}_role") or SiloRole.CONTRIBUTOR.value)
    attempt(
        "moments",
        lambda: accountability.set_moment_silo(
            store, moment_id=moment_id, silo_name=silo_names.get(silo, ""), role=role, actor=actor
        ),
        f"{silo_names.get(silo, 'The silo')} is now {role.value} of this moment.",
    )


def _unlink_moment_silo(store: Store, actor: str, moment_id: int, silo_id: int, name: str) -> None:
    attempt(
        "moments",
        lambda: accountability.remove_moment_silo(store, moment_id=moment_id, silo_id=silo_id, actor=actor),
        f"{name} is no longer accountable for this moment.",
    )


def moments_section(store: Store, actor: str) -> None:
    show_flash("moment_order")
    options = stage_choices(store)
    if not options:
        st.info("Add a stage first: every moment of truth happens in a stage.")
        return
    st.caption(
        "Moments of truth are the touchpoints that make or break the experience. Each one says why it matters, "
        "and climbs from broken to reliable to differentiating; every change of its state keeps who, when and why."
    )
    stage_id = pick_id("Stage", options, key="moments_stage")
    if stage_id is None:
        return
    all_moments = q.moments(store)
    moments = all_moments[all_moments["stage_id"] == stage_id]
    order = [(int(r.id), int(r.version)) for r in moments.itertuples()]
    if moments.empty:
        st.info("This stage has no moments of truth yet.")
    for i, r in enumerate(moments.itertuples()):
        with st.container(border=True, key=f"moment_row_{r.id}"):
            c1, c2, c3, c4 = st.columns([6, 4, 0.6, 0.6], vertical_alignment="center")
            why = ", ".join(text for flag, text in FLAGS.items() if getattr(r, flag)) or "why it matters not set"
            key_mark = ":material/star: " if r.is_key else ""
            c1.markdown(f"**{key_mark}{md(r.name)}**  \n{md(why)}")
            c2.markdown(reliability_badge(r.reliability))
            move_buttons(
                (c3, c4),
                store,
                actor,
                order,
                i,
                "moment_order",
                keys=(f"moment_up_{r.id}", f"moment_down_{r.id}"),
                icons=(":material/arrow_upward:", ":material/arrow_downward:"),
                helps=("Move up", "Move down"),
                stage_id=stage_id,
            )
    add_moment_form(store, actor, stage_id=stage_id)
    if moments.empty:
        show_flash("moments")  # e.g. the last moment was just deleted
        return
    st.subheader("Edit a moment of truth")
    show_flash("moments")
    picked = pick_record("Moment", moments, lambda r: r.name, key=f"moments_pick_{stage_id}", prefix="moment")
    if picked is None:
        return
    moment_id, row, version, prefix = picked
    with st.form(f"{prefix}_form"):
        st.text_input("Moment", value=row["name"], key=f"{prefix}_name", max_chars=200)
        st.text_input("Description", value=row["description"], key=f"{prefix}_description", max_chars=2000)
        st.caption("Why it matters")
        cols = st.columns(len(FLAGS) + 1)
        for col, (flag, text) in zip(cols, FLAGS.items(), strict=False):
            col.checkbox(text, value=bool(row[flag]), key=f"{prefix}_{flag}")
        cols[-1].checkbox("A key moment", value=bool(row["is_key"]), key=f"{prefix}_is_key")
        st.form_submit_button(
            "Save moment", type="primary", on_click=_save_moment, args=(store, actor, moment_id, version, prefix)
        )
    c1, c2 = st.columns(2)
    with c1, st.form(f"{prefix}_reliability_form"):
        st.markdown(f"**Reliability** — now {reliability_badge(row['reliability'])}")
        states = [r.value for r in Reliability if r.value != row["reliability"]]
        st.selectbox("Move it to", states, format_func=reliability_label, key=f"{prefix}_to_state")
        st.text_input(
            "Why (required)",
            key=f"{prefix}_reason",
            placeholder="e.g. Bills matched quotes for 3 months",
            max_chars=2000,
        )
        st.form_submit_button(
            "Change reliability", on_click=_change_reliability, args=(store, actor, moment_id, version, prefix)
        )
    with c2:
        st.markdown("**History of its reliability**")
        st.dataframe(
            q.moment_history(store, moment_id),
            hide_index=True,
            width="stretch",
            column_config={
                "changed_at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD"),
                "from_state": "From",
                "to_state": "To",
                "changed_by": "Who",
                "reason": "Why",
            },
        )
    moment_silos(store, actor, stage_id, moment_id, prefix)
    used = room.moment_uses(store, moment_id)
    if used:
        listed = ", ".join(f"{n:,} {label}" for label, n in used.items())
        st.caption(f"Cannot be deleted: {md(listed)} refer to it. Rename it instead.")
    else:
        st.button(
            "Delete this moment",
            key=f"{prefix}_delete",
            on_click=_delete_moment,
            args=(store, actor, moment_id, version, row["name"]),
            help="Only a moment nothing refers to yet can be deleted.",
        )


def moment_silos(store: Store, actor: str, stage_id: int, moment_id: int, prefix: str) -> None:
    st.markdown("**Silos accountable for this moment**")
    links = q.moment_accountability(store, stage_id)
    links = links[links["moment_id"] == moment_id]
    for r in links.itertuples():
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        c1.markdown(f"{md(r.silo_name)} · {r.role}")
        c2.button(
            "Remove",
            key=f"{prefix}_unlink_{r.silo_id}",
            on_click=_unlink_moment_silo,
            args=(store, actor, moment_id, int(r.silo_id), r.silo_name),
        )
    silos = q.silos(store)
    if silos.empty:
        st.caption("No silos yet (add them under Silos & accountability).")
        return
    names = {int(r.id): str(r.name) for r in silos.itertuples()}
    options = labelled(silos, lambda r: r.name)
    with st.form(f"{prefix}_silo_form"):
        c1, c2, c3 = st.columns([3, 2, 1], vertical_alignment="bottom")
        with c1:
            pick_id("Silo", options, key=f"{prefix}_silo")
        c2.selectbox("Role", ROLE_OPTIONS, key=f"{prefix}_role")
        c3.form_submit_button(
            "Link", on_click=_link_moment_silo, args=(store, actor, moment_id, prefix, names, options)
        )

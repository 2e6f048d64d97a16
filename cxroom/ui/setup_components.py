"""Streamlit pieces of the set-up pages (views/setup.py) and the first-run
guide (views/first_run.py).

How edits are saved: every button and form submits through an ``on_click``
callback whose arguments are bound when the page was drawn, so the version
sent to the service is the version the person *saw*. If someone else saved
in between, the service answers with a conflict and the page says so (it
never silently overwrites). Callbacks leave a message ("flash") that the next
run shows above the section; user text in messages is escaped.

No SQL here: reads come from ``cxroom.queries.setup``, writes go to
``cxroom.services``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st
from pydantic import ValidationError

from cxroom.errors import CxroomError
from cxroom.models import (
    ArtifactKind,
    Direction,
    Frequency,
    KpiCreate,
    MomentCreate,
    QuestionKind,
    Reliability,
    ReliabilityChange,
    SiloCreate,
    SiloRole,
    StageCreate,
    StageUpdate,
    SurveyQuestionCreate,
    TranscriptSegment,
)
from cxroom.queries import rooms as room_queries
from cxroom.queries import setup as q
from cxroom.services import curation, evidence, room, rooms
from cxroom.setup_models import (
    AccountabilityCell,
    AccountabilityChange,
    ArtifactEdit,
    ClipEdit,
    KpiDefinition,
    MomentEdit,
    NewOrder,
    NewRoom,
    QuestionEdit,
    SiloEdit,
    VersionedRef,
    slugify,
)
from cxroom.store import Store
from cxroom.ui import cache, context
from cxroom.ui.kit.text import md
from cxroom.ui.navigation import FIRST_RUN_FLAG
from cxroom.ui.theme import RELIABILITY

ROOT = Path(__file__).resolve().parents[2]
FLASH_KEY = "setup_flash"
NONE_LABEL = "— none —"
NONE = 0  # the "none" choice of an id select box (database ids start at 1)
FLAGS = {
    "drives_revenue": "Drives revenue",
    "forms_relationship": "Forms the relationship",
    "rescues_at_risk": "Rescues customers at risk",
    "grows_wallet": "Grows share of wallet",
}
ROLE_OPTIONS = [SiloRole.OWNER.value, SiloRole.CONTRIBUTOR.value]


# -- messages -------------------------------------------------------------------


def problem_text(exc: ValidationError) -> str:
    """A pydantic error as one readable sentence per problem."""
    parts = []
    for error in exc.errors():
        where = " ".join(str(p) for p in error["loc"]).replace("_", " ")
        message = str(error["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def flash(where: str, kind: str, message: str) -> None:
    st.session_state[f"{FLASH_KEY}_{where}"] = (kind, message)


def show_flash(where: str) -> None:
    """The message the last action left for this section (user text shown as text)."""
    found = st.session_state.pop(f"{FLASH_KEY}_{where}", None)
    if not found:
        return
    kind, message = found
    if kind == "success":
        st.success(md(message), icon=":material/check_circle:")
    else:
        st.error(md(message), icon=":material/error:")


def attempt(
    where: str,
    action: Callable[[], Any],
    success: str | Callable[[Any], str],
    clear: Iterable[str] = (),
    then: Callable[[Any], None] | None = None,
) -> bool:
    """Run one write; leave a success or error message for ``where``. Never raises an expected error."""
    try:
        result = action()
    except ValidationError as exc:
        flash(where, "error", problem_text(exc))
        return False
    except CxroomError as exc:
        flash(where, "error", str(exc))
        return False
    for key in clear:  # empty the form for the next entry (set, not deleted: the browser keeps deleted values)
        st.session_state[key] = _blank(st.session_state.get(key))
    if then is not None:
        then(result)
    flash(where, "success", success if isinstance(success, str) else success(result))
    return True


def _blank(value: Any) -> Any:
    if isinstance(value, bool):
        return False
    if isinstance(value, str):
        return ""
    if isinstance(value, list):
        return []
    return None


def _value(key: str, default: Any = None) -> Any:
    return st.session_state.get(key, default)


def _text(key: str) -> str:
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


def _pick(label: str, options: dict[int, str], *, key: str, none: bool = False, current: int | None = None,
          help: str | None = None) -> int | None:
    """A select box whose value is an id (stable when the record is renamed), shown by its label.
    With ``none``, the first choice is NONE (0: ids start at 1), which returns None."""
    values: list[int] = ([NONE] if none else []) + list(options)
    index = values.index(current) if current in values else 0
    chosen = st.selectbox(label, values, index=index if values else None, key=key, help=help,
                          format_func=lambda v: NONE_LABEL if v == NONE else options.get(v, f"#{v}"))
    return None if chosen in (None, NONE) else int(chosen)


def _chosen(key: str, options: dict[int, str] | None = None) -> int | None:
    """In a callback: the id a select box made by ``_pick`` holds now."""
    value = st.session_state.get(key)
    if value in (None, NONE) or (options is not None and value not in options):
        return None
    return int(value)


def _missing(value: Any) -> bool:
    """None, NaN, NaT or pandas' NA (what a missing cell of a DataFrame may be)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are not missing
        return False


def _int(value: Any) -> int | None:
    return None if _missing(value) else int(value)


def _float(value: Any) -> float | None:
    return None if _missing(value) else float(value)


def reliability_label(state: str) -> str:
    icon, word, _colour = RELIABILITY.get(state, ("", state, "gray"))
    return f"{icon} {word}"


def reliability_badge(state: str) -> str:
    """Markdown: the state's icon and word in its colour (reads without colour too)."""
    icon, word, colour = RELIABILITY.get(state, ("", state, "gray"))
    return f":{colour}[{icon} {word}]"


def page_exists(script: str) -> bool:
    return (ROOT / script).exists()


def require_facilitator() -> None:
    """Pages of the set-up are left out of the navigation for other roles; this guards a direct call."""
    from cxroom.permissions import Role
    from cxroom.ui.identity import acting_user

    if not acting_user().at_least(Role.FACILITATOR):
        st.error("Only facilitators and admins set up the room.")
        st.stop()


# -- stages -------------------------------------------------------------------------


def unique_slug(name: str, taken: Iterable[str]) -> str:
    base = slugify(name)
    used = set(taken)
    slug, n = base, 2
    while slug in used:
        slug = f"{base[:55]}-{n}"
        n += 1
    return slug


def _create_stage(store: Store, actor: str, prefix: str) -> None:
    name = _text(f"{prefix}_name")
    taken = q.stages(store)["slug"].tolist()

    def go() -> int:
        data = StageCreate(
            slug=unique_slug(name, taken),
            name=name,
            customer_goal=_text(f"{prefix}_goal"),
            description=_text(f"{prefix}_description"),
            colour=_value(f"{prefix}_colour") or "#4C78A8",
        )
        return room.create_stage(store, data, actor=actor)

    attempt(prefix, go, f"Stage '{name}' added to the end of the wall.",
            clear=[f"{prefix}_name", f"{prefix}_goal", f"{prefix}_description"])


def add_stage_form(store: Store, actor: str, *, prefix: str = "new_stage", compact: bool = False) -> None:
    """A form that appends a stage to the wall."""
    show_flash(prefix)
    with st.form(f"{prefix}_form", border=True):
        st.markdown("**Add a stage**")
        c1, c2 = st.columns([2, 3])
        c1.text_input("Stage name", key=f"{prefix}_name", placeholder="e.g. Get help", max_chars=200)
        c2.text_input("The customer's goal at this stage", key=f"{prefix}_goal",
                      placeholder="e.g. My problem is solved the first time I ask", max_chars=500)
        if not compact:
            c3, c4 = st.columns([4, 1])
            c3.text_area("Description", key=f"{prefix}_description", height=68)
            c4.color_picker("Colour", value="#4C78A8", key=f"{prefix}_colour")
        st.form_submit_button("Add stage", type="primary", on_click=_create_stage, args=(store, actor, prefix))


def _save_stage(store: Store, actor: str, stage_id: int, version: int, prefix: str) -> None:
    def go() -> None:
        data = StageUpdate(
            name=_text(f"{prefix}_name"),
            customer_goal=_text(f"{prefix}_goal"),
            description=_text(f"{prefix}_description"),
            colour=_value(f"{prefix}_colour"),
        )
        room.update_stage(store, stage_id, data, expected_version=version, actor=actor)

    attempt("stages", go, f"Stage '{_text(f'{prefix}_name')}' saved.")


def _move(store: Store, actor: str, order: list[tuple[int, int]], index: int, offset: int, where: str,
          stage_id: int | None = None) -> None:
    """Swap one item with its neighbour, from the order (id, version) the person saw."""
    target = index + offset
    if not 0 <= target < len(order):
        return
    items = list(order)
    items[index], items[target] = items[target], items[index]
    new = NewOrder(items=[VersionedRef(id=i, expected_version=v) for i, v in items])
    if stage_id is None:
        attempt(where, lambda: room.reorder_stages(store, new, actor=actor), "New order saved.")
    else:
        attempt(where, lambda: room.reorder_moments(store, stage_id, new, actor=actor), "New order saved.")


def _archive(store: Store, actor: str, stage_id: int, version: int, name: str, archive: bool) -> None:
    if archive:
        attempt("stages", lambda: room.archive_stage(store, stage_id, expected_version=version, actor=actor),
                f"Stage '{name}' archived: it left the wall; its complaints, KPIs and history stay.")
    else:
        attempt("stages", lambda: room.restore_stage(store, stage_id, expected_version=version, actor=actor),
                f"Stage '{name}' is back on the wall.")


def stage_order_list(store: Store, actor: str, stages: pd.DataFrame, *, key: str) -> None:
    """The stages on the wall, left to right, with buttons to move them."""
    active = stages[~stages["archived"]]
    order = [(int(r.id), int(r.version)) for r in active.itertuples()]
    for i, r in enumerate(active.itertuples()):
        with st.container(border=True, key=f"{key}_row_{r.id}"):
            c1, c2, c3, c4 = st.columns([6, 5, 0.6, 0.6], vertical_alignment="center")
            c1.markdown(f"**{i + 1}. {md(r.name)}**  \n{md(r.customer_goal) or ' '}")
            c2.caption(f"{r.moments} moments · {r.kpis} KPIs · {r.complaints:,} complaints · {r.rules} category rules")
            c3.button(":material/arrow_back:", key=f"{key}_left_{r.id}", help="Move left on the wall",
                      disabled=i == 0, on_click=_move, args=(store, actor, order, i, -1, "stage_order"))
            c4.button(":material/arrow_forward:", key=f"{key}_right_{r.id}", help="Move right on the wall",
                      disabled=i == len(order) - 1, on_click=_move, args=(store, actor, order, i, 1, "stage_order"))


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
    options = labelled(stages, lambda r: r.name + (" (archived)" if r.archived else ""))
    stage_id = _pick("Stage", options, key="edit_stage_pick")
    if stage_id is None:
        return
    row = stages[stages["id"] == stage_id].iloc[0]
    version = int(row["version"])
    prefix = f"stage_{stage_id}_v{version}"
    with st.form(f"{prefix}_form"):
        c1, c2 = st.columns([2, 3])
        c1.text_input("Name", value=row["name"], key=f"{prefix}_name", max_chars=200)
        c2.text_input("The customer's goal", value=row["customer_goal"], key=f"{prefix}_goal", max_chars=500)
        c3, c4 = st.columns([4, 1])
        c3.text_area("Description", value=row["description"], key=f"{prefix}_description", height=68)
        c4.color_picker("Colour", value=row["colour"], key=f"{prefix}_colour")
        st.caption(f"Address in links and import rules: `{row['slug']}` (does not change when you rename).")
        st.form_submit_button("Save stage", type="primary", on_click=_save_stage,
                              args=(store, actor, stage_id, version, prefix))
    archived = bool(row["archived"])
    label = "Put back on the wall" if archived else "Archive this stage (take it off the wall)"
    st.button(label, key=f"{prefix}_archive", on_click=_archive,
              args=(store, actor, stage_id, version, row["name"], not archived))
    if not archived and row["rules"]:
        st.caption(f"{row['rules']} category rules send complaints to this stage; after archiving they still do "
                   "(change them on the Listening page).")
    stage_history(store, stage_id, int(row["complaints"]))


def stage_history(store: Store, stage_id: int, complaints: int) -> None:
    with st.expander(f"History of this stage ({complaints:,} complaints)"):
        history = q.stage_complaint_history(store, stage_id)
        if history.empty:
            st.caption("No complaints have been lined up to this stage.")
        else:
            st.bar_chart(history, x="month", y="complaints", height=180)
        audit = q.audit_of(store, "stage", stage_id)
        st.dataframe(audit, hide_index=True, width="stretch", column_config={
            "happened_at": st.column_config.DatetimeColumn("When (UTC)", format="YYYY-MM-DD HH:mm"),
            "actor": "Who", "action": "What",
            "before": st.column_config.TextColumn("Before", width="medium"),
            "after": st.column_config.TextColumn("After", width="medium"),
        })


# -- moments of truth ---------------------------------------------------------------


def _stage_options(store: Store, *, include_archived: bool = False) -> dict[int, str]:
    stages = q.stages(store)
    if not include_archived:
        stages = stages[~stages["archived"]]
    return labelled(stages, lambda r: r.name)


def _create_moment(store: Store, actor: str, prefix: str, stage_slugs: dict[int, str],
                   stage_options: dict[int, str] | None, stage_id: int | None) -> None:
    name = _text(f"{prefix}_name")
    if stage_options is not None:
        stage_id = _chosen(f"{prefix}_stage", stage_options)

    def go() -> int:
        data = MomentCreate(
            stage_slug=stage_slugs.get(stage_id or -1, ""),
            name=name,
            description=_text(f"{prefix}_description"),
            is_key=bool(_value(f"{prefix}_is_key")),
            reliability=Reliability(_value(f"{prefix}_reliability") or Reliability.UNRELIABLE.value),
            **{flag: bool(_value(f"{prefix}_{flag}")) for flag in FLAGS},
        )
        return room.create_moment(store, data, actor=actor)

    attempt(prefix, go, f"Moment of truth '{name}' added.",
            clear=[f"{prefix}_name", f"{prefix}_description", f"{prefix}_is_key", *(f"{prefix}_{f}" for f in FLAGS)])


def add_moment_form(store: Store, actor: str, *, prefix: str = "new_moment", stage_id: int | None = None) -> None:
    """A form that adds a moment of truth (to ``stage_id``, or to a stage picked in the form)."""
    show_flash(prefix)
    stages = q.stages(store)
    stages = stages[~stages["archived"]]
    if stages.empty:
        st.info("Add a stage first: every moment of truth happens in a stage.")
        return
    slugs = {int(r.id): str(r.slug) for r in stages.itertuples()}
    with st.form(f"{prefix}_form"):
        st.markdown("**Add a moment of truth**")
        stage_options = None
        if stage_id is None:
            stage_options = labelled(stages, lambda r: r.name)
            _pick("Stage", stage_options, key=f"{prefix}_stage")
        c1, c2 = st.columns([2, 1])
        c1.text_input("Moment", key=f"{prefix}_name", placeholder="e.g. The first bill matches the quote",
                      max_chars=200)
        c2.selectbox("How reliable is it today?", [r.value for r in Reliability], index=1,
                     format_func=reliability_label, key=f"{prefix}_reliability")
        st.text_input("Description", key=f"{prefix}_description", max_chars=2000)
        st.caption("Why it matters (tick all that apply)")
        cols = st.columns(len(FLAGS) + 1)
        for col, (flag, text) in zip(cols, FLAGS.items(), strict=False):
            col.checkbox(text, key=f"{prefix}_{flag}")
        cols[-1].checkbox("A key moment (top 10-20)", key=f"{prefix}_is_key")
        st.form_submit_button("Add moment", type="primary", on_click=_create_moment,
                              args=(store, actor, prefix, slugs, stage_options, stage_id))


def _save_moment(store: Store, actor: str, moment_id: int, version: int, prefix: str) -> None:
    def go() -> None:
        data = MomentEdit(
            name=_text(f"{prefix}_name"),
            description=_text(f"{prefix}_description"),
            is_key=bool(_value(f"{prefix}_is_key")),
            **{flag: bool(_value(f"{prefix}_{flag}")) for flag in FLAGS},
        )
        room.update_moment(store, moment_id, data, expected_version=version, actor=actor)

    attempt("moments", go, f"Moment '{_text(f'{prefix}_name')}' saved.")


def _change_reliability(store: Store, actor: str, moment_id: int, version: int, prefix: str) -> None:
    def go() -> None:
        data = ReliabilityChange(
            moment_id=moment_id,
            to_state=Reliability(_value(f"{prefix}_to_state")),
            reason=_text(f"{prefix}_reason"),
            expected_version=version,
        )
        room.change_reliability(store, data, actor=actor)

    attempt("moments", go, f"Reliability changed to {_value(f'{prefix}_to_state')}.", clear=[f"{prefix}_reason"])


def _delete_moment(store: Store, actor: str, moment_id: int, version: int, name: str) -> None:
    attempt("moments", lambda: room.delete_moment(store, moment_id, expected_version=version, actor=actor),
            f"Moment '{name}' deleted.")


def _link_moment_silo(store: Store, actor: str, moment_id: int, prefix: str, silo_names: dict[int, str],
                      options: dict[int, str]) -> None:
    silo = _chosen(f"{prefix}_silo", options) or -1
    role = SiloRole(_value(f"{prefix}_role") or SiloRole.CONTRIBUTOR.value)
    attempt("moments", lambda: room.set_moment_silo(store, moment_id=moment_id, silo_name=silo_names.get(silo, ""),
                                                    role=role, actor=actor),
            f"{silo_names.get(silo, 'The silo')} is now {role.value} of this moment.")


def _unlink_moment_silo(store: Store, actor: str, moment_id: int, silo_id: int, name: str) -> None:
    attempt("moments", lambda: room.remove_moment_silo(store, moment_id=moment_id, silo_id=silo_id, actor=actor),
            f"{name} is no longer accountable for this moment.")


def moments_section(store: Store, actor: str) -> None:
    show_flash("moment_order")
    options = _stage_options(store)
    if not options:
        st.info("Add a stage first: every moment of truth happens in a stage.")
        return
    st.caption(
        "Moments of truth are the touchpoints that make or break the experience. Each one says why it matters, "
        "and climbs from broken to reliable to differentiating; every change of its state keeps who, when and why."
    )
    stage_id = _pick("Stage", options, key="moments_stage")
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
            key_mark = "★ " if r.is_key else ""
            c1.markdown(f"**{key_mark}{md(r.name)}**  \n{md(why)}")
            c2.markdown(reliability_badge(r.reliability))
            c3.button(":material/arrow_upward:", key=f"moment_up_{r.id}", help="Move up", disabled=i == 0,
                      on_click=_move, args=(store, actor, order, i, -1, "moment_order", stage_id))
            c4.button(":material/arrow_downward:", key=f"moment_down_{r.id}", help="Move down",
                      disabled=i == len(order) - 1, on_click=_move,
                      args=(store, actor, order, i, 1, "moment_order", stage_id))
    add_moment_form(store, actor, stage_id=stage_id)
    if moments.empty:
        show_flash("moments")  # e.g. the last moment was just deleted
        return
    st.subheader("Edit a moment of truth")
    show_flash("moments")
    moment_id = _pick("Moment", labelled(moments, lambda r: r.name), key=f"moments_pick_{stage_id}")
    if moment_id is None:
        return
    row = moments[moments["id"] == moment_id].iloc[0]
    version = int(row["version"])
    prefix = f"moment_{moment_id}_v{version}"
    with st.form(f"{prefix}_form"):
        st.text_input("Moment", value=row["name"], key=f"{prefix}_name", max_chars=200)
        st.text_input("Description", value=row["description"], key=f"{prefix}_description", max_chars=2000)
        st.caption("Why it matters")
        cols = st.columns(len(FLAGS) + 1)
        for col, (flag, text) in zip(cols, FLAGS.items(), strict=False):
            col.checkbox(text, value=bool(row[flag]), key=f"{prefix}_{flag}")
        cols[-1].checkbox("A key moment", value=bool(row["is_key"]), key=f"{prefix}_is_key")
        st.form_submit_button("Save moment", type="primary", on_click=_save_moment,
                              args=(store, actor, moment_id, version, prefix))
    c1, c2 = st.columns(2)
    with c1, st.form(f"{prefix}_reliability_form"):
        st.markdown(f"**Reliability** — now {reliability_badge(row['reliability'])}")
        states = [r.value for r in Reliability if r.value != row["reliability"]]
        st.selectbox("Move it to", states, format_func=reliability_label, key=f"{prefix}_to_state")
        st.text_input("Why (required)", key=f"{prefix}_reason", placeholder="e.g. Bills matched quotes for 3 months",
                      max_chars=2000)
        st.form_submit_button("Change reliability", on_click=_change_reliability,
                              args=(store, actor, moment_id, version, prefix))
    with c2:
        st.markdown("**History of its reliability**")
        st.dataframe(q.moment_history(store, moment_id), hide_index=True, width="stretch", column_config={
            "changed_at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD"),
            "from_state": "From", "to_state": "To", "changed_by": "Who", "reason": "Why",
        })
    moment_silos(store, actor, stage_id, moment_id, prefix)
    used = room.moment_uses(store, moment_id)
    if used:
        listed = ", ".join(f"{n:,} {label}" for label, n in used.items())
        st.caption(f"Cannot be deleted: {md(listed)} refer to it. Rename it instead.")
    else:
        st.button("Delete this moment", key=f"{prefix}_delete", on_click=_delete_moment,
                  args=(store, actor, moment_id, version, row["name"]),
                  help="Only a moment nothing refers to yet can be deleted.")


def moment_silos(store: Store, actor: str, stage_id: int, moment_id: int, prefix: str) -> None:
    st.markdown("**Silos accountable for this moment**")
    links = q.moment_accountability(store, stage_id)
    links = links[links["moment_id"] == moment_id]
    for r in links.itertuples():
        c1, c2 = st.columns([5, 1], vertical_alignment="center")
        c1.markdown(f"{md(r.silo_name)} · {r.role}")
        c2.button("Remove", key=f"{prefix}_unlink_{r.silo_id}", on_click=_unlink_moment_silo,
                  args=(store, actor, moment_id, int(r.silo_id), r.silo_name))
    silos = q.silos(store)
    if silos.empty:
        st.caption("No silos yet (add them under Silos & accountability).")
        return
    names = {int(r.id): str(r.name) for r in silos.itertuples()}
    options = labelled(silos, lambda r: r.name)
    with st.form(f"{prefix}_silo_form"):
        c1, c2, c3 = st.columns([3, 2, 1], vertical_alignment="bottom")
        with c1:
            _pick("Silo", options, key=f"{prefix}_silo")
        c2.selectbox("Role", ROLE_OPTIONS, key=f"{prefix}_role")
        c3.form_submit_button("Link", on_click=_link_moment_silo,
                              args=(store, actor, moment_id, prefix, names, options))


# -- silos and the accountability matrix ------------------------------------------------


def _create_silo(store: Store, actor: str, prefix: str) -> None:
    name = _text(f"{prefix}_name")
    attempt(prefix,
            lambda: room.create_silo(store, SiloCreate(name=name, description=_text(f"{prefix}_description")),
                                     actor=actor),
            f"Silo '{name}' added.", clear=[f"{prefix}_name", f"{prefix}_description"])


def add_silo_form(store: Store, actor: str, *, prefix: str = "new_silo") -> None:
    show_flash(prefix)
    with st.form(f"{prefix}_form"):
        st.markdown("**Add a silo** (a department that shapes the experience)")
        c1, c2 = st.columns([1, 2])
        c1.text_input("Silo", key=f"{prefix}_name", placeholder="e.g. Billing", max_chars=200)
        c2.text_input("What it does", key=f"{prefix}_description", max_chars=2000)
        st.form_submit_button("Add silo", type="primary", on_click=_create_silo, args=(store, actor, prefix))


def _save_silo(store: Store, actor: str, silo_id: int, version: int, prefix: str) -> None:
    data = {"name": _text(f"{prefix}_name"), "description": _text(f"{prefix}_description")}
    attempt("silos",
            lambda: room.update_silo(store, silo_id, SiloEdit(**data), expected_version=version, actor=actor),
            f"Silo '{data['name']}' saved.")


def _delete_silo(store: Store, actor: str, silo_id: int, version: int, name: str) -> None:
    attempt("silos", lambda: room.delete_silo(store, silo_id, expected_version=version, actor=actor),
            f"Silo '{name}' deleted.")


def matrix_frame(long: pd.DataFrame) -> tuple[pd.DataFrame, list[int], list[int]]:
    """Stages x silos (columns named by silo id) with 'owner', 'contributor' or None; stage and silo ids in order."""
    stage_ids = list(dict.fromkeys(int(s) for s in long["stage_id"]))
    silo_ids = list(dict.fromkeys(int(s) for s in long["silo_id"]))
    names = dict(zip(long["stage_id"].astype(int), long["stage_name"], strict=False))
    wide = pd.DataFrame({"stage": [names[s] for s in stage_ids]})
    roles = {(int(r.stage_id), int(r.silo_id)): (r.role if isinstance(r.role, str) else None)
             for r in long.itertuples()}
    for silo in silo_ids:
        wide[str(silo)] = pd.Series([roles.get((s, silo)) for s in stage_ids], dtype="object")
    return wide, stage_ids, silo_ids


def matrix_changes(seen: pd.DataFrame, edited_rows: dict[Any, dict[str, Any]], stage_ids: Sequence[int]
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
                cells.append(AccountabilityCell(
                    stage_id=stage_ids[index], silo_id=int(column),
                    before=None if before is None else SiloRole(before),
                    after=None if after is None else SiloRole(after),
                ))
    return cells


def _save_matrix(store: Store, actor: str, editor_key: str, seen: pd.DataFrame, stage_ids: list[int]) -> None:
    edits = st.session_state.get(editor_key) or {}
    cells = matrix_changes(seen, edits.get("edited_rows", {}), stage_ids)
    if not cells:
        flash("matrix", "success", "Nothing changed.")
        return

    attempt("matrix", lambda: room.apply_accountability(store, AccountabilityChange(cells=cells), actor=actor),
            lambda n: f"Accountability saved ({n} changes).", then=lambda _: _new_matrix_generation())


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
    st.caption("Accountability runs across the experience: one silo **owns** each stage, others **contribute**. "
               "Click a cell to choose; clear it to remove the silo from the stage.")
    st.data_editor(wide, key=editor_key, hide_index=True, width="stretch", column_config=config,
                   num_rows="fixed", placeholder="·")
    with st.container(horizontal=True):
        st.button("Save accountability", type="primary", key=f"{key}_save", on_click=_save_matrix,
                  args=(store, actor, editor_key, wide.copy(), stage_ids))
        st.button("Discard my changes", key=f"{key}_discard", on_click=_new_matrix_generation)
    owners = long[long["role"] == SiloRole.OWNER.value].groupby("stage_name", sort=False).size()
    orphans = [name for name in wide["stage"] if name not in owners.index]
    crowded = [name for name, n in owners.items() if n > 1]
    if orphans:
        st.warning("No silo owns: " + md(", ".join(orphans)), icon=":material/person_off:")
    if crowded:
        st.warning("More than one owner (accountability is blurred): " + md(", ".join(crowded)),
                   icon=":material/group:")


def owner_changes(long: pd.DataFrame, chosen: dict[int, int | None]) -> list[AccountabilityCell]:
    """Cells that make ``chosen[stage_id]`` the one owner of each stage (the old owner steps down)."""
    roles = {(int(r.stage_id), int(r.silo_id)): (r.role if isinstance(r.role, str) else None)
             for r in long.itertuples()}
    cells = []
    for stage_id, owner in chosen.items():
        for (stage, silo), role in roles.items():
            if stage != stage_id:
                continue
            want = SiloRole.OWNER.value if silo == owner else (None if role == SiloRole.OWNER.value else role)
            if want != role:
                cells.append(AccountabilityCell(
                    stage_id=stage, silo_id=silo, before=None if role is None else SiloRole(role),
                    after=None if want is None else SiloRole(want)))
    return cells


def _save_owners(store: Store, actor: str, prefix: str, long: pd.DataFrame, stage_ids: list[int]) -> None:
    chosen = {stage: _chosen(f"{prefix}_{stage}") for stage in stage_ids}
    cells = owner_changes(long, chosen)
    if not cells:
        flash(prefix, "success", "Nothing changed.")
        return
    attempt(prefix, lambda: room.apply_accountability(store, AccountabilityChange(cells=cells), actor=actor),
            "Owners saved.")


def owners_form(store: Store, actor: str, *, prefix: str = "owners") -> None:
    """The simple view of accountability: which one silo owns each stage (contributors: the full matrix)."""
    show_flash(prefix)
    long = q.accountability(store)
    if long.empty:
        return
    silos = labelled(long.drop_duplicates("silo_id").rename(columns={"silo_name": "name"}), lambda r: r.name,
                     id_col="silo_id")
    stage_ids = list(dict.fromkeys(int(s) for s in long["stage_id"]))
    with st.form(f"{prefix}_form"):
        st.markdown("**Who owns each stage?** Contributors can be added in the matrix under Room setup.")
        cols = st.columns(min(len(stage_ids), 4))
        for i, stage in enumerate(stage_ids):
            rows = long[long["stage_id"] == stage]
            owner = rows[rows["role"] == SiloRole.OWNER.value]
            with cols[i % len(cols)]:
                _pick(md(rows["stage_name"].iloc[0]), silos, key=f"{prefix}_{stage}", none=True,
                      current=int(owner["silo_id"].iloc[0]) if not owner.empty else None)
        st.form_submit_button("Save owners", type="primary", on_click=_save_owners,
                              args=(store, actor, prefix, long, stage_ids))


def silos_section(store: Store, actor: str) -> None:
    silos = q.silos(store)
    if silos.empty:
        st.info("No silos yet. Add the departments that shape your customers' experience.")
    else:
        st.dataframe(silos.drop(columns=["id", "version"]), hide_index=True, width="stretch", column_config={
            "name": "Silo", "description": st.column_config.TextColumn("What it does", width="large"),
            "owns": st.column_config.NumberColumn("Owns stages"),
            "contributes": st.column_config.NumberColumn("Contributes to"),
            "kpis": st.column_config.NumberColumn("KPIs"),
        })
    add_silo_form(store, actor)
    st.subheader("Accountability matrix")
    accountability_matrix(store, actor)
    if silos.empty:
        show_flash("silos")  # e.g. the last silo was just deleted
        return
    st.subheader("Edit a silo")
    show_flash("silos")
    silo_id = _pick("Silo", labelled(silos, lambda r: r.name), key="silo_pick")
    if silo_id is None:
        return
    row = silos[silos["id"] == silo_id].iloc[0]
    version = int(row["version"])
    prefix = f"silo_{silo_id}_v{version}"
    with st.form(f"{prefix}_form"):
        c1, c2 = st.columns([1, 2])
        c1.text_input("Silo", value=row["name"], key=f"{prefix}_name", max_chars=200)
        c2.text_input("What it does", value=row["description"], key=f"{prefix}_description", max_chars=2000)
        st.form_submit_button("Save silo", type="primary", on_click=_save_silo,
                              args=(store, actor, silo_id, version, prefix))
    st.button("Delete this silo", key=f"{prefix}_delete", on_click=_delete_silo,
              args=(store, actor, silo_id, version, row["name"]),
              help="Only a silo with no accountability, KPI or fix-team member can be deleted.")


# -- KPIs --------------------------------------------------------------------------------


def _kpi_fields(prefix: str) -> dict[str, Any]:
    return {
        "name": _text(f"{prefix}_name"),
        "unit": _text(f"{prefix}_unit"),
        "direction": Direction(_value(f"{prefix}_direction") or Direction.HIGHER_BETTER.value),
        "target": _float(_value(f"{prefix}_target")),
        "warning": _float(_value(f"{prefix}_warning")),
        "frequency": Frequency(_value(f"{prefix}_frequency") or Frequency.MONTHLY.value),
        "definition": _text(f"{prefix}_definition"),
    }


def _create_kpi(store: Store, actor: str, prefix: str, stage_slug: str, moments: dict[int, str],
                silos: dict[int, str], options: tuple[dict[int, str], dict[int, str]]) -> None:
    fields = _kpi_fields(prefix)

    def go() -> int:
        data = KpiCreate(
            stage_slug=stage_slug,
            moment_name=moments.get(_chosen(f"{prefix}_moment", options[0]) or -1),
            silo_name=silos.get(_chosen(f"{prefix}_silo", options[1]) or -1),
            **fields,
        )
        return evidence.create_kpi(store, data, actor=actor)

    attempt(prefix, go, f"KPI '{fields['name']}' added.",
            clear=[f"{prefix}_{k}" for k in ("name", "unit", "target", "warning", "definition")])


def _kpi_inputs(prefix: str, *, moments: pd.DataFrame, silos: pd.DataFrame, row: Any = None
                ) -> tuple[dict[int, str], dict[int, str]]:
    """The fields of a KPI (inside a form); ``row`` fills them for an edit. Returns the moment and silo options."""
    def get(name: str, default: Any) -> Any:
        return default if row is None else row[name]

    c1, c2, c3 = st.columns([3, 1, 2])
    c1.text_input("KPI", value=get("name", ""), key=f"{prefix}_name", max_chars=200,
                  placeholder="e.g. Bills matching the quote")
    c2.text_input("Unit", value=get("unit", ""), key=f"{prefix}_unit", max_chars=20, placeholder="%")
    directions = [d.value for d in Direction]
    c3.selectbox("Better when", directions, index=directions.index(get("direction", directions[0])),
                 format_func=lambda d: "higher" if d == "higher_better" else "lower", key=f"{prefix}_direction")
    c4, c5, c6 = st.columns(3)
    c4.number_input("Target", value=_float(get("target", None)), key=f"{prefix}_target", format="%g")
    c5.number_input("Warning at", value=_float(get("warning", None)), key=f"{prefix}_warning", format="%g",
                    help="Amber between warning and target; red beyond the warning.")
    frequencies = [f.value for f in Frequency]
    c6.selectbox("Measured", frequencies, index=frequencies.index(get("frequency", "monthly")),
                 key=f"{prefix}_frequency")
    moment_options = labelled(moments, lambda r: r.name)
    silo_options = labelled(silos, lambda r: r.name)
    c7, c8 = st.columns(2)
    with c7:
        _pick("Moment of truth", moment_options, key=f"{prefix}_moment", none=True,
              current=_int(get("moment_id", None)))
    with c8:
        _pick("Silo that runs it", silo_options, key=f"{prefix}_silo", none=True, current=_int(get("silo_id", None)))
    st.text_area("Definition (how it is measured)", value=get("definition", ""), key=f"{prefix}_definition",
                 height=68)
    return moment_options, silo_options


def add_kpi_form(store: Store, actor: str, *, prefix: str = "new_kpi") -> None:
    show_flash(prefix)
    stages = q.stages(store)
    stages = stages[~stages["archived"]]
    if stages.empty:
        st.info("Add a stage first: every KPI measures a moment in a stage.")
        return
    box = st.container(border=True)
    box.markdown("**Add a KPI**")
    with box:
        stage_id = _pick("Stage of the new KPI", labelled(stages, lambda r: r.name), key=f"{prefix}_stage")
    if stage_id is None:
        return
    slug = str(stages[stages["id"] == stage_id].iloc[0]["slug"])
    moments = q.moments(store)
    moments = moments[moments["stage_id"] == stage_id]
    silos = q.silos(store)
    with box, st.form(f"{prefix}_form", border=False):
        options = _kpi_inputs(prefix, moments=moments, silos=silos)
        st.form_submit_button(
            "Add KPI", type="primary", on_click=_create_kpi,
            args=(store, actor, prefix, slug, {int(r.id): r.name for r in moments.itertuples()},
                  {int(r.id): r.name for r in silos.itertuples()}, options))


def _save_kpi(store: Store, actor: str, kpi_id: int, version: int, prefix: str, stage_id: int,
              options: tuple[dict[int, str], dict[int, str]]) -> None:
    def go() -> None:
        data = KpiDefinition(stage_id=stage_id, moment_id=_chosen(f"{prefix}_moment", options[0]),
                             silo_id=_chosen(f"{prefix}_silo", options[1]), **_kpi_fields(prefix))
        curation.update_kpi(store, kpi_id, data, expected_version=version, actor=actor)

    attempt("kpis", go, f"KPI '{_text(f'{prefix}_name')}' saved.")


def kpis_section(store: Store, actor: str) -> None:
    kpis = q.kpis(store)
    st.caption("KPIs of the moments of truth tell leaders where the operation fails before survey results arrive. "
               "Readings come in from files on the Listening page; here you define what each KPI is.")
    if kpis.empty:
        st.info("No KPIs yet.")
    else:
        shown = kpis.assign(direction=kpis["direction"].map({"higher_better": "higher", "lower_better": "lower"}))
        st.dataframe(
            shown[["stage_name", "moment_name", "name", "unit", "direction", "target", "warning", "frequency",
                   "silo_name", "readings", "last_period"]],
            hide_index=True, width="stretch",
            column_config={"stage_name": "Stage", "moment_name": "Moment", "name": "KPI", "unit": "Unit",
                           "direction": "Better when", "target": "Target", "warning": "Warning at",
                           "frequency": "Measured", "silo_name": "Silo", "readings": "Readings",
                           "last_period": st.column_config.DateColumn("Last reading")},
        )
    add_kpi_form(store, actor)
    if kpis.empty:
        return
    st.subheader("Edit a KPI")
    show_flash("kpis")
    kpi_id = _pick("KPI", labelled(kpis, lambda r: f"{r.name} · {r.stage_name}"), key="kpi_pick")
    if kpi_id is None:
        return
    row = kpis[kpis["id"] == kpi_id].iloc[0]
    version = int(row["version"])
    prefix = f"kpi_{kpi_id}_v{version}"
    stage_id = _pick("Stage", _stage_options(store, include_archived=True), key=f"{prefix}_stage",
                     current=int(row["stage_id"]))
    if stage_id is None:
        return
    moments = q.moments(store)
    moments = moments[moments["stage_id"] == stage_id]
    with st.form(f"{prefix}_form"):
        options = _kpi_inputs(prefix, moments=moments, silos=q.silos(store), row=row)
        st.caption(f"{int(row['readings']):,} readings stay as they are.")
        st.form_submit_button("Save KPI", type="primary", on_click=_save_kpi,
                              args=(store, actor, kpi_id, version, prefix, stage_id, options))


# -- survey questions ----------------------------------------------------------------------


def _create_question(store: Store, actor: str, prefix: str, slugs: dict[int, str]) -> None:
    def go() -> int:
        data = SurveyQuestionCreate(
            survey=_text(f"{prefix}_survey"), text=_text(f"{prefix}_text"),
            kind=QuestionKind(_value(f"{prefix}_kind") or QuestionKind.CSAT.value),
            stage_slugs=[slugs[s] for s in _value(f"{prefix}_stages", [])],
        )
        return evidence.create_question(store, data, actor=actor)

    attempt(prefix, go, "Survey question added.", clear=[f"{prefix}_text", f"{prefix}_stages"])


KIND_HELP = {
    "nps": "NPS (0-10: % promoters - % detractors)",
    "csat": "CSAT (1-5: % answering 4 or 5)",
    "ces": "CES (1-7: mean ease, 7 = very easy, higher is better)",
    "percent": "Percent (0-100: mean)",
}


def _save_question(store: Store, actor: str, question_id: int, version: int, prefix: str) -> None:
    def go() -> None:
        data = QuestionEdit(survey=_text(f"{prefix}_survey"), text=_text(f"{prefix}_text"),
                            kind=QuestionKind(_value(f"{prefix}_kind")), stage_ids=_value(f"{prefix}_stages", []))
        curation.update_question(store, question_id, data, expected_version=version, actor=actor)

    attempt("questions", go, "Survey question saved.")


def questions_section(store: Store, actor: str) -> None:
    questions = q.questions(store)
    stages = q.stages(store)
    names = {int(r.id): str(r.name) + (" (archived)" if r.archived else "") for r in stages.itertuples()}
    active = [int(r.id) for r in stages.itertuples() if not r.archived]
    st.caption("Which stages each survey question speaks about: its score shows under those stages on the wall.")
    if questions.empty:
        st.info("No survey questions yet. Add one here, or let a survey import create them.")
    else:
        st.dataframe(questions[["survey", "text", "kind", "stage_names", "answers"]], hide_index=True,
                     width="stretch", column_config={"survey": "Survey", "text": "Question", "kind": "Kind",
                                                     "stage_names": "Stages", "answers": "Answers"})
    prefix = "new_question"
    show_flash(prefix)
    with st.form(f"{prefix}_form"):
        st.markdown("**Add a survey question**")
        c1, c2, c3 = st.columns([1, 3, 1])
        c1.text_input("Survey", key=f"{prefix}_survey", placeholder="e.g. Relationship survey")
        c2.text_input("Question", key=f"{prefix}_text", placeholder="e.g. How easy was it to pay your bill?")
        c3.selectbox("Kind", [k.value for k in QuestionKind], format_func=KIND_HELP.get, key=f"{prefix}_kind")
        st.multiselect("Stages it speaks about", active, format_func=names.get, key=f"{prefix}_stages")
        st.form_submit_button("Add question", type="primary", on_click=_create_question,
                              args=(store, actor, prefix, {int(r.id): str(r.slug) for r in stages.itertuples()}))
    if questions.empty:
        return
    st.subheader("Edit a question and its stages")
    show_flash("questions")
    question_id = _pick("Question", labelled(questions, lambda r: f"{r.survey}: {r.text}"), key="question_pick")
    if question_id is None:
        return
    row = questions[questions["id"] == question_id].iloc[0]
    version = int(row["version"])
    prefix = f"question_{question_id}_v{version}"
    kinds = [k.value for k in QuestionKind]
    linked = [int(s) for s in row["stage_ids"]]
    with st.form(f"{prefix}_form"):
        c1, c2, c3 = st.columns([1, 3, 1])
        c1.text_input("Survey", value=row["survey"], key=f"{prefix}_survey")
        c2.text_input("Question", value=row["text"], key=f"{prefix}_text")
        c3.selectbox("Kind", kinds, index=kinds.index(row["kind"]), format_func=KIND_HELP.get, key=f"{prefix}_kind",
                     disabled=bool(row["answers"]), help="Fixed once answers are in.")
        st.multiselect("Stages it speaks about", sorted(set(active) | set(linked), key=list(names).index),
                       default=linked, format_func=names.get, key=f"{prefix}_stages")
        st.form_submit_button("Save question", type="primary", on_click=_save_question,
                              args=(store, actor, question_id, version, prefix))


# -- artifacts and calls --------------------------------------------------------------------


def _save_artifact(store: Store, actor: str, artifact_id: int, version: int, prefix: str, stage_id: int,
                   moment_options: dict[int, str]) -> None:
    def go() -> None:
        data = ArtifactEdit(
            stage_id=stage_id, moment_id=_chosen(f"{prefix}_moment", moment_options), title=_text(f"{prefix}_title"),
            kind=ArtifactKind(_value(f"{prefix}_kind")), caption=_text(f"{prefix}_caption"),
            asks_of_customer=_text(f"{prefix}_asks"), version_label=_text(f"{prefix}_version_label"),
            issued_on=_value(f"{prefix}_issued_on"),
        )
        curation.update_artifact(store, artifact_id, data, expected_version=version, actor=actor)

    attempt("artifacts", go, f"Artifact '{_text(f'{prefix}_title')}' saved.")


def _remove_artifact(store: Store, actor: str, artifact_id: int, version: int, prefix: str, title: str) -> None:
    if not _value(f"{prefix}_confirm"):
        flash("artifacts", "error", "Tick the box to confirm the removal first.")
        return
    attempt("artifacts", lambda: curation.remove_artifact(store, artifact_id, expected_version=version, actor=actor),
            f"Artifact '{title}' removed from the room.")


def artifacts_panel(store: Store, actor: str) -> None:
    show_flash("artifacts")
    artifacts = q.artifacts(store)
    if artifacts.empty:
        st.info("No artifacts yet.")
        return
    artifact_id = _pick("Artifact", labelled(artifacts, lambda r: f"{r.title} · {r.stage_name}"),
                        key="artifact_pick")
    if artifact_id is None:
        return
    row = artifacts[artifacts["id"] == artifact_id].iloc[0]
    version = int(row["version"])
    prefix = f"artifact_{artifact_id}_v{version}"
    left, right = st.columns([1, 2])
    with left:
        thumb = cache.thumbnail(str(row["sha256"]), str(row["mime"])) if isinstance(row["mime"], str) else None
        if thumb is not None:
            st.image(thumb, width="stretch")
        else:
            st.caption("No preview (the file is missing or cannot be drawn).")
    with right:
        stage_id = _pick("Stage", _stage_options(store, include_archived=True), key=f"{prefix}_stage",
                         current=int(row["stage_id"]))
        if stage_id is None:
            return
        moments = q.moments(store)
        moments = moments[moments["stage_id"] == stage_id]
        kinds = [k.value for k in ArtifactKind]
        with st.form(f"{prefix}_form"):
            c1, c2 = st.columns([3, 1])
            c1.text_input("Title", value=row["title"], key=f"{prefix}_title", max_chars=200)
            c2.selectbox("Kind", kinds, index=kinds.index(row["kind"]), key=f"{prefix}_kind")
            moment_options = labelled(moments, lambda r: r.name)
            _pick("Moment of truth", moment_options, key=f"{prefix}_moment", none=True, current=_int(row["moment_id"]))
            st.text_area("Caption", value=row["caption"], key=f"{prefix}_caption", height=68)
            st.text_area("What it asks of the customer", value=row["asks_of_customer"], key=f"{prefix}_asks",
                         height=68)
            c3, c4 = st.columns(2)
            c3.text_input("Version", value=row["version_label"], key=f"{prefix}_version_label", max_chars=60)
            issued = row["issued_on"]
            c4.date_input("Issued on", value=None if _missing(issued) else issued, key=f"{prefix}_issued_on")
            st.form_submit_button("Save artifact", type="primary", on_click=_save_artifact,
                                  args=(store, actor, artifact_id, version, prefix, stage_id, moment_options))
        c5, c6 = st.columns([2, 1], vertical_alignment="center")
        c5.checkbox("Yes, take this artifact out of the room", key=f"{prefix}_confirm")
        c6.button("Remove artifact", key=f"{prefix}_remove", on_click=_remove_artifact,
                  args=(store, actor, artifact_id, version, prefix, row["title"]))


def _save_clip(store: Store, actor: str, call_id: int, version: int, prefix: str, seen: pd.DataFrame) -> None:
    def go() -> None:
        edits = st.session_state.get(f"{prefix}_transcript") or {}
        transcript = None
        if any(edits.get(k) for k in ("edited_rows", "added_rows", "deleted_rows")):
            transcript = [TranscriptSegment.model_validate(seg) for seg in apply_editor(seen, edits)]
        end = _value(f"{prefix}_end")
        data = ClipEdit(clip_start_s=int(_value(f"{prefix}_start") or 0),
                        clip_end_s=None if end is None else int(end), transcript=transcript)
        curation.update_call_clip(store, call_id, data, expected_version=version, actor=actor)

    attempt("calls", go, "Clip saved.")


def apply_editor(seen: pd.DataFrame, edits: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of a dynamic data editor after the person's edits (deleted rows gone, added rows appended)."""
    deleted = {int(i) for i in edits.get("deleted_rows", [])}
    rows = []
    for index, record in enumerate(seen.to_dict("records")):
        if index in deleted:
            continue
        record.update(edits.get("edited_rows", {}).get(index, edits.get("edited_rows", {}).get(str(index), {})))
        rows.append(record)
    rows.extend(dict(r) for r in edits.get("added_rows", []))
    cleaned = []
    for r in rows:
        if not str(r.get("text") or "").strip() and r.get("start") is None:
            continue  # an empty row the person added and left
        cleaned.append({"start": r.get("start") or 0, "end": r.get("end") or 0,
                        "speaker": str(r.get("speaker") or "").strip() or "?", "text": str(r.get("text") or "")})
    return cleaned


def _on_wall(store: Store, actor: str, call_id: int, version: int, on_wall: bool) -> None:
    message = "The call is offered to the wall." if on_wall else "The call is off the wall (it stays on the stage)."
    attempt("calls", lambda: curation.set_call_on_wall(store, call_id, on_wall, expected_version=version,
                                                       actor=actor), message)


def _play_on_wall(store: Store, actor: str, call_id: int, version: int) -> None:
    attempt("calls", lambda: curation.play_on_wall(store, call_id, expected_version=version, actor=actor),
            "This call now plays in its stage's column on the wall.")


def calls_panel(store: Store, actor: str) -> None:
    show_flash("calls")
    calls = q.calls(store)
    if calls.empty:
        st.info("No call recordings yet.")
        return
    call_id = _pick("Call", labelled(calls, lambda r: f"{r.title} · {r.stage_name}"
                                     + (" · ▶ plays on the wall" if r.plays_on_wall else "")), key="call_pick")
    if call_id is None:
        return
    row = calls[calls["id"] == call_id].iloc[0]
    version = int(row["version"])
    prefix = f"call_{call_id}_v{version}"
    duration = float(row["duration_s"])
    start = int(row["clip_start_s"])
    end = _int(row["clip_end_s"])
    st.caption(f"{md(row['channel'])} · recorded {row['recorded_at']:%-d %b %Y} · {int(duration)} s long · "
               + ("consent recorded" if row["consent"] else "no consent recorded"))
    data = cache.media_bytes(str(row["sha256"]), str(row["mime"])) if isinstance(row["mime"], str) else None
    if data is None:
        st.caption("The recording is missing from the media folder.")
    else:
        st.audio(data, format=str(row["mime"]), start_time=start, end_time=end or int(duration))
    c1, c2 = st.columns(2)
    if row["plays_on_wall"]:
        c1.success("This call plays in its stage's column on the wall.", icon=":material/play_circle:")
    else:
        c1.button("Play this call on the wall", type="primary", key=f"{prefix}_play", on_click=_play_on_wall,
                  args=(store, actor, call_id, version),
                  help="Its stage's other calls come off the wall (they stay on the stage page).")
    if row["on_wall"]:
        c2.button("Take it off the wall", key=f"{prefix}_off", on_click=_on_wall,
                  args=(store, actor, call_id, version, False))
    else:
        c2.button("Offer it to the wall", key=f"{prefix}_on", on_click=_on_wall,
                  args=(store, actor, call_id, version, True))
    segments = pd.DataFrame(q.transcript_segments(row["transcript"]), columns=["start", "end", "speaker", "text"])
    with st.form(f"{prefix}_clip_form"):
        st.markdown("**The clip that plays** (whole seconds)")
        c3, c4 = st.columns(2)
        c3.number_input("Starts at (s)", min_value=0, max_value=max(int(duration) - 1, 0), value=start, step=1,
                        key=f"{prefix}_start")
        c4.number_input("Ends at (s)", min_value=1, max_value=int(duration) + 1, value=end, step=1,
                        key=f"{prefix}_end", help="Empty: to the end of the recording.")
        st.markdown("**Transcript**")
        st.data_editor(segments, key=f"{prefix}_transcript", num_rows="dynamic", hide_index=True, width="stretch",
                       column_config={
                           "start": st.column_config.NumberColumn("From (s)", min_value=0, step=0.1, width="small"),
                           "end": st.column_config.NumberColumn("To (s)", min_value=0, step=0.1, width="small"),
                           "speaker": st.column_config.TextColumn("Speaker", max_chars=40, width="small"),
                           "text": st.column_config.TextColumn("Said", width="large", max_chars=5000),
                       })
        st.form_submit_button("Save clip and transcript", type="primary", on_click=_save_clip,
                              args=(store, actor, call_id, version, prefix, segments))


def evidence_section(store: Store, actor: str) -> None:
    if page_exists("views/listening.py"):
        st.page_link("views/listening.py", label="Add new calls and artifacts on the Listening page",
                     icon=":material/upload:")
    wanted = st.query_params.get("evidence")
    artifacts_tab, calls_tab = st.tabs(["Artifacts", "Calls"], key="evidence_kind", on_change="rerun",
                                       default=wanted if wanted in ("Artifacts", "Calls") else None)
    if artifacts_tab.open:
        with artifacts_tab:
            artifacts_panel(store, actor)
    if calls_tab.open:
        with calls_tab:
            calls_panel(store, actor)


# -- rooms ---------------------------------------------------------------------------------


def _room_label(facts: room_queries.RoomFacts, entry: rooms.RoomFile) -> str:
    kind = "the demo room" if facts.is_demo else ("the home room" if entry.is_home else "a room of your own")
    return f"{facts.name} — {kind}"


def rooms_section(store: Store, actor: str) -> None:
    """Which room this is; start an empty room of one's own; switch between rooms (nothing is deleted)."""
    room_name_form(store, actor, prefix="room")
    show_flash("rooms")
    home = rooms.home_db()
    entries = rooms.list_rooms(home)
    current_path = store.path.resolve()
    facts = {e.path: room_queries.room_facts(e.path, current=store) for e in entries}
    st.caption("Each room is its own database in the same folder. Starting a new room keeps the demo room as it "
               "is; you can switch back at any time. Switching changes the room for everyone using this app.")
    for entry in entries:
        f = facts[entry.path]
        here = entry.path.resolve() == current_path
        with st.container(border=True, key=f"room_{entry.slug or 'home'}"):
            c1, c2 = st.columns([4, 1], vertical_alignment="center")
            status = "You are here" if here else ("busy in another program" if not f.readable else "")
            c1.markdown(f"**{md(_room_label(f, entry))}**  \n"
                        f"{f.stages} stages · {md(str(entry.path))}" + (f" · {status}" if status else ""))
            if not here:
                label = "Switch back to the demo room" if f.is_demo else "Switch to this room"
                if c2.button(label, key=f"switch_{entry.slug or 'home'}"):
                    switch_to(store, actor, home, entry.path)
    with st.form("new_room_form"):
        st.markdown("**Start a new empty room**")
        name = st.text_input("Name of your room", key="new_room_name", placeholder="e.g. Acme Insurance",
                             max_chars=120)
        go = st.form_submit_button("Start a new empty room", type="primary")
    if go:
        try:
            data = NewRoom(name=name)
            created = rooms.create_room(store, home, data, actor=actor)
        except ValidationError as exc:
            st.error(md(problem_text(exc)))
            return
        except CxroomError as exc:
            st.error(md(str(exc)))
            return
        switch_to(store, actor, home, created.path, first_run=True)


def switch_to(store: Store, actor: str, home: Path, target: Path, *, first_run: bool = False) -> None:
    """Switch rooms, forget the cached settings, and open the new room (the first-run guide for a new one)."""
    try:
        rooms.switch_room(store, home, target, actor=actor)
    except CxroomError as exc:
        st.error(md(str(exc)))
        return
    context.forget_room()
    if context.settings().db_path.resolve() != target.resolve():
        st.error(
            "The room is ready and marked active, but this installation does not follow the active-room "
            "pointer yet (Settings.from_env must read active_room.txt). Restart with CXROOM_DB set to "
            + md(str(target))
        )
        return
    if first_run and page_exists("views/first_run.py"):
        st.session_state[FIRST_RUN_FLAG] = True
        st.switch_page("views/first_run.py")
    flash("rooms", "success", f"Switched to {q.room_name(context.store())}.")
    st.rerun()


# -- the first-run guide ---------------------------------------------------------------------

STEPS = [
    ("stages", "Stages"),
    ("moments", "Moments of truth"),
    ("silos", "Silos"),
    ("kpis", "KPIs"),
    ("import", "First import"),
]
STEP_KEY = "first_run_step"


def _go_step(step: str) -> None:
    st.session_state[STEP_KEY] = step


def current_step(progress: q.SetupProgress) -> str:
    """The step open now: the one chosen, else the first one not done."""
    chosen = st.session_state.get(STEP_KEY)
    if chosen in dict(STEPS):
        return str(chosen)
    done = progress.steps_done
    first = next((key for key, _ in STEPS if not done[key]), STEPS[-1][0])
    st.session_state[STEP_KEY] = first
    return first


def step_bar(progress: q.SetupProgress) -> None:
    """The progress indicator: a bar, and the steps (ticked once done); click a step to open it."""
    done = progress.steps_done
    count = sum(done.values())
    st.progress(count / len(STEPS), text=f"Set-up progress: {count} of {len(STEPS)} steps done")
    labels = {key: ("✓ " if done[key] else f"{i + 1}. ") + title for i, (key, title) in enumerate(STEPS)}
    st.segmented_control("Steps", [k for k, _ in STEPS], format_func=labels.get, key=STEP_KEY, required=True,
                         label_visibility="collapsed")


def step_nav(current: str) -> None:
    keys = [k for k, _ in STEPS]
    i = keys.index(current)
    c1, _, c2 = st.columns([1, 3, 1])
    if i > 0:
        c1.button(f"← {STEPS[i - 1][1]}", key="first_run_back", on_click=_go_step, args=(keys[i - 1],))
    if i < len(keys) - 1:
        c2.button(f"Next: {STEPS[i + 1][1]} →", key="first_run_next", type="primary", on_click=_go_step,
                  args=(keys[i + 1],))


def listed(items: Sequence[str], empty: str) -> None:
    if items:
        st.markdown("  \n".join(f"• {md(i)}" for i in items))
    else:
        st.caption(empty)


def _save_room_name(store: Store, actor: str, prefix: str) -> None:
    name = _text(f"{prefix}_name")
    if len(name) < 2:
        flash(prefix, "error", "Give the room a name of at least two characters.")
        return
    attempt(prefix, lambda: room.set_room_name(store, name, actor=actor), f"The room is now called '{name}'.")


def room_name_form(store: Store, actor: str, *, prefix: str = "room") -> None:
    """The room's name (the wall's title)."""
    show_flash(prefix)
    with st.form(f"{prefix}_form"):
        c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
        c1.text_input("Name of the room (the wall's title)", value=q.room_name(store), key=f"{prefix}_name",
                      max_chars=120)
        c2.form_submit_button("Save name", on_click=_save_room_name, args=(store, actor, prefix))


def finish_first_run() -> None:
    """Leave the guide for the wall (the wall opens by default again)."""
    st.session_state.pop(FIRST_RUN_FLAG, None)
    st.session_state.pop(STEP_KEY, None)
    st.switch_page("views/wall.py" if page_exists("views/wall.py") else "views/overview.py")


def first_run_step(store: Store, actor: str, step: str, progress: q.SetupProgress) -> None:
    """The content of one step of the first-run guide."""
    if step == "stages":
        st.subheader("1 · The stages of your customers' experience")
        st.markdown(
            "Name the stages customers go through, in order — they become the columns of the wall, left to "
            "right. Most rooms have 5 to 9, for example *Shop, Buy, Get started, Pay, Get help, Renew or leave*."
        )
        room_name_form(store, actor, prefix="fr_room")
        stages = q.stages(store)
        listed([f"{i + 1}. {r.name}" + (f" — {r.customer_goal}" if r.customer_goal else "")
                for i, r in enumerate(stages[~stages["archived"]].itertuples())], "No stages yet.")
        add_stage_form(store, actor, prefix="fr_stage", compact=True)
    elif step == "moments":
        st.subheader("2 · Moments of truth")
        st.markdown(
            "The touchpoints that make or break each stage — including non-obvious ones (*the 100th order*, "
            "*the third contact in a month*). Say why each matters and how reliable it is today."
        )
        moments = q.moments(store)
        listed([f"{r.stage_name}: {r.name} ({reliability_label(r.reliability)})" for r in moments.itertuples()],
               "No moments of truth yet.")
        add_moment_form(store, actor, prefix="fr_moment")
    elif step == "silos":
        st.subheader("3 · Silos")
        st.markdown(
            "The departments that together shape the experience. Accountability runs *across* the experience: "
            "say which silo owns each stage and which contribute."
        )
        listed(q.silos(store)["name"].tolist(), "No silos yet.")
        add_silo_form(store, actor, prefix="fr_silo")
        if progress.stages and progress.silos:
            owners_form(store, actor, prefix="fr_owners")
    elif step == "kpis":
        st.subheader("4 · KPIs")
        st.markdown(
            "Operational KPIs of the moments of truth tell you where the operation failed *before* survey "
            "results arrive. Define them here; their monthly readings come from a file in the next step."
        )
        kpis = q.kpis(store)
        listed([f"{r.stage_name}: {r.name}" for r in kpis.itertuples()], "No KPIs yet.")
        add_kpi_form(store, actor, prefix="fr_kpi")
    else:
        st.subheader("5 · A first import")
        st.markdown(
            "Load what customers tell you — a complaint export, KPI readings, survey answers — on the Listening "
            "page, and line complaint categories up to your stages. You can also do this later."
        )
        if page_exists("views/listening.py"):
            st.page_link("views/listening.py", label="Open Listening to import a first file", icon=":material/upload:")
        if progress.imports:
            st.success(f"{progress.imports} file(s) imported.", icon=":material/check_circle:")
        if st.button("Finish — show me the wall", type="primary", key="first_run_finish"):
            finish_first_run()

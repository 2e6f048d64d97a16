"""The first-run guide (views/first_run.py): five steps from an empty room to a wall worth
walking, each reusing the forms of the set-up tabs."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from cxroom.queries import setup as q
from cxroom.store import Store
from cxroom.ui.kit.text import md
from cxroom.ui.navigation import FIRST_RUN_FLAG
from cxroom.ui.setup.access import page_exists
from cxroom.ui.setup.accountability import owners_form
from cxroom.ui.setup.kpis import add_kpi_form
from cxroom.ui.setup.labels import reliability_label
from cxroom.ui.setup.moments import add_moment_form
from cxroom.ui.setup.rooms import room_name_form
from cxroom.ui.setup.silos import add_silo_form
from cxroom.ui.setup.stages import add_stage_form

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
    labels = {key: (":material/check: " if done[key] else f"{i + 1}. ") + title for i, (key, title) in enumerate(STEPS)}
    st.segmented_control(
        "Steps",
        [k for k, _ in STEPS],
        format_func=labels.get,
        key=STEP_KEY,
        required=True,
        label_visibility="collapsed",
    )


def step_nav(current: str) -> None:
    keys = [k for k, _ in STEPS]
    i = keys.index(current)
    c1, _, c2 = st.columns([1, 3, 1])
    if i > 0:
        c1.button(f"← {STEPS[i - 1][1]}", key="first_run_back", on_click=_go_step, args=(keys[i - 1],))
    if i < len(keys) - 1:
        c2.button(
            f"Next: {STEPS[i + 1][1]} →", key="first_run_next", type="primary", on_click=_go_step, args=(keys[i + 1],)
        )


def listed(items: Sequence[str], empty: str) -> None:
    if items:
        st.markdown("  \n".join(f"• {md(i)}" for i in items))
    else:
        st.caption(empty)


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
        listed(
            [
                f"{i + 1}. {r.name}" + (f" — {r.customer_goal}" if r.customer_goal else "")
                for i, r in enumerate(stages[~stages["archived"]].itertuples())
            ],
            "No stages yet.",
        )
        add_stage_form(store, actor, prefix="fr_stage", compact=True)
    elif step == "moments":
        st.subheader("2 · Moments of truth")
        st.markdown(
            "The touchpoints that make or break each stage — including non-obvious ones (*the 100th order*, "
            "*the third contact in a month*). Say why each matters and how reliable it is today."
        )
        moments = q.moments(store)
        listed(
            [f"{r.stage_name}: {r.name} ({reliability_label(r.reliability)})" for r in moments.itertuples()],
            "No moments of truth yet.",
        )
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

"""The Rooms tab: the room's name, starting an empty room of one's own, and switching rooms."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from pydantic import ValidationError

from cxroom.errors import CxroomError
from cxroom.queries import rooms as room_queries
from cxroom.queries import setup as q
from cxroom.services import room, rooms
from cxroom.setup_models import NewRoom
from cxroom.store import Store
from cxroom.ui import context
from cxroom.ui.kit.text import md
from cxroom.ui.navigation import FIRST_RUN_FLAG
from cxroom.ui.setup.access import page_exists
from cxroom.ui.setup.inputs import session_text
from cxroom.ui.setup.messages import attempt, flash, problem_text, show_flash


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
    st.caption(
        "Each room is its own database in the same folder. Starting a new room keeps the demo room as it "
        "is; you can switch back at any time. Switching changes the room for everyone using this app."
    )
    for entry in entries:
        f = facts[entry.path]
        here = entry.path.resolve() == current_path
        with st.container(border=True, key=f"room_{entry.slug or 'home'}"):
            c1, c2 = st.columns([4, 1], vertical_alignment="center")
            status = "You are here" if here else ("busy in another program" if not f.readable else "")
            c1.markdown(
                f"**{md(_room_label(f, entry))}**  \n"
                f"{f.stages} stages · {md(str(entry.path))}" + (f" · {status}" if status else "")
            )
            if not here:
                label = "Switch back to the demo room" if f.is_demo else "Switch to this room"
                if c2.button(label, key=f"switch_{entry.slug or 'home'}"):
                    switch_to(store, actor, home, entry.path)
    with st.form("new_room_form"):
        st.markdown("**Start a new empty room**")
        name = st.text_input("Name of your room", key="new_room_name", placeholder="e.g. Acme Insurance", max_chars=120)
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


def _save_room_name(store: Store, actor: str, prefix: str) -> None:
    name = session_text(f"{prefix}_name")
    if len(name) < 2:
        flash(prefix, "error", "Give the room a name of at least two characters.")
        return
    attempt(prefix, lambda: room.set_room_name(store, name, actor=actor), f"The room is now called '{name}'.")


def room_name_form(store: Store, actor: str, *, prefix: str = "room") -> None:
    """The room's name (the wall's title)."""
    show_flash(prefix)
    with st.form(f"{prefix}_form"):
        c1, c2 = st.columns([4, 1], vertical_alignment="bottom")
        c1.text_input(
            "Name of the room (the wall's title)", value=q.room_name(store), key=f"{prefix}_name", max_chars=120
        )
        c2.form_submit_button("Save name", on_click=_save_room_name, args=(store, actor, prefix))

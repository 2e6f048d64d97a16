"""Set-up: the room's agreed definitions of an incoming customer (new, won back) and an outgoing
one (lost, downgraded), and the unit of value. Written down first, because every silo counts
customers its own way until they agree; the wall shows them beside the numbers."""

from __future__ import annotations

import streamlit as st

from cxroom.queries import customer_math as q
from cxroom.services import customer_math as service
from cxroom.store import Store
from cxroom.ui.setup.messages import attempt, show_flash

WHERE = "customer_math"


def _save(store: Store, actor: str) -> None:
    data = {k: st.session_state.get(f"cm_{k}", "") for k in ("incoming", "outgoing", "value_unit")}
    attempt(
        WHERE,
        lambda: service.set_definitions(store, service.Definitions(**data), actor=actor),
        "The definitions are saved; the wall shows them beside customer math.",
    )


def customer_math_section(store: Store, actor: str) -> None:
    show_flash(WHERE)
    current = q.definitions(store)
    st.markdown("##### Customer math: what counts as a customer in and out")
    if not current.recorded:
        st.info("The room has not agreed its definitions yet. Until it does, the wall says so beside the numbers.")
    with st.form("customer-math-definitions"):
        st.text_area(
            "An incoming customer (new, won back) is …",
            value=current.incoming if current.recorded else "",
            key="cm_incoming",
            max_chars=2000,
        )
        st.text_area(
            "An outgoing customer (lost, downgraded) is …",
            value=current.outgoing if current.recorded else "",
            key="cm_outgoing",
            max_chars=2000,
        )
        st.text_input(
            "Unit of a movement's value (a currency symbol such as $, or words such as 'policies')",
            value=current.value_unit,
            key="cm_value_unit",
            max_chars=40,
        )
        st.form_submit_button("Save the definitions", on_click=_save, args=(store, actor))

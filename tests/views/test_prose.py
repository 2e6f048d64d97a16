"""Prose: consecutive Markdown drawn as one element, in order with everything else."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _script() -> None:
    import streamlit as st

    from cxroom.ui.prose import Prose

    with Prose() as prose:
        prose.heading("Moments")
        prose.add("line one  \nline two")
        prose.add("")  # nothing to say: no empty paragraph
        prose.heading("KPIs")
        prose.flush()
        st.metric("Speed", "3 s")
        prose.add(prose.note("+2 more"))
        prose.heading("Complaints")
    # The with block drew what was left.
    st.caption("after")


def test_consecutive_pieces_are_one_element_and_order_is_kept() -> None:
    at = AppTest.from_function(_script).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == [
        "###### Moments\n\nline one  \nline two\n\n###### KPIs",
        ":small[:gray[+2 more]]\n\n###### Complaints",
    ]
    assert [m.label for m in at.metric] == ["Speed"]
    kinds = [node.type for node in at.main.children.values()]
    assert kinds == ["markdown", "metric", "markdown", "caption"]


def _failing_script() -> None:
    from cxroom.ui.prose import Prose

    with Prose() as prose:
        prose.add("half a column")
        raise ValueError("the column broke")


def test_an_error_inside_draws_nothing_half_done() -> None:
    at = AppTest.from_function(_failing_script).run()
    assert at.exception  # (the app redacts error details)
    assert not at.markdown

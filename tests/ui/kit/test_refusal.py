"""A page's command and its refusal: the room's error is shown as text in place of the
success; any other error is not swallowed."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from cxroom.ui.kit.text import md


def _script() -> None:
    import streamlit as st

    from cxroom.errors import InvalidInputError
    from cxroom.ui.kit.refusal import refusal_explained

    with refusal_explained():
        st.success("first saved")
    with refusal_explained():
        raise InvalidInputError("No such *stage*: [here](http://x.test)")
        st.success("never drawn")  # type: ignore[unreachable]
    st.caption("after")
    if st.session_state.get("crash"):
        with refusal_explained():
            raise ValueError("a bug, not a refusal")


def test_a_refusal_is_shown_as_text_and_the_page_goes_on() -> None:
    at = AppTest.from_function(_script).run()
    assert not at.exception
    assert [s.value for s in at.success] == ["first saved"]
    assert len(at.error) == 1
    # escaped as text, as every person's or file's words are (not a live link, not italics)
    message = "No such *stage*: [here](http://x.test)"
    assert at.error[0].value == md(message) != message
    assert [c.value for c in at.caption] == ["after"]


def test_an_error_that_is_not_a_refusal_is_not_swallowed() -> None:
    at = AppTest.from_function(_script)
    at.session_state["crash"] = True
    at.run()
    assert at.exception

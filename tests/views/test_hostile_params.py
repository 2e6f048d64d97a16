"""Query parameters are text: a page that quotes a bad ?fix=, ?month=, ?stage=,
?review= or ?item= back to the person quotes it escaped (AppTest on the demo room;
tests/browser/test_hostile_text_browser.py checks what Chromium makes of it)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.settings import Settings
from cxroom.ui.kit.text import md
from tests.hostile_text import PAYLOADS, as_read

URL_PAYLOADS = ["image_and_link", "bare_url", "emoji", "material_icon", "katex_inline", "colour", "html_img",
                "streamlit_logo", "bare_email", "heading"]


def _open(app_for: Callable[..., AppTest], settings: Settings, page: str, **params: str) -> AppTest:
    at = app_for(settings)
    at.run()  # the frame first: app.py knows the user
    at.switch_page(page)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _quoted(at: AppTest, payload: str) -> list[str]:
    """The messages that quote the payload (or its first 40 characters, as the stage page does), escaped."""
    messages = [str(e.value) for e in [*at.error, *at.warning]]
    return [m for m in messages if md(payload[:40]) in m]


@pytest.mark.parametrize("name", URL_PAYLOADS)
@pytest.mark.parametrize(
    ("page", "param"),
    [("views/fix.py", "fix"), ("views/wall.py", "month"), ("views/wall.py", "mode"), ("views/stage.py", "stage"),
     ("views/review.py", "review")],
)
def test_a_bad_parameter_is_quoted_as_text(
    app_for: Callable[..., AppTest], demo_settings: Settings, page: str, param: str, name: str
) -> None:
    payload = PAYLOADS[name]
    at = _open(app_for, demo_settings, page, **{param: payload})
    quoted = _quoted(at, payload)
    assert quoted, [str(e.value) for e in [*at.error, *at.warning]]
    for message in quoted:
        assert " ".join(payload.split())[:40] in as_read(message)  # the reader sees what was in the link


@pytest.mark.parametrize("name", ["image_and_link", "emoji", "html_img"])
def test_a_bad_presenter_stage_or_item_is_quoted_as_text(
    app_for: Callable[..., AppTest], demo_settings: Settings, name: str
) -> None:
    payload = PAYLOADS[name]
    for params in ({"stage": payload}, {"item": payload}):
        at = _open(app_for, demo_settings, "views/presenter.py", review="2", **params)
        assert _quoted(at, payload), [str(e.value) for e in at.error]

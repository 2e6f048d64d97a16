"""Query parameters are text: a page that quotes a bad ?fix=, ?month=, ?stage=,
?review= or ?item= back to the person quotes it escaped (AppTest on the demo room;
tests/browser/test_hostile_text_browser.py checks what Chromium makes of it)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.settings import Settings
from cxroom.ui.kit.text import md
from tests.hostile_text import PAYLOADS, as_read

URL_PAYLOADS = [
    "image_and_link",
    "bare_url",
    "emoji",
    "material_icon",
    "katex_inline",
    "colour",
    "html_img",
    "streamlit_logo",
    "bare_email",
    "heading",
]


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
    [
        ("views/fix.py", "fix"),
        ("views/wall.py", "month"),
        ("views/wall.py", "mode"),
        ("views/stage.py", "stage"),
        ("views/review.py", "review"),
    ],
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


def test_a_hostile_file_is_described_as_text(
    app_for: Callable[..., AppTest], tmp_settings: Settings, tmp_path: Path
) -> None:
    """A file whose name, headers, categories and source are payloads: the listening page's file facts,
    notes, mapping messages and import report quote them escaped."""
    from tests.views.test_listening import button, room_with_stages

    room_with_stages(tmp_settings).close()
    name = PAYLOADS["image_and_link"] + ".csv"
    header = PAYLOADS["html_img"].replace(",", " ")
    rows = [f"Date received,Issue,{header}"]
    rows += [f"2026-10-0{1 + i % 9},{PAYLOADS[k].replace(',', ' ')},x" for i, k in enumerate(URL_PAYLOADS)]
    path = tmp_path / "upload.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    at = app_for(tmp_settings)
    at.switch_page("views/listening.py")
    at.run()
    at.session_state["listening_file"] = {
        "name": name,
        "path": str(path),
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "size": path.stat().st_size,
    }
    at.run()
    at.text_input(key="import_source").input(PAYLOADS["emoji"]).run()
    button(at, "Import").click().run()
    assert not at.exception, at.exception
    shown = [
        str(e.value)
        for kind in ("markdown", "caption", "info", "warning", "success", "error", "subheader")
        for e in at.get(kind)
    ]
    assert any(md(name) in s for s in shown), shown  # the file facts name the file, escaped
    assert any(md(PAYLOADS["emoji"]) in s for s in shown), shown  # the report names the source, escaped
    for text in shown:
        for live in ("![", "](", "<img", ":smile:", ":material/home", "http://evil"):
            assert live not in text, (live, text)

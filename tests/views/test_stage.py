"""The stage detail page in AppTest: numbers against direct SQL, the filtered
complaint table, empty states, and bad ?stage= / ?month= falling back."""

from __future__ import annotations

import importlib.util
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from queries.wall_rooms import HOSTILE, small_room
from streamlit.testing.v1 import AppTest

from cxroom.settings import Settings
from cxroom.store import Store
from cxroom.ui.wall import artifacts as wall_artifacts

OCT = date(2026, 10, 1)


@pytest.fixture
def stage_app(app_for: Callable[..., AppTest], demo_settings: Settings) -> Callable[..., AppTest]:
    def open_stage(**params: str) -> AppTest:
        at = app_for(demo_settings)
        at.switch_page("views/stage.py")
        at.query_params.update(params)
        at.run()
        assert not at.exception
        return at

    return open_stage


@pytest.fixture
def small_settings(tmp_path: Path) -> Iterator[Settings]:
    settings = Settings(db_path=tmp_path / "small.duckdb", media_dir=tmp_path / "media")
    store = Store(settings.db_path)
    small_room(store)
    store.close()
    yield settings


def _month_count(store: Store, slug: str, start: date, end: date) -> int:
    return int(
        store.fetch_value(
            "SELECT count(*) FROM complaints c JOIN stages s ON s.id = c.stage_id "
            "WHERE s.slug = ? AND c.received_at >= ? AND c.received_at < ?",
            [slug, start, end],
        )
    )


def _total_line(at: AppTest) -> str:
    return next(m.value for m in at.markdown if "complaints match" in m.value)


def test_stage_detail_numbers_match_sql(stage_app: Callable[..., AppTest], demo_store: Store) -> None:
    at = stage_app(stage="pay")
    assert at.title[0].value == "Pay"
    expected = _month_count(demo_store, "pay", OCT, date(2026, 11, 1))
    assert f"**{expected:,}** complaints match" in _total_line(at)
    table = at.dataframe[0].value
    assert len(table) == min(expected, 200)
    assert table["received_at"].min() >= pd.Timestamp(OCT)
    # KPI charts with target lines, survey trend: a few plotly charts, not dozens.
    charts = at.get("plotly_chart")
    kpis = demo_store.fetch_value("SELECT count(*) FROM kpis k JOIN stages s ON s.id = k.stage_id WHERE s.slug = 'pay'")
    assert kpis + 1 <= len(charts) <= 8
    tabs = [t.label for t in at.tabs]
    assert tabs[0] == f"Complaints ({expected:,})"
    assert any(t.startswith("Calls") for t in tabs)


def test_stage_detail_follows_the_month(stage_app: Callable[..., AppTest], demo_store: Store) -> None:
    at = stage_app(stage="get-help", month="2026-03")
    expected = _month_count(demo_store, "get-help", date(2026, 3, 1), date(2026, 4, 1))
    assert f"**{expected:,}** complaints match" in _total_line(at)


def test_complaint_search_is_done_in_the_database(stage_app: Callable[..., AppTest], demo_store: Store) -> None:
    at = stage_app(stage="pay")
    search = next(t for t in at.text_input if t.label.startswith("Search"))
    search.set_value("admin").run()
    expected = demo_store.fetch_value(
        "SELECT count(*) FROM complaints c JOIN stages s ON s.id = c.stage_id WHERE s.slug = 'pay' "
        "AND c.received_at >= ? AND c.received_at < ? AND (c.verbatim ILIKE '%admin%' OR c.category ILIKE '%admin%' "
        "OR c.subcategory ILIKE '%admin%' OR c.external_id ILIKE '%admin%')",
        [OCT, date(2026, 11, 1)],
    )
    assert f"**{expected:,}** complaints match" in _total_line(at)
    if expected:
        assert all("admin" in v.lower() for v in at.dataframe[0].value["verbatim"])


def test_unknown_stage_says_so_and_falls_back_to_the_wall(stage_app: Callable[..., AppTest]) -> None:
    at = stage_app(stage="no-such-stage")
    assert any("There is no stage called “no\\-such\\-stage”" in w.value for w in at.warning)
    assert any(m.label.startswith("Complaints in") for m in at.metric)  # the wall is shown
    assert at.title[0].value == "Larkfield Mutual · Customer Room"


def test_hostile_stage_parameter_is_escaped(stage_app: Callable[..., AppTest]) -> None:
    at = stage_app(stage="[x](http://evil.example) <img src=x>")
    warning = next(w.value for w in at.warning if "There is no stage" in w.value)
    assert not re.search(r"(?<!\\)[<>\[\]()]", warning), warning  # every bracket is escaped


def test_malformed_month_on_the_stage_page(stage_app: Callable[..., AppTest], demo_store: Store) -> None:
    at = stage_app(stage="pay", month="2026-99")
    assert any("is not a month" in w.value for w in at.warning)
    expected = _month_count(demo_store, "pay", OCT, date(2026, 11, 1))
    assert f"**{expected:,}** complaints match" in _total_line(at)


def test_without_a_stage_the_page_offers_every_stage(stage_app: Callable[..., AppTest], demo_store: Store) -> None:
    at = stage_app()
    assert any("Choose a stage" in i.value for i in at.info)
    links = at.get("page_link")
    stages = demo_store.fetch_value("SELECT count(*) FROM stages")
    assert len(links) >= stages


def test_every_call_with_its_transcript(stage_app: Callable[..., AppTest], demo_store: Store) -> None:
    calls = demo_store.fetch_value(
        "SELECT count(*) FROM calls c JOIN stages s ON s.id = c.stage_id WHERE s.slug = 'claim'"
    )
    if not calls:
        pytest.skip("the demo room has no call recordings")
    at = stage_app(stage="claim")
    assert len(at.get("audio")) == calls
    transcripts = [str(t.value) for t in at.text if "\n» " in f"\n{t.value}"]  # the clip marked by a Latin-1 »
    assert len(transcripts) == calls
    assert not any("@" in t for t in transcripts)


def test_empty_stage_has_explicit_empty_states(app_for: Callable[..., AppTest], small_settings: Settings) -> None:
    at = app_for(small_settings)
    at.switch_page("views/stage.py")
    at.query_params.update({"stage": "empty", "month": "2026-10"})
    at.run()
    assert not at.exception
    infos = [i.value for i in at.info]
    for fragment in (
        "No complaints",
        "No KPIs",
        "No survey question",
        "No artifacts",
        "No call recordings",
        "No moments of truth",
        "No fix team",
    ):
        assert any(fragment in i for i in infos), fragment


def test_hostile_verbatim_in_the_stage_table_is_data_not_markup(
    app_for: Callable[..., AppTest], small_settings: Settings
) -> None:
    at = app_for(small_settings)
    at.switch_page("views/stage.py")
    at.query_params.update({"stage": "alpha", "month": "2026-10"})
    at.run()
    assert not at.exception
    verbatims = list(at.dataframe[0].value["verbatim"])
    assert HOSTILE in verbatims  # a dataframe cell is text, never markup
    assert not any("@example.com" in v for v in verbatims)


@pytest.mark.parametrize("viewer", [True, False], ids=["st.pdf", "page-images"])
def test_artifacts_open_full_size_and_pdfs_show_their_pages(
    stage_app: Callable[..., AppTest], demo_store: Store, monkeypatch: pytest.MonkeyPatch, viewer: bool
) -> None:
    if not viewer:
        monkeypatch.setattr(wall_artifacts, "_pdf_viewer_available", lambda: False)
    elif importlib.util.find_spec("streamlit_pdf") is None:
        pytest.skip("streamlit[pdf] is not installed")
    pdfs = demo_store.fetch_value(
        "SELECT count(*) FROM artifacts a JOIN stages s ON s.id = a.stage_id JOIN media m ON m.sha256 = a.media_sha256 "
        "WHERE s.slug = 'get-started' AND m.mime = 'application/pdf'"
    )
    if not pdfs:
        pytest.skip("the demo room has no PDF artifact")
    at = stage_app(stage="get-started")
    titles = demo_store.execute(
        "SELECT a.id, m.mime FROM artifacts a JOIN stages s ON s.id = a.stage_id JOIN media m "
        "ON m.sha256 = a.media_sha256 WHERE s.slug = 'get-started' ORDER BY a.position, a.id"
    )
    pdf_id = next(i for i, mime in titles if mime == "application/pdf")
    at.button(key=f"sd-gallery-{pdf_id}-open").click().run()
    assert not at.exception
    assert any(b.label == "Download PDF" for b in at.get("download_button"))
    dialog = at.get("dialog")[0]
    kinds = _types(dialog)
    if viewer:
        assert "bidi_component" in kinds  # st.pdf: pdf.js draws the pages
    elif shutil.which("pdftoppm"):
        captions = [i.caption for img in at.get("image") for i in img.proto.imgs]
        assert "Page 1" in captions  # without streamlit[pdf]: the pages as images
    else:
        assert any("cannot be previewed" in i.value for i in at.info)


def _types(node: object) -> list[str]:
    found = [str(getattr(node, "type", ""))]
    for child in (getattr(node, "children", {}) or {}).values():
        found += _types(child)
    return found

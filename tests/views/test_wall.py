"""The Wall page in AppTest, on the demo room: the numbers shown are checked
against direct SQL on the same database; month switching through the URL and
the month picker; bad parameters; empty stages; hostile customer text; the
wall-screen mode and its screen split. Plus the pure helpers of the page."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from queries.wall_rooms import HOSTILE, small_room
from streamlit.testing.v1 import AppTest

from cxroom.settings import Settings
from cxroom.store import Store
from cxroom.ui.kit.format import fmt_number
from cxroom.ui.kit.text import md
from cxroom.ui.wall.state import read_wall_state, resolve_month
from cxroom.ui.wall.wall_screen import screen_slice, spotlight_column

OCT, SEP = date(2026, 10, 1), date(2026, 9, 1)
MAX_ELEMENTS = 400


def _next(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def _complaints_by_stage(store: Store, month: date) -> list[int]:
    rows = store.execute(
        "SELECT s.slug, count(c.id) FROM stages s LEFT JOIN complaints c ON c.stage_id = s.id "
        "AND c.received_at >= ? AND c.received_at < ? WHERE NOT s.archived GROUP BY s.slug, s.position, s.id "
        "ORDER BY s.position, s.id",
        [month, _next(month)],
    )
    return [int(r[1]) for r in rows]


def _complaint_metrics(at: AppTest) -> list[int]:
    return [int(m.value.replace(",", "")) for m in at.metric if m.label.startswith("Complaints in")]


def _all_text(at: AppTest) -> str:
    parts = [e.value for e in at.markdown] + [e.value for e in at.caption] + [e.value for e in at.warning]
    parts += [e.value for e in at.info] + [str(t.value) for t in at.text]
    return "\n".join(parts)


def _plain(text: str) -> str:
    """Markdown escapes taken off, as the reader sees the text."""
    return text.replace("\\", "").replace("\u2060", "")


def _count_elements(node: object) -> int:
    children = getattr(node, "children", {}) or {}
    return 1 + sum(_count_elements(child) for child in children.values())


@pytest.fixture
def wall_app(app_for: Callable[..., AppTest], demo_settings: Settings) -> AppTest:
    return app_for(demo_settings)


@pytest.fixture
def small_settings(tmp_path: Path) -> Iterator[Settings]:
    settings = Settings(db_path=tmp_path / "small.duckdb", media_dir=tmp_path / "media")
    store = Store(settings.db_path)
    small_room(store)
    store.close()
    yield settings


# -- the wall on the demo room --------------------------------------------------------


def test_the_wall_is_the_landing_page_and_its_numbers_match_sql(wall_app: AppTest, demo_store: Store) -> None:
    wall_app.run()
    assert not wall_app.exception
    assert wall_app.title[0].value == "Larkfield Mutual · Customer Room"
    assert any("October 2026" in c.value for c in wall_app.caption)
    assert _complaint_metrics(wall_app) == _complaints_by_stage(demo_store, OCT)
    # KPI lines: the value of every KPI for the month, as read straight from kpi_readings, beside its target.
    readings = demo_store.execute(
        "SELECT k.name, r.value, k.unit, k.target, k.direction FROM kpis k "
        "JOIN kpi_readings r ON r.kpi_id = k.id AND r.period = ?",
        [OCT],
    )
    shown = _plain(_all_text(wall_app))
    for name, value, unit, target, direction in readings:
        sign = "≥" if direction == "higher_better" else "≤"
        line = re.escape(f"{name}  \n") + r":\w+\[:material/\w+:\u00a0\*\*" + re.escape(fmt_number(value, unit))
        line += re.escape(f"**] · target {sign} {fmt_number(target, unit)}")
        assert re.search(line, shown), name
    # Stage health badges carry icon + word + score for every stage.
    stages = demo_store.fetch_value("SELECT count(*) FROM stages")
    badges = [e for e in wall_app.get("badge")] or [m for m in wall_app.markdown if "·" in m.value]
    assert len(badges) >= stages


def test_month_switching_through_the_url(wall_app: AppTest, demo_store: Store) -> None:
    wall_app.query_params["month"] = "2026-09"
    wall_app.run()
    assert not wall_app.exception
    assert not wall_app.warning
    assert any("September 2026" in c.value for c in wall_app.caption)
    assert _complaint_metrics(wall_app) == _complaints_by_stage(demo_store, SEP)


def test_month_switching_through_the_picker_rewrites_the_url(wall_app: AppTest, demo_store: Store) -> None:
    wall_app.run()
    picker = wall_app.selectbox(key="wall_month")
    assert picker.value == "2026-10"
    picker.set_value("2026-08").run()
    assert not wall_app.exception
    assert wall_app.query_params["month"] in ("2026-08", ["2026-08"])
    assert _complaint_metrics(wall_app) == _complaints_by_stage(demo_store, date(2026, 8, 1))


@pytest.mark.parametrize("bad", ["2026-13", "last-month", "2026-1", "<script>"])
def test_a_malformed_month_says_so_and_shows_the_default_month(wall_app: AppTest, demo_store: Store, bad: str) -> None:
    wall_app.query_params["month"] = bad
    wall_app.run()
    assert not wall_app.exception
    assert any("is not a month" in w.value for w in wall_app.warning)
    assert _complaint_metrics(wall_app) == _complaints_by_stage(demo_store, OCT)


def test_a_month_without_data_falls_back(wall_app: AppTest) -> None:
    wall_app.query_params["month"] = "1999-01"
    wall_app.run()
    assert any("no data for January 1999" in w.value for w in wall_app.warning)
    assert any("October 2026" in c.value for c in wall_app.caption)


def test_one_render_stays_within_a_few_hundred_elements_and_is_quick(wall_app: AppTest) -> None:
    started = time.perf_counter()
    wall_app.run()
    cold = time.perf_counter() - started
    started = time.perf_counter()
    wall_app.run()
    warm = time.perf_counter() - started
    elements = _count_elements(wall_app._tree)
    print(f"\nwall AppTest: cold {cold:.2f}s, warm {warm:.2f}s, {elements} elements")
    assert elements <= MAX_ELEMENTS
    assert warm < 5


def _in_order(node: object) -> Iterator[object]:
    """Every element under ``node``, in the order the page shows them."""
    children = getattr(node, "children", {}) or {}
    if not children:
        yield node
    for index in sorted(children):
        yield from _in_order(children[index])


def _reading(at: AppTest) -> list[str]:
    """The page as a reader meets it: markdown and captions by text, metrics by label, else the type."""
    seen = []
    for element in _in_order(at._tree):
        kind = getattr(element, "type", "")
        if kind in ("markdown", "caption"):
            seen.append(str(element.value))  # type: ignore[attr-defined]
        elif kind == "metric":
            seen.append(f"metric:{element.label}")  # type: ignore[attr-defined]
        elif kind in ("text", "audio", "image", "button", "page_link"):
            seen.append(kind)
    return seen


def test_each_column_reads_in_order_with_its_text_drawn_together(wall_app: AppTest) -> None:
    """A column's Markdown is drawn in few elements (the browser pays per element), and still in
    the order of the column: every section label before its own evidence."""
    wall_app.run()
    seen = _reading(wall_app)
    starts = [i for i, item in enumerate(seen) if item.startswith("### ")]
    assert len(starts) == 7  # one column per demo stage
    for begin in starts:
        column = seen[begin : seen.index("page_link", begin) + 1]  # a column ends with its "Open stage" link
        labels = [
            (i, line) for i, item in enumerate(column) for line in item.split("\n\n") if line.startswith("######")
        ]
        order = [line.removeprefix("###### ").split(" ·")[0] for _, line in labels]
        assert order == [
            "Moments of truth",
            "KPIs",
            "Complaints",
            "Surveys",
            "What customers receive",
            "Customer call",
            "Accountable silos",
            "Fixes",
        ], column[0]
        # the stage's lost customers: one line after the call, no heading (the band above says more)
        lost = [i for i, item in enumerate(column) if "Lost at this stage:" in item]
        call = next(i for (i, _), name in zip(labels, order, strict=True) if name == "Customer call")
        assert len(lost) == 1 and lost[0] > call, column[0]
        at = {name: i for (i, _), name in zip(labels, order, strict=True)}
        metrics = [i for i, item in enumerate(column) if item.startswith("metric:")]
        kpi_metrics = [i for i in metrics if not column[i].startswith("metric:Complaints in")]
        complaints = [i for i in metrics if column[i].startswith("metric:Complaints in")]
        assert complaints and at["Complaints"] < complaints[0] < at["Surveys"]
        assert all(at["KPIs"] < i < at["Complaints"] for i in kpi_metrics[:1])
        assert all(at["Customer call"] < i for i, item in enumerate(column) if item == "audio")
        # Customer text: the verbatims under complaints, the call's excerpt under the call.
        texts = [i for i, item in enumerate(column) if item == "text"]
        assert texts and all(at["Complaints"] < i < at["Surveys"] or at["Customer call"] < i for i in texts)
        # Labels share an element with their neighbours: the name and goal, moments and the
        # KPIs label, the silos and the fixes are one element each.
        assert "Moments of truth" in column[1] or "Moments of truth" in column[2]
        assert any("Accountable silos" in item and "Fixes" in item for item in column)
        markdown = [
            item
            for item in column
            if not item.startswith("metric:") and item not in ("text", "audio", "image", "button", "page_link")
        ]
        assert len(markdown) <= 12, markdown


def test_calls_play_their_highlighted_clip(wall_app: AppTest, demo_store: Store) -> None:
    wall_app.run()
    audios = wall_app.get("audio")
    on_wall = demo_store.execute(
        "SELECT DISTINCT ON (stage_id) stage_id, clip_start_s, clip_end_s FROM calls WHERE on_wall "
        "ORDER BY stage_id, recorded_at DESC, id"
    )
    if not on_wall:
        pytest.skip("the demo room has no call recordings (data/demo/manifest.json missing)")
    assert len(audios) == len(on_wall)
    starts = sorted(a.proto.start_time for a in audios)
    assert starts == sorted(r[1] for r in on_wall)
    assert all(a.proto.end_time > a.proto.start_time for a in audios)


# -- the wall screen -------------------------------------------------------------------


def test_wall_screen_mode_has_no_picker_and_a_data_stamp(wall_app: AppTest, demo_store: Store) -> None:
    wall_app.query_params["mode"] = "wall"
    wall_app.run()
    assert not wall_app.exception
    assert not wall_app.selectbox
    assert any(c.value.startswith("Data as of October 2026") for c in wall_app.caption)
    assert not wall_app.button  # nothing to click on an unattended screen
    assert _complaint_metrics(wall_app) == _complaints_by_stage(demo_store, OCT)


def test_wall_screen_split_over_three_screens(wall_app: AppTest, demo_store: Store) -> None:
    wall_app.query_params.update({"mode": "wall", "screen": "2", "of": "3"})
    wall_app.run()
    assert not wall_app.exception
    counts = _complaints_by_stage(demo_store, OCT)
    assert _complaint_metrics(wall_app) == counts[3:5]  # 7 stages: 3 + 2 + 2


def test_bad_screen_split_is_reported_and_ignored(wall_app: AppTest, demo_store: Store) -> None:
    wall_app.query_params.update({"mode": "wall", "screen": "4", "of": "3"})
    wall_app.run()
    assert any("Screen split ignored" in w.value for w in wall_app.warning)
    assert len(_complaint_metrics(wall_app)) == len(_complaints_by_stage(demo_store, OCT))


def test_spotlight_shows_a_customer_voice(wall_app: AppTest) -> None:
    wall_app.query_params.update({"mode": "wall", "spotlight": "20"})
    wall_app.run()
    assert not wall_app.exception
    assert any("In the spotlight" in m.value for m in wall_app.markdown)


# -- empty states and hostile text -----------------------------------------------------------


def test_a_stage_with_nothing_shows_explicit_empty_states(
    app_for: Callable[..., AppTest], small_settings: Settings
) -> None:
    at = app_for(small_settings)
    at.query_params["month"] = "2026-10"
    at.run()
    assert not at.exception
    shown = _all_text(at)
    for message in (
        "No KPIs measured for this stage yet.",
        "No complaints about this stage in the last 12 months.",
        "No call recording on the wall for this stage.",
        "No survey question is linked to this stage.",
        "No moments of truth defined for this stage yet.",
        "No artifacts hung on this stage yet.",
    ):
        assert message in shown, message


def test_hostile_customer_text_is_shown_as_plain_text(
    app_for: Callable[..., AppTest], small_settings: Settings
) -> None:
    at = app_for(small_settings)
    at.query_params["month"] = "2026-10"
    at.run()
    texts = [str(t.value) for t in at.text]
    # Each verbatim is one text element: the quote, then its source.
    assert any(t.startswith(f"“{HOSTILE}”\n— ") for t in texts), texts
    for element in at.markdown:
        assert "<script>" not in element.value and "<img" not in element.value and "](http" not in element.value
    assert not any("@example.com" in t for t in texts)
    # The stage's goal, typed with markdown and HTML, is escaped too.
    assert any(md("Help me **now** <b>please</b>") in element.value for element in at.markdown)
    assert md("**now** <b>") == r"\*\*now\*\* \<b\>"


def test_an_empty_room_says_what_to_do(app_for: Callable[..., AppTest], tmp_settings: Settings) -> None:
    Store(tmp_settings.db_path).close()
    at = app_for(tmp_settings)
    at.switch_page("views/wall.py")  # an empty room may land on the first set-up page
    at.run()
    assert not at.exception
    assert any("no stages yet" in i.value for i in at.info)


# -- pure helpers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        HOSTILE,
        "**bold** _it_ `code` # heading",
        "[link](http://example.com) ![img](http://example.com/x.png) <http://example.com>",
        ":red[colour] :smile: :material/home: $x^2$",
        "line one\n# line two\n- item\n    code",
        "a | b | c\n---|---",
    ],
)
def test_md_leaves_no_live_markdown(text: str) -> None:
    escaped = md(text)
    assert "\n" not in escaped
    for token in ("<", ">", "[", "]", "(", ")", "*", "_", "`", "#", ":", "$", "|", "!"):
        assert token not in escaped.replace("\\" + token, ""), token


def test_md_keeps_ordinary_text_readable() -> None:
    assert md("Make a claim") == "Make a claim"
    assert md(None) == ""
    assert md("  two   spaces\n") == "two spaces"


@pytest.mark.parametrize(
    ("items", "screen", "of", "expected", "slots"),
    [
        (list(range(7)), 1, 1, list(range(7)), 7),
        (list(range(7)), 1, 3, [0, 1, 2], 3),
        (list(range(7)), 2, 3, [3, 4], 3),
        (list(range(7)), 3, 3, [5, 6], 3),
        (list(range(8)), 2, 2, [4, 5, 6, 7], 4),
        (list(range(2)), 3, 3, [], 1),
    ],
)
def test_screen_slice(items: list[int], screen: int, of: int, expected: list[int], slots: int) -> None:
    shown, slot_count = screen_slice(items, screen, of)
    if of > len(items):
        assert shown in ([0], [1], [])
    else:
        assert shown == expected
        assert slot_count == slots


def test_read_wall_state_keeps_good_parameters_and_reports_bad_ones() -> None:
    state = read_wall_state({"month": "2026-13", "mode": "wall", "screen": "2", "of": "3", "spotlight": "30"})
    assert state.query.month is None and state.wall_screen
    assert (state.query.screen, state.query.of, state.spotlight_s) == (2, 3, 30)
    assert len(state.problems) == 1 and "not a month" in state.problems[0]
    odd = read_wall_state({"mode": "kiosk", "spotlight": "2"})
    assert not odd.wall_screen and odd.spotlight_s == 0 and len(odd.problems) == 2


def test_resolve_month() -> None:
    months = [OCT, SEP]
    assert resolve_month(None, months, today=date(2026, 11, 22)) == (OCT, None)
    assert resolve_month("2026-09", months, today=date(2026, 11, 22)) == (SEP, None)
    month, problem = resolve_month("2020-01", months, today=date(2026, 11, 22))
    assert month == OCT and problem and "January 2020" in problem


def test_spotlight_rotates_through_the_stages() -> None:
    columns = ["a", "b", "c"]
    assert [spotlight_column(columns, 20, now=t) for t in (0, 19, 20, 45, 60)] == ["a", "a", "b", "c", "a"]
    assert spotlight_column(columns, 0) is None

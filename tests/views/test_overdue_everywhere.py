"""One overdue rule on every page: the same fix is overdue on the fix board, its own
page, the wall and the stage page, or on none of them. The case that used to split
them: a team in 'results' past its due date (the wall said overdue, the board did not)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroom import fix_status
from cxroom.queries import fixes as fq
from cxroom.queries import stage as stage_queries
from cxroom.queries.wall.months import last_complete_month
from cxroom.queries.wall.wall_data import load_wall
from cxroom.settings import Settings
from cxroom.store import Store, open_store

PAST_DUE_DAYS = 10


@dataclass(frozen=True)
class LateResults:
    settings: Settings
    fix_id: int
    title: str
    stage_slug: str
    stage_id: int


@pytest.fixture
def late_results(demo_settings: Settings, tmp_path: Path) -> Iterator[LateResults]:
    """A copy of the demo room where one working fix reported results, ten days past its due date."""
    target = tmp_path / "room.duckdb"
    shutil.copyfile(demo_settings.db_path, target)
    wal = Path(f"{demo_settings.db_path}.wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}.wal"))
    store = open_store(target)
    fix_id, title, slug, stage_id = store.execute(
        "SELECT f.id, f.title, s.slug, s.id FROM fixes f JOIN stages s ON s.id = f.stage_id "
        "WHERE f.status IN ('chartered', 'diagnosing', 'recommending', 'implementing') AND NOT s.archived "
        "ORDER BY f.id LIMIT 1"
    )[0]
    store.execute(
        "UPDATE fixes SET status = 'results', due_on = ?, results = 'Hold times halved.' WHERE id = ?",
        [date.today() - timedelta(days=PAST_DUE_DAYS), fix_id],
    )
    yield LateResults(Settings(db_path=target, media_dir=tmp_path / "media"), int(fix_id), title, slug, int(stage_id))


def _open(app_for: Callable[..., AppTest], settings: Settings, page: str, **params: str) -> AppTest:
    at = app_for(settings)
    at.run()
    at.switch_page(page)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_every_read_model_flags_the_same_fixes_overdue(late_results: LateResults) -> None:
    store: Store = open_store(late_results.settings.db_path)
    today = date.today()
    board = fq.board(store, today=today).set_index("id")
    wall = load_wall(store, last_complete_month(today))
    on_wall = {f.id: f for col in wall.columns for f in col.fixes}
    checked = 0
    for fix_id, row in board.iterrows():
        due = None if row["due_on"] is None or str(row["due_on"]) == "NaT" else row["due_on"].date()
        rule = fix_status.is_overdue(str(row["status"]), due, today)
        assert bool(row["overdue"]) is rule, row["title"]
        detail = fq.fix_detail(store, int(fix_id), today=today)
        assert detail is not None and bool(detail.fix["overdue"]) is rule, row["title"]
        if fix_id in on_wall:
            assert on_wall[fix_id].overdue(today) is rule, row["title"]
            checked += 1
    assert checked >= 5, "the wall should show most of the demo's fixes"
    # The case itself, on every read model: the board, the fix page, the wall, the stage page.
    assert bool(board.loc[late_results.fix_id, "overdue"])
    assert on_wall[late_results.fix_id].overdue(today)
    evidence = stage_queries.stage_evidence(store, late_results.stage_id)
    assert next(f for f in evidence.fixes if f.id == late_results.fix_id).overdue(today)
    only_overdue = fq.board(store, today=today, filters=fq.BoardFilter(overdue_only=True))
    assert late_results.fix_id in set(only_overdue["id"])


def test_the_board_and_the_wall_both_show_the_late_results_overdue(
    app_for: Callable[..., AppTest], late_results: LateResults
) -> None:
    board = _open(app_for, late_results.settings, "views/fixes.py")
    listing = next(d.value for d in board.dataframe if "title" in d.value.columns).set_index("title")
    assert bool(listing.loc[late_results.title, "overdue"])
    assert listing.loc[late_results.title, "status"] == "Results"
    card = f"board-card-overdue-{late_results.fix_id}"
    assert any(card in str(getattr(e, "key", "") or getattr(e.proto, "id", "")) for e in board.get("flex_container"))

    wall = _open(app_for, late_results.settings, "views/wall.py")
    line = next(ln for m in wall.markdown for ln in m.value.split("\n") if "Results" in ln and "overdue" in ln)
    assert f"since {date.today() - timedelta(days=PAST_DUE_DAYS):%-d %b}" in line

    stage = _open(app_for, late_results.settings, "views/stage.py", stage=late_results.stage_slug)
    fixes = next(d.value for d in stage.dataframe if "Overdue" in d.value.columns).set_index("Fix")
    assert bool(fixes.loc[late_results.title, "Overdue"])


def test_the_fix_page_says_how_late(app_for: Callable[..., AppTest], late_results: LateResults) -> None:
    page = _open(app_for, late_results.settings, "views/fix.py", fix=str(late_results.fix_id))
    # st.badge reaches AppTest as Markdown: ":red-badge[:material/alarm: Overdue by 10 days]".
    badges = [m.value for m in page.markdown if "-badge[" in m.value]
    assert any(b.startswith(":red-badge[") and f"Overdue by {PAST_DUE_DAYS} days" in b for b in badges), badges

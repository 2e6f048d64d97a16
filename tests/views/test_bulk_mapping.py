"""The Category mapping tab through AppTest on the real CFPB samples: one row
edited and saved, every suggestion accepted in one click, a rule edited and
deleted; each time the page says how many complaints moved, and the test
counts them itself."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cxroom.services.imports import import_file
from cxroom.settings import Settings
from cxroom.store import Store, open_store
from tests.importers.helpers import CFPB_FILES, add_stages, cfpb

SOURCES = dict(zip(CFPB_FILES, ["boa", "orig", "narr"], strict=True))
EDITOR = "bulk_editor::1"


@pytest.fixture(scope="module")
def cfpb_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cfpb-ui") / "room.duckdb"
    store = add_stages(Store(path))
    for name in CFPB_FILES:
        import_file(store, kind="complaints", path=cfpb(name), source=SOURCES[name], actor="system")
    store.close()
    return path


@pytest.fixture
def page(cfpb_template: Path, tmp_settings: Settings, app_for: Callable[..., AppTest]) -> AppTest:
    shutil.copyfile(cfpb_template, tmp_settings.db_path)
    at = app_for(tmp_settings)
    at.switch_page("views/listening.py")
    at.run()
    assert not at.exception
    return at


def own(settings: Settings, sql: str, params: list[object] | None = None) -> list[tuple]:
    """The test's own SQL, on the room the app has open (one process may open the file)."""
    return open_store(settings.db_path).execute(sql, params)


def per_stage(settings: Settings) -> dict[str, int]:
    rows = own(settings, "SELECT s.name, count(*) FROM complaints c JOIN stages s ON s.id = c.stage_id GROUP BY 1")
    return {name: int(n) for name, n in rows}


def said_moved(text: str) -> dict[str, int]:
    return {stage: int(n.replace(",", "")) for n, stage in re.findall(r"([\d,]+) complaints? moved to ([^;.›]+)", text)}


def shown(element) -> str:
    """The text a person reads: the page escapes customer text for markdown (backslashes)."""
    return re.sub(r"\\(.)", r"\1", element.value)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label.startswith(label))


def table(at: AppTest):
    """The editable table (the Batches tab's table comes before it on the page)."""
    return next(d.value for d in at.dataframe if list(d.value.columns[:3]) == ["map", "source", "category"])


def test_edit_one_row_then_accept_every_suggestion(page: AppTest, tmp_settings: Settings) -> None:
    at = page
    frame = table(at)
    groups = own(tmp_settings, "SELECT count(*) FROM (SELECT DISTINCT source, category, subcategory FROM complaints)")
    assert len(frame) == groups[0][0]  # 170 groups: one page
    assert list(frame["complaints"]) == sorted(frame["complaints"], reverse=True)
    # A category whose words match a stage's name is suggested there, and says why.
    payment = frame[(frame["source"] == "boa") & (frame["category"] == "Trouble during payment process")].iloc[0]
    assert payment["stage"] == "Pay" and "'payment'" in payment["reason"]

    # One row without a suggestion, given a stage by hand and saved.
    row = frame[(frame["source"] == "orig") & (frame["category"] == "Improper use of your report")].index[0]
    category, subcategory = frame.loc[row, "category"], frame.loc[row, "subcategory"]
    assert pd.isna(frame.loc[row, "stage"])
    expected = own(
        tmp_settings,
        "SELECT count(*) FROM complaints WHERE source = 'orig' AND category = ? AND subcategory = ?",
        [category, subcategory],
    )[0][0]
    at.session_state[EDITOR] = {"edited_rows": {int(row): {"stage": "Claim"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    button(at, "Save checked and changed rows").click().run()
    assert not at.exception
    message = shown(at.success[0])
    assert message.startswith("1 rule added.") and said_moved(message) == {"Claim": expected}
    assert per_stage(tmp_settings) == {"Claim": expected}

    # The table has lost that row; every remaining suggestion accepted in one click.
    frame = table(at)
    assert len(frame) == groups[0][0] - 1
    suggested = frame[frame["stage"].notna()]
    assert len(suggested) > 10
    accept = button(at, "Accept all suggestions")
    assert accept.label == f"Accept all suggestions ({len(suggested)})"
    before = per_stage(tmp_settings)
    accept.click().run()
    assert not at.exception
    message = shown(at.success[0])
    assert message.startswith(f"{len(suggested)} rules added.")
    after = per_stage(tmp_settings)
    gained = {stage: after.get(stage, 0) - before.get(stage, 0) for stage in after}
    assert said_moved(message) == {s: n for s, n in gained.items() if n}
    # Every accepted row's complaints, counted by the test, are on the stage the table suggested.
    for r in suggested.to_dict("records"):
        on = own(
            tmp_settings,
            "SELECT s.name, count(*) FROM complaints c JOIN stages s ON s.id = c.stage_id "
            "WHERE c.source = ? AND c.category = ? AND c.subcategory = ? GROUP BY 1",
            [r["source"], r["category"], r["subcategory"]],
        )
        assert on == [(r["stage"], r["complaints"])]
    unmapped = own(tmp_settings, "SELECT count(*) FROM complaints WHERE stage_id IS NULL")[0][0]
    assert f"{unmapped:,} complaints in the room not on a stage" in message


def test_a_rule_edited_then_deleted_says_what_moved(page: AppTest, tmp_settings: Settings) -> None:
    at = page
    frame = table(at)
    row = int(frame[(frame["source"] == "boa") & (frame["category"] == "Trouble during payment process")].index[0])
    at.session_state[EDITOR] = {"edited_rows": {row: {"map": True}}, "added_rows": [], "deleted_rows": []}
    at.run()
    button(at, "Save checked and changed rows").click().run()
    sql = "SELECT count(*) FROM complaints WHERE source = 'boa' AND category = 'Trouble during payment process'"
    held = own(tmp_settings, sql)[0][0]
    assert said_moved(shown(at.success[0])) == {"Pay": held} and per_stage(tmp_settings) == {"Pay": held}

    rule_id = own(tmp_settings, "SELECT id FROM category_rules")[0][0]
    assert at.selectbox(key="rule_pick").value == rule_id
    at.selectbox(key=f"rule_edit_stage_{rule_id}").set_value("Renew").run()
    button(at, "Save the rule").click().run()
    assert not at.exception
    assert said_moved(shown(at.success[0])) == {"Renew": held} and per_stage(tmp_settings) == {"Renew": held}

    button(at, "Delete the rule").click().run()
    assert not at.exception
    assert f"{held} left unmapped" in shown(at.success[0])
    assert per_stage(tmp_settings) == {} and own(tmp_settings, "SELECT count(*) FROM category_rules")[0][0] == 0


def test_a_row_ticked_without_a_stage_saves_nothing(page: AppTest, tmp_settings: Settings) -> None:
    at = page
    frame = table(at)
    row = int(frame[frame["stage"].isna()].index[0])
    at.session_state[EDITOR] = {"edited_rows": {row: {"map": True}}, "added_rows": [], "deleted_rows": []}
    at.run()
    button(at, "Save checked and changed rows").click().run()
    assert "Choose a stage for" in shown(at.error[0])
    assert own(tmp_settings, "SELECT count(*) FROM category_rules")[0][0] == 0

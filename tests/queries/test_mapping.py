"""Suggestions for unmapped categories, on the real CFPB samples and the demo
room: from words shared with a stage's name, from a rule for the same category
in another source or sub-category, and paging and counts checked with the
test's own SQL."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from cxroom.models import CategoryRuleCreate, StageCreate
from cxroom.queries import mapping as qm
from cxroom.services import room, rules
from cxroom.services.imports import import_file
from cxroom.settings import Settings
from cxroom.store import Store
from tests.importers.helpers import CFPB_FILES, add_stages, cfpb

SOURCES = dict(zip(CFPB_FILES, ["boa", "orig", "narr"], strict=True))
REPORT = "Incorrect information on your report"


@pytest.fixture(scope="module")
def cfpb_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cfpb-suggest") / "room.duckdb"
    store = add_stages(Store(path))
    for name in CFPB_FILES:
        import_file(store, kind="complaints", path=cfpb(name), source=SOURCES[name], actor="system")
    store.close()
    return path


@pytest.fixture
def cfpb_room(cfpb_template: Path, tmp_path: Path) -> Iterator[Store]:
    shutil.copyfile(cfpb_template, tmp_path / "room.duckdb")
    store = Store(tmp_path / "room.duckdb")
    yield store
    store.close()


def row(frame, source: str, category: str, subcategory: str | None = None) -> dict:
    found = frame[(frame["source"] == source) & (frame["category"] == category)]
    if subcategory is not None:
        found = found[found["subcategory"] == subcategory]
    assert len(found) >= 1, (source, category)
    return found.iloc[0].to_dict()


def test_every_unmapped_group_once_with_its_own_count(cfpb_room: Store) -> None:
    frame = qm.unmapped_with_suggestions(cfpb_room, limit=1000)
    own = cfpb_room.execute(
        "SELECT source, category, subcategory, count(*) FROM complaints WHERE stage_id IS NULL GROUP BY ALL"
    )
    assert sorted(map(tuple, frame[["source", "category", "subcategory", "complaints"]].values.tolist())) == sorted(own)
    assert qm.unmapped_totals(cfpb_room) == (len(own), sum(r[3] for r in own))
    assert list(frame["complaints"]) == sorted(frame["complaints"], reverse=True)
    # Pages: no row twice, none lost; one source only.
    pages = [qm.unmapped_with_suggestions(cfpb_room, limit=50, offset=o) for o in (0, 50, 100, 150)]
    keys = [tuple(r) for p in pages for r in p[["source", "category", "subcategory"]].values.tolist()]
    assert len(keys) == len(set(keys)) == len(own)
    boa = qm.unmapped_with_suggestions(cfpb_room, source="boa", limit=1000)
    assert set(boa["source"]) == {"boa"} and boa["complaints"].sum() == sum(r[3] for r in own if r[0] == "boa")


def test_words_shared_with_a_stage_name_suggest_that_stage(cfpb_room: Store) -> None:
    frame = qm.unmapped_with_suggestions(cfpb_room, limit=1000)
    payment = row(frame, "boa", "Trouble during payment process")
    assert (payment["basis"], payment["stage_slug"], payment["moment"]) == ("words", "pay", None)
    assert "'payment'" in payment["reason"] and "Pay" in payment["reason"]
    # Stop words never match: "Problem with ..." shares nothing with a stage called "Get Help".
    assert all("'problem'" not in r and "'with'" not in r for r in frame["reason"])
    # Nothing shared, nothing suggested, and it says so.
    fraud = row(frame, "boa", "Fraud or scam")
    assert fraud["stage_slug"] is None and fraud["basis"] is None and fraud["reason"].startswith("No rule")


def test_a_new_stage_named_like_a_category_draws_it(cfpb_room: Store) -> None:
    room.create_stage(
        cfpb_room,
        StageCreate(slug="credit-report", name="Credit report", description="What the bureaus say about me."),
        actor="system",
    )
    frame = qm.unmapped_with_suggestions(cfpb_room, limit=1000)
    improper = row(frame, "orig", "Improper use of your report")
    assert improper["stage_slug"] == "credit-report" and "'report'" in improper["reason"]


def test_a_category_mapped_in_another_source_is_suggested_the_same(cfpb_room: Store) -> None:
    rules.create_rules(
        cfpb_room, [CategoryRuleCreate(source="orig", category=REPORT, stage_slug="claim")], actor="system"
    )
    frame = qm.unmapped_with_suggestions(cfpb_room, limit=1000)
    assert REPORT not in set(frame[frame["source"] == "orig"]["category"])  # mapped now
    for source in ("boa", "narr"):
        suggested = frame[(frame["source"] == source) & (frame["category"] == REPORT)]
        assert len(suggested) > 0
        assert set(suggested["stage_slug"]) == {"claim"} and set(suggested["basis"]) == {"rule"}
        assert all("from source 'orig' to Claim" in r for r in suggested["reason"])


def test_a_rule_for_the_same_source_beats_one_for_another(cfpb_room: Store) -> None:
    someone_else = "Information belongs to someone else"
    rules.create_rules(
        cfpb_room,
        [
            CategoryRuleCreate(source="orig", category=REPORT, stage_slug="claim"),
            CategoryRuleCreate(source="boa", category=REPORT, subcategory=someone_else, stage_slug="renew"),
        ],
        actor="system",
    )
    frame = qm.unmapped_with_suggestions(cfpb_room, limit=1000)
    other_sub = frame[(frame["source"] == "boa") & (frame["category"] == REPORT)]
    assert len(other_sub) > 0 and set(other_sub["stage_slug"]) == {"renew"}
    assert all(f"› '{someone_else}' from source 'boa'" in r for r in other_sub["reason"])


def test_on_the_demo_room_a_category_comes_back_to_its_stage_by_its_words(
    demo_settings: Settings, tmp_path: Path
) -> None:
    shutil.copyfile(demo_settings.db_path, tmp_path / "demo.duckdb")
    store = Store(tmp_path / "demo.duckdb")
    try:
        assert set(qm.unmapped_with_suggestions(store)["category"]) == {"Marketing e-mails", "Other"}
        rule_id, version = store.fetch_one(
            "SELECT id, version FROM category_rules WHERE category = 'Adjuster did not call back'"
        )
        rules.delete_rule(store, rule_id, expected_version=version, actor="system")
        frame = qm.unmapped_with_suggestions(store)
        adjuster = frame[frame["category"] == "Adjuster did not call back"]
        # Every source's row: the moment "Adjuster calls back within 24 hours" shares 'adjuster' and 'call'.
        assert len(adjuster) == store.fetch_value(
            "SELECT count(DISTINCT source) FROM complaints WHERE category = 'Adjuster did not call back'"
        )
        assert set(adjuster["stage_slug"]) == {"claim"}
        assert set(adjuster["moment"]) == {"Adjuster calls back within 24 hours"}
        assert all("'adjuster'" in r for r in adjuster["reason"])
    finally:
        store.close()

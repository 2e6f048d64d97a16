"""Category rules alone as CSV: round trip, only-create, complaints mapped (checked in SQL),
line-numbered problems, and cells a spreadsheet would run as formulas."""

from __future__ import annotations

import csv
import io

import pytest

from cxroom.models import CategoryRuleCreate, StageCreate
from cxroom.services import evidence, room
from cxroom.services.bulk import insert_complaints, open_batch
from cxroom.setupfile.apply import apply_text
from cxroom.setupfile.model import SetupFileError
from cxroom.setupfile.rules import apply_rules_csv, export_rules_csv
from cxroom.store import Store
from tests.setupfile.helpers import checksums
from tests.setupfile.test_apply import SMALL


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def add_complaints(store: Store, categories: list[tuple[str, str, str]]) -> None:
    import pandas as pd

    frame = pd.DataFrame(
        [
            {
                "source": source,
                "external_id": str(i),
                "received_at": pd.Timestamp("2024-03-05"),
                "channel": "web",
                "category": category,
                "subcategory": sub,
                "verbatim": "",
                "severity": "normal",
            }
            for i, (source, category, sub) in enumerate(categories)
        ]
    )
    with store.transaction("cli") as tx:
        insert_complaints(tx, frame, open_batch(tx, kind="complaints", source="test"))


def test_rules_round_trip_through_csv(empty_store: Store, tmp_settings) -> None:
    apply_text(empty_store, SMALL, actor="cli")
    evidence.create_category_rule(
        empty_store,
        CategoryRuleCreate(category='=HYPERLINK("x")', subcategory="-5 fee", stage_slug="pay"),
        actor="cli",
    )
    text = export_rules_csv(empty_store)
    assert text.startswith("\ufeffsource,category,subcategory,stage,moment\r\n")
    assert rows(text)[1:] == [
        ["", '\'=HYPERLINK("x")', "'-5 fee", "pay", ""],  # shown as text by a spreadsheet
        ["", "Billing error", "", "pay", "First bill right"],
        ["cfpb", "Opening an account", "Delay", "join", ""],
    ]
    other = Store(tmp_settings.db_path.with_name("other.duckdb"))
    try:
        apply_text(other, SMALL.split("category_rules:")[0], actor="cli")
        report = apply_rules_csv(other, text, actor="cli")
        assert report.sections["category_rules"].created == [
            'any source: =HYPERLINK("x") / -5 fee',
            "any source: Billing error",
            "cfpb: Opening an account / Delay",
        ]
        assert export_rules_csv(other) == text  # the formula guard is undone on the way in
        assert apply_rules_csv(other, text, actor="cli").changes == 0
    finally:
        other.close()


def test_new_rules_map_complaints_already_imported(empty_store: Store) -> None:
    for slug in ("join", "pay"):
        room.create_stage(empty_store, StageCreate(slug=slug, name=slug.title()), actor="cli")
    add_complaints(
        empty_store,
        [
            ("cfpb", "Fees", "Late fee"),
            ("cfpb", "fees", "Other"),
            ("boa", "Fees", ""),
            ("cfpb", "Opening", ""),
            ("cfpb", "Unmapped", ""),
        ],
    )
    text = "source,category,subcategory,stage,moment\ncfpb,FEES,,pay,\n,Opening,,join,\n"
    dry = apply_rules_csv(empty_store, text, actor="cli", dry_run=True)
    assert (
        dry.complaints_mapped == 3
        and empty_store.fetch_value("SELECT count(*) FROM complaints WHERE stage_id IS NOT NULL") == 0
    )
    report = apply_rules_csv(empty_store, text, actor="cli")
    per_stage = dict(
        empty_store.execute(
            "SELECT s.slug, count(*) FROM complaints c JOIN stages s ON s.id = c.stage_id GROUP BY s.slug"
        )
    )
    assert per_stage == {"pay": 2, "join": 1}  # the boa 'Fees' complaint is not cfpb's
    assert report.complaints_mapped == sum(per_stage.values())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("source,category,stage\ncfpb,Fees,nowhere\n", "line 2: stage: there is no stage 'nowhere' in the room"),
        (
            "source,category,stage\ncfpb,Fees,pay\ncfpb,fees,join\n",
            "line 3: category: the same rule is already on line 2",
        ),
        ("source,category\ncfpb,Fees\n", "line 1: header: missing column(s) stage"),
        ("source,category,stage,colour\n", "line 1: header: unknown column(s) colour"),
        ('category,stage\n"Fees\nand charges",pay\n,pay\n', "line 4: category: is required"),
        ("category,stage,moment\nFees,pay,Nope\n", "line 2: moment: stage 'pay' has no moment of truth 'Nope'"),
    ],
)
def test_a_bad_rules_csv_names_the_line_and_changes_nothing(empty_store: Store, text: str, expected: str) -> None:
    for slug in ("join", "pay"):
        room.create_stage(empty_store, StageCreate(slug=slug, name=slug.title()), actor="cli")
    before = checksums(empty_store)
    with pytest.raises(SetupFileError) as caught:
        apply_rules_csv(empty_store, text, actor="cli")
    assert any(str(p).startswith(expected) for p in caught.value.problems), [str(p) for p in caught.value.problems]
    assert checksums(empty_store) == before

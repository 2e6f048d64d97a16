"""Category rules in bulk: every change re-applies to the complaints already
imported, in one transaction, and the counts it reports are checked against
the test's own SQL over the real CFPB samples and the demo room."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from cxroom.errors import ConflictError, InvalidInputError, PermissionDeniedError
from cxroom.models import CategoryRuleCreate
from cxroom.permissions import Role
from cxroom.services import rules, trust
from cxroom.services.imports import import_file
from cxroom.settings import Settings
from cxroom.store import Store
from tests.importers.helpers import CFPB_FILES, add_stages, cfpb

SOURCES = dict(zip(CFPB_FILES, ["boa", "orig", "narr"], strict=True))
REPORT = "Incorrect information on your report"
SOMEONE_ELSE = "Information belongs to someone else"


@pytest.fixture(scope="module")
def cfpb_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A room with the seven stages and the three CFPB samples imported (nothing mapped)."""
    path = tmp_path_factory.mktemp("cfpb-room") / "room.duckdb"
    store = add_stages(Store(path))
    for name in CFPB_FILES:
        import_file(store, kind="complaints", path=cfpb(name), source=SOURCES[name], actor="system")
    store.close()
    return path


@pytest.fixture
def room(cfpb_template: Path, tmp_path: Path) -> Iterator[Store]:
    target = tmp_path / "room.duckdb"
    shutil.copyfile(cfpb_template, target)
    store = Store(target)
    yield store
    store.close()


def count(store: Store, where: str, params: list[object] | None = None) -> int:
    """The test's own count of complaints (joined to their stage as s)."""
    sql = f"SELECT count(*) FROM complaints c LEFT JOIN stages s ON s.id = c.stage_id WHERE {where}"
    return int(store.fetch_value(sql, params))


def unmapped(store: Store) -> int:
    return count(store, "c.stage_id IS NULL")


def rule(category: str, stage: str, *, source: str | None = None, sub: str | None = None, moment: str | None = None):
    return CategoryRuleCreate(category=category, subcategory=sub, source=source, stage_slug=stage, moment_name=moment)


def rule_row(store: Store, rule_id: int) -> tuple[int, str]:
    version, slug = store.fetch_one(
        "SELECT r.version, s.slug FROM category_rules r JOIN stages s ON s.id = r.stage_id WHERE r.id = ?", [rule_id]
    )
    return int(version), str(slug)


def test_many_rules_at_once_move_exactly_the_matching_complaints(room: Store) -> None:
    boa_payment = count(room, "c.source = 'boa' AND c.category = 'Trouble during payment process'")
    orig_report = count(room, "c.source = 'orig' AND lower(c.category) = lower(?)", [REPORT])
    assert boa_payment > 0 and orig_report > 0
    before = unmapped(room)

    moved = rules.create_rules(
        room,
        [rule(REPORT, "claim", source="orig"), rule("Trouble during payment process", "pay", source="boa")],
        actor="system",
    )

    assert len(moved.created) == 2
    assert sorted(moved.moved) == sorted([("Claim", None, orig_report), ("Pay", None, boa_payment)])
    assert moved.left_unmapped == 0
    assert moved.still_unmapped == unmapped(room) == before - orig_report - boa_payment
    # Where they went, by the test's own SQL; the same category in other sources did not move.
    assert count(room, "s.slug = 'claim'") == orig_report
    assert count(room, "s.slug = 'pay'") == boa_payment
    assert count(room, "c.source <> 'orig' AND c.category = ? AND c.stage_id IS NOT NULL", [REPORT]) == 0
    assert f"{orig_report} complaints moved to Claim" in moved.message()


def test_edit_and_delete_follow_the_most_specific_rule(room: Store) -> None:
    everywhere = count(room, "lower(c.category) = lower(?)", [REPORT])
    specific = count(room, "c.source = 'orig' AND c.category = ? AND c.subcategory = ?", [REPORT, SOMEONE_ELSE])
    assert 0 < specific < everywhere

    wide = rules.create_rules(room, [rule(REPORT, "get-help")], actor="system")
    assert wide.moved == [("Get Help", None, everywhere)]
    narrow = rules.create_rules(room, [rule(REPORT, "claim", source="orig", sub=SOMEONE_ELSE)], actor="system")
    assert narrow.moved == [("Claim", None, specific)]
    assert count(room, "s.slug = 'get-help'") == everywhere - specific

    # Edit the specific rule: its complaints move on, the others stay where they are.
    narrow_id = narrow.created[0]
    version, _ = rule_row(room, narrow_id)
    edited = rules.update_rule(
        room, narrow_id, rule(REPORT, "pay", source="orig", sub=SOMEONE_ELSE), expected_version=version, actor="system"
    )
    assert edited.moved == [("Pay", None, specific)] and edited.updated == 1
    assert rule_row(room, narrow_id) == (version + 1, "pay")
    assert count(room, "s.slug = 'pay'") == specific and count(room, "s.slug = 'claim'") == 0

    # Delete the category-wide rule: everything it held goes back to unmapped, not the specific ones.
    wide_id = wide.created[0]
    gone = rules.delete_rule(room, wide_id, expected_version=rule_row(room, wide_id)[0], actor="system")
    assert gone.moved == [] and gone.left_unmapped == everywhere - specific
    assert count(room, "lower(c.category) = lower(?) AND c.stage_id IS NULL", [REPORT]) == everywhere - specific
    assert "left unmapped" in gone.message()

    # Delete the specific rule: the room is as it was before any rule.
    last = rules.delete_rule(room, narrow_id, expected_version=rule_row(room, narrow_id)[0], actor="system")
    assert last.left_unmapped == specific
    assert last.still_unmapped == unmapped(room) == count(room, "true")


def test_deleting_a_specific_rule_hands_its_complaints_to_the_wider_one(room: Store) -> None:
    everywhere = count(room, "lower(c.category) = lower(?)", [REPORT])
    specific = count(room, "c.source = 'boa' AND c.category = ? AND c.subcategory = ?", [REPORT, SOMEONE_ELSE])
    made = rules.create_rules(
        room, [rule(REPORT, "get-help"), rule(REPORT, "claim", source="boa", sub=SOMEONE_ELSE)], actor="system"
    )
    assert sorted(made.moved) == sorted([("Get Help", None, everywhere - specific), ("Claim", None, specific)])
    narrow_id = made.created[1]
    gone = rules.delete_rule(room, narrow_id, expected_version=1, actor="system")
    assert gone.moved == [("Get Help", None, specific)] and gone.left_unmapped == 0
    assert count(room, "s.slug = 'get-help'") == everywhere


def test_a_stale_version_saves_nothing(room: Store) -> None:
    made = rules.create_rules(room, [rule(REPORT, "claim")], actor="system")
    rule_id = made.created[0]
    rules.update_rule(room, rule_id, rule(REPORT, "pay"), expected_version=1, actor="system")
    on_pay = count(room, "s.slug = 'pay'")
    with pytest.raises(ConflictError):
        rules.update_rule(room, rule_id, rule(REPORT, "renew"), expected_version=1, actor="system")
    with pytest.raises(ConflictError):
        rules.delete_rule(room, rule_id, expected_version=1, actor="system")
    assert rule_row(room, rule_id) == (2, "pay")
    assert count(room, "s.slug = 'pay'") == on_pay and count(room, "s.slug = 'renew'") == 0


def test_one_bad_rule_refuses_the_whole_batch(room: Store) -> None:
    rules.create_rules(room, [rule(REPORT, "claim", source="orig")], actor="system")
    before = (unmapped(room), room.fetch_value("SELECT count(*) FROM category_rules"))
    with pytest.raises(InvalidInputError, match="already a rule"):
        rules.create_rules(
            room,
            [rule("Fraud or scam", "get-help", source="boa"), rule(REPORT.upper(), "pay", source="orig")],
            actor="system",
        )
    with pytest.raises(Exception, match="no stage 'nowhere'"):
        rules.create_rules(room, [rule("Fraud or scam", "nowhere")], actor="system")
    with pytest.raises(Exception, match="no moment of truth"):
        rules.create_rules(room, [rule("Fraud or scam", "pay", moment="Not a moment")], actor="system")
    assert (unmapped(room), room.fetch_value("SELECT count(*) FROM category_rules")) == before
    with pytest.raises(InvalidInputError):
        rules.change_rules(room, actor="system")


def test_only_facilitators_change_rules_and_every_change_is_audited(room: Store) -> None:
    trust.set_user_role(room, email="vi@room.test", display_name="Vi", role=Role.VIEWER, actor="system")
    trust.set_user_role(room, email="fay@room.test", display_name="Fay", role=Role.FACILITATOR, actor="system")
    with pytest.raises(PermissionDeniedError):
        rules.create_rules(room, [rule(REPORT, "claim")], actor="vi@room.test")
    assert room.fetch_value("SELECT count(*) FROM category_rules") == 0
    moved = rules.create_rules(room, [rule(REPORT, "claim")], actor="fay@room.test")
    rules.delete_rule(room, moved.created[0], expected_version=1, actor="fay@room.test")
    logged = room.execute(
        "SELECT action, entity FROM audit_log "
        "WHERE actor = 'fay@room.test' AND entity LIKE 'category_rule%' ORDER BY id"
    )
    assert logged == [
        ("create", "category_rule"),
        ("reapply", "category_rules"),
        ("delete", "category_rule"),
        ("reapply", "category_rules"),
    ]
    reapplied = room.fetch_value(
        "SELECT after FROM audit_log WHERE action = 'reapply' AND actor = 'fay@room.test' ORDER BY id LIMIT 1"
    )
    assert f'"complaints": {count(room, "lower(c.category) = lower(?)", [REPORT])}' in reapplied


@pytest.fixture
def demo_copy(demo_settings: Settings, tmp_path: Path) -> Iterator[Store]:
    target = tmp_path / "demo.duckdb"
    shutil.copyfile(demo_settings.db_path, target)
    store = Store(target)
    yield store
    store.close()


def test_on_the_demo_room_a_deleted_rule_and_its_return(demo_copy: Store) -> None:
    category = "Claim payment delay"
    rule_id, version = demo_copy.fetch_one("SELECT id, version FROM category_rules WHERE category = ?", [category])
    held = count(demo_copy, "c.category = ?", [category])
    with_moment = count(demo_copy, "c.category = ? AND c.moment_id IS NOT NULL", [category])
    assert held > 0 and with_moment == held
    before = unmapped(demo_copy)

    gone = rules.delete_rule(demo_copy, rule_id, expected_version=version, actor="system")
    assert gone.left_unmapped == held and gone.still_unmapped == before + held == unmapped(demo_copy)
    assert count(demo_copy, "c.category = ? AND (c.stage_id IS NOT NULL OR c.moment_id IS NOT NULL)", [category]) == 0

    back = rules.create_rules(
        demo_copy, [rule(category, "claim", moment="Claim settled within 10 days")], actor="system"
    )
    assert back.moved == [("Make a claim", "Claim settled within 10 days", held)]
    assert unmapped(demo_copy) == before
    assert "moved to Make a claim › Claim settled within 10 days" in back.message()


def test_a_moment_only_change_is_counted_and_other_categories_stay(demo_copy: Store) -> None:
    category = "Claim denied unfairly"  # mapped to the claim stage with no moment
    rule_id, version = demo_copy.fetch_one("SELECT id, version FROM category_rules WHERE category = ?", [category])
    held = count(demo_copy, "c.category = ?", [category])
    others = demo_copy.execute(
        "SELECT id, stage_id, moment_id FROM complaints WHERE category <> ? ORDER BY id", [category]
    )
    moved = rules.update_rule(
        demo_copy,
        rule_id,
        rule(category, "claim", moment="Adjuster calls back within 24 hours"),
        expected_version=version,
        actor="system",
    )
    assert moved.moved == [("Make a claim", "Adjuster calls back within 24 hours", held)]
    assert (
        demo_copy.execute("SELECT id, stage_id, moment_id FROM complaints WHERE category <> ? ORDER BY id", [category])
        == others
    )

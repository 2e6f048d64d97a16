"""Applying a set-up file: export -> apply -> export is the same file; applying twice changes
nothing (not a byte); updates go through the room's services as the acting user; nothing is
ever deleted; a refusal anywhere rolls the whole apply back."""

from __future__ import annotations

import pytest

from cxroom.errors import PermissionDeniedError
from cxroom.models import CategoryRuleCreate, StageCreate
from cxroom.permissions import Role
from cxroom.queries import setup_file as q
from cxroom.services import evidence, room, trust
from cxroom.setupfile.apply import apply_text
from cxroom.setupfile.export import export_text
from cxroom.setupfile.model import SetupFileError
from cxroom.store import Store
from tests.setupfile.helpers import checksums

SMALL = """\
format: 1
room: Harbour Bank
stages:
  - slug: join
    name: Join
    owners: [Sales]
  - slug: pay
    name: Pay
    description: |
      Bills and payments.
      Two lines.
    colour: '#EECA3B'
    owners: [Billing]
    contributors: [Sales]
  - slug: old
    name: Old stage
    archived: true
moments:
  - stage: pay
    name: First bill right
    why: [forms_relationship, rescues_at_risk]
    key: true
    state: broken
    owners: [Billing]
  - stage: pay
    name: Autopay works
    state: reliable
silos:
  - name: Billing
  - name: Sales
    description: Branches and phone sales
kpis:
  - name: Bills right first time
    stage: pay
    moment: First bill right
    unit: '%'
    direction: higher
    target: 98
    warning: 95.5
    frequency: monthly
    silo: Billing
  - name: Complaints per 1000
    stage: pay
    direction: lower
    frequency: weekly
survey_questions:
  - survey: Relationship
    text: How likely are you to recommend us?
    kind: nps
    stages: [join, pay]
category_rules:
  - category: Billing error
    stage: pay
    moment: First bill right
  - source: cfpb
    category: Opening an account
    subcategory: Delay
    stage: join
"""


def test_export_apply_export_gives_the_same_file(demo_store: Store, empty_store: Store) -> None:
    exported = export_text(demo_store)
    report = apply_text(empty_store, exported, actor="cli")
    assert report.committed and report.changes > 100
    again = export_text(empty_store)
    assert again == exported
    # every section of the demo made it across, counted independently of the report
    for table in (
        "stages",
        "moments",
        "silos",
        "stage_silos",
        "moment_silos",
        "kpis",
        "survey_questions",
        "survey_question_stages",
        "category_rules",
    ):
        count = f'SELECT count(*) FROM "{table}"'
        assert empty_store.fetch_value(count) == demo_store.fetch_value(count) > 0, table


def test_export_is_deterministic_and_round_trips_a_hand_written_file(empty_store: Store) -> None:
    apply_text(empty_store, SMALL, actor="cli")
    first = export_text(empty_store)
    assert export_text(empty_store) == first
    assert "description: |-\n      Bills and payments.\n      Two lines." in first  # multi-line text stays a block
    assert "warning: 95.5" in first and "target: 98\n" in first and "archived: true" in first
    # the hand-written file and the export describe the same room: applying the export changes nothing
    assert apply_text(empty_store, first, actor="cli").changes == 0


def test_applying_twice_changes_nothing_at_all(empty_store: Store) -> None:
    first = apply_text(empty_store, SMALL, actor="cli")
    assert {name: len(s.created) + len(s.updated) for name, s in first.sections.items()} == {
        "room": 1,
        "stages": 3,
        "silos": 2,
        "accountability": 3 + 1,
        "moments": 2,
        "kpis": 2,
        "survey_questions": 1,
        "category_rules": 2,
        "customer_math": 0,  # the file has no definitions of customers in and out
    }
    before = checksums(empty_store)
    second = apply_text(empty_store, SMALL, actor="cli")
    assert second.changes == 0 and not second.committed
    assert {name: s.unchanged for name, s in second.sections.items()} == {
        "room": 1,
        "stages": 3,
        "silos": 2,
        "accountability": 4,
        "moments": 2,
        "kpis": 2,
        "survey_questions": 1,
        "category_rules": 2,
        "customer_math": 0,
    }
    assert checksums(empty_store) == before  # not even the data version or the audit log moved


def test_a_dry_run_reports_the_same_as_the_apply_and_writes_nothing(empty_store: Store) -> None:
    before = checksums(empty_store)
    dry = apply_text(empty_store, SMALL, actor="cli", dry_run=True)
    assert checksums(empty_store) == before
    real = apply_text(empty_store, SMALL, actor="cli")
    assert dry.dry_run and not dry.committed and real.committed
    assert {k: v for k, v in dry.to_json().items() if k not in ("dry_run", "committed")} == {
        k: v for k, v in real.to_json().items() if k not in ("dry_run", "committed")
    }


def test_changes_are_applied_through_the_services_and_audited_as_the_actor(empty_store: Store) -> None:
    trust.set_user_role(empty_store, email="fay@bank.example", display_name="Fay", role=Role.FACILITATOR, actor="cli")
    apply_text(empty_store, SMALL, actor="cli")
    edited = (
        SMALL.replace("  - slug: join\n    name: Join\n    owners: [Sales]\n", "")  # join moves after pay
        .replace(
            "  - slug: old\n    name: Old stage\n    archived: true\n",
            "  - slug: join\n    name: Join us\n    owners: [Sales]\n    contributors: [Billing]\n",
        )
        .replace("target: 98", "target: 99")
        .replace("state: broken", "state: unreliable")
    )
    assert edited.count("slug:") == 2 and "Old stage" not in edited
    report = apply_text(empty_store, edited, actor="fay@bank.example")
    sections = report.sections
    assert sections["stages"].updated == ["join (name)", "wall order: pay, join"]
    assert sections["stages"].not_in_file == ["old"]  # left out of the file: kept, archived as it was
    assert sections["kpis"].updated == ["Bills right first time (target)"]
    assert sections["moments"].updated == ["pay: First bill right (state broken -> unreliable)"]
    assert sections["accountability"].created == ["join: Billing (contributor)"]
    assert [s["slug"] for s in q.stages(empty_store)] == ["pay", "join", "old"]
    kpi = next(k for k in q.kpis(empty_store) if k["name"] == "Bills right first time")
    assert kpi["target"] == 99 and kpi["warning"] == 95.5
    history = empty_store.execute(
        "SELECT h.to_state, h.changed_by, h.reason FROM moment_state_history h JOIN moments m ON m.id = h.moment_id "
        "WHERE m.name = 'First bill right' ORDER BY h.id"
    )
    assert history[-1] == ("unreliable", "fay@bank.example", "Set by the room's set-up file")
    audited = empty_store.execute("SELECT action, entity FROM audit_log WHERE actor = 'fay@bank.example' ORDER BY id")
    assert ("update", "stage") in audited and ("update", "kpi") in audited
    assert ("change_reliability", "moment") in audited and audited[-1] == ("apply_setup_file", "room")


def test_nothing_absent_from_the_file_is_deleted(empty_store: Store) -> None:
    apply_text(empty_store, SMALL, actor="cli")
    before = {
        t: empty_store.fetch_value(f'SELECT count(*) FROM "{t}"')
        for t in (
            "stages",
            "moments",
            "kpis",
            "silos",
            "stage_silos",
            "category_rules",
            "survey_questions",
            "survey_question_stages",
        )
    }
    report = apply_text(empty_store, "format: 1\nstages:\n  - slug: join\n    name: Join\n", actor="cli")
    assert report.changes == 0
    after = {t: empty_store.fetch_value(f'SELECT count(*) FROM "{t}"') for t in before}
    assert after == before
    kept = report.sections
    assert kept["stages"].not_in_file == ["pay", "old"]
    assert sorted(kept["kpis"].not_in_file) == ["Bills right first time", "Complaints per 1000"]
    assert kept["accountability"].not_in_file == [  # links are never removed either, only listed
        "join: Sales (owner)",
        "pay: Billing (owner)",
        "pay: Sales (contributor)",
        "pay: First bill right: Billing (owner)",
    ]
    assert len(kept["category_rules"].not_in_file) == 2


def test_an_existing_rule_is_never_changed_only_reported(empty_store: Store) -> None:
    room.create_stage(empty_store, StageCreate(slug="join", name="Join"), actor="cli")
    room.create_stage(empty_store, StageCreate(slug="pay", name="Pay"), actor="cli")
    evidence.create_category_rule(
        empty_store, CategoryRuleCreate(category="BILLING ERROR", stage_slug="join"), actor="cli"
    )
    report = apply_text(empty_store, SMALL, actor="cli")
    rules = report.sections["category_rules"]
    assert rules.skipped == ["any source: Billing error: the room sends it to join; change it on the Listening page"]
    assert rules.created == ["cfpb: Opening an account / Delay"]
    rules_now = empty_store.execute("SELECT category, stage_id FROM category_rules WHERE category ILIKE 'billing%'")
    assert rules_now == [("BILLING ERROR", 1)]


def test_a_viewer_cannot_apply_and_nothing_changes(empty_store: Store) -> None:
    trust.set_user_role(empty_store, email="vera@bank.example", display_name="Vera", role=Role.VIEWER, actor="cli")
    before = {t: v for t, v in checksums(empty_store).items() if t != "audit_log"}
    with pytest.raises(PermissionDeniedError):
        apply_text(empty_store, SMALL, actor="vera@bank.example")
    assert {t: v for t, v in checksums(empty_store).items() if t != "audit_log"} == before
    refused = empty_store.execute("SELECT actor, action FROM audit_log WHERE action = 'refused'")
    assert refused == [("vera@bank.example", "refused")]


def test_a_refusal_half_way_rolls_everything_back_and_names_the_line(empty_store: Store) -> None:
    apply_text(empty_store, SMALL, actor="cli")
    qid = empty_store.fetch_value("SELECT id FROM survey_questions")
    with empty_store.transaction("cli") as tx:  # an answer: the question's kind is now fixed
        tx.execute(
            "INSERT INTO survey_responses (response_id, question_id, value, answered_at) "
            "VALUES ('r1', ?, 9, TIMESTAMP '2024-01-05')",
            [qid],
        )
    before = checksums(empty_store)
    changed = SMALL.replace("room: Harbour Bank", "room: Harbour Bank Ltd").replace("kind: nps", "kind: csat")
    with pytest.raises(SetupFileError) as caught:
        apply_text(empty_store, changed, actor="cli")
    (problem,) = caught.value.problems
    line = changed.splitlines().index("  - survey: Relationship") + 1
    assert problem.line == line and problem.path == "survey_questions[0]"
    assert "1 answers scored as NPS" in problem.message
    assert checksums(empty_store) == before  # the room name changed earlier in the apply: rolled back too


def test_the_example_file_is_what_the_room_exports_once_applied(empty_store: Store) -> None:
    """docs/examples/real-samples-room.yaml describes exactly the room it makes (no field lost or added)."""
    from pathlib import Path

    from cxroom.setupfile.model import parse

    example = (Path(__file__).resolve().parents[2] / "docs" / "examples" / "real-samples-room.yaml").read_text()
    report = apply_text(empty_store, example, actor="cli")
    assert report.changes == 112
    written, exported = parse(example).setup, parse(export_text(empty_store)).setup

    def key(entry: object) -> str:
        return repr(sorted(entry.model_dump(mode="json").items()))  # type: ignore[attr-defined]

    for section in ("stages", "moments", "silos", "kpis", "survey_questions", "category_rules"):
        assert sorted(map(key, getattr(written, section))) == sorted(map(key, getattr(exported, section))), section
    assert written.room == exported.room


AWKWARD = [
    "a  \nb",
    "line\n\nnext",
    "tab\there",
    "#hash",
    "key: value",
    "- dash",
    "'quote",
    '"dq',
    "null",
    "true",
    "123",
    "1e3",
    "Café 😀 ✓",
    "\\back",
    "x\r\ny",
    "lone\rcr",
    "a\u2028b",
    "trailing\n  indented\n",
    "yes",
    "no",
    "~",
    "0x1F",
    ".inf",
    "2024-01-01",
    "@at",
    "*star",
    "&amp",
    "!bang",
    "%pct",
    "{brace}",
    "[list]",
    "|pipe",
    ">gt",
    "bell\x07x",
]


def test_text_yaml_would_read_as_something_else_round_trips(empty_store: Store, tmp_settings) -> None:
    """Names and descriptions that look like YAML numbers, booleans, nulls, comments, blocks or carry
    CR/LF come back exactly as they were."""
    from cxroom.models import SiloCreate

    for i, text in enumerate(AWKWARD):
        room.create_stage(empty_store, StageCreate(slug=f"s{i}", name=text.strip(), description=text), actor="cli")
        room.create_silo(empty_store, SiloCreate(name=f"{text.strip()} {i}", description=text), actor="cli")
    exported = export_text(empty_store)
    other = Store(tmp_settings.db_path.with_name("other.duckdb"))
    try:
        assert apply_text(other, exported, actor="cli").changes == 2 * len(AWKWARD)
        assert export_text(other) == exported
        read = (
            "SELECT slug, name, description FROM stages UNION ALL SELECT '', name, description FROM silos ORDER BY 1, 2"
        )
        assert other.execute(read) == empty_store.execute(read)
    finally:
        other.close()

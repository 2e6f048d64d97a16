"""Writes of the team-fix tracker on a small room built through the services:
charter (baseline at charter, cross-silo teams), status moves and their rules,
the evidence gate on celebration and its audited override, concurrent edits,
team, story, notes, attachments, presentations, and who may do what."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image
from pydantic import ValidationError

from cxroom import fix_status
from cxroom.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from cxroom.insights import fix_evidence as fe
from cxroom.media import MediaStore
from cxroom.models import (
    Direction,
    FixCreate,
    FixMember,
    FixStatus,
    KpiCreate,
    MomentCreate,
    ReviewCreate,
    SiloCreate,
    StageCreate,
)
from cxroom.permissions import Role
from cxroom.services import bulk, evidence, fix_attachments, fix_evidence, reviews, room, trust
from cxroom.services import fixes as fx
from cxroom.settings import Settings
from cxroom.store import Store

SYSTEM = "system"
FACILITATOR = "leila@room.example"
SPONSOR = "paul@room.example"  # display name Paul Hart, a viewer
MEMBER = "robert@room.example"  # Robert Chen, a fix member on the team
OUTSIDER = "olga@room.example"  # a fix member on no team
CHARTER = date(2026, 1, 1)
MONTHS_BEFORE = [date(2025, m, 1) for m in range(1, 13)]
MONTHS_AFTER = [date(2026, m, 1) for m in range(1, 7)]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small room, built once; every test gets its own copy of the file."""
    path = tmp_path_factory.mktemp("fix-room") / "room.duckdb"
    s = Store(path)
    _build(s)
    s.checkpoint()
    s.close()
    return path


@pytest.fixture
def store(template: Path, tmp_path: Path) -> Iterator[Store]:
    path = tmp_path / "room.duckdb"
    shutil.copyfile(template, path)
    s = Store(path)
    yield s
    s.close()


def _build(s: Store) -> None:
    room.create_stage(s, StageCreate(slug="claim", name="Make a claim"), actor=SYSTEM)
    for silo in ["Claims", "Digital", "Customer Service"]:
        room.create_silo(s, SiloCreate(name=silo), actor=SYSTEM)
    room.create_moment(s, MomentCreate(stage_slug="claim", name="Adjuster calls back"), actor=SYSTEM)
    callback = evidence.create_kpi(
        s,
        KpiCreate(
            stage_slug="claim",
            moment_name="Adjuster calls back",
            name="Call-back within 24h",
            unit="%",
            direction=Direction.HIGHER_BETTER,
            target=90,
        ),
        actor=SYSTEM,
    )
    flat = evidence.create_kpi(
        s,
        KpiCreate(stage_slug="claim", name="Claims settled in 10 days", unit="%", direction="higher_better", target=80),
        actor=SYSTEM,
    )
    evidence.create_kpi(s, KpiCreate(stage_slug="claim", name="Brand-new KPI", direction="lower_better"), actor=SYSTEM)
    before = [60, 62, 61, 63, 61, 62, 60, 61, 62, 61, 63, 62]  # the last one (Dec 2025) is the baseline: 62
    after = [70, 80, 86, 88, 91, 92]
    settled = [50, 52, 49, 51, 50, 52, 48, 51, 50, 49, 51, 50, 51, 49, 52, 50, 51, 50]
    frame = pd.DataFrame(
        {
            "kpi_id": [callback] * 18 + [flat] * 18,
            "period": (MONTHS_BEFORE + MONTHS_AFTER) * 2,
            "value": [float(v) for v in before + after + settled],
        }
    )
    with s.transaction(SYSTEM) as tx:
        batch = bulk.open_batch(tx, kind="kpis", source="test")
        evidence.upsert_kpi_readings(tx, frame, batch)
    for email, name, role in [
        (FACILITATOR, "Leila Mansour", Role.FACILITATOR),
        (SPONSOR, "Paul Hart", Role.VIEWER),
        (MEMBER, "Robert Chen", Role.FIX_MEMBER),
        (OUTSIDER, "Olga Berg", Role.FIX_MEMBER),
    ]:
        trust.set_user_role(s, email=email, display_name=name, role=role, actor=SYSTEM)


def team(*pairs: tuple[str, str]) -> list[FixMember]:
    return [FixMember(person=p, silo_name=s) for p, s in pairs]


TEAM = team(("Robert Chen", "Claims"), ("Aisha Rahman", "Customer Service"), ("Ines Moreau", "Digital"))


def charter(store: Store, *, kpis: list[str] | None = None, actor: str = FACILITATOR, **changes: object) -> int:
    data = {
        "title": "Call back every new claim",
        "problem": "Customers wait days to hear from an adjuster.",
        "stage_slug": "claim",
        "moment_name": "Adjuster calls back",
        "sponsor": "Paul Hart",
        "lead": "Robert Chen",
        "members": TEAM,
        "chartered_on": CHARTER,
        "due_on": date(2026, 6, 30),
        "kpi_names": ["Call-back within 24h"] if kpis is None else kpis,
        **changes,
    }
    return fx.charter_fix(store, FixCreate(**data), actor=actor, when=datetime(2026, 1, 5, 10))


def version(store: Store, fix_id: int) -> int:
    return int(store.fetch_value("SELECT version FROM fixes WHERE id = ?", [fix_id]))


def status(store: Store, fix_id: int) -> str:
    return str(store.fetch_value("SELECT status FROM fixes WHERE id = ?", [fix_id]))


def move(store: Store, fix_id: int, to: str, note: str = "", actor: str = FACILITATOR, **kw: object) -> object:
    return fx.move_fix(
        store,
        fix_id,
        to_status=FixStatus(to),
        note=note,
        expected_version=version(store, fix_id),
        actor=actor,
        **kw,  # type: ignore[arg-type]
    )


def to_results(store: Store, fix_id: int) -> None:
    move(store, fix_id, "implementing", "Auto-assignment live.")
    move(store, fix_id, "results", "Results are in.", fields={"results": "Call-backs rose from 62% to 92%."})


# -- charter -------------------------------------------------------------------------------------


def test_charter_captures_the_baseline_from_the_last_reading_before_it(store: Store) -> None:
    fix_id = charter(store, kpis=["Call-back within 24h", "Claims settled in 10 days"])
    rows = store.fetch_dicts(
        "SELECT k.name, fk.baseline, fk.baseline_period, fk.target FROM fix_kpis fk JOIN kpis k ON k.id = fk.kpi_id "
        "WHERE fk.fix_id = ? ORDER BY k.name",
        [fix_id],
    )
    assert rows == [
        {"name": "Call-back within 24h", "baseline": 62.0, "baseline_period": date(2025, 12, 1), "target": 90.0},
        {"name": "Claims settled in 10 days", "baseline": 50.0, "baseline_period": date(2025, 12, 1), "target": 80.0},
    ]
    members = store.execute("SELECT person FROM fix_members WHERE fix_id = ? ORDER BY person", [fix_id])
    assert [m[0] for m in members] == ["Aisha Rahman", "Ines Moreau", "Robert Chen"]
    timeline = store.fetch_dicts("SELECT author, to_status, note FROM fix_updates WHERE fix_id = ?", [fix_id])
    assert timeline == [{"author": FACILITATOR, "to_status": "chartered", "note": "Team chartered"}]
    assert store.fetch_value("SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'fix'") == 1


def test_a_single_silo_team_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError, match="at least two silos"):
        charter(store, members=team(("Robert Chen", "Claims"), ("Ann Lee", "claims")))
    # the service checks too: a model built without validation cannot slip through
    unchecked = FixCreate.model_construct(
        title="One silo",
        problem="Only Claims people on this team.",
        stage_slug="claim",
        moment_name=None,
        sponsor="Paul Hart",
        lead="Robert Chen",
        members=team(("Robert Chen", "Claims"), ("Ann Lee", "Claims")),
        chartered_on=CHARTER,
        due_on=None,
        chartered_review_id=None,
        kpi_names=[],
    )
    with pytest.raises(InvalidInputError, match="at least two silos"):
        fx.charter_fix(store, unchecked, actor=FACILITATOR)
    assert store.fetch_value("SELECT count(*) FROM fixes") == 0


def test_the_service_refuses_teams_that_break_the_rules(store: Store) -> None:
    with pytest.raises(InvalidInputError, match=r"(?i)robert chen is listed twice"):
        charter(store, members=[*TEAM, FixMember(person="robert chen", silo_name="Digital")])
    with pytest.raises(InvalidInputError, match="The lead, Zoe Park, must be a member"):
        charter(store, lead="Zoe Park")
    with pytest.raises(NotFoundError, match="There is no silo 'Finance'"):
        charter(store, members=[*TEAM, FixMember(person="Zoe Park", silo_name="Finance")])
    assert store.fetch_value("SELECT count(*) FROM fixes") == 0


def test_a_due_date_before_the_charter_is_refused(store: Store) -> None:
    with pytest.raises(ValidationError, match="due date cannot be before the charter date"):
        charter(store, due_on=date(2025, 12, 31))


def test_a_kpi_without_a_baseline_is_refused_and_nothing_is_saved(store: Store) -> None:
    with pytest.raises(InvalidInputError, match="'Brand-new KPI' has no reading before the charter date"):
        charter(store, kpis=["Call-back within 24h", "Brand-new KPI"])
    with pytest.raises(InvalidInputError, match="no reading before the charter date \\(01 Jan 2024\\)"):
        charter(store, chartered_on=date(2024, 1, 1), due_on=date(2024, 6, 1))
    with pytest.raises(InvalidInputError, match="no KPI called 'Nope'"):
        charter(store, kpis=["Nope"])
    with pytest.raises(NotFoundError, match="no review #99"):
        charter(store, chartered_review_id=99)
    assert store.fetch_value("SELECT count(*) FROM fixes") == 0
    assert store.fetch_value("SELECT count(*) FROM fix_members") == 0


def test_a_fix_can_be_chartered_at_a_review(store: Store) -> None:
    review = reviews.create_review(
        store, ReviewCreate(held_on=date(2025, 12, 10), title="December review"), actor=FACILITATOR
    )
    fix_id = charter(store, chartered_review_id=review)
    assert store.fetch_value("SELECT chartered_review_id FROM fixes WHERE id = ?", [fix_id]) == review


# -- moves ------------------------------------------------------------------------------------------


def test_next_statuses() -> None:
    assert fix_status.next_statuses("chartered") == [
        FixStatus.DIAGNOSING,
        FixStatus.RECOMMENDING,
        FixStatus.IMPLEMENTING,
        FixStatus.DROPPED,
    ]
    assert FixStatus.RESULTS in fix_status.next_statuses("implementing")
    assert FixStatus.CELEBRATED in fix_status.next_statuses("results")
    assert FixStatus.CELEBRATED not in fix_status.next_statuses("implementing")
    assert fix_status.next_statuses("celebrated") == []
    assert fix_status.next_statuses("dropped") == [FixStatus.CHARTERED, FixStatus.DIAGNOSING]


def test_a_fix_walks_every_status_with_a_timeline(store: Store) -> None:
    fix_id = charter(store)
    move(store, fix_id, "diagnosing", "Shadowed 40 claims.")
    move(store, fix_id, "recommending", "Auto-assign at first notice of loss.")
    move(store, fix_id, "implementing", "Live for motor claims.")
    move(
        store, fix_id, "results", "Results in.", fields={"results": "Call-backs rose to 92%.", "findings": "Hand-offs."}
    )
    celebration = move(store, fix_id, "celebrated", "Celebrated in the room.")
    assert status(store, fix_id) == "celebrated" and version(store, fix_id) == 6
    steps = store.execute(
        "SELECT from_status, to_status FROM fix_updates WHERE fix_id = ? AND to_status IS NOT NULL ORDER BY id",
        [fix_id],
    )
    assert steps == [
        (None, "chartered"),
        ("chartered", "diagnosing"),
        ("diagnosing", "recommending"),
        ("recommending", "implementing"),
        ("implementing", "results"),
        ("results", "celebrated"),
    ]
    assert store.fetch_value("SELECT findings FROM fixes WHERE id = ?", [fix_id]) == "Hand-offs."
    assert isinstance(celebration, fe.Celebration) and celebration.basis == "target_met"
    row = store.fetch_dicts("SELECT * FROM fix_celebrations WHERE fix_id = ?", [fix_id])[0]
    assert row["basis"] == "target_met" and row["override_reason"] is None
    assert row["evidence"] == "Call-back within 24h: 92.0% in Jun 2026 meets the target of 90.0%."
    assert row["celebrated_by"] == FACILITATOR
    moves = store.fetch_value("SELECT count(*) FROM audit_log WHERE entity = 'fix' AND action = 'move'")
    assert moves == 5


@pytest.mark.parametrize(
    ("path", "to", "message"),
    [
        ([], "celebrated", "celebrated only from 'results'"),
        ([], "results", "Results come after implementing"),
        (["diagnosing"], "celebrated", "celebrated only from 'results'"),
        ([], "chartered", "already 'chartered'"),
        ([], "dropped", "Say why the fix is dropped"),
        (["implementing"], "diagnosing", "needs a note saying why"),
        (["implementing"], "results", "Write the results before moving to 'results'"),
    ],
)
def test_status_moves_that_skip_evidence_or_reasons_are_refused(
    store: Store, path: list[str], to: str, message: str
) -> None:
    fix_id = charter(store)
    for step in path:
        move(store, fix_id, step, "ok")
    before = (status(store, fix_id), version(store, fix_id))
    with pytest.raises(InvalidInputError, match=message):
        move(store, fix_id, to, "")
    assert (status(store, fix_id), version(store, fix_id)) == before


def test_drop_reopen_and_move_back_with_a_reason(store: Store) -> None:
    fix_id = charter(store)
    move(store, fix_id, "implementing", "Started building.")
    move(store, fix_id, "diagnosing", "The first idea did not work; back to the data.")
    move(store, fix_id, "dropped", "Folded into the claims platform programme.")
    with pytest.raises(InvalidInputError, match="reopened as 'chartered' or 'diagnosing'"):
        move(store, fix_id, "implementing", "Reopen straight into building.")
    move(store, fix_id, "diagnosing", "Reopened by the sponsor.")
    assert status(store, fix_id) == "diagnosing"


def test_a_celebrated_fix_stays_celebrated(store: Store) -> None:
    fix_id = charter(store)
    to_results(store, fix_id)
    move(store, fix_id, "celebrated", "Party.")
    with pytest.raises(InvalidInputError, match="stays celebrated"):
        move(store, fix_id, "results", "Undo that, please.")


# -- the evidence gate -----------------------------------------------------------------------------------


def test_celebrating_on_an_improved_verdict(store: Store) -> None:
    # target 95 is not met by 92, but the series clearly improved
    fix_id = charter(store)
    store.execute("UPDATE fix_kpis SET target = 95 WHERE fix_id = ?", [fix_id])
    to_results(store, fix_id)
    celebration = move(store, fix_id, "celebrated", "")
    assert isinstance(celebration, fe.Celebration) and celebration.basis == "improved"
    expected = "Call-back within 24h: improved from an average of 61.5% to 84.5% since the fix"
    assert celebration.summary.startswith(expected)


def test_without_evidence_celebration_needs_the_sponsors_override(store: Store) -> None:
    fix_id = charter(store, kpis=["Claims settled in 10 days"])  # flat: no change, target 80 far away
    to_results(store, fix_id)
    with pytest.raises(InvalidInputError, match="no evidence yet that this fix worked"):
        move(store, fix_id, "celebrated", "Let's celebrate.")
    with pytest.raises(InvalidInputError, match="reason of at least a sentence"):
        move(store, fix_id, "celebrated", "", override_reason="ok")
    with pytest.raises(PermissionDeniedError, match="Only the sponsor, Paul Hart, or a facilitator"):
        move(store, fix_id, "celebrated", "", actor=MEMBER, override_reason="The team worked very hard on it.")
    assert status(store, fix_id) == "results"
    refused = store.fetch_value("SELECT count(*) FROM audit_log WHERE action = 'refused' AND actor = ?", [MEMBER])
    assert refused == 1
    # the sponsor may, even as a viewer: it is their call, and it is audited
    reason = "Settlement times are driven by the new regulator rules; the team's process change is done."
    celebration = move(store, fix_id, "celebrated", "", actor=SPONSOR, override_reason=reason)
    assert isinstance(celebration, fe.Celebration) and celebration.basis == "override"
    row = store.fetch_dicts("SELECT * FROM fix_celebrations WHERE fix_id = ?", [fix_id])[0]
    assert (row["basis"], row["override_reason"], row["celebrated_by"]) == ("override", reason, SPONSOR)
    audit = store.fetch_dicts(
        "SELECT actor, after FROM audit_log WHERE action = 'celebrate_override' AND entity_id = ?", [str(fix_id)]
    )
    assert len(audit) == 1 and audit[0]["actor"] == SPONSOR
    assert json.loads(audit[0]["after"])["celebration"]["basis"] == "override"


def test_a_facilitator_can_record_the_sponsors_override(store: Store) -> None:
    fix_id = charter(store, kpis=[])
    to_results(store, fix_id)
    move(store, fix_id, "celebrated", "", override_reason="Paul Hart decided in the review: proven by the audit.")
    assert store.fetch_value("SELECT basis FROM fix_celebrations WHERE fix_id = ?", [fix_id]) == "override"


def test_a_backdated_celebration_is_judged_on_the_data_of_its_day(store: Store) -> None:
    fix_id = charter(store)
    to_results(store, fix_id)
    # on 1 Mar 2026 only Jan and Feb were complete: 70 and 80, too little data and target not met
    with pytest.raises(InvalidInputError, match="no evidence yet"):
        move(store, fix_id, "celebrated", "", when=datetime(2026, 3, 1, 9))
    early = fix_evidence.load_evidence(store, fix_id, as_of=date(2026, 3, 1))
    assert [r.value for r in early.kpis[0].readings][-2:] == [70.0, 80.0]
    assert early.kpis[0].evidence.verdict is fe.Verdict.TOO_LITTLE_DATA


def test_load_evidence_reports_kpis_and_complaints(store: Store) -> None:
    fix_id = charter(store, kpis=["Call-back within 24h", "Claims settled in 10 days"])
    ev = fix_evidence.load_evidence(store, fix_id)
    names = [s.name for s in ev.kpis]
    assert names == ["Call-back within 24h", "Claims settled in 10 days"]
    verdicts = {s.name: s.evidence.verdict for s in ev.kpis}
    assert verdicts == {
        "Call-back within 24h": fe.Verdict.IMPROVED,
        "Claims settled in 10 days": fe.Verdict.NO_CHANGE,
    }
    assert ev.kpis[0].baseline == 62.0 and ev.kpis[0].target == 90.0
    assert ev.complaints is None  # the room holds no complaints
    with pytest.raises(NotFoundError):
        fix_evidence.load_evidence(store, 999)


# -- concurrency ----------------------------------------------------------------------------------------


def test_concurrent_edits_the_loser_gets_a_clear_conflict_and_nothing_is_overwritten(store: Store) -> None:
    fix_id = charter(store)
    seen = version(store, fix_id)  # both people opened the fix at this version
    fx.move_fix(store, fix_id, to_status=FixStatus.DIAGNOSING, note="A", expected_version=seen, actor=FACILITATOR)
    with pytest.raises(ConflictError, match="Someone else changed this fix since you opened it \\(Leila Mansour"):
        fx.move_fix(
            store, fix_id, to_status=FixStatus.DROPPED, note="B drops it now.", expected_version=seen, actor=MEMBER
        )
    with pytest.raises(ConflictError, match="nothing of theirs was overwritten"):
        fx.update_fix(store, fix_id, expected_version=seen, actor=MEMBER, findings="B's findings")
    assert status(store, fix_id) == "diagnosing"
    assert store.fetch_value("SELECT findings FROM fixes WHERE id = ?", [fix_id]) == ""
    assert store.fetch_value("SELECT count(*) FROM fix_updates WHERE fix_id = ?", [fix_id]) == 2


# -- story, team, notes, attachments, presentations ----------------------------------------------------


def test_update_fix_edits_the_story_and_refuses_a_due_date_before_the_charter(store: Store) -> None:
    fix_id = charter(store)
    fx.update_fix(
        store, fix_id, expected_version=1, actor=MEMBER, findings="Three hand-offs.", due_on=date(2026, 9, 30)
    )
    row = store.fetch_dicts("SELECT findings, due_on, version FROM fixes WHERE id = ?", [fix_id])[0]
    assert row == {"findings": "Three hand-offs.", "due_on": date(2026, 9, 30), "version": 2}
    note = store.fetch_value("SELECT note FROM fix_updates WHERE fix_id = ? ORDER BY id DESC LIMIT 1", [fix_id])
    assert note == "Edited findings, due date"
    with pytest.raises(InvalidInputError, match="due date cannot be before the charter date \\(01 Jan 2026\\)"):
        fx.update_fix(store, fix_id, expected_version=2, actor=MEMBER, due_on=date(2025, 1, 1))
    with pytest.raises(InvalidInputError, match="Nothing changed"):
        fx.update_fix(store, fix_id, expected_version=2, actor=MEMBER, findings="Three hand-offs.")


def test_set_team_keeps_the_team_cross_functional(store: Store) -> None:
    fix_id = charter(store)
    with pytest.raises(InvalidInputError, match="at least two silos"):
        fx.set_team(
            store,
            fix_id,
            members=team(("Robert Chen", "Claims")),
            lead="Robert Chen",
            expected_version=1,
            actor=FACILITATOR,
        )
    new_team = team(("Robert Chen", "Claims"), ("Ines Moreau", "Digital"), ("Sam Ng", "Customer Service"))
    fx.set_team(store, fix_id, members=new_team, lead="Ines Moreau", expected_version=1, actor=FACILITATOR)
    assert store.fetch_value("SELECT lead FROM fixes WHERE id = ?", [fix_id]) == "Ines Moreau"
    note = store.fetch_value("SELECT note FROM fix_updates WHERE fix_id = ? ORDER BY id DESC LIMIT 1", [fix_id])
    assert note == (
        "Team changed: + Sam Ng (Customer Service); − Aisha Rahman (Customer Service); lead: Robert Chen → Ines Moreau"
    )


def test_notes_attachments_and_presentations_land_on_the_timeline(store: Store, tmp_settings: Settings) -> None:
    fix_id = charter(store)
    fx.add_note(store, fix_id, note="Vendor call booked for Tuesday.", actor=MEMBER)
    with pytest.raises(InvalidInputError, match="Write the update"):
        fx.add_note(store, fix_id, note="  ", actor=MEMBER)
    png = io.BytesIO()
    Image.new("RGB", (40, 30), "#1F4E79").save(png, format="PNG")
    stored = MediaStore(tmp_settings).put(png.getvalue(), allowed={"image", "pdf"}, original_name="map.png")
    attachment = fix_attachments.attach_file(store, fix_id, media=stored, title="Process map", actor=MEMBER)
    row = store.fetch_dicts(
        "SELECT fix_id, media_sha256, title, added_by FROM fix_attachments WHERE id = ?", [attachment]
    )
    assert row == [{"fix_id": fix_id, "media_sha256": stored.sha256, "title": "Process map", "added_by": MEMBER}]
    assert store.fetch_value("SELECT mime FROM media WHERE sha256 = ?", [stored.sha256]) == "image/png"
    review = reviews.create_review(store, ReviewCreate(held_on=date(2026, 3, 10), title="March review"), actor=SYSTEM)
    fx.record_presentation(store, fix_id=fix_id, review_id=review, actor=FACILITATOR, when=date(2026, 3, 10))
    notes = [r[0] for r in store.execute("SELECT note FROM fix_updates WHERE fix_id = ? ORDER BY id", [fix_id])]
    assert notes == [
        "Team chartered",
        "Vendor call booked for Tuesday.",
        "Attached 'Process map'",
        "Presented at 'March review'",
    ]


# -- who may ----------------------------------------------------------------------------------------------


def test_roles_are_checked_on_the_server(store: Store) -> None:
    with pytest.raises(PermissionDeniedError):
        charter(store, actor=SPONSOR)  # a viewer does not charter
    with pytest.raises(PermissionDeniedError):
        charter(store, actor=MEMBER)  # neither does a fix member
    fix_id = charter(store)
    move(store, fix_id, "diagnosing", "Robert moves his own fix.", actor=MEMBER)
    with pytest.raises(PermissionDeniedError, match="not a member of fix"):
        fx.add_note(store, fix_id, note="Olga is not on this team.", actor=OUTSIDER)
    with pytest.raises(PermissionDeniedError):
        move(store, fix_id, "recommending", "A viewer cannot move it.", actor=SPONSOR)


# -- the demo room ---------------------------------------------------------------------------------------


def test_the_demo_celebrations_rest_on_evidence(demo_store: Store) -> None:
    rows = demo_store.fetch_dicts(
        "SELECT f.title, c.basis, c.evidence FROM fix_celebrations c JOIN fixes f ON f.id = c.fix_id ORDER BY f.id"
    )
    assert [(r["title"], r["basis"]) for r in rows] == [
        ("Call back every new claim within 24 hours", "improved"),
        ("Same-day policy documents", "target_met"),
    ]
    assert rows[0]["evidence"].startswith("Adjuster call-back within 24h: improved")
    assert rows[1]["evidence"].endswith("in Aug 2025 meets the target of 95.0%.")

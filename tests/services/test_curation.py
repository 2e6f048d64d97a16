"""Curating the evidence: KPI definitions, the stages a survey question
speaks about, artifacts, and which call (and which part of it) plays on the
wall. Each write checks the version seen and the role of the acting user."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest
from pydantic import ValidationError

from cxroom.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from cxroom.models import ArtifactKind, Direction, Frequency, QuestionKind
from cxroom.queries import setup as q
from cxroom.queries.wall.wall_data import load_wall
from cxroom.services import curation
from cxroom.setup_models import ArtifactEdit, ClipEdit, KpiDefinition, QuestionEdit
from cxroom.store import Store
from tests.services.test_room_setup import FACILITATOR, VIEWER, build_small_room


@pytest.fixture
def small(empty_store: Store) -> tuple[Store, dict[str, int]]:
    return empty_store, build_small_room(empty_store)


def _kpi(ids: dict[str, int], **changes: object) -> KpiDefinition:
    base: dict[str, object] = {
        "stage_id": ids["pay"],
        "moment_id": ids["bill"],
        "name": "Bills matching the quote",
        "unit": "%",
        "direction": Direction.HIGHER_BETTER,
        "target": 99.0,
        "warning": 97.0,
        "frequency": Frequency.MONTHLY,
        "silo_id": ids["Billing"],
        "definition": "",
    }
    return KpiDefinition(**{**base, **changes})


def _audit_after(store: Store, entity: str) -> dict[str, object]:
    return json.loads(
        store.fetch_value(
            "SELECT after FROM audit_log WHERE entity = ? AND action NOT IN ('create', 'refused') "
            "ORDER BY id DESC LIMIT 1",
            [entity],
        )
    )


# -- KPIs ------------------------------------------------------------------------------


def test_a_kpi_definition_edit_keeps_its_readings(small: tuple[Store, dict[str, int]]) -> None:
    store, ids = small
    curation.update_kpi(
        store,
        ids["kpi"],
        _kpi(ids, target=98.5, warning=96.0, moment_id=None, silo_id=None, definition="Bills within 1% of the quote"),
        expected_version=1,
        actor=FACILITATOR,
    )
    row = q.kpis(store).set_index("id").loc[ids["kpi"]]
    assert (row["target"], row["warning"], row["definition"]) == (98.5, 96.0, "Bills within 1% of the quote")
    assert row["moment_name"] is None and row["silo_name"] is None
    assert row["readings"] == 2
    assert _audit_after(store, "kpi")["target"] == 98.5
    with pytest.raises(ConflictError):
        curation.update_kpi(
            store, ids["kpi"], _kpi(ids, target=90.0, warning=80.0), expected_version=1, actor=FACILITATOR
        )


def test_kpi_rules_hold_on_edit(small: tuple[Store, dict[str, int]]) -> None:
    store, ids = small
    with pytest.raises(ValidationError, match="warning threshold"):
        _kpi(ids, warning=99.5)
    with pytest.raises(InvalidInputError, match="already called"):
        curation.update_kpi(store, ids["kpi"], _kpi(ids, name="QUOTE COMPLETION"), expected_version=1, actor="cli")
    with pytest.raises(InvalidInputError, match="another stage"):
        curation.update_kpi(store, ids["kpi"], _kpi(ids, stage_id=ids["buy"]), expected_version=1, actor="cli")
    with pytest.raises(NotFoundError):
        curation.update_kpi(store, ids["kpi"], _kpi(ids, silo_id=999), expected_version=1, actor="cli")
    with pytest.raises(PermissionDeniedError):
        curation.update_kpi(store, ids["kpi"], _kpi(ids, unit="pct"), expected_version=1, actor=VIEWER)
    # Moving a KPI (without its moment) to another stage is allowed.
    curation.update_kpi(
        store, ids["kpi"], _kpi(ids, stage_id=ids["buy"], moment_id=None), expected_version=1, actor="cli"
    )
    assert q.kpis(store).set_index("id").loc[ids["kpi"], "stage_name"] == "Buy"


# -- survey questions ---------------------------------------------------------------------


def test_survey_question_stage_links_can_change(small: tuple[Store, dict[str, int]]) -> None:
    store, ids = small
    edit = QuestionEdit(
        survey="Relationship",
        text="How easy was it to pay your bill?",
        kind=QuestionKind.CES,
        stage_ids=[ids["buy"], ids["pay"]],
    )
    curation.update_question(store, ids["question"], edit, expected_version=1, actor=FACILITATOR)
    row = q.questions(store).set_index("id").loc[ids["question"]]
    assert row["text"] == "How easy was it to pay your bill?"
    assert list(row["stage_ids"]) == [ids["buy"], ids["pay"]] and row["stage_names"] == "Buy, Pay"
    stages_in_wall = load_wall(store, date(2026, 9, 1))
    with_question = {c.stage.name for c in stages_in_wall.columns if c.surveys}
    assert with_question == {"Buy", "Pay"}
    entry = _audit_after(store, "survey_question")
    assert entry["stage_ids"] == [ids["buy"], ids["pay"]]
    curation.set_question_stages(store, ids["question"], [ids["shop"]], expected_version=2, actor=FACILITATOR)
    assert q.questions(store).set_index("id").loc[ids["question"], "stage_names"] == "Shop"
    with pytest.raises(ConflictError):
        curation.set_question_stages(store, ids["question"], [], expected_version=2, actor=FACILITATOR)


def test_a_question_with_answers_keeps_its_kind(small: tuple[Store, dict[str, int]]) -> None:
    store, ids = small
    edit = QuestionEdit(
        survey="Relationship", text="How easy was it to pay?", kind=QuestionKind.NPS, stage_ids=[ids["pay"]]
    )
    with pytest.raises(InvalidInputError, match="3 answers"):
        curation.update_question(store, ids["question"], edit, expected_version=1, actor=FACILITATOR)
    with pytest.raises(PermissionDeniedError):
        curation.update_question(store, ids["question"], edit, expected_version=1, actor=VIEWER)


# -- artifacts ------------------------------------------------------------------------------


def test_artifacts_can_be_edited_rehung_and_removed(small: tuple[Store, dict[str, int]]) -> None:
    store, ids = small
    edit = ArtifactEdit(
        stage_id=ids["pay"],
        moment_id=ids["bill"],
        title="First bill (2026 layout)",
        kind=ArtifactKind.BILL,
        caption="Page 1",
        asks_of_customer="Pay by the 15th",
        version_label="v3",
        issued_on=date(2026, 5, 1),
    )
    curation.update_artifact(store, ids["artifact"], edit, expected_version=1, actor=FACILITATOR)
    row = q.artifacts(store).set_index("id").loc[ids["artifact"]]
    assert (row["title"], row["moment_name"], row["version_label"]) == (
        "First bill (2026 layout)",
        "First bill matches the quote",
        "v3",
    )
    with pytest.raises(InvalidInputError, match="another stage"):
        curation.update_artifact(
            store,
            ids["artifact"],
            edit.model_copy(update={"stage_id": ids["buy"]}),
            expected_version=2,
            actor=FACILITATOR,
        )
    with pytest.raises(ConflictError):
        curation.remove_artifact(store, ids["artifact"], expected_version=1, actor=FACILITATOR)
    with pytest.raises(PermissionDeniedError):
        curation.remove_artifact(store, ids["artifact"], expected_version=2, actor=VIEWER)
    curation.remove_artifact(store, ids["artifact"], expected_version=2, actor=FACILITATOR)
    assert q.artifacts(store).empty
    removed = json.loads(
        store.fetch_value("SELECT before FROM audit_log WHERE entity = 'artifact' AND action = 'delete'")
    )
    assert removed["title"] == "First bill (2026 layout)"


# -- calls ------------------------------------------------------------------------------------


def test_the_clip_and_transcript_of_a_call_can_change(small: tuple[Store, dict[str, int]]) -> None:
    store, ids = small
    call = ids["Newer call"]
    edit = ClipEdit(
        clip_start_s=10,
        clip_end_s=30,
        transcript=[
            {"start": 10, "end": 14, "speaker": "Customer", "text": "My bill is wrong."},
            {"start": 14, "end": 20, "speaker": "Agent", "text": "Let me look."},
        ],
    )
    curation.update_call_clip(store, call, edit, expected_version=1, actor=FACILITATOR)
    row = q.calls(store).set_index("id").loc[call]
    assert (row["clip_start_s"], row["clip_end_s"]) == (10, 30)
    assert [s["speaker"] for s in q.transcript_segments(row["transcript"])] == ["Customer", "Agent"]
    # Without a transcript the stored one stays.
    curation.update_call_clip(
        store, call, ClipEdit(clip_start_s=12, clip_end_s=None), expected_version=2, actor=FACILITATOR
    )
    row = q.calls(store).set_index("id").loc[call]
    assert pd.isna(row["clip_end_s"])  # to the end of the recording
    assert len(q.transcript_segments(row["transcript"])) == 2
    with pytest.raises(ValidationError):
        ClipEdit(clip_start_s=30, clip_end_s=10)
    with pytest.raises(InvalidInputError, match="inside the recording"):
        curation.update_call_clip(store, call, ClipEdit(clip_start_s=70), expected_version=3, actor=FACILITATOR)
    with pytest.raises(ConflictError):
        curation.update_call_clip(store, call, ClipEdit(clip_start_s=1), expected_version=1, actor=FACILITATOR)
    with pytest.raises(PermissionDeniedError):
        curation.update_call_clip(store, call, ClipEdit(clip_start_s=1), expected_version=3, actor=VIEWER)


def test_which_call_plays_on_the_wall(small: tuple[Store, dict[str, int]]) -> None:
    store, ids = small
    older, newer = ids["Older call"], ids["Newer call"]

    def playing() -> str:
        pay = next(c for c in load_wall(store, date(2026, 9, 1)).columns if c.stage.name == "Pay")
        return pay.calls[0].title if pay.calls else ""

    assert playing() == "Newer call"
    assert q.calls(store).set_index("id").loc[newer, "plays_on_wall"]
    curation.play_on_wall(store, older, expected_version=1, actor=FACILITATOR)
    assert playing() == "Older call"
    calls = q.calls(store).set_index("id")
    assert not calls.loc[newer, "on_wall"] and calls.loc[older, "plays_on_wall"]
    curation.set_call_on_wall(store, older, False, expected_version=1, actor=FACILITATOR)
    assert playing() == ""
    with pytest.raises(ConflictError):
        curation.set_call_on_wall(store, newer, True, expected_version=1, actor=FACILITATOR)  # taken off: version 2
    curation.set_call_on_wall(store, newer, True, expected_version=2, actor=FACILITATOR)
    assert playing() == "Newer call"
    with pytest.raises(PermissionDeniedError):
        curation.play_on_wall(store, older, expected_version=2, actor=VIEWER)
    assert "taken_off" in json.loads(store.fetch_value("SELECT before FROM audit_log WHERE action = 'play_on_wall'"))

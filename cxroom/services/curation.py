"""Curating the evidence under each stage: KPI definitions, which stages a
survey question speaks about, artifacts, and which call (and which part of
it) plays on the wall.

Like every service: one transaction per write, the acting user's permission
checked, the version the person saw checked, and an audit entry with the
record before and after. Creating evidence lives in ``services.evidence`` and
``services.imports`` and ``services.evidence_files``; the clip and transcript of a call are
changed by ``services.evidence_files.update_call_clip``, which this module calls.
"""

from __future__ import annotations

from typing import Any

from cxroom.errors import ConflictError, InvalidInputError, NotFoundError
from cxroom.permissions import Action
from cxroom.services import _lookup, artifact_versions, evidence_files
from cxroom.setup_models import ArtifactEdit, ClipEdit, KpiDefinition, QuestionEdit
from cxroom.store import Store, Tx


def _check_place(tx: Tx, stage_id: int, moment_id: int | None) -> None:
    """The stage exists and the moment of truth, if any, is one of its own."""
    _lookup.row(tx, "stages", stage_id)
    if moment_id is None:
        return
    found = tx.fetch_value("SELECT stage_id FROM moments WHERE id = ?", [moment_id])
    if found is None:
        raise NotFoundError(f"There is no moment of truth #{moment_id}.")
    if int(found) != stage_id:
        raise InvalidInputError("That moment of truth belongs to another stage; pick one of this stage's moments.")


def _check_version(before: dict[str, Any], expected_version: int, what: str) -> None:
    if before["version"] != expected_version:
        raise ConflictError(
            f"{what} was changed by someone else since you opened it; your change was not saved. "
            "Reload to see their change, then apply yours."
        )


# -- KPIs -----------------------------------------------------------------------


def update_kpi(store: Store, kpi_id: int, data: KpiDefinition, *, expected_version: int, actor: str) -> None:
    """Change what a KPI measures, where it hangs, its target and warning (its readings stay)."""
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        before = _lookup.row(tx, "kpis", kpi_id)
        _check_place(tx, data.stage_id, data.moment_id)
        if data.silo_id is not None:
            _lookup.row(tx, "silos", data.silo_id)
        # Imports find a KPI by its name, so names stay unique (ignoring case).
        if tx.fetch_value("SELECT count(*) FROM kpis WHERE lower(name) = lower(?) AND id <> ?", [data.name, kpi_id]):
            raise InvalidInputError(f"Another KPI is already called '{data.name}'; KPI files find KPIs by name.")
        values = data.model_dump()
        values["direction"] = data.direction.value
        values["frequency"] = data.frequency.value
        tx.update_versioned("kpis", kpi_id, expected_version, values)
        tx.audit("update", "kpi", kpi_id, before, _lookup.row(tx, "kpis", kpi_id))


# -- survey questions --------------------------------------------------------------


def _question_stages(tx: Tx, question_id: int) -> list[int]:
    rows = tx.fetch_all(
        "SELECT stage_id FROM survey_question_stages WHERE question_id = ? ORDER BY stage_id", [question_id]
    )
    return [int(r[0]) for r in rows]


def update_question(store: Store, question_id: int, data: QuestionEdit, *, expected_version: int, actor: str) -> None:
    """Reword a survey question, or change the stages its answers speak about."""
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        before = _lookup.row(tx, "survey_questions", question_id)
        before_stages = _question_stages(tx, question_id)
        stages = sorted(set(data.stage_ids))
        for stage in stages:
            _lookup.row(tx, "stages", stage)
        clash = tx.fetch_value(
            "SELECT count(*) FROM survey_questions WHERE survey = ? AND text = ? AND id <> ?",
            [data.survey, data.text, question_id],
        )
        if clash:
            raise InvalidInputError(f"The survey '{data.survey}' already has that question.")
        if data.kind.value != before["kind"]:
            answers = int(tx.fetch_value("SELECT count(*) FROM survey_responses WHERE question_id = ?", [question_id]))
            if answers:
                raise InvalidInputError(
                    f"The question already has {answers:,} answers scored as {str(before['kind']).upper()}; "
                    "its kind cannot change. Create a new question instead."
                )
        tx.update_versioned(
            "survey_questions",
            question_id,
            expected_version,
            {"survey": data.survey, "text": data.text, "kind": data.kind.value},
        )
        if stages != before_stages:
            tx.execute("DELETE FROM survey_question_stages WHERE question_id = ?", [question_id])
            for stage in stages:
                tx.execute(
                    "INSERT INTO survey_question_stages (question_id, stage_id) VALUES (?, ?)", [question_id, stage]
                )
        after = _lookup.row(tx, "survey_questions", question_id)
        tx.audit(
            "update",
            "survey_question",
            question_id,
            {**before, "stage_ids": before_stages},
            {**after, "stage_ids": stages},
        )


def set_question_stages(
    store: Store, question_id: int, stage_ids: list[int], *, expected_version: int, actor: str
) -> None:
    """Only the stages a question speaks about (its wording stays)."""
    current = store.fetch_one("SELECT survey, text, kind FROM survey_questions WHERE id = ?", [question_id])
    if current is None:
        raise NotFoundError(f"survey_questions #{question_id} does not exist.")
    survey, text, kind = current
    data = QuestionEdit(survey=survey, text=text, kind=kind, stage_ids=stage_ids)
    update_question(store, question_id, data, expected_version=expected_version, actor=actor)


# -- artifacts ------------------------------------------------------------------------


def update_artifact(store: Store, artifact_id: int, data: ArtifactEdit, *, expected_version: int, actor: str) -> None:
    """Retitle, recaption or rehang an artifact (the file itself stays)."""
    with store.transaction(actor) as tx:
        tx.require(Action.EVIDENCE_EDIT)
        before = _lookup.row(tx, "artifacts", artifact_id)
        _check_place(tx, data.stage_id, data.moment_id)
        values = data.model_dump()
        values["kind"] = data.kind.value
        if data.stage_id != before["stage_id"]:  # goes to the end of its new stage
            values["position"] = _lookup.next_artifact_position(tx, data.stage_id)
        tx.update_versioned("artifacts", artifact_id, expected_version, values)
        tx.audit("update", "artifact", artifact_id, before, _lookup.row(tx, "artifacts", artifact_id))


def remove_artifact(store: Store, artifact_id: int, *, expected_version: int, actor: str) -> None:
    """Take an artifact off the room. The file stays in the media store (and in the audit entry's reference)."""
    with store.transaction(actor) as tx:
        tx.require(Action.EVIDENCE_EDIT)
        before = _lookup.row(tx, "artifacts", artifact_id)
        _check_version(before, expected_version, f"The artifact '{before['title']}'")
        tx.execute("DELETE FROM artifacts WHERE id = ?", [artifact_id])
        artifact_versions.unlink_in(tx, artifact_id)
        tx.audit("delete", "artifact", artifact_id, before, None)


# -- calls ------------------------------------------------------------------------------


def update_call_clip(store: Store, call_id: int, data: ClipEdit, *, expected_version: int, actor: str) -> None:
    """Which part of the recording plays on the wall, and its transcript (see services.evidence_files)."""
    transcript = None if data.transcript is None else [seg.model_dump() for seg in data.transcript]
    evidence_files.update_call_clip(
        store,
        call_id=call_id,
        expected_version=expected_version,
        clip_start_s=data.clip_start_s,
        clip_end_s=data.clip_end_s,
        transcript=transcript,
        actor=actor,
    )


_CALL_AUDIT = ("stage_id", "title", "on_wall", "version")


def set_call_on_wall(store: Store, call_id: int, on_wall: bool, *, expected_version: int, actor: str) -> None:
    """Offer a call to the wall, or take it off (it stays on the stage page)."""
    with store.transaction(actor) as tx:
        tx.require(Action.EVIDENCE_EDIT)
        before = _lookup.row(tx, "calls", call_id)
        if bool(before["on_wall"]) == on_wall:
            return
        tx.update_versioned("calls", call_id, expected_version, {"on_wall": on_wall})
        after = _lookup.row(tx, "calls", call_id)
        tx.audit(
            "update_on_wall", "call", call_id, {k: before[k] for k in _CALL_AUDIT}, {k: after[k] for k in _CALL_AUDIT}
        )


def play_on_wall(store: Store, call_id: int, *, expected_version: int, actor: str) -> None:
    """Make this the one call its stage's column plays: it goes on the wall, the stage's other calls come off."""
    with store.transaction(actor) as tx:
        tx.require(Action.EVIDENCE_EDIT)
        before = _lookup.row(tx, "calls", call_id)
        _check_version(before, expected_version, f"The call '{before['title']}'")
        others = [
            int(r[0])
            for r in tx.fetch_all(
                "SELECT id FROM calls WHERE stage_id = ? AND id <> ? AND on_wall", [before["stage_id"], call_id]
            )
        ]
        if others:
            tx.execute(
                "UPDATE calls SET on_wall = false, version = version + 1 WHERE id IN (SELECT unnest(?))", [others]
            )
        if not before["on_wall"]:
            tx.update_versioned("calls", call_id, expected_version, {"on_wall": True})
        tx.audit(
            "play_on_wall",
            "call",
            call_id,
            {"on_wall": bool(before["on_wall"]), "stage_id": before["stage_id"], "taken_off": others},
            {"on_wall": True, "stage_id": before["stage_id"]},
        )


__all__ = [
    "play_on_wall",
    "remove_artifact",
    "set_call_on_wall",
    "set_question_stages",
    "update_artifact",
    "update_call_clip",
    "update_kpi",
    "update_question",
]

"""Writes of the evidence that hangs under each stage: media, artifacts, calls,
KPIs and their readings, survey questions, and category mapping rules."""

from __future__ import annotations

import json

import pandas as pd

from cxroom.errors import InvalidInputError
from cxroom.media import CheckedMedia, MediaStore, StoredMedia
from cxroom.models import ArtifactCreate, CallCreate, CategoryRuleCreate, KpiCreate, SurveyQuestionCreate
from cxroom.permissions import Action
from cxroom.services import _lookup, artifact_versions, customer_math
from cxroom.services.media_tx import media_transaction
from cxroom.store import Store, Tx


def register_media(tx: Tx, media: StoredMedia, original_name: str) -> None:
    tx.execute(
        "INSERT INTO media (sha256, mime, size_bytes, original_name, duration_s, width, height) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING",
        [media.sha256, media.mime, media.size_bytes, original_name[:200], media.duration_s, media.width, media.height],
    )


def _family(media: CheckedMedia | StoredMedia) -> str:
    return (media.media if isinstance(media, CheckedMedia) else media).family


def add_artifact(
    store: Store,
    data: ArtifactCreate,
    media: CheckedMedia | StoredMedia,
    *,
    actor: str,
    media_store: MediaStore | None = None,
    replaces_id: int | None = None,
    fix_id: int | None = None,
) -> int:
    """Hang an artifact under a stage; checked media is written inside the same transaction.
    A new version names the artifact it replaces and the fix that changed it (services.artifact_versions)."""
    if _family(media) not in ("image", "pdf"):
        raise InvalidInputError("An artifact must be an image or a PDF.")
    with media_transaction(store, media_store, actor, Action.EVIDENCE_EDIT) as unit:
        tx = unit.tx
        stage, moment = _lookup.place(tx, data.stage_slug, data.moment_name)
        register_media(tx, unit.save(media), data.title)
        position = _lookup.next_artifact_position(tx, stage)
        new_id = int(
            tx.fetch_value(
                "INSERT INTO artifacts (stage_id, moment_id, title, kind, media_sha256, caption, "
                "asks_of_customer, version_label, issued_on, position) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [
                    stage,
                    moment,
                    data.title,
                    data.kind.value,
                    data.media_sha256,
                    data.caption,
                    data.asks_of_customer,
                    data.version_label,
                    data.issued_on,
                    position,
                ],
            )
        )
        tx.audit("create", "artifact", new_id, None, data.model_dump())
        artifact_versions.link_in(tx, artifact_id=new_id, replaces_id=replaces_id, fix_id=fix_id)
        return new_id


def add_call(
    store: Store,
    data: CallCreate,
    media: CheckedMedia | StoredMedia,
    *,
    actor: str,
    media_store: MediaStore | None = None,
) -> int:
    """Hang a call under a stage; checked media is written inside the same transaction."""
    if _family(media) != "audio":
        raise InvalidInputError("A call recording must be an audio file.")
    with media_transaction(store, media_store, actor, Action.EVIDENCE_EDIT) as unit:
        tx = unit.tx
        stage, moment = _lookup.place(tx, data.stage_slug, data.moment_name)
        register_media(tx, unit.save(media), data.title)
        transcript = json.dumps([seg.model_dump() for seg in data.transcript]) if data.transcript else None
        new_id = int(
            tx.fetch_value(
                "INSERT INTO calls (stage_id, moment_id, title, media_sha256, duration_s, clip_start_s, "
                "clip_end_s, transcript, recorded_at, channel, consent, tags) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [
                    stage,
                    moment,
                    data.title,
                    data.media_sha256,
                    data.duration_s,
                    data.clip_start_s,
                    data.clip_end_s,
                    transcript,
                    data.recorded_at,
                    data.channel,
                    data.consent,
                    data.tags,
                ],
            )
        )
        tx.audit("create", "call", new_id, None, data.model_dump(exclude={"transcript"}))
        return new_id


def create_kpi(store: Store, data: KpiCreate, *, actor: str) -> int:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        stage, moment = _lookup.place(tx, data.stage_slug, data.moment_name)
        silo = _lookup.silo_id(tx, data.silo_name) if data.silo_name else None
        new_id = int(
            tx.fetch_value(
                "INSERT INTO kpis (stage_id, moment_id, name, unit, direction, target, warning, frequency, "
                "silo_id, definition) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                [
                    stage,
                    moment,
                    data.name,
                    data.unit,
                    data.direction.value,
                    data.target,
                    data.warning,
                    data.frequency.value,
                    silo,
                    data.definition,
                ],
            )
        )
        tx.audit("create", "kpi", new_id, None, data.model_dump())
        return new_id


def create_question(store: Store, data: SurveyQuestionCreate, *, actor: str) -> int:
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        stages = [_lookup.stage_id(tx, slug) for slug in data.stage_slugs]
        new_id = int(
            tx.fetch_value(
                "INSERT INTO survey_questions (survey, text, kind) VALUES (?, ?, ?) RETURNING id",
                [data.survey, data.text, data.kind.value],
            )
        )
        for stage in stages:
            tx.execute("INSERT INTO survey_question_stages VALUES (?, ?)", [new_id, stage])
        tx.audit("create", "survey_question", new_id, None, data.model_dump())
        return new_id


def create_category_rule(store: Store, data: CategoryRuleCreate, *, actor: str) -> int:
    """Add a rule and apply it at once to complaints already imported."""
    with store.transaction(actor) as tx:
        tx.require(Action.ROOM_EDIT)
        stage, moment = _lookup.place(tx, data.stage_slug, data.moment_name)
        new_id = int(
            tx.fetch_value(
                "INSERT INTO category_rules (source, category, subcategory, stage_id, moment_id) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                [data.source, data.category, data.subcategory, stage, moment],
            )
        )
        apply_category_rules(tx)
        customer_math.reapply_rules(tx, {data.category})  # lost customers' reasons follow the same rules
        tx.audit("create", "category_rule", new_id, None, data.model_dump())
        return new_id


# The most specific rule wins: a (source, category, subcategory) rule beats a
# (source, category) rule, which beats an any-source rule.
APPLY_RULES_SQL = """
UPDATE complaints AS c SET stage_id = m.stage_id, moment_id = m.moment_id
FROM (
    SELECT c2.id AS complaint_id,
           arg_max(r.stage_id, (r.source IS NOT NULL)::INT * 2 + (r.subcategory IS NOT NULL)::INT) AS stage_id,
           arg_max(r.moment_id, (r.source IS NOT NULL)::INT * 2 + (r.subcategory IS NOT NULL)::INT) AS moment_id
    FROM complaints c2
    JOIN category_rules r
      ON lower(r.category) = lower(c2.category)
     AND (r.subcategory IS NULL OR lower(r.subcategory) = lower(c2.subcategory))
     AND (r.source IS NULL OR r.source = c2.source)
    GROUP BY c2.id
) AS m
WHERE c.id = m.complaint_id
  AND (c.stage_id IS DISTINCT FROM m.stage_id OR c.moment_id IS DISTINCT FROM m.moment_id)
"""


def apply_category_rules(tx: Tx) -> int:
    """Re-resolve every complaint's stage from the rules; returns rows changed."""
    return int(tx.fetch_value(APPLY_RULES_SQL) or 0)


def upsert_kpi_readings(tx: Tx, readings: pd.DataFrame, batch_id: int | None) -> int:
    """Insert or replace readings (columns kpi_id, period, value): one value per KPI and period."""
    if readings.empty:
        return 0
    frame = readings[["kpi_id", "period", "value"]].assign(batch_id=batch_id)
    tx.cur.register("incoming_readings", frame)
    try:
        tx.execute(
            "INSERT INTO kpi_readings SELECT kpi_id, CAST(period AS DATE), value, batch_id "
            "FROM incoming_readings ON CONFLICT (kpi_id, period) DO UPDATE "
            "SET value = excluded.value, batch_id = excluded.batch_id"
        )
    finally:
        tx.cur.unregister("incoming_readings")
    return len(frame)

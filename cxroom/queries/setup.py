"""Reads for the set-up and curation pages and the first-run guide: every
record with its id and version (the edit forms send the version back), what
refers to it, and how far the set-up of a room has come."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cxroom.store import Store

# Archived stages included: the set-up page lists them to restore them.
STAGES = """
WITH m AS (SELECT stage_id, count(*) AS moments FROM moments GROUP BY stage_id),
     k AS (SELECT stage_id, count(*) AS kpis FROM kpis GROUP BY stage_id),
     c AS (SELECT stage_id, count(*) AS complaints FROM complaints WHERE stage_id IS NOT NULL GROUP BY stage_id),
     r AS (SELECT stage_id, count(*) AS rules FROM category_rules GROUP BY stage_id)
SELECT s.id, s.slug, s.name, s.customer_goal, s.description, s.colour, s.position, s.archived, s.version,
       coalesce(m.moments, 0) AS moments, coalesce(k.kpis, 0) AS kpis,
       coalesce(c.complaints, 0) AS complaints, coalesce(r.rules, 0) AS rules
FROM stages s
LEFT JOIN m ON m.stage_id = s.id LEFT JOIN k ON k.stage_id = s.id
LEFT JOIN c ON c.stage_id = s.id LEFT JOIN r ON r.stage_id = s.id
ORDER BY s.archived, s.position, s.id
"""

# Complaints of a stage per month over its whole life (archived or not).
STAGE_COMPLAINT_HISTORY = """
SELECT date_trunc('month', received_at)::DATE AS month, count(*) AS complaints
FROM complaints
WHERE stage_id = ?
GROUP BY month
ORDER BY month
"""

ENTITY_AUDIT = """
SELECT happened_at, actor, action, before, after
FROM audit_log
WHERE entity = ? AND entity_id = ?
ORDER BY id DESC
LIMIT ?
"""

MOMENTS = """
SELECT m.id, m.stage_id, s.name AS stage_name, s.archived AS stage_archived, m.name, m.description,
       m.drives_revenue, m.forms_relationship, m.rescues_at_risk, m.grows_wallet, m.reliability, m.is_key,
       m.position, m.version
FROM moments m
JOIN stages s ON s.id = m.stage_id
ORDER BY s.archived, s.position, s.id, m.position, m.id
"""

MOMENT_HISTORY = """
SELECT changed_at, from_state, to_state, changed_by, reason
FROM moment_state_history
WHERE moment_id = ?
ORDER BY changed_at DESC, id DESC
"""

SILOS = """
WITH ss AS (SELECT silo_id, count(*) FILTER (WHERE role = 'owner') AS owns,
                   count(*) FILTER (WHERE role = 'contributor') AS contributes
            FROM stage_silos GROUP BY silo_id),
     k AS (SELECT silo_id, count(*) AS kpis FROM kpis WHERE silo_id IS NOT NULL GROUP BY silo_id)
SELECT si.id, si.name, si.description, si.version,
       coalesce(ss.owns, 0) AS owns, coalesce(ss.contributes, 0) AS contributes, coalesce(k.kpis, 0) AS kpis
FROM silos si
LEFT JOIN ss ON ss.silo_id = si.id LEFT JOIN k ON k.silo_id = si.id
ORDER BY si.name
"""

# Stages on the wall x silos, with the role of each silo (NULL: none).
ACCOUNTABILITY = """
SELECT s.id AS stage_id, s.name AS stage_name, si.id AS silo_id, si.name AS silo_name, ss.role
FROM stages s
CROSS JOIN silos si
LEFT JOIN stage_silos ss ON ss.stage_id = s.id AND ss.silo_id = si.id
WHERE NOT s.archived
ORDER BY s.position, s.id, si.name
"""

MOMENT_ACCOUNTABILITY = """
SELECT ms.moment_id, m.name AS moment_name, ms.silo_id, si.name AS silo_name, ms.role
FROM moment_silos ms
JOIN moments m ON m.id = ms.moment_id
JOIN silos si ON si.id = ms.silo_id
WHERE m.stage_id = ?
ORDER BY m.position, m.id, ms.role = 'owner' DESC, si.name
"""

KPIS = """
WITH r AS (SELECT kpi_id, count(*) AS readings, max(period) AS last_period FROM kpi_readings GROUP BY kpi_id)
SELECT k.id, k.stage_id, s.name AS stage_name, k.moment_id, m.name AS moment_name, k.name, k.unit, k.direction,
       k.target, k.warning, k.frequency, k.silo_id, si.name AS silo_name, k.definition, k.version,
       coalesce(r.readings, 0) AS readings, r.last_period
FROM kpis k
JOIN stages s ON s.id = k.stage_id
LEFT JOIN moments m ON m.id = k.moment_id
LEFT JOIN silos si ON si.id = k.silo_id
LEFT JOIN r ON r.kpi_id = k.id
ORDER BY s.archived, s.position, s.id, k.name
"""

QUESTIONS = """
WITH st AS (SELECT qs.question_id, list(s.id ORDER BY s.position) AS stage_ids,
                   string_agg(s.name, ', ' ORDER BY s.position) AS stage_names
            FROM survey_question_stages qs JOIN stages s ON s.id = qs.stage_id GROUP BY qs.question_id),
     a AS (SELECT question_id, count(*) AS answers FROM survey_responses GROUP BY question_id)
SELECT q.id, q.survey, q.text, q.kind, q.version, coalesce(st.stage_ids, []) AS stage_ids,
       coalesce(st.stage_names, '') AS stage_names, coalesce(a.answers, 0) AS answers
FROM survey_questions q
LEFT JOIN st ON st.question_id = q.id LEFT JOIN a ON a.question_id = q.id
ORDER BY q.survey, q.id
"""

ARTIFACTS = """
SELECT a.id, a.stage_id, s.name AS stage_name, a.moment_id, m.name AS moment_name, a.title, a.kind, a.caption,
       a.asks_of_customer, a.version_label, a.issued_on, a.media_sha256 AS sha256, md.mime, a.version
FROM artifacts a
JOIN stages s ON s.id = a.stage_id
LEFT JOIN moments m ON m.id = a.moment_id
LEFT JOIN media md ON md.sha256 = a.media_sha256
ORDER BY s.archived, s.position, s.id, a.position, a.id
"""

# plays_on_wall: the call the stage's column plays (the newest call on the wall).
CALLS = """
SELECT c.id, c.stage_id, s.name AS stage_name, m.name AS moment_name, c.title, c.media_sha256 AS sha256, md.mime,
       c.duration_s, c.clip_start_s, c.clip_end_s, c.transcript, c.recorded_at, c.channel, c.consent, c.on_wall,
       c.version,
       c.on_wall AND row_number() OVER (PARTITION BY c.stage_id, c.on_wall ORDER BY c.recorded_at DESC, c.id) = 1
           AS plays_on_wall
FROM calls c
JOIN stages s ON s.id = c.stage_id
LEFT JOIN moments m ON m.id = c.moment_id
LEFT JOIN media md ON md.sha256 = c.media_sha256
ORDER BY s.archived, s.position, s.id, c.recorded_at DESC, c.id
"""

PROGRESS = """
SELECT (SELECT count(*) FROM stages WHERE NOT archived) AS stages,
       (SELECT count(*) FROM moments m JOIN stages s ON s.id = m.stage_id WHERE NOT s.archived) AS moments,
       (SELECT count(*) FROM silos) AS silos,
       (SELECT count(*) FROM stage_silos) AS accountabilities,
       (SELECT count(*) FROM kpis) AS kpis,
       (SELECT count(*) FROM import_batches WHERE status = 'committed' AND kind <> 'demo') AS imports,
       (SELECT count(*) FROM import_batches WHERE kind = 'demo') > 0 AS is_demo
"""

ANY_STAGE = "SELECT EXISTS (SELECT 1 FROM stages)"
ROOM_NAME = "SELECT value FROM meta WHERE key = 'room_name'"


@dataclass(frozen=True)
class SetupProgress:
    """How far the set-up of a room has come (what the first-run guide shows)."""

    stages: int
    moments: int
    silos: int
    accountabilities: int
    kpis: int
    imports: int
    is_demo: bool

    @property
    def steps_done(self) -> dict[str, bool]:
        return {
            "stages": self.stages >= 1,
            "moments": self.moments >= 1,
            "silos": self.silos >= 1,
            "kpis": self.kpis >= 1,
            "import": self.imports >= 1,
        }


def stages(store: Store) -> pd.DataFrame:
    return store.fetch_df(STAGES)


def stage_complaint_history(store: Store, stage_id: int) -> pd.DataFrame:
    return store.fetch_df(STAGE_COMPLAINT_HISTORY, [stage_id])


def audit_of(store: Store, entity: str, entity_id: int | str, *, limit: int = 50) -> pd.DataFrame:
    return store.fetch_df(ENTITY_AUDIT, [entity, str(entity_id), limit])


def moments(store: Store) -> pd.DataFrame:
    return store.fetch_df(MOMENTS)


def moment_history(store: Store, moment_id: int) -> pd.DataFrame:
    return store.fetch_df(MOMENT_HISTORY, [moment_id])


def silos(store: Store) -> pd.DataFrame:
    return store.fetch_df(SILOS)


def accountability(store: Store) -> pd.DataFrame:
    return store.fetch_df(ACCOUNTABILITY)


def moment_accountability(store: Store, stage_id: int) -> pd.DataFrame:
    return store.fetch_df(MOMENT_ACCOUNTABILITY, [stage_id])


def kpis(store: Store) -> pd.DataFrame:
    return store.fetch_df(KPIS)


def questions(store: Store) -> pd.DataFrame:
    return store.fetch_df(QUESTIONS)


def artifacts(store: Store) -> pd.DataFrame:
    return store.fetch_df(ARTIFACTS)


def calls(store: Store) -> pd.DataFrame:
    return store.fetch_df(CALLS)


def progress(store: Store) -> SetupProgress:
    row = store.fetch_dicts(PROGRESS)[0]
    counts = {k: int(v) for k, v in row.items() if k != "is_demo"}
    return SetupProgress(**counts, is_demo=bool(row["is_demo"]))


def has_stages(store: Store) -> bool:
    """Whether the room has any stage at all (archived ones count: such a room is not new)."""
    return bool(store.fetch_value(ANY_STAGE))


def room_name(store: Store) -> str:
    return str(store.fetch_value(ROOM_NAME) or "Customer Room")


def transcript_segments(raw: Any) -> list[dict[str, Any]]:
    """A call's stored transcript (JSON text or a list) as a list of segments."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return []
    try:
        value = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return []
    return [dict(seg) for seg in value if isinstance(seg, dict)] if isinstance(value, list) else []

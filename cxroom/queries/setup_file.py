"""Reads of a room's whole set-up, for the set-up file (cxroom.setupfile):
stages, moments, silos and accountability, KPIs, survey questions and
category rules, each with the names people use for it and in one fixed order,
so an export is the same file every time the room is the same.

The functions take a Store or an open transaction (both have fetch_dicts):
applying a file reads the room inside its own transaction, where its earlier
writes are visible.
"""

from __future__ import annotations

from typing import Any, Protocol


class Reader(Protocol):
    def fetch_dicts(self, sql: str, params: Any = None) -> list[dict[str, Any]]: ...


# Wall order first, archived stages after (in their old order).
STAGES = """
SELECT id, slug, name, customer_goal, description, colour, archived, position, version
FROM stages
ORDER BY archived, position, id
"""

STAGE_SILOS = """
SELECT ss.stage_id, s.slug AS stage, ss.silo_id, si.name AS silo, ss.role
FROM stage_silos ss
JOIN stages s ON s.id = ss.stage_id
JOIN silos si ON si.id = ss.silo_id
ORDER BY s.archived, s.position, s.id, lower(si.name), si.name
"""

MOMENTS = """
SELECT m.id, m.stage_id, s.slug AS stage, m.name, m.description, m.drives_revenue, m.forms_relationship,
       m.rescues_at_risk, m.grows_wallet, m.reliability, m.is_key, m.position, m.version
FROM moments m
JOIN stages s ON s.id = m.stage_id
ORDER BY s.archived, s.position, s.id, m.position, m.id
"""

MOMENT_SILOS = """
SELECT ms.moment_id, ms.silo_id, si.name AS silo, ms.role
FROM moment_silos ms
JOIN silos si ON si.id = ms.silo_id
ORDER BY ms.moment_id, lower(si.name), si.name
"""

SILOS = """
SELECT id, name, description, version
FROM silos
ORDER BY lower(name), name
"""

KPIS = """
SELECT k.id, k.name, k.stage_id, s.slug AS stage, k.moment_id, m.name AS moment, k.unit, k.direction, k.target,
       k.warning, k.frequency, k.silo_id, si.name AS silo, k.definition, k.version
FROM kpis k
JOIN stages s ON s.id = k.stage_id
LEFT JOIN moments m ON m.id = k.moment_id
LEFT JOIN silos si ON si.id = k.silo_id
ORDER BY s.archived, s.position, s.id, lower(k.name), k.name
"""

QUESTIONS = """
WITH st AS (
    SELECT qs.question_id, list(s.slug ORDER BY s.archived, s.position, s.id) AS stages,
           list(s.id ORDER BY s.archived, s.position, s.id) AS stage_ids
    FROM survey_question_stages qs JOIN stages s ON s.id = qs.stage_id
    GROUP BY qs.question_id
)
SELECT q.id, q.survey, q.text, q.kind, q.version, coalesce(st.stages, []) AS stages,
       coalesce(st.stage_ids, []) AS stage_ids
FROM survey_questions q
LEFT JOIN st ON st.question_id = q.id
ORDER BY q.survey, q.id
"""

RULES = """
SELECT r.id, r.source, r.category, r.subcategory, s.slug AS stage, m.name AS moment
FROM category_rules r
JOIN stages s ON s.id = r.stage_id
LEFT JOIN moments m ON m.id = r.moment_id
ORDER BY lower(r.category), lower(coalesce(r.subcategory, '')), coalesce(r.source, ''), r.id
"""

ROOM_NAME = "SELECT value AS room_name FROM meta WHERE key = 'room_name'"
MAPPED_COMPLAINTS = "SELECT count(*) AS n FROM complaints WHERE stage_id IS NOT NULL"

# The version of one editable record, for the next versioned write of an apply.
VERSION_OF = {
    "stages": "SELECT version FROM stages WHERE id = ?",
    "moments": "SELECT version FROM moments WHERE id = ?",
    "silos": "SELECT version FROM silos WHERE id = ?",
    "kpis": "SELECT version FROM kpis WHERE id = ?",
    "survey_questions": "SELECT version FROM survey_questions WHERE id = ?",
}


def stages(db: Reader) -> list[dict[str, Any]]:
    return db.fetch_dicts(STAGES)


def stage_silos(db: Reader) -> list[dict[str, Any]]:
    return db.fetch_dicts(STAGE_SILOS)


def moments(db: Reader) -> list[dict[str, Any]]:
    return db.fetch_dicts(MOMENTS)


def moment_silos(db: Reader) -> list[dict[str, Any]]:
    return db.fetch_dicts(MOMENT_SILOS)


def silos(db: Reader) -> list[dict[str, Any]]:
    return db.fetch_dicts(SILOS)


def kpis(db: Reader) -> list[dict[str, Any]]:
    return db.fetch_dicts(KPIS)


def questions(db: Reader) -> list[dict[str, Any]]:
    return db.fetch_dicts(QUESTIONS)


def rules(db: Reader) -> list[dict[str, Any]]:
    return db.fetch_dicts(RULES)


def room_name(db: Reader) -> str:
    rows = db.fetch_dicts(ROOM_NAME)
    return str(rows[0]["room_name"]) if rows and rows[0]["room_name"] is not None else "Customer Room"


def mapped_complaints(db: Reader) -> int:
    return int(db.fetch_dicts(MAPPED_COMPLAINTS)[0]["n"])


def version_of(db: Reader, table: str, row_id: int) -> int:
    rows = db.fetch_dicts(VERSION_OF[table], [row_id])
    return int(rows[0]["version"]) if rows else 0

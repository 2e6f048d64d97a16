"""Reads about the room as a whole: its stages in wall order and what hangs
under each, and the row counts `cxroom info` prints."""

from __future__ import annotations

from typing import Any

import pandas as pd

from cxroom.store import Store

STAGES_IN_WALL_ORDER = """
SELECT id, slug, name, customer_goal, description, position, colour, archived, version
FROM stages
WHERE archived = false OR ?
ORDER BY position, id
"""

# One query for the whole wall: counts per stage of everything that hangs
# beneath it (aggregated in DuckDB, never row by row in Python).
STAGE_OVERVIEW = """
WITH m AS (SELECT stage_id, count(*) AS moments, count(*) FILTER (WHERE is_key) AS key_moments,
                  count(*) FILTER (WHERE reliability = 'broken') AS broken
           FROM moments GROUP BY stage_id),
     a AS (SELECT stage_id, count(*) AS artifacts FROM artifacts GROUP BY stage_id),
     c AS (SELECT stage_id, count(*) AS calls FROM calls GROUP BY stage_id),
     k AS (SELECT stage_id, count(*) AS kpis FROM kpis GROUP BY stage_id),
     q AS (SELECT stage_id, count(*) AS complaints FROM complaints WHERE stage_id IS NOT NULL GROUP BY stage_id),
     f AS (SELECT stage_id, count(*) AS active_fixes FROM fixes
           WHERE status NOT IN ('celebrated', 'dropped') GROUP BY stage_id)
SELECT s.slug, s.name, s.customer_goal, s.colour,
       coalesce(m.moments, 0) AS moments, coalesce(m.key_moments, 0) AS key_moments,
       coalesce(m.broken, 0) AS broken_moments, coalesce(k.kpis, 0) AS kpis,
       coalesce(a.artifacts, 0) AS artifacts, coalesce(c.calls, 0) AS calls,
       coalesce(q.complaints, 0) AS complaints, coalesce(f.active_fixes, 0) AS active_fixes
FROM stages s
LEFT JOIN m ON m.stage_id = s.id LEFT JOIN a ON a.stage_id = s.id LEFT JOIN c ON c.stage_id = s.id
LEFT JOIN k ON k.stage_id = s.id LEFT JOIN q ON q.stage_id = s.id LEFT JOIN f ON f.stage_id = s.id
WHERE NOT s.archived
ORDER BY s.position, s.id
"""

MOMENTS_BY_STAGE = "SELECT s.slug, m.name FROM moments m JOIN stages s ON s.id = m.stage_id ORDER BY m.id"
UNASSIGNED_COMPLAINTS = "SELECT count(*) FROM complaints WHERE stage_id IS NULL"
ROOM_NAME = "SELECT value FROM meta WHERE key = 'room_name'"


def stages(store: Store, *, include_archived: bool = False) -> pd.DataFrame:
    return store.fetch_df(STAGES_IN_WALL_ORDER, [include_archived])


def stage_overview(store: Store) -> pd.DataFrame:
    return store.fetch_df(STAGE_OVERVIEW)


def moments_by_stage(store: Store) -> list[tuple[str, str]]:
    """(stage slug, moment name) for every moment, oldest first."""
    return [(str(r[0]), str(r[1])) for r in store.execute(MOMENTS_BY_STAGE)]


def unassigned_complaints(store: Store) -> int:
    return int(store.fetch_value(UNASSIGNED_COMPLAINTS) or 0)


def room_name(store: Store) -> str:
    return str(store.fetch_value(ROOM_NAME) or "Customer Room")


def room_info(store: Store) -> dict[str, Any]:
    """What `cxroom info --json` prints: stable keys tables, stages, schema_version, room_name."""
    tables = {name: int(store.fetch_value(f'SELECT count(*) FROM "{name}"')) for name in store.table_names()}
    return {
        "room_name": room_name(store),
        "schema_version": store.schema_version(),
        "stages": stages(store)["name"].tolist(),
        "tables": tables,
    }

"""Reads of artifact versions: which artifact is current (the wall shows only that one), and
the before and after of each change, for a stage and for the fix that made it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cxroom.store import Store

# An artifact is current while no artifact that still exists replaces it. Used as
# "WHERE <CURRENT_ONLY>" with the artifacts table aliased ``a``.
CURRENT_ONLY = (
    "NOT EXISTS (SELECT 1 FROM artifact_versions v JOIN artifacts n ON n.id = v.artifact_id WHERE v.replaces_id = a.id)"
)

_PAIRS = """
SELECT v.artifact_id, v.replaces_id, v.fix_id, f.title AS fix_title, f.status AS fix_status, v.linked_at,
       b.title AS before_title, b.version_label AS before_label, b.issued_on AS before_issued,
       b.caption AS before_caption, b.media_sha256 AS before_sha256, bm.mime AS before_mime,
       a.title AS after_title, a.version_label AS after_label, a.issued_on AS after_issued,
       a.caption AS after_caption, a.media_sha256 AS after_sha256, am.mime AS after_mime,
       a.stage_id, s.name AS stage_name, {current} AS after_is_current
FROM artifact_versions v
JOIN artifacts a ON a.id = v.artifact_id
JOIN artifacts b ON b.id = v.replaces_id
JOIN media am ON am.sha256 = a.media_sha256
JOIN media bm ON bm.sha256 = b.media_sha256
JOIN stages s ON s.id = a.stage_id
LEFT JOIN fixes f ON f.id = v.fix_id
WHERE {where}
ORDER BY v.linked_at DESC, v.artifact_id DESC
"""
STAGE_PAIRS = _PAIRS.format(current=CURRENT_ONLY, where="a.stage_id = ?")
FIX_PAIRS = _PAIRS.format(current=CURRENT_ONLY, where="v.fix_id = ?")
REPLACEABLE = f"""
SELECT a.id, a.title, s.name AS stage_name
FROM artifacts a JOIN stages s ON s.id = a.stage_id
WHERE {CURRENT_ONLY}
ORDER BY s.archived, s.position, a.position, a.id
"""
CHAIN = """
WITH RECURSIVE back(id, depth) AS (
    SELECT ?::BIGINT, 0
    UNION ALL
    SELECT v.replaces_id, back.depth + 1 FROM artifact_versions v JOIN back ON v.artifact_id = back.id
    WHERE back.depth < 1000
)
SELECT id FROM back ORDER BY depth DESC
"""


@dataclass(frozen=True)
class Side:
    """One version of the artifact, as shown in a before/after pair."""

    artifact_id: int
    title: str
    version_label: str
    issued_on: date | None
    caption: str
    sha256: str
    mime: str


@dataclass(frozen=True)
class VersionChange:
    """A new version of an artifact beside the one it replaced, and the fix that changed it."""

    before: Side
    after: Side
    after_is_current: bool
    stage_id: int
    stage_name: str
    fix_id: int | None
    fix_title: str | None
    fix_status: str | None
    linked_at: datetime


def _side(row: dict[str, Any], which: str, artifact_id: int) -> Side:
    return Side(
        artifact_id=artifact_id,
        title=row[f"{which}_title"],
        version_label=row[f"{which}_label"],
        issued_on=row[f"{which}_issued"],
        caption=row[f"{which}_caption"],
        sha256=row[f"{which}_sha256"],
        mime=row[f"{which}_mime"],
    )


def _changes(store: Store, sql: str, key: int) -> list[VersionChange]:
    return [
        VersionChange(
            before=_side(row, "before", int(row["replaces_id"])),
            after=_side(row, "after", int(row["artifact_id"])),
            after_is_current=bool(row["after_is_current"]),
            stage_id=int(row["stage_id"]),
            stage_name=row["stage_name"],
            fix_id=None if row["fix_id"] is None else int(row["fix_id"]),
            fix_title=row["fix_title"],
            fix_status=row["fix_status"],
            linked_at=row["linked_at"],
        )
        for row in store.fetch_dicts(sql, [key])
    ]


def stage_changes(store: Store, stage_id: int) -> list[VersionChange]:
    """Every change of an artifact on a stage, latest first."""
    return _changes(store, STAGE_PAIRS, stage_id)


def fix_changes(store: Store, fix_id: int) -> list[VersionChange]:
    """The artifacts a fix changed: before and after."""
    return _changes(store, FIX_PAIRS, fix_id)


def chain(store: Store, artifact_id: int) -> list[int]:
    """The versions of an artifact up to ``artifact_id``, oldest first."""
    return [int(i) for (i,) in store.execute(CHAIN, [artifact_id])]


def replaceable(store: Store) -> list[tuple[int, str, str]]:
    """(id, title, stage name) of every current artifact: what a new version may replace."""
    return [(int(i), str(t), str(n)) for i, t, n in store.execute(REPLACEABLE)]

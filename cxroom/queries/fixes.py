"""Reads of the team-fix tracker: the board, one fix with its team, timeline,
attachments and reviews, the load on people and silos, the celebrations wall,
and the choices the charter form offers.

The verdict on one fix (its evidence) is read by
``cxroom.services.fix_evidence.load_evidence``, shared with the celebration gate so
the page and the gate never disagree; here the board reads the KPI series of
every fix at once and assesses them with the same pure rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from cxroom import fix_status
from cxroom.insights import fix_evidence as fe
from cxroom.insights import fix_statistics as fs
from cxroom.store import Store

# Statuses and the overdue rule are those of cxroom.fix_status, shared with the wall and the agenda.
STATUS_ORDER = fix_status.order_values()
ACTIVE_STATUSES = [s.value for s in fix_status.ORDER if s in fix_status.ACTIVE]
OVERLOAD_AT = 3  # a person on this many active fixes at once is flagged on the load view

BOARD = f"""
WITH team AS (
    SELECT m.fix_id, count(*) AS members, count(DISTINCT m.silo_id) AS silo_count,
           list(DISTINCT s.name ORDER BY s.name) AS silos,
           list(m.person || ' · ' || s.name ORDER BY m.person) AS team
    FROM fix_members m JOIN silos s ON s.id = m.silo_id
    GROUP BY m.fix_id
), last AS (
    SELECT fix_id, max(happened_at) AS last_update FROM fix_updates GROUP BY fix_id
), kp AS (
    SELECT fix_id, count(*) AS kpis FROM fix_kpis GROUP BY fix_id
)
SELECT f.id, f.title, f.status, f.sponsor, f.lead, f.chartered_on, f.due_on, f.version,
       s.slug AS stage_slug, s.name AS stage, s.position AS stage_position, s.colour AS stage_colour,
       f.moment_id, m.name AS moment, m.reliability,
       coalesce(t.members, 0) AS members, coalesce(t.silo_count, 0) AS silo_count,
       coalesce(t.silos, []) AS silos, coalesce(t.team, []) AS team,
       coalesce(kp.kpis, 0) AS kpis, l.last_update,
       {fix_status.overdue_sql()} AS overdue,
       CASE WHEN f.due_on IS NOT NULL THEN date_diff('day', f.due_on, $today) END AS days_past_due
FROM fixes f
JOIN stages s ON s.id = f.stage_id
LEFT JOIN moments m ON m.id = f.moment_id
LEFT JOIN team t ON t.fix_id = f.id
LEFT JOIN last l ON l.fix_id = f.id
LEFT JOIN kp ON kp.fix_id = f.id
WHERE ($include_dropped OR f.status <> 'dropped')
  AND ($stage IS NULL OR s.slug = $stage)
  AND ($moment IS NULL OR f.moment_id = $moment)
  AND ($sponsor IS NULL OR f.sponsor = $sponsor)
  AND ($silo IS NULL OR EXISTS (
        SELECT 1 FROM fix_members fm JOIN silos ss ON ss.id = fm.silo_id
        WHERE fm.fix_id = f.id AND ss.name = $silo))
  AND (NOT $overdue_only OR {fix_status.overdue_sql()})
ORDER BY list_position($status_order, f.status), f.due_on NULLS LAST, f.id
"""

BOARD_KPI_SERIES = """
SELECT fk.fix_id, f.chartered_on, fk.kpi_id, k.name, k.unit, k.direction,
       coalesce(fk.target, k.target) AS target, r.period, r.value
FROM fix_kpis fk
JOIN fixes f ON f.id = fk.fix_id
JOIN kpis k ON k.id = fk.kpi_id
LEFT JOIN kpi_readings r ON r.kpi_id = fk.kpi_id
ORDER BY fk.fix_id, k.name, fk.kpi_id, r.period
"""

FIX = f"""
SELECT f.*, s.slug AS stage_slug, s.name AS stage, s.colour AS stage_colour,
       m.name AS moment, m.reliability, m.version AS moment_version,
       r.title AS chartered_review, r.held_on AS chartered_review_on,
       {fix_status.overdue_sql()} AS overdue
FROM fixes f
JOIN stages s ON s.id = f.stage_id
LEFT JOIN moments m ON m.id = f.moment_id
LEFT JOIN reviews r ON r.id = f.chartered_review_id
WHERE f.id = $id
"""
MEMBERS = """
SELECT m.person, s.name AS silo FROM fix_members m JOIN silos s ON s.id = m.silo_id
WHERE m.fix_id = ? ORDER BY s.name, m.person
"""
# People act under their e-mail (the audit log keeps it); the room shows their name.
TIMELINE = """
SELECT u.id, u.happened_at, coalesce(p.display_name, u.author) AS author, u.from_status, u.to_status, u.note
FROM fix_updates u LEFT JOIN users p ON lower(p.email) = lower(u.author)
WHERE u.fix_id = ? ORDER BY u.happened_at DESC, u.id DESC
"""
ATTACHMENTS = """
SELECT a.id, a.title, a.media_sha256, coalesce(p.display_name, a.added_by) AS added_by, a.added_at,
       md.mime, md.size_bytes, md.width, md.height
FROM fix_attachments a JOIN media md ON md.sha256 = a.media_sha256
LEFT JOIN users p ON lower(p.email) = lower(a.added_by)
WHERE a.fix_id = ? ORDER BY a.added_at, a.id
"""
PRESENTATIONS = """
SELECT p.review_id, r.title, r.held_on, p.presented_at FROM fix_presentations p JOIN reviews r ON r.id = p.review_id
WHERE p.fix_id = ? ORDER BY p.presented_at
"""
CELEBRATION = """
SELECT c.fix_id, c.celebrated_at, coalesce(p.display_name, c.celebrated_by) AS celebrated_by, c.basis, c.evidence,
       c.override_reason
FROM fix_celebrations c LEFT JOIN users p ON lower(p.email) = lower(c.celebrated_by)
WHERE c.fix_id = ?
"""

LOAD_BY_PERSON = """
SELECT m.person,
       list(DISTINCT s.name ORDER BY s.name) AS silos,
       count(*) AS active_fixes,
       count(*) FILTER (WHERE lower(f.lead) = lower(m.person)) AS leading,
       list(f.title ORDER BY f.chartered_on) AS fixes
FROM fix_members m JOIN fixes f ON f.id = m.fix_id JOIN silos s ON s.id = m.silo_id
WHERE list_contains($active, f.status)
GROUP BY m.person
ORDER BY active_fixes DESC, m.person
"""
LOAD_BY_SILO = """
SELECT s.name AS silo,
       count(DISTINCT m.fix_id) AS active_fixes,
       count(DISTINCT m.person) AS people,
       count(*) AS seats
FROM fix_members m JOIN fixes f ON f.id = m.fix_id JOIN silos s ON s.id = m.silo_id
WHERE list_contains($active, f.status)
GROUP BY s.name
ORDER BY active_fixes DESC, s.name
"""

CELEBRATIONS = """
WITH team AS (
    SELECT m.fix_id, list(m.person || ' · ' || s.name ORDER BY m.person) AS team,
           list(DISTINCT s.name ORDER BY s.name) AS silos
    FROM fix_members m JOIN silos s ON s.id = m.silo_id GROUP BY m.fix_id
)
SELECT f.id, f.title, f.problem, f.results, f.sponsor, f.lead, f.chartered_on,
       s.name AS stage, s.colour AS stage_colour, f.moment_id, m.name AS moment, m.reliability,
       m.version AS moment_version,
       c.celebrated_at, coalesce(p.display_name, c.celebrated_by) AS celebrated_by, c.basis, c.evidence,
       c.override_reason,
       coalesce(t.team, []) AS team, coalesce(t.silos, []) AS silos
FROM fixes f
JOIN stages s ON s.id = f.stage_id
LEFT JOIN moments m ON m.id = f.moment_id
LEFT JOIN fix_celebrations c ON c.fix_id = f.id
LEFT JOIN users p ON lower(p.email) = lower(c.celebrated_by)
LEFT JOIN team t ON t.fix_id = f.id
WHERE f.status = 'celebrated'
ORDER BY c.celebrated_at DESC NULLS LAST, f.id DESC
"""

STAGES = "SELECT slug, name FROM stages WHERE NOT archived ORDER BY position, id"
MOMENTS = """
SELECT m.id, s.slug AS stage_slug, m.name, m.reliability FROM moments m JOIN stages s ON s.id = m.stage_id
ORDER BY s.position, m.position, m.id
"""
SILOS = "SELECT name FROM silos ORDER BY name"
SPONSORS = "SELECT DISTINCT sponsor FROM fixes ORDER BY sponsor"
PEOPLE = "SELECT DISTINCT person FROM fix_members ORDER BY person"
REVIEWS = "SELECT id, title, held_on FROM reviews ORDER BY held_on DESC, id DESC"
STAGE_KPIS = """
SELECT s.slug AS stage_slug, k.name, k.unit, k.direction, k.target,
       min(r.period) AS first_reading, max(r.period) AS last_reading, count(r.period) AS readings
FROM kpis k JOIN stages s ON s.id = k.stage_id LEFT JOIN kpi_readings r ON r.kpi_id = k.id
GROUP BY ALL ORDER BY s.slug, k.name
"""
FIX_IDS = "SELECT id, title, status FROM fixes ORDER BY id DESC"


@dataclass(frozen=True)
class BoardFilter:
    """What the board shows; None means no filter on that field."""

    stage: str | None = None
    moment: int | None = None
    silo: str | None = None
    sponsor: str | None = None
    overdue_only: bool = False
    include_dropped: bool = False


def board(store: Store, *, today: date, filters: BoardFilter | None = None) -> pd.DataFrame:
    """Fixes in status order (then by due date), with team, silos and overdue flags."""
    f = filters or BoardFilter()
    return store.fetch_df(
        BOARD,
        {
            "today": today,
            "status_order": STATUS_ORDER,
            "include_dropped": f.include_dropped,
            "stage": f.stage,
            "moment": f.moment,
            "sponsor": f.sponsor,
            "silo": f.silo,
            "overdue_only": f.overdue_only,
        },
    )


@dataclass(frozen=True)
class KpiVerdict:
    fix_id: int
    kpi_id: int
    name: str
    unit: str
    evidence: fe.Evidence


def board_verdicts(store: Store) -> dict[int, list[KpiVerdict]]:
    """The verdict on every linked KPI of every fix (one query, assessed in Python)."""
    series: dict[tuple[int, int], dict[str, Any]] = {}
    for row in store.fetch_dicts(BOARD_KPI_SERIES):
        entry = series.setdefault((row["fix_id"], row["kpi_id"]), {**row, "readings": []})
        if row["period"] is not None:
            entry["readings"].append(fs.Reading(row["period"], float(row["value"])))
    out: dict[int, list[KpiVerdict]] = {}
    for (fix_id, kpi_id), row in series.items():
        evidence = fe.assess(
            row["readings"],
            charter=row["chartered_on"],
            direction=row["direction"],
            target=None if row["target"] is None else float(row["target"]),
            unit=row["unit"] or "",
        )
        out.setdefault(fix_id, []).append(KpiVerdict(fix_id, kpi_id, row["name"], row["unit"] or "", evidence))
    return out


@dataclass(frozen=True)
class FixDetail:
    fix: dict[str, Any]
    members: list[dict[str, Any]]
    timeline: list[dict[str, Any]]
    attachments: list[dict[str, Any]]
    presentations: list[dict[str, Any]]
    celebration: dict[str, Any] | None


def fix_detail(store: Store, fix_id: int, *, today: date) -> FixDetail | None:
    rows = store.fetch_dicts(FIX, {"id": fix_id, "today": today})
    if not rows:
        return None
    celebration = store.fetch_dicts(CELEBRATION, [fix_id])
    return FixDetail(
        fix=rows[0],
        members=store.fetch_dicts(MEMBERS, [fix_id]),
        timeline=store.fetch_dicts(TIMELINE, [fix_id]),
        attachments=store.fetch_dicts(ATTACHMENTS, [fix_id]),
        presentations=store.fetch_dicts(PRESENTATIONS, [fix_id]),
        celebration=celebration[0] if celebration else None,
    )


def load_by_person(store: Store) -> pd.DataFrame:
    return store.fetch_df(LOAD_BY_PERSON, {"active": ACTIVE_STATUSES})


def load_by_silo(store: Store) -> pd.DataFrame:
    return store.fetch_df(LOAD_BY_SILO, {"active": ACTIVE_STATUSES})


def celebrations(store: Store) -> pd.DataFrame:
    return store.fetch_df(CELEBRATIONS)


@dataclass(frozen=True)
class CharterOptions:
    stages: list[tuple[str, str]]  # slug, name
    moments: list[dict[str, Any]]  # id, stage_slug, name, reliability
    silos: list[str]
    sponsors: list[str]
    people: list[str]
    reviews: list[dict[str, Any]]  # id, title, held_on
    kpis: list[dict[str, Any]]  # stage_slug, name, unit, direction, target, first/last reading, readings

    def moments_of(self, stage_slug: str | None) -> list[dict[str, Any]]:
        return [m for m in self.moments if stage_slug is None or m["stage_slug"] == stage_slug]

    def kpis_of(self, stage_slug: str) -> list[dict[str, Any]]:
        return [k for k in self.kpis if k["stage_slug"] == stage_slug]


def charter_options(store: Store) -> CharterOptions:
    return CharterOptions(
        stages=[(r[0], r[1]) for r in store.execute(STAGES)],
        moments=store.fetch_dicts(MOMENTS),
        silos=[r[0] for r in store.execute(SILOS)],
        sponsors=[r[0] for r in store.execute(SPONSORS)],
        people=[r[0] for r in store.execute(PEOPLE)],
        reviews=store.fetch_dicts(REVIEWS),
        kpis=store.fetch_dicts(STAGE_KPIS),
    )


def fix_choices(store: Store) -> list[tuple[int, str, str]]:
    """(id, title, status) of every fix, newest first (the fix page's picker)."""
    return [(int(r[0]), str(r[1]), str(r[2])) for r in store.execute(FIX_IDS)]


def silo_names(members: Sequence[dict[str, Any]]) -> list[str]:
    return sorted({str(m["silo"]) for m in members})

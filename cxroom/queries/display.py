"""Reads for the wall screens: the playlist a display link plays, and what the celebrations
screen tells of each win (its team, the KPI before and after)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from cxroom.insights import fix_evidence as fe
from cxroom.insights import fix_statistics as fs
from cxroom.models import DisplayPlaylist
from cxroom.store import Store

PLAYLIST = """
SELECT wall_s, spotlight_s, fixes_s, celebrations_s, refresh_s
FROM display_playlists WHERE token_sha256 = ?
"""


def playlist_for(store: Store, token_sha256: str) -> DisplayPlaylist:
    """The link's playlist; the defaults when none was saved for it."""
    rows = store.fetch_dicts(PLAYLIST, [token_sha256])
    return DisplayPlaylist(**rows[0]) if rows else DisplayPlaylist()


# -- the celebrations screen: each win's team and the KPI shift that earned it --------------------

# The team of each fix asked for (person and silo), and every reading of each KPI linked to them.
WIN_TEAMS = """
SELECT m.fix_id, m.person, s.name AS silo
FROM fix_members m JOIN silos s ON s.id = m.silo_id
WHERE list_contains($ids, m.fix_id)
ORDER BY m.fix_id, lower(m.person)
"""
WIN_KPI_SERIES = """
SELECT fk.fix_id, fk.kpi_id, k.name, k.unit, k.direction, coalesce(fk.target, k.target) AS target,
       r.period, r.value
FROM fix_kpis fk
JOIN kpis k ON k.id = fk.kpi_id
LEFT JOIN kpi_readings r ON r.kpi_id = fk.kpi_id
WHERE list_contains($ids, fk.fix_id)
ORDER BY fk.fix_id, k.name, fk.kpi_id, r.period
"""


@dataclass(frozen=True)
class WinShift:
    """The KPI a win is shown by: its average over the months before the charter, its latest
    reading by the celebration (the month the celebration's evidence names), and its target."""

    kpi: str
    unit: str
    direction: str
    before: float
    n_before: int
    after: float
    after_month: date
    target: float | None
    target_met: bool


@dataclass(frozen=True)
class Win:
    fix_id: int
    team: tuple[tuple[str, str], ...]  # (person, silo)
    shift: WinShift | None  # None: no linked KPI has readings on both sides of the charter


@dataclass(frozen=True)
class WinAsked:
    """A celebrated fix as the wall knows it: when it was chartered and celebrated."""

    fix_id: int
    chartered_on: date
    celebrated_on: date | None


def _shift(name: str, row: dict[str, Any], evidence: fe.Evidence) -> WinShift | None:
    if evidence.before_mean is None or evidence.latest is None:
        return None
    return WinShift(
        kpi=name,
        unit=row["unit"] or "",
        direction=row["direction"],
        before=evidence.before_mean,
        n_before=evidence.n_before,
        after=evidence.latest.value,
        after_month=evidence.latest.period,
        target=evidence.target,
        target_met=evidence.target_met,
    )


def _rank(shift: WinShift, evidence: fe.Evidence) -> int:
    """Which KPI tells the win: one that meets its target, then one that improved (the order
    of ``celebration_basis``), then any other."""
    if shift.target_met:
        return 0
    return 1 if evidence.verdict is fe.Verdict.IMPROVED else 2


def wins(store: Store, asked: Sequence[WinAsked]) -> dict[int, Win]:
    """Each celebrated fix's team and the KPI shift that tells its win, judged with the fix
    evidence's rules on the months completed before the day it was celebrated (as the
    celebration gate judged it), so the wall repeats what the room saw that day."""
    ids = [a.fix_id for a in asked]
    if not ids:
        return {}
    teams: dict[int, list[tuple[str, str]]] = {}
    for row in store.fetch_dicts(WIN_TEAMS, {"ids": ids}):
        teams.setdefault(int(row["fix_id"]), []).append((row["person"], row["silo"]))
    series: dict[tuple[int, int], dict[str, Any]] = {}
    for row in store.fetch_dicts(WIN_KPI_SERIES, {"ids": ids}):
        entry = series.setdefault((int(row["fix_id"]), int(row["kpi_id"])), {**row, "readings": []})
        if row["period"] is not None:
            entry["readings"].append(fs.Reading(row["period"], float(row["value"])))
    by_id = {a.fix_id: a for a in asked}
    best: dict[int, tuple[int, WinShift]] = {}
    for (fix_id, _kpi_id), row in series.items():
        win = by_id[fix_id]
        cutoff = None if win.celebrated_on is None else win.celebrated_on.replace(day=1)
        readings = [r for r in row["readings"] if cutoff is None or r.period < cutoff]
        target = None if row["target"] is None else float(row["target"])
        evidence = fe.assess(
            readings, charter=win.chartered_on, direction=row["direction"], target=target, unit=row["unit"] or ""
        )
        shift = _shift(row["name"], row, evidence)
        if shift is not None and (fix_id not in best or _rank(shift, evidence) < best[fix_id][0]):
            best[fix_id] = (_rank(shift, evidence), shift)
    return {i: Win(i, tuple(teams.get(i, ())), best[i][1] if i in best else None) for i in ids}

"""What a review holds: its agenda, findings, decisions, the fixes chartered
in it and the teams that presented; and the options of the capture forms."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cxroom.insights.agenda import AgendaKind, AgendaSection
from cxroom.store import Store

AGENDA = """
SELECT a.id, a.review_id, a.position, a.kind, a.section, a.title, a.reasons, a.stage_id, a.moment_id, a.fix_id,
       a.minutes, a.source, a.version, s.name AS stage_name, s.slug AS stage_slug, m.name AS moment_name,
       f.title AS fix_title
FROM review_agenda_items a
LEFT JOIN stages s ON s.id = a.stage_id
LEFT JOIN moments m ON m.id = a.moment_id
LEFT JOIN fixes f ON f.id = a.fix_id
WHERE a.review_id = ?
ORDER BY a.position, a.id
"""

FINDINGS = """
WITH ev AS (SELECT finding_id, list(label ORDER BY label) AS labels FROM review_finding_evidence GROUP BY finding_id),
     fx AS (SELECT l.finding_id, list(f.id ORDER BY f.id) AS fix_ids, list(f.title ORDER BY f.id) AS fix_titles
            FROM review_finding_fixes l JOIN fixes f ON f.id = l.fix_id GROUP BY l.finding_id)
SELECT rf.id, rf.review_id, rf.text, rf.evidence, rf.created_by, rf.created_at, rf.version,
       rf.stage_id, s.slug AS stage_slug, s.name AS stage_name, rf.moment_id, m.name AS moment_name,
       coalesce(ev.labels, []) AS evidence_labels, coalesce(fx.fix_ids, []) AS fix_ids,
       coalesce(fx.fix_titles, []) AS fix_titles
FROM review_findings rf
LEFT JOIN stages s ON s.id = rf.stage_id
LEFT JOIN moments m ON m.id = rf.moment_id
LEFT JOIN ev ON ev.finding_id = rf.id
LEFT JOIN fx ON fx.finding_id = rf.id
WHERE rf.review_id = ?
ORDER BY rf.created_at, rf.id
"""

DECISIONS = """
SELECT d.id, d.text, d.owner, d.due_on, d.finding_id, f.text AS finding_text, d.created_by, d.created_at, d.version,
       d.done_at, d.done_by, d.done_note
FROM review_decisions d
LEFT JOIN review_findings f ON f.id = d.finding_id
WHERE d.review_id = ?
ORDER BY d.created_at, d.id
"""

FIXES_CHARTERED = """
WITH mem AS (SELECT fm.fix_id, list(fm.person || ' (' || si.name || ')' ORDER BY fm.person) AS members
             FROM fix_members fm JOIN silos si ON si.id = fm.silo_id GROUP BY fm.fix_id)
SELECT f.id, f.title, f.problem, f.status, f.sponsor, f.lead, f.due_on, f.chartered_on,
       s.name AS stage_name, m.name AS moment_name, coalesce(mem.members, []) AS members
FROM fixes f
JOIN stages s ON s.id = f.stage_id
LEFT JOIN moments m ON m.id = f.moment_id
LEFT JOIN mem ON mem.fix_id = f.id
WHERE f.chartered_review_id = ?
ORDER BY f.id
"""

PRESENTATIONS = """
SELECT f.id, f.title, f.status, f.lead, f.results, f.recommendations, p.presented_at, s.name AS stage_name
FROM fix_presentations p
JOIN fixes f ON f.id = p.fix_id
JOIN stages s ON s.id = f.stage_id
WHERE p.review_id = ?
ORDER BY p.presented_at, f.id
"""

ACTIVE_FIXES = """
SELECT f.id, f.title, f.status, f.lead, f.stage_id, s.name AS stage_name,
       EXISTS (SELECT 1 FROM fix_presentations p WHERE p.fix_id = f.id AND p.review_id = $review) AS presented
FROM fixes f JOIN stages s ON s.id = f.stage_id
WHERE f.status <> 'dropped'
ORDER BY f.status = 'celebrated', s.position, f.id
"""

STAGE_CHOICES = """
SELECT id, slug, name FROM stages WHERE NOT archived ORDER BY position, id
"""

MOMENT_CHOICES = """
SELECT m.id, m.stage_id, s.slug AS stage_slug, m.name
FROM moments m JOIN stages s ON s.id = m.stage_id
WHERE NOT s.archived
ORDER BY s.position, m.position, m.id
"""

SILO_CHOICES = "SELECT name FROM silos ORDER BY name"


# -- shapes ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaItem:
    id: int
    review_id: int
    position: int
    kind: AgendaKind
    section: AgendaSection
    title: str
    reasons: tuple[str, ...]
    stage_id: int | None
    moment_id: int | None
    fix_id: int | None
    minutes: int
    source: str
    version: int
    stage_name: str | None = None
    stage_slug: str | None = None
    moment_name: str | None = None
    fix_title: str | None = None


@dataclass(frozen=True)
class Finding:
    id: int
    review_id: int
    text: str
    evidence: str
    created_by: str
    created_at: datetime
    version: int
    stage_id: int | None
    stage_slug: str | None
    stage_name: str | None
    moment_id: int | None
    moment_name: str | None
    evidence_labels: tuple[str, ...] = ()
    fix_ids: tuple[int, ...] = ()
    fix_titles: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return " · ".join(p for p in (self.stage_name, self.moment_name) if p) or "The whole room"


@dataclass(frozen=True)
class Decision:
    id: int
    text: str
    owner: str
    due_on: date | None
    finding_id: int | None
    finding_text: str | None
    created_by: str
    created_at: datetime
    version: int
    done_at: datetime | None = None
    done_by: str | None = None
    done_note: str = ""


@dataclass(frozen=True)
class Choices:
    """Options for the capture forms."""

    stages: tuple[tuple[str, str], ...]  # (slug, name)
    moments: dict[str, tuple[str, ...]]  # stage slug -> moment names
    silos: tuple[str, ...]
    stage_ids: dict[str, int] = field(default_factory=dict)  # stage slug -> id


# -- reads ----------------------------------------------------------------------------


def agenda(store: Store, review_id: int) -> list[AgendaItem]:
    rows = store.fetch_dicts(AGENDA, [review_id])
    return [
        AgendaItem(
            **{
                **row,
                "kind": AgendaKind(row["kind"]),
                "section": AgendaSection(row["section"]),
                "reasons": tuple(row["reasons"] or ()),
            }
        )
        for row in rows
    ]


def findings(store: Store, review_id: int) -> list[Finding]:
    rows = store.fetch_dicts(FINDINGS, [review_id])
    return [
        Finding(
            **{
                **row,
                "evidence_labels": tuple(row["evidence_labels"]),
                "fix_ids": tuple(int(i) for i in row["fix_ids"]),
                "fix_titles": tuple(row["fix_titles"]),
            }
        )
        for row in rows
    ]


def decisions(store: Store, review_id: int) -> list[Decision]:
    return [Decision(**row) for row in store.fetch_dicts(DECISIONS, [review_id])]


def fixes_chartered(store: Store, review_id: int) -> list[dict[str, Any]]:
    return store.fetch_dicts(FIXES_CHARTERED, [review_id])


def presentations(store: Store, review_id: int) -> list[dict[str, Any]]:
    return store.fetch_dicts(PRESENTATIONS, [review_id])


def fixes_for_presenting(store: Store, review_id: int) -> list[dict[str, Any]]:
    """Every fix that is not dropped, with whether it presented in this review."""
    return store.fetch_dicts(ACTIVE_FIXES, {"review": review_id})


def choices(store: Store) -> Choices:
    rows = store.fetch_dicts(STAGE_CHOICES)
    stages = tuple((r["slug"], r["name"]) for r in rows)
    moments: dict[str, list[str]] = {slug: [] for slug, _ in stages}
    for row in store.fetch_dicts(MOMENT_CHOICES):
        moments.setdefault(row["stage_slug"], []).append(row["name"])
    silos = tuple(r["name"] for r in store.fetch_dicts(SILO_CHOICES))
    return Choices(stages, {k: tuple(v) for k, v in moments.items()}, silos, {r["slug"]: int(r["id"]) for r in rows})

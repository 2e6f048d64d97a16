"""Writes of cross-functional fixes: charter a team, move it along its
statuses, keep its story, team, attachments and timeline, and celebrate it
only on evidence.

The rules a fix lives by (each broken rule is an InvalidInputError with a
message a person can act on):

- a team has members from at least two silos, and the lead is one of them;
- the due date is not before the charter date;
- a linked KPI needs a reading before the charter date: that reading is the
  baseline, captured at charter and never changed afterwards;
- statuses move chartered → diagnosing → recommending → implementing →
  results → celebrated. Working statuses may be skipped forward, and moved
  back with a note; 'results' comes only from 'implementing' and needs the
  results written; 'celebrated' comes only from 'results' and needs evidence
  (see ``cxroom.insights.fix_evidence``) or an audited override by the
  sponsor (or a facilitator on the sponsor's word) with a reason;
- 'dropped' needs a reason, and a dropped fix may be reopened; a celebrated
  fix stays celebrated;
- every edit of a fix names the version it was read at; a stale version is a
  ConflictError and nothing is overwritten.

The statuses and the moves between them are ``cxroom.fix_status``'s (shared
with every page); the celebration gate judges a fix with
``cxroom.services.fix_evidence.load_evidence``, the reader the fix page uses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from cxroom import fix_status
from cxroom.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from cxroom.insights import fix_evidence as fe
from cxroom.models import FixCreate, FixMember, FixStatus
from cxroom.permissions import Action
from cxroom.services import _lookup, submits
from cxroom.services._fix_tx import actor_names, add_to_timeline, checked_text, fix_row, team_rows, update_versioned
from cxroom.services.fix_evidence import load_evidence
from cxroom.store import Store, Tx, utcnow

# -- SQL ---------------------------------------------------------------------------

BASELINE_SQL = """
SELECT value, period FROM kpi_readings
WHERE kpi_id = ? AND period < ?
ORDER BY period DESC LIMIT 1
"""
KPI_OF_STAGE = "SELECT id, target FROM kpis WHERE stage_id = ? AND name = ?"
REVIEW_EXISTS = "SELECT count(*) FROM reviews WHERE id = ?"
INSERT_FIX = """
INSERT INTO fixes (title, problem, stage_id, moment_id, sponsor, lead, chartered_on, chartered_review_id, due_on,
                   submit_key)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
"""
FIX_BY_SUBMIT_KEY = "SELECT id FROM fixes WHERE submit_key = ?"
# Active fixes a new charter may repeat: on the same moment of truth, or with the same title on the stage.
ACTIVE_FIXES_LIKE = f"""
SELECT f.id, f.title, f.status, m.name AS moment
FROM fixes f JOIN stages s ON s.id = f.stage_id LEFT JOIN moments m ON m.id = f.moment_id
WHERE s.slug = $stage AND {fix_status.active_sql()}
  AND ((m.name IS NOT NULL AND m.name = $moment) OR lower(trim(f.title)) = lower(trim($title)))
ORDER BY f.id
"""
INSERT_MEMBER = "INSERT INTO fix_members (fix_id, person, silo_id) VALUES (?, ?, ?)"
DELETE_MEMBERS = "DELETE FROM fix_members WHERE fix_id = ?"
MEMBERS_OF = """
SELECT m.person, s.name AS silo FROM fix_members m JOIN silos s ON s.id = m.silo_id
WHERE m.fix_id = ? ORDER BY m.person
"""
INSERT_FIX_KPI = "INSERT INTO fix_kpis (fix_id, kpi_id, baseline, baseline_period, target) VALUES (?, ?, ?, ?, ?)"
INSERT_CELEBRATION = """
INSERT INTO fix_celebrations (fix_id, celebrated_at, celebrated_by, basis, evidence, override_reason)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (fix_id) DO UPDATE SET celebrated_at = excluded.celebrated_at, celebrated_by = excluded.celebrated_by,
    basis = excluded.basis, evidence = excluded.evidence, override_reason = excluded.override_reason
"""
INSERT_PRESENTATION = "INSERT INTO fix_presentations VALUES (?, ?, ?) ON CONFLICT DO NOTHING"

# -- commands ---------------------------------------------------------------------------------


def charter_fix(
    store: Store, data: FixCreate, *, actor: str, when: datetime | None = None, nonce: str | None = None
) -> int:
    """Create a fix with its team; linked KPIs get their baseline captured now. With the nonce of the
    form that sent it, the same command sent again returns the fix it created (see services.submits)."""
    return charter_fix_once(store, data, actor=actor, when=when, nonce=nonce).id


def _similar_message(similar: Sequence[dict[str, Any]]) -> str:
    names = ", ".join(f"#{r['id']} {r['title']} ({r['status']})" for r in similar)
    return f"This looks like a fix the room already has in progress: {names}. Open it, or charter anyway."


def active_fixes_like(store: Store, *, stage_slug: str, moment_name: str | None, title: str) -> list[dict[str, Any]]:
    """Active fixes a new charter would repeat: the same moment of truth, or the same title on the stage.
    The forms warn with links to them; chartering anyway stays possible (a second team may be meant)."""
    params = {"stage": stage_slug, "moment": moment_name, "title": title}
    return store.fetch_dicts(ACTIVE_FIXES_LIKE, params)


def charter_fix_once(
    store: Store,
    data: FixCreate,
    *,
    actor: str,
    when: datetime | None = None,
    nonce: str | None = None,
    allow_similar: bool = True,
) -> submits.Created:
    """charter_fix, saying whether the command had already been carried out (nothing written then).
    With allow_similar=False (the forms' first send), an active fix on the same moment or with the same
    title refuses the charter with SimilarExists naming them; a repeat of this very command is no refusal."""
    key = submits.submit_key(nonce, "charter_fix", data)
    with store.transaction(actor) as tx:
        tx.require(Action.FIX_CHARTER)
        return charter_in(tx, data, key=key, when=when, allow_similar=allow_similar)


def charter_in(
    tx: Tx, data: FixCreate, *, key: str | None, when: datetime | None = None, allow_similar: bool = True
) -> submits.Created:
    """charter_fix_once inside a transaction the caller holds, so a command that charters a fix and
    writes more (a review's finding linked to it) commits all of it or nothing. ``key`` is the
    command's submit key (``submits.submit_key(nonce, "charter_fix", data)``) or None. The caller
    has required Action.FIX_CHARTER in that transaction."""
    done = tx.fetch_value(FIX_BY_SUBMIT_KEY, [key]) if key else None
    if done is not None:
        return submits.Created(int(done), repeated=True)
    if not allow_similar:
        params = {"stage": data.stage_slug, "moment": data.moment_name, "title": data.title}
        similar = tx.fetch_dicts(ACTIVE_FIXES_LIKE, params)
        if similar:
            raise submits.SimilarExists(_similar_message(similar), similar)
    stage = _lookup.stage_id(tx, data.stage_slug)
    moment = _lookup.moment_id(tx, stage, data.moment_name)
    members = team_rows(tx, data.members, data.lead)
    if data.chartered_review_id is not None and not tx.fetch_value(REVIEW_EXISTS, [data.chartered_review_id]):
        raise NotFoundError(f"There is no review #{data.chartered_review_id} to charter the fix from.")
    kpis = []
    for kpi_name in dict.fromkeys(data.kpi_names):
        found = tx.fetch_one(KPI_OF_STAGE, [stage, kpi_name])
        if found is None:
            raise InvalidInputError(f"The stage has no KPI called '{kpi_name}'.")
        baseline = tx.fetch_one(BASELINE_SQL, [found[0], data.chartered_on])
        if baseline is None:
            raise InvalidInputError(
                f"The KPI '{kpi_name}' has no reading before the charter date ({data.chartered_on:%d %b %Y}), "
                "so the fix would have no baseline to prove a change against. Load the KPI's history first, "
                "or charter the fix without this KPI."
            )
        kpis.append((found[0], baseline[0], baseline[1], found[1]))
    new_id = int(
        tx.fetch_value(
            INSERT_FIX,
            [
                data.title,
                data.problem,
                stage,
                moment,
                data.sponsor,
                data.lead,
                data.chartered_on,
                data.chartered_review_id,
                data.due_on,
                key,
            ],
        )
    )
    for person, silo in members:
        tx.execute(INSERT_MEMBER, [new_id, person, silo])
    for kpi, value, period, target in kpis:
        tx.execute(INSERT_FIX_KPI, [new_id, kpi, value, period, target])
    add_to_timeline(tx, new_id, when=when, from_status=None, to_status=FixStatus.CHARTERED.value, note="Team chartered")
    tx.audit("create", "fix", new_id, None, data.model_dump())
    return submits.Created(new_id, repeated=False)


def move_fix(
    store: Store,
    fix_id: int,
    *,
    to_status: FixStatus,
    note: str,
    expected_version: int,
    actor: str,
    when: datetime | None = None,
    fields: dict[str, str] | None = None,
    override_reason: str | None = None,
) -> fe.Celebration | None:
    """Change a fix's status (and optionally its findings/recommendations/results text).

    Moving to 'celebrated' needs evidence from the room's data; without it,
    ``override_reason`` records the sponsor's decision (the actor must be the
    sponsor, or a facilitator recording it) and the override is audited.
    Returns the basis of a celebration, else None.
    """
    to_status = FixStatus(to_status)
    allowed_fields = {"findings", "recommendations", "results"}
    extra = {k: checked_text(v, k) for k, v in (fields or {}).items()}
    if set(extra) - allowed_fields:
        raise InvalidInputError(f"Unknown fix fields: {sorted(set(extra) - allowed_fields)}")
    note = checked_text(note, "note", 5000)
    reason = (override_reason or "").strip()
    with store.transaction(actor) as tx:
        before = fix_row(tx, fix_id)
        fix_status.check_move(before["status"], to_status, note=note)
        celebration: fe.Celebration | None = None
        if to_status is FixStatus.CELEBRATED:
            as_of = None if when is None else when.date()
            celebration = load_evidence(tx, fix_id, as_of=as_of).celebration()
            if celebration is None and not reason:
                raise InvalidInputError(
                    "There is no evidence yet that this fix worked: no linked KPI meets its target and no series "
                    "shows a verdict of 'improved'. Wait for more data, or the sponsor can celebrate anyway with a "
                    "reason (an audited override)."
                )
            if celebration is None:
                if len(reason) < fix_status.MIN_REASON:
                    raise InvalidInputError("An override needs a reason of at least a sentence.")
                if str(before["sponsor"]).casefold() not in actor_names(tx):
                    try:
                        tx.require(Action.FIX_OVERRIDE)
                    except PermissionDeniedError:
                        raise PermissionDeniedError(
                            f"Only the sponsor, {before['sponsor']}, or a facilitator recording the sponsor's "
                            "decision can celebrate a fix without evidence."
                        ) from None
                celebration = fe.Celebration("override", f"Sponsor's override: {reason}")
            else:
                tx.require(Action.FIX_EDIT, fix_id=fix_id)
        else:
            tx.require(Action.FIX_EDIT, fix_id=fix_id)
        if to_status is FixStatus.RESULTS and not (extra.get("results") or str(before["results"]).strip()):
            raise InvalidInputError(
                "Write the results before moving to 'results': what changed, and what the data shows."
            )
        update_versioned(tx, fix_id, expected_version, {"status": to_status.value, **extra})
        add_to_timeline(tx, fix_id, when=when, from_status=before["status"], to_status=to_status.value, note=note)
        if celebration is not None:
            tx.execute(
                INSERT_CELEBRATION,
                [
                    fix_id,
                    when or utcnow(),
                    actor,
                    celebration.basis,
                    celebration.summary,
                    reason if celebration.basis == "override" else None,
                ],
            )
        after = _lookup.row(tx, "fixes", fix_id)
        audit_after = {**after, "celebration": None if celebration is None else asdict(celebration)}
        action = "celebrate_override" if celebration is not None and celebration.basis == "override" else "move"
        tx.audit(action, "fix", fix_id, before, audit_after)
        return celebration


def update_fix(
    store: Store,
    fix_id: int,
    *,
    expected_version: int,
    actor: str,
    findings: str | None = None,
    recommendations: str | None = None,
    results: str | None = None,
    due_on: date | None = None,
    problem: str | None = None,
    when: datetime | None = None,
) -> None:
    """Edit the story of a fix (and its due date); None leaves a field as it is."""
    changes: dict[str, Any] = {}
    for name, value in (
        ("findings", findings),
        ("recommendations", recommendations),
        ("results", results),
        ("problem", problem),
    ):
        if value is not None:
            changes[name] = checked_text(value, name)
    if problem is not None and len(changes["problem"]) < 10:
        raise InvalidInputError("Describe the problem in at least a sentence (10 characters or more).")
    with store.transaction(actor) as tx:
        tx.require(Action.FIX_EDIT, fix_id=fix_id)
        before = fix_row(tx, fix_id)
        if due_on is not None:
            if due_on < before["chartered_on"]:
                raise InvalidInputError(
                    f"The due date cannot be before the charter date ({before['chartered_on']:%d %b %Y})."
                )
            changes["due_on"] = due_on
        changes = {k: v for k, v in changes.items() if v != before[k]}
        if not changes:
            raise InvalidInputError("Nothing changed: edit a field before saving.")
        update_versioned(tx, fix_id, expected_version, changes)
        words = {"due_on": "due date"}
        edited = ", ".join(words.get(k, k) for k in changes)
        add_to_timeline(tx, fix_id, when=when, from_status=None, to_status=None, note=f"Edited {edited}")
        tx.audit("update", "fix", fix_id, before, _lookup.row(tx, "fixes", fix_id))


def set_team(
    store: Store,
    fix_id: int,
    *,
    members: Sequence[FixMember],
    lead: str,
    expected_version: int,
    actor: str,
    when: datetime | None = None,
) -> None:
    """Replace the team (and its lead); it must stay cross-functional."""
    lead = lead.strip()
    if not lead:
        raise InvalidInputError("A fix needs a lead.")
    with store.transaction(actor) as tx:
        tx.require(Action.FIX_EDIT, fix_id=fix_id)
        before = fix_row(tx, fix_id)
        rows = team_rows(tx, members, lead)
        old = tx.fetch_dicts(MEMBERS_OF, [fix_id])
        update_versioned(tx, fix_id, expected_version, {"lead": lead})
        tx.execute(DELETE_MEMBERS, [fix_id])
        for person, silo in rows:
            tx.execute(INSERT_MEMBER, [fix_id, person, silo])
        new = tx.fetch_dicts(MEMBERS_OF, [fix_id])
        old_set = {(m["person"], m["silo"]) for m in old}
        new_set = {(m["person"], m["silo"]) for m in new}
        parts = [f"+ {p} ({s})" for p, s in sorted(new_set - old_set)]
        parts += [f"− {p} ({s})" for p, s in sorted(old_set - new_set)]
        if lead != before["lead"]:
            parts.append(f"lead: {before['lead']} → {lead}")
        add_to_timeline(
            tx, fix_id, when=when, from_status=None, to_status=None, note="Team changed: " + ("; ".join(parts) or "—")
        )
        tx.audit("set_team", "fix", fix_id, {"lead": before["lead"], "members": old}, {"lead": lead, "members": new})


def add_note(store: Store, fix_id: int, *, note: str, actor: str, when: datetime | None = None) -> None:
    """A progress update on the fix's timeline (no status change)."""
    note = checked_text(note, "note", 5000)
    if len(note) < 3:
        raise InvalidInputError("Write the update before posting it.")
    with store.transaction(actor) as tx:
        tx.require(Action.FIX_EDIT, fix_id=fix_id)
        before = fix_row(tx, fix_id)
        add_to_timeline(tx, fix_id, when=when, from_status=None, to_status=None, note=note)
        tx.audit("note", "fix", fix_id, None, {"status": before["status"], "note": note})


def record_presentation(store: Store, *, fix_id: int, review_id: int, actor: str, when: date | datetime) -> None:
    """The team presented the fix at a review (shown on the fix page and its timeline)."""
    with store.transaction(actor) as tx:
        tx.require(Action.FIX_EDIT, fix_id=fix_id)
        fix_row(tx, fix_id)
        review = _lookup.row(tx, "reviews", review_id)
        tx.execute(INSERT_PRESENTATION, [fix_id, review_id, when])
        stamp = when if isinstance(when, datetime) else datetime(when.year, when.month, when.day)
        note = f"Presented at '{review['title']}'"
        add_to_timeline(tx, fix_id, when=stamp, from_status=None, to_status=None, note=note)
        tx.audit("present", "fix", fix_id, None, {"review_id": review_id})

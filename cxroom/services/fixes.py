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

``load_evidence`` also lives here, although it only reads: the celebration
gate and the fix page must judge a fix on exactly the same data, and the
import rules keep services and queries apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any, Protocol

from cxroom import fix_status
from cxroom.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from cxroom.insights import fix_evidence as fe
from cxroom.media import CheckedMedia, MediaStore, StoredMedia
from cxroom.models import Direction, FixCreate, FixMember, FixStatus
from cxroom.permissions import Action
from cxroom.services import _lookup, submits
from cxroom.services.evidence import register_media
from cxroom.services.media_tx import media_transaction, require_now
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
ACTIVE_FIXES_LIKE = """
SELECT f.id, f.title, f.status, m.name AS moment
FROM fixes f JOIN stages s ON s.id = f.stage_id LEFT JOIN moments m ON m.id = f.moment_id
WHERE s.slug = $stage AND list_contains($active, f.status)
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
INSERT_UPDATE = """
INSERT INTO fix_updates (fix_id, happened_at, author, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?)
"""
LAST_UPDATE = """
SELECT coalesce(p.display_name, u.author), u.happened_at
FROM fix_updates u LEFT JOIN users p ON lower(p.email) = lower(u.author)
WHERE u.fix_id = ? ORDER BY u.happened_at DESC, u.id DESC LIMIT 1
"""
INSERT_ATTACHMENT = """
INSERT INTO fix_attachments (fix_id, media_sha256, title, added_by, added_at) VALUES (?, ?, ?, ?, ?) RETURNING id
"""
INSERT_CELEBRATION = """
INSERT INTO fix_celebrations (fix_id, celebrated_at, celebrated_by, basis, evidence, override_reason)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (fix_id) DO UPDATE SET celebrated_at = excluded.celebrated_at, celebrated_by = excluded.celebrated_by,
    basis = excluded.basis, evidence = excluded.evidence, override_reason = excluded.override_reason
"""
INSERT_PRESENTATION = "INSERT INTO fix_presentations VALUES (?, ?, ?) ON CONFLICT DO NOTHING"
ACTOR_NAME = "SELECT display_name FROM users WHERE lower(email) = lower(?)"

# The evidence of one fix: its linked KPIs with every reading, and the monthly
# complaint volume of its moment (or of its stage when no complaint is mapped
# to the moment), over the months the room holds complaints for.
FIX_KPI_SERIES = """
SELECT fk.kpi_id, k.name, k.unit, k.direction, fk.baseline, fk.baseline_period,
       coalesce(fk.target, k.target) AS target, r.period, r.value
FROM fix_kpis fk
JOIN kpis k ON k.id = fk.kpi_id
LEFT JOIN kpi_readings r ON r.kpi_id = fk.kpi_id
WHERE fk.fix_id = ?
ORDER BY k.name, fk.kpi_id, r.period
"""
FIX_SCOPE = """
SELECT f.id, f.chartered_on, f.stage_id, f.moment_id, s.name AS stage, m.name AS moment,
       (SELECT count(*) FROM complaints c
        WHERE f.moment_id IS NOT NULL AND c.moment_id = f.moment_id) AS moment_complaints
FROM fixes f JOIN stages s ON s.id = f.stage_id LEFT JOIN moments m ON m.id = f.moment_id
WHERE f.id = ?
"""
COMPLAINT_MONTHS = """
SELECT CAST(date_trunc('month', min(received_at)) AS DATE), CAST(date_trunc('month', max(received_at)) AS DATE)
FROM complaints
"""
COMPLAINTS_PER_MONTH = """
SELECT CAST(date_trunc('month', received_at) AS DATE) AS period, count(*) AS n
FROM complaints
WHERE stage_id = ? AND (CAST(? AS BIGINT) IS NULL OR moment_id = ?)
GROUP BY 1 ORDER BY 1
"""

# -- statuses -------------------------------------------------------------------------

# The statuses, their order and which are active are cxroom.fix_status's; the moves between them are here.
WORKING = list(fix_status.WORKING)
ORDER = list(fix_status.LANES)  # 'dropped' is off the run: leaving it is a reopening, not a move back
ACTIVE = fix_status.ACTIVE
MIN_REASON = 10
COMPLAINT_UNIT = "complaints a month"


def next_statuses(current: FixStatus | str) -> list[FixStatus]:
    """The statuses a fix in ``current`` may move to (the board and the fix page offer these)."""
    current = FixStatus(current)
    if current is FixStatus.CELEBRATED:
        return []
    if current is FixStatus.DROPPED:
        return [FixStatus.CHARTERED, FixStatus.DIAGNOSING]
    options = [s for s in WORKING if s is not current]
    if current is FixStatus.IMPLEMENTING:
        options.append(FixStatus.RESULTS)
    if current is FixStatus.RESULTS:
        options.append(FixStatus.CELEBRATED)
    return [*options, FixStatus.DROPPED]


def is_backwards(current: FixStatus, target: FixStatus) -> bool:
    return current in ORDER and target in ORDER and ORDER.index(target) < ORDER.index(current)


def check_move(current: FixStatus | str, target: FixStatus | str, *, note: str) -> None:
    """Refuse a status move that breaks the rules (evidence is checked separately)."""
    current, target = FixStatus(current), FixStatus(target)
    if current is target:
        raise InvalidInputError(f"The fix is already '{target.value}'.")
    if current is FixStatus.CELEBRATED:
        raise InvalidInputError("A celebrated fix stays celebrated; charter a new fix for new work on this moment.")
    if target is FixStatus.CELEBRATED and current is not FixStatus.RESULTS:
        raise InvalidInputError(
            f"A fix is celebrated only from 'results', once the team has reported results and the room's data "
            f"backs them; this fix is '{current.value}'. Move it through implementing and results first."
        )
    if target is FixStatus.RESULTS and current is not FixStatus.IMPLEMENTING:
        raise InvalidInputError(
            f"Results come after implementing: there must be something implemented to measure. This fix is "
            f"'{current.value}'; move it to 'implementing' first."
        )
    if current is FixStatus.DROPPED and target not in (FixStatus.CHARTERED, FixStatus.DIAGNOSING):
        raise InvalidInputError("A dropped fix is reopened as 'chartered' or 'diagnosing'.")
    if target is FixStatus.DROPPED and len(note.strip()) < MIN_REASON:
        raise InvalidInputError("Say why the fix is dropped (at least a sentence): the room will ask.")
    if is_backwards(current, target) and len(note.strip()) < MIN_REASON:
        raise InvalidInputError(
            f"Moving back from '{current.value}' to '{target.value}' needs a note saying why (at least a sentence)."
        )


# -- evidence ---------------------------------------------------------------------------


class Reader(Protocol):
    """A Store or an open Tx: both read with the same calls."""

    def fetch_dicts(self, sql: str, params: Any = None) -> list[dict[str, Any]]: ...

    def fetch_one(self, sql: str, params: Any = None) -> tuple[Any, ...] | None: ...


@dataclass(frozen=True)
class SeriesEvidence:
    """One monthly series a fix is judged on, with its verdict."""

    kind: str  # 'kpi' or 'complaints'
    name: str
    unit: str
    direction: Direction
    readings: tuple[fe.Reading, ...]
    evidence: fe.Evidence
    kpi_id: int | None = None
    baseline: float | None = None
    baseline_period: date | None = None
    target: float | None = None
    scope: str = ""


@dataclass(frozen=True)
class FixEvidence:
    fix_id: int
    charter: date
    kpis: tuple[SeriesEvidence, ...]
    complaints: SeriesEvidence | None

    @property
    def series(self) -> tuple[SeriesEvidence, ...]:
        return (*self.kpis, *([self.complaints] if self.complaints is not None else []))

    def celebration(self) -> fe.Celebration | None:
        return fe.celebration_basis((s.name, s.evidence) for s in self.series)


def load_evidence(reader: Reader, fix_id: int, *, as_of: date | None = None) -> FixEvidence:
    """Everything the verdict on a fix rests on, assessed (used by the gate and the fix page).

    ``as_of`` judges the fix on the months completed before that day (a
    celebration recorded after the fact is judged on the data of its day);
    None uses every reading the room holds.
    """
    cutoff = None if as_of is None else as_of.replace(day=1)
    scope = reader.fetch_dicts(FIX_SCOPE, [fix_id])
    if not scope:
        raise NotFoundError(f"There is no fix #{fix_id}.")
    fix = scope[0]
    charter: date = fix["chartered_on"]
    by_kpi: dict[int, dict[str, Any]] = {}
    for row in reader.fetch_dicts(FIX_KPI_SERIES, [fix_id]):
        entry = by_kpi.setdefault(row["kpi_id"], {**row, "readings": []})
        if row["period"] is not None and (cutoff is None or row["period"] < cutoff):
            entry["readings"].append(fe.Reading(row["period"], float(row["value"])))
    kpis = []
    for kpi_id, row in by_kpi.items():
        direction = Direction(row["direction"])
        target = None if row["target"] is None else float(row["target"])
        readings = tuple(row["readings"])
        kpis.append(
            SeriesEvidence(
                kind="kpi",
                name=row["name"],
                unit=row["unit"] or "",
                direction=direction,
                readings=readings,
                evidence=fe.assess(readings, charter=charter, direction=direction, target=target, unit=row["unit"]),
                kpi_id=kpi_id,
                baseline=row["baseline"],
                baseline_period=row["baseline_period"],
                target=target,
            )
        )
    complaints = None
    span = reader.fetch_one(COMPLAINT_MONTHS)
    if span is not None and span[0] is not None:
        by_moment = fix["moment_id"] is not None and fix["moment_complaints"] > 0
        moment = fix["moment_id"] if by_moment else None
        counts = reader.fetch_dicts(COMPLAINTS_PER_MONTH, [fix["stage_id"], moment, moment])
        last = span[1] if cutoff is None else min(span[1], fe.add_months(cutoff, -1))
        readings = tuple(fe.fill_months(((r["period"], r["n"]) for r in counts), first=span[0], last=last))
        where = f"moment of truth '{fix['moment']}'" if by_moment else f"stage '{fix['stage']}'"
        complaints = SeriesEvidence(
            kind="complaints",
            name=f"Complaints about this {'moment' if by_moment else 'stage'}",
            unit=COMPLAINT_UNIT,
            direction=Direction.LOWER_BETTER,
            readings=readings,
            evidence=fe.assess(readings, charter=charter, direction=Direction.LOWER_BETTER, unit=COMPLAINT_UNIT),
            scope=where,
        )
    return FixEvidence(fix_id, charter, tuple(kpis), complaints)


# -- helpers -------------------------------------------------------------------------------


def _fix(tx: Tx, fix_id: int) -> dict[str, Any]:
    try:
        return _lookup.row(tx, "fixes", fix_id)
    except NotFoundError:
        raise NotFoundError(f"There is no fix #{fix_id} (it may have been removed).") from None


def _team_rows(tx: Tx, members: Sequence[FixMember], lead: str) -> list[tuple[str, int]]:
    """Resolve a team to (person, silo id), enforcing the cross-functional rules."""
    seen: set[str] = set()
    rows = []
    for member in members:
        key = member.person.casefold()
        if key in seen:
            raise InvalidInputError(f"{member.person} is listed twice in the team; list each person once.")
        seen.add(key)
        rows.append((member.person, _lookup.silo_id(tx, member.silo_name)))
    if len({silo for _, silo in rows}) < 2:
        raise InvalidInputError(
            "A fix team needs members from at least two silos; one silo alone is not cross-functional."
        )
    if lead.casefold() not in seen:
        raise InvalidInputError(f"The lead, {lead}, must be a member of the team (with their silo).")
    return rows


def _timeline(
    tx: Tx, fix_id: int, *, when: datetime | None, from_status: str | None, to_status: str | None, note: str
) -> None:
    tx.execute(INSERT_UPDATE, [fix_id, when or utcnow(), tx.actor, from_status, to_status, note])


def _versioned(tx: Tx, fix_id: int, expected_version: int, values: dict[str, Any]) -> None:
    """update_versioned with a message about *this fix*: who changed it, and what to do."""
    try:
        tx.update_versioned("fixes", fix_id, expected_version, values)
    except ConflictError:
        last = tx.fetch_one(LAST_UPDATE, [fix_id])
        by = f" ({last[0]}, {last[1]:%d %b %Y %H:%M})" if last else ""
        raise ConflictError(
            f"Someone else changed this fix since you opened it{by}. Your change was not saved, and nothing of "
            "theirs was overwritten: reload the fix, then make your change again if it still applies."
        ) from None


def _actor_names(tx: Tx) -> set[str]:
    names = {tx.actor.casefold()}
    found = tx.fetch_value(ACTOR_NAME, [tx.actor])
    if found:
        names.add(str(found).casefold())
    return names


def _text(value: str, what: str, limit: int = 20_000) -> str:
    value = value.strip()
    if len(value) > limit:
        raise InvalidInputError(f"The {what} is {len(value):,} characters; keep it under {limit:,}.")
    return value


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
    params = {"stage": stage_slug, "moment": moment_name, "title": title, "active": sorted(s.value for s in ACTIVE)}
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
        done = tx.fetch_value(FIX_BY_SUBMIT_KEY, [key]) if key else None
        if done is not None:
            return submits.Created(int(done), repeated=True)
        if not allow_similar:
            params = {"stage": data.stage_slug, "moment": data.moment_name, "title": data.title}
            similar = tx.fetch_dicts(ACTIVE_FIXES_LIKE, {**params, "active": sorted(s.value for s in ACTIVE)})
            if similar:
                raise submits.SimilarExists(_similar_message(similar), similar)
        stage = _lookup.stage_id(tx, data.stage_slug)
        moment = _lookup.moment_id(tx, stage, data.moment_name)
        members = _team_rows(tx, data.members, data.lead)
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
        _timeline(tx, new_id, when=when, from_status=None, to_status=FixStatus.CHARTERED.value, note="Team chartered")
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
    extra = {k: _text(v, k) for k, v in (fields or {}).items()}
    if set(extra) - allowed_fields:
        raise InvalidInputError(f"Unknown fix fields: {sorted(set(extra) - allowed_fields)}")
    note = _text(note, "note", 5000)
    reason = (override_reason or "").strip()
    with store.transaction(actor) as tx:
        before = _fix(tx, fix_id)
        check_move(before["status"], to_status, note=note)
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
                if len(reason) < MIN_REASON:
                    raise InvalidInputError("An override needs a reason of at least a sentence.")
                if str(before["sponsor"]).casefold() not in _actor_names(tx):
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
        _versioned(tx, fix_id, expected_version, {"status": to_status.value, **extra})
        _timeline(tx, fix_id, when=when, from_status=before["status"], to_status=to_status.value, note=note)
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
            changes[name] = _text(value, name)
    if problem is not None and len(changes["problem"]) < 10:
        raise InvalidInputError("Describe the problem in at least a sentence (10 characters or more).")
    with store.transaction(actor) as tx:
        tx.require(Action.FIX_EDIT, fix_id=fix_id)
        before = _fix(tx, fix_id)
        if due_on is not None:
            if due_on < before["chartered_on"]:
                raise InvalidInputError(
                    f"The due date cannot be before the charter date ({before['chartered_on']:%d %b %Y})."
                )
            changes["due_on"] = due_on
        changes = {k: v for k, v in changes.items() if v != before[k]}
        if not changes:
            raise InvalidInputError("Nothing changed: edit a field before saving.")
        _versioned(tx, fix_id, expected_version, changes)
        words = {"due_on": "due date"}
        edited = ", ".join(words.get(k, k) for k in changes)
        _timeline(tx, fix_id, when=when, from_status=None, to_status=None, note=f"Edited {edited}")
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
        before = _fix(tx, fix_id)
        rows = _team_rows(tx, members, lead)
        old = tx.fetch_dicts(MEMBERS_OF, [fix_id])
        _versioned(tx, fix_id, expected_version, {"lead": lead})
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
        _timeline(
            tx, fix_id, when=when, from_status=None, to_status=None, note="Team changed: " + ("; ".join(parts) or "—")
        )
        tx.audit("set_team", "fix", fix_id, {"lead": before["lead"], "members": old}, {"lead": lead, "members": new})


def add_note(store: Store, fix_id: int, *, note: str, actor: str, when: datetime | None = None) -> None:
    """A progress update on the fix's timeline (no status change)."""
    note = _text(note, "note", 5000)
    if len(note) < 3:
        raise InvalidInputError("Write the update before posting it.")
    with store.transaction(actor) as tx:
        tx.require(Action.FIX_EDIT, fix_id=fix_id)
        before = _fix(tx, fix_id)
        _timeline(tx, fix_id, when=when, from_status=None, to_status=None, note=note)
        tx.audit("note", "fix", fix_id, None, {"status": before["status"], "note": note})


def attach_file(
    store: Store,
    fix_id: int,
    *,
    media: CheckedMedia | StoredMedia,
    title: str,
    actor: str,
    when: datetime | None = None,
    media_store: MediaStore | None = None,
) -> int:
    """Attach an image or a PDF to a fix; checked media is written inside the same transaction."""
    described = media.media if isinstance(media, CheckedMedia) else media
    if described.family not in ("image", "pdf"):
        raise InvalidInputError("A fix attachment must be an image or a PDF.")
    title = _text(title, "title", 200) or described.path.name
    with media_transaction(store, media_store, actor, Action.FIX_EDIT, fix_id=fix_id) as unit:
        tx = unit.tx
        _fix(tx, fix_id)
        register_media(tx, unit.save(media), title)
        stamp = when or utcnow()
        new_id = int(tx.fetch_value(INSERT_ATTACHMENT, [fix_id, described.sha256, title, actor, stamp]))
        _timeline(tx, fix_id, when=stamp, from_status=None, to_status=None, note=f"Attached '{title}'")
        tx.audit("attach", "fix", fix_id, None, {"attachment_id": new_id, "sha256": described.sha256, "title": title})
        return new_id


def attach_upload(
    store: Store,
    media_store: MediaStore,
    fix_id: int,
    *,
    data: bytes,
    original_name: str,
    title: str,
    actor: str,
    when: datetime | None = None,
) -> int:
    """Attach uploaded bytes: refused means nothing written (permission, then checks, then one unit of work)."""
    media_store.screen(data, allowed={"image", "pdf"}, original_name=original_name)
    require_now(store, actor, Action.FIX_EDIT, fix_id=fix_id)
    checked = media_store.check(data, allowed={"image", "pdf"}, original_name=original_name)
    return attach_file(
        store, fix_id, media=checked, title=title or original_name, actor=actor, when=when, media_store=media_store
    )


def record_presentation(store: Store, *, fix_id: int, review_id: int, actor: str, when: date | datetime) -> None:
    """The team presented the fix at a review (shown on the fix page and its timeline)."""
    with store.transaction(actor) as tx:
        tx.require(Action.FIX_EDIT, fix_id=fix_id)
        _fix(tx, fix_id)
        review = _lookup.row(tx, "reviews", review_id)
        tx.execute(INSERT_PRESENTATION, [fix_id, review_id, when])
        stamp = when if isinstance(when, datetime) else datetime(when.year, when.month, when.day)
        _timeline(tx, fix_id, when=stamp, from_status=None, to_status=None, note=f"Presented at '{review['title']}'")
        tx.audit("present", "fix", fix_id, None, {"review_id": review_id})

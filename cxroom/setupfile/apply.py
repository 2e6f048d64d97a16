"""Apply a set-up file to a room: create what is missing, update what
differs, and report it (created, updated, unchanged per section, and what is
in the room but not in the file).

- **All or nothing.** The file is checked whole first (syntax, fields, names
  used twice, references); one problem and nothing is written. Then every
  change runs in ONE transaction, through the room's own services
  (cxroom.services.room, accountability, curation, evidence): each checks the acting user's
  permission and writes its audit entry as that user, exactly as the set-up
  page would. A service that refuses (a survey question's kind cannot change
  once answered) rolls the whole apply back, with the file line it came from.
- **Never deletes.** Stages, moments, silos, KPIs, questions, rules, silo
  links and question-stage links missing from the file stay; the report lists
  them as "in the room, not in the file". A stage the file marks
  ``archived: true`` is archived (it keeps its history) and put back when the
  file no longer says so.
- **Category rules are only created.** A rule for the same (source, category,
  sub-category) that sends complaints elsewhere is left as it is and reported
  as skipped: rules are edited on the Listening page.
- **Dry run** runs the very same writes and rolls them back, so it reports
  what an apply would do, refusals included. An apply that changes nothing
  also rolls back: applying a file twice leaves the room byte for byte alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cxroom.errors import CxroomError
from cxroom.models import (
    Direction,
    KpiCreate,
    MomentCreate,
    ReliabilityChange,
    SiloCreate,
    SiloRole,
    StageCreate,
    StageUpdate,
    SurveyQuestionCreate,
)
from cxroom.queries import setup_file as q
from cxroom.services import accountability, curation, evidence, room
from cxroom.setup_models import (
    AccountabilityCell,
    AccountabilityChange,
    KpiDefinition,
    MomentEdit,
    NewOrder,
    QuestionEdit,
    SiloEdit,
    VersionedRef,
)
from cxroom.setupfile import customer_math
from cxroom.setupfile.check import Known, check, fold, named_only_in_the_room
from cxroom.setupfile.model import WHY, Loaded, SetupFileError, parse, problem
from cxroom.setupfile.report import ApplyReport, Section
from cxroom.setupfile.rules import create_rules
from cxroom.setupfile.session import applying, joined
from cxroom.store import Store, Tx

STATE_REASON = "Set by the room's set-up file"


def apply_text(store: Store, text: str, *, actor: str, dry_run: bool = False, file_name: str = "") -> ApplyReport:
    """Check a set-up file's text and apply it (or, with ``dry_run``, only say what it would do)."""
    return apply_setup(store, parse(text), actor=actor, dry_run=dry_run, file_name=file_name)


def apply_setup(store: Store, loaded: Loaded, *, actor: str, dry_run: bool = False, file_name: str = "") -> ApplyReport:
    """Apply a parsed file. Its references are checked against the room inside the apply's own
    transaction, before its first write: what the check saw is what the apply changes."""
    report = ApplyReport(dry_run=dry_run)
    with applying(store, actor, report, what="apply_setup_file", file_name=file_name) as tx:
        problems = check(loaded, Known.of(tx))
        if problems:
            raise SetupFileError(problems)
        _Apply(tx, loaded, report).run()
    return report


class _Apply:
    def __init__(self, tx: Tx, loaded: Loaded, report: ApplyReport) -> None:
        self.tx, self.loaded, self.setup, self.report = tx, loaded, loaded.setup, report
        self.svc = joined(tx)  # the services' store: joins this transaction
        self.actor = tx.actor

    def section(self, name: str) -> Section:
        return self.report.sections[name]

    def call(self, loc: tuple[Any, ...], service: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run one service write as the acting user; a refusal becomes a problem at the file line it came from."""
        try:
            return service(self.svc, *args, actor=self.actor, **kwargs)
        except CxroomError as exc:
            raise SetupFileError([problem(self.loaded.tree, loc, str(exc))]) from None

    def version(self, table: str, row_id: int) -> int:
        return q.version_of(self.tx, table, row_id)

    def run(self) -> None:
        self.room_name()
        self.silos()
        self.stages()
        self.accountability()
        self.moments()
        self.kpis()
        self.questions()
        self.rules()
        customer_math.apply(self.setup.customer_math, self.section("customer_math"), self.call, self.tx)

    # -- room and stages -------------------------------------------------------------

    def room_name(self) -> None:
        wanted, current, sec = self.setup.room, q.room_name(self.tx), self.section("room")
        if wanted is None:
            return
        if wanted == current:
            sec.unchanged += 1
            return
        self.call(("room",), room.set_room_name, wanted)
        sec.updated.append(f"'{current}' -> '{wanted}'")

    def stages(self) -> None:
        sec, current = self.section("stages"), {str(s["slug"]): s for s in q.stages(self.tx)}
        for i, entry in enumerate(self.setup.stages):
            loc, now = ("stages", i), current.get(entry.slug)
            if now is None:
                data = StageCreate(
                    slug=entry.slug,
                    name=entry.name,
                    customer_goal=entry.customer_goal,
                    description=entry.description,
                    colour=entry.colour,
                )
                new_id = self.call(loc, room.create_stage, data)
                if entry.archived:
                    self.call(loc, room.archive_stage, new_id, expected_version=self.version("stages", new_id))
                sec.created.append(entry.slug)
                continue
            fields = ("name", "customer_goal", "description", "colour")
            changed = {f: getattr(entry, f) for f in fields if getattr(entry, f) != now[f]}
            sid = int(now["id"])
            if changed:
                update = StageUpdate(**changed)
                self.call(loc, room.update_stage, sid, update, expected_version=self.version("stages", sid))
            if entry.archived != bool(now["archived"]):
                change = room.archive_stage if entry.archived else room.restore_stage
                self.call(loc, change, sid, expected_version=self.version("stages", sid))
                changed["archived"] = entry.archived
            if changed:
                sec.updated.append(f"{entry.slug} ({', '.join(changed)})")
            else:
                sec.unchanged += 1
        in_file = {e.slug for e in self.setup.stages}
        sec.not_in_file = [slug for slug in current if slug not in in_file]
        self._order_stages(sec)

    def _order_stages(self, sec: Section) -> None:
        """The file's stages on the wall in the file's order; stages it does not name follow them."""
        on_wall = [s for s in q.stages(self.tx) if not s["archived"]]
        rank = {slug: i for i, slug in enumerate(e.slug for e in self.setup.stages if not e.archived)}
        wanted = sorted(on_wall, key=lambda s: (rank.get(s["slug"], len(rank)), s["position"], s["id"]))
        if [s["id"] for s in wanted] == [s["id"] for s in on_wall]:
            return
        order = NewOrder(items=[VersionedRef(id=int(s["id"]), expected_version=int(s["version"])) for s in wanted])
        self.call(("stages",), room.reorder_stages, order)
        sec.updated.append("wall order: " + ", ".join(str(s["slug"]) for s in wanted))

    # -- silos and who is accountable ----------------------------------------------

    def silos(self) -> None:
        sec, current = self.section("silos"), {fold(s["name"]): s for s in q.silos(self.tx)}
        for i, entry in enumerate(self.setup.silos):
            now = current.get(fold(entry.name))
            if now is None:
                self.call(("silos", i), room.create_silo, SiloCreate(name=entry.name, description=entry.description))
                sec.created.append(entry.name)
            elif (entry.name, entry.description) != (now["name"], now["description"]):
                edit = SiloEdit(name=entry.name, description=entry.description)
                self.call(("silos", i), room.update_silo, int(now["id"]), edit, expected_version=int(now["version"]))
                sec.updated.append(entry.name)
            else:
                sec.unchanged += 1
        sec.not_in_file = named_only_in_the_room(current, self.setup.silos)

    def accountability(self) -> None:
        """Silo links of the file's stages: added, or their role changed; never removed."""
        sec = self.section("accountability")
        stages = {str(s["slug"]): int(s["id"]) for s in q.stages(self.tx)}
        silos = {fold(s["name"]): (int(s["id"]), str(s["name"])) for s in q.silos(self.tx)}
        links = {(str(r["stage"]), fold(r["silo"])): r for r in q.stage_silos(self.tx)}
        cells, described = [], set()
        for entry in self.setup.stages:
            for role, names in ((SiloRole.OWNER, entry.owners), (SiloRole.CONTRIBUTOR, entry.contributors)):
                for name in names:
                    key = (entry.slug, fold(name))
                    described.add(key)
                    before = links[key]["role"] if key in links else None
                    if before == role.value:
                        sec.unchanged += 1
                        continue
                    silo_id, silo_name = silos[fold(name)]
                    cells.append(
                        AccountabilityCell(
                            stage_id=stages[entry.slug],
                            silo_id=silo_id,
                            before=None if before is None else SiloRole(before),
                            after=role,
                        )
                    )
                    (sec.created if before is None else sec.updated).append(f"{entry.slug}: {silo_name} ({role})")
        if cells:
            self.call(("stages",), accountability.apply_accountability, AccountabilityChange(cells=cells))
        sec.not_in_file = [f"{r['stage']}: {r['silo']} ({r['role']})" for k, r in links.items() if k not in described]

    # -- moments of truth ------------------------------------------------------------

    def moments(self) -> None:
        sec = self.section("moments")
        current = {(str(m["stage"]), fold(m["name"])): m for m in q.moments(self.tx)}
        for i, entry in enumerate(self.setup.moments):
            loc, now = ("moments", i), current.get((entry.stage, fold(entry.name)))
            flags = {flag: flag in entry.why for flag in WHY}
            label = f"{entry.stage}: {entry.name}"
            if now is None:
                data = MomentCreate(
                    stage_slug=entry.stage,
                    name=entry.name,
                    description=entry.description,
                    reliability=entry.state,
                    is_key=entry.key,
                    **flags,
                )
                self.call(loc, room.create_moment, data)
                sec.created.append(label)
                continue
            mid, changed = int(now["id"]), []
            edit = MomentEdit(name=entry.name, description=entry.description, is_key=entry.key, **flags)
            if any(value != now[name] for name, value in edit.model_dump().items()):
                changed.append("details")
                self.call(loc, room.update_moment, mid, edit, expected_version=self.version("moments", mid))
            if entry.state.value != now["reliability"]:
                changed.append(f"state {now['reliability']} -> {entry.state.value}")
                change = ReliabilityChange(
                    moment_id=mid,
                    to_state=entry.state,
                    reason=STATE_REASON,
                    expected_version=self.version("moments", mid),
                )
                self.call(loc, room.change_reliability, change)
            if changed:
                sec.updated.append(f"{label} ({', '.join(changed)})")
            else:
                sec.unchanged += 1
        described = {(e.stage, fold(e.name)) for e in self.setup.moments}
        sec.not_in_file = [f"{m['stage']}: {m['name']}" for key, m in current.items() if key not in described]
        self._order_moments(sec)
        self._moment_silos()

    def _order_moments(self, sec: Section) -> None:
        """Per stage, the file's moments in the file's order; moments it does not name follow them."""
        all_moments = q.moments(self.tx)
        for slug in dict.fromkeys(e.stage for e in self.setup.moments):
            mine = [m for m in all_moments if m["stage"] == slug]
            rank = {fold(e.name): i for i, e in enumerate(e for e in self.setup.moments if e.stage == slug)}
            wanted = sorted(mine, key=lambda m: (rank.get(fold(m["name"]), len(rank)), m["position"], m["id"]))
            if [m["id"] for m in wanted] == [m["id"] for m in mine]:
                continue
            order = NewOrder(items=[VersionedRef(id=int(m["id"]), expected_version=int(m["version"])) for m in wanted])
            self.call(("moments",), room.reorder_moments, int(mine[0]["stage_id"]), order)
            sec.updated.append(f"{slug}: order of moments")

    def _moment_silos(self) -> None:
        """Silo links of the file's moments: added, or their role changed; never removed."""
        sec = self.section("accountability")
        moments = {(str(m["stage"]), fold(m["name"])): m for m in q.moments(self.tx)}
        silos = {fold(s["name"]): str(s["name"]) for s in q.silos(self.tx)}
        links = {(int(r["moment_id"]), fold(r["silo"])): r for r in q.moment_silos(self.tx)}
        described = set()
        for i, entry in enumerate(self.setup.moments):
            mid = int(moments[(entry.stage, fold(entry.name))]["id"])
            for role, names in ((SiloRole.OWNER, entry.owners), (SiloRole.CONTRIBUTOR, entry.contributors)):
                for name in names:
                    key, silo = (mid, fold(name)), silos[fold(name)]
                    described.add(key)
                    before = links[key]["role"] if key in links else None
                    if before == role.value:
                        sec.unchanged += 1
                        continue
                    self.call(("moments", i), accountability.set_moment_silo, moment_id=mid, silo_name=silo, role=role)
                    label = f"{entry.stage}: {entry.name}: {silo} ({role})"
                    (sec.created if before is None else sec.updated).append(label)
        moment_names = {int(m["id"]): f"{m['stage']}: {m['name']}" for m in moments.values()}
        sec.not_in_file += [
            f"{moment_names[k[0]]}: {r['silo']} ({r['role']})" for k, r in links.items() if k not in described
        ]

    # -- KPIs, survey questions, category rules ----------------------------------------

    def kpis(self) -> None:
        sec = self.section("kpis")
        current = {fold(k["name"]): k for k in q.kpis(self.tx)}
        stages = {str(s["slug"]): int(s["id"]) for s in q.stages(self.tx)}
        moments = {(str(m["stage"]), fold(m["name"])): m for m in q.moments(self.tx)}
        silos = {fold(s["name"]): s for s in q.silos(self.tx)}
        for i, e in enumerate(self.setup.kpis):
            moment = moments[(e.stage, fold(e.moment))] if e.moment else None
            silo = silos[fold(e.silo)] if e.silo else None
            direction = Direction.HIGHER_BETTER if e.direction == "higher" else Direction.LOWER_BETTER
            now = current.get(fold(e.name))
            if now is None:
                data = KpiCreate(
                    stage_slug=e.stage,
                    moment_name=moment["name"] if moment else None,
                    name=e.name,
                    unit=e.unit,
                    direction=direction,
                    target=e.target,
                    warning=e.warning,
                    frequency=e.frequency,
                    silo_name=silo["name"] if silo else None,
                    definition=e.definition,
                )
                self.call(("kpis", i), evidence.create_kpi, data)
                sec.created.append(e.name)
                continue
            wanted = KpiDefinition(
                stage_id=stages[e.stage],
                moment_id=int(moment["id"]) if moment else None,
                name=e.name,
                unit=e.unit,
                direction=direction,
                target=e.target,
                warning=e.warning,
                frequency=e.frequency,
                silo_id=int(silo["id"]) if silo else None,
                definition=e.definition,
            )
            diff = [k for k, v in wanted.model_dump(mode="json").items() if v != _value(now[k])]
            if diff:
                kid = int(now["id"])
                self.call(("kpis", i), curation.update_kpi, kid, wanted, expected_version=self.version("kpis", kid))
                sec.updated.append(f"{e.name} ({', '.join(diff)})")
            else:
                sec.unchanged += 1
        sec.not_in_file = named_only_in_the_room(current, self.setup.kpis)

    def questions(self) -> None:
        """Questions are created, their kind changed, and stage links added (links are never removed)."""
        sec = self.section("survey_questions")
        current = {(str(x["survey"]), str(x["text"])): x for x in q.questions(self.tx)}
        stages = {str(s["slug"]): int(s["id"]) for s in q.stages(self.tx)}
        for i, e in enumerate(self.setup.survey_questions):
            now, label, slugs = current.get((e.survey, e.text)), f"{e.survey}: {e.text}", list(dict.fromkeys(e.stages))
            if now is None:
                data = SurveyQuestionCreate(survey=e.survey, text=e.text, kind=e.kind, stage_slugs=slugs)
                self.call(("survey_questions", i), evidence.create_question, data)
                sec.created.append(label)
                continue
            have = [int(s) for s in now["stage_ids"]]
            added = [stages[s] for s in slugs if stages[s] not in have]
            if e.kind.value == now["kind"] and not added:
                sec.unchanged += 1
                continue
            edit = QuestionEdit(survey=e.survey, text=e.text, kind=e.kind, stage_ids=have + added)
            qid = int(now["id"])
            self.call(
                ("survey_questions", i),
                curation.update_question,
                qid,
                edit,
                expected_version=self.version("survey_questions", qid),
            )
            sec.updated.append(label)
        in_file = {(e.survey, e.text): e.stages for e in self.setup.survey_questions}
        for key, x in current.items():
            if key not in in_file:
                sec.not_in_file.append(f"{key[0]}: {key[1]}")
            else:
                sec.not_in_file += [f"{key[0]}: {key[1]} -> {s}" for s in x["stages"] if s not in in_file[key]]

    def rules(self) -> None:
        tree = self.loaded.tree
        self.report.complaints_mapped = create_rules(
            self.tx,
            self.setup.category_rules,
            self.section("category_rules"),
            lambda i, msg: problem(tree, ("category_rules", i), msg),
        )


def _value(value: Any) -> Any:
    """A value read from the room as the file would hold it (a missing number is None)."""
    return None if value is None or (isinstance(value, float) and value != value) else value


__all__ = ["ApplyReport", "apply_setup", "apply_text"]

"""Checks of a set-up file that look across entries and at the room: names
used twice, and stages, moments and silos that exist neither in the file nor
in the room. Every problem carries its line; all are found before anything is
written (cxroom.setupfile.apply refuses the file if there is any)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cxroom.models import Direction, check_warning_side
from cxroom.queries import setup_file as q
from cxroom.setupfile.model import Loaded, Problem, problem


def fold(name: str | None) -> str:
    """Names match ignoring case (as the room's own forms and imports do)."""
    return (name or "").strip().casefold()


def named_only_in_the_room(current: dict[str, Any], entries: Iterable[Any]) -> list[str]:
    """The names of the room's records (keyed by their folded name) that the file's ``entries`` do not name."""
    in_file = {fold(e.name) for e in entries}
    return [str(row["name"]) for key, row in current.items() if key not in in_file]


def rule_key(source: str | None, category: str, subcategory: str | None) -> tuple[str | None, str, str]:
    """A category rule's identity: its source as written, category and sub-category ignoring case."""
    return (source, fold(category), fold(subcategory))


@dataclass
class Known:
    """Names that exist in the room already (references may point at them)."""

    stages: set[str] = field(default_factory=set)
    moments: set[tuple[str, str]] = field(default_factory=set)  # (stage slug, folded name)
    silos: set[str] = field(default_factory=set)  # folded

    @classmethod
    def of(cls, room: q.Reader) -> Known:
        """What the room has (read from a Store, or inside the apply's transaction)."""
        return cls(
            stages={str(s["slug"]) for s in q.stages(room)},
            moments={(str(m["stage"]), fold(m["name"])) for m in q.moments(room)},
            silos={fold(s["name"]) for s in q.silos(room)},
        )


class _Seen:
    """First occurrence of each key, to name it when a key comes again."""

    def __init__(self, loaded: Loaded, problems: list[Problem]) -> None:
        self.loaded, self.problems = loaded, problems
        self.first: dict[Any, tuple[Any, ...]] = {}

    def once(self, key: Any, loc: tuple[Any, ...], what: str) -> None:
        if key in self.first:
            earlier = problem(self.loaded.tree, self.first[key], "")
            self.problems.append(
                problem(self.loaded.tree, loc, f"{what} is already in the file ({earlier.path}, line {earlier.line})")
            )
        else:
            self.first[key] = loc


def check(loaded: Loaded, known: Known) -> list[Problem]:
    """Every cross-entry problem of the file, by line."""
    setup, tree, problems = loaded.setup, loaded.tree, []

    def bad(loc: tuple[Any, ...], message: str) -> None:
        problems.append(problem(tree, loc, message))

    stage_slugs = {s.slug for s in setup.stages} | known.stages
    silo_names = {fold(s.name) for s in setup.silos} | known.silos
    moment_keys = {(m.stage, fold(m.name)) for m in setup.moments} | known.moments

    def need_stage(loc: tuple[Any, ...], slug: str) -> bool:
        if slug not in stage_slugs:
            bad(loc, f"there is no stage '{slug}' in this file or in the room")
            return False
        return True

    def need_moment(loc: tuple[Any, ...], slug: str, name: str | None) -> None:
        if name is not None and (slug, fold(name)) not in moment_keys:
            bad(loc, f"stage '{slug}' has no moment of truth '{name}' in this file or in the room")

    def need_silos(section: str, i: int, owners: list[str], contributors: list[str]) -> None:
        seen: dict[str, str] = {}
        for role, names in (("owners", owners), ("contributors", contributors)):
            for j, name in enumerate(names):
                loc = (section, i, role, j)
                if fold(name) not in silo_names:
                    bad(loc, f"there is no silo '{name}' in this file or in the room")
                elif fold(name) in seen:
                    bad(loc, f"'{name}' is already listed under {seen[fold(name)]}")
                seen.setdefault(fold(name), role)

    stages_seen = _Seen(loaded, problems)
    for i, s in enumerate(setup.stages):
        stages_seen.once(s.slug, ("stages", i, "slug"), f"the stage slug '{s.slug}'")
        need_silos("stages", i, s.owners, s.contributors)

    moments_seen = _Seen(loaded, problems)
    for i, m in enumerate(setup.moments):
        if need_stage(("moments", i, "stage"), m.stage):
            moments_seen.once((m.stage, fold(m.name)), ("moments", i, "name"), f"the moment '{m.name}' of '{m.stage}'")
        if len(set(m.why)) != len(m.why):
            bad(("moments", i, "why"), "lists the same reason twice")
        need_silos("moments", i, m.owners, m.contributors)

    silos_seen = _Seen(loaded, problems)
    for i, si in enumerate(setup.silos):
        silos_seen.once(fold(si.name), ("silos", i, "name"), f"the silo '{si.name}'")

    kpis_seen = _Seen(loaded, problems)
    for i, k in enumerate(setup.kpis):
        kpis_seen.once(fold(k.name), ("kpis", i, "name"), f"the KPI '{k.name}'")
        if need_stage(("kpis", i, "stage"), k.stage):
            need_moment(("kpis", i, "moment"), k.stage, k.moment)
        if k.silo is not None and fold(k.silo) not in silo_names:
            bad(("kpis", i, "silo"), f"there is no silo '{k.silo}' in this file or in the room")
        direction = Direction.HIGHER_BETTER if k.direction == "higher" else Direction.LOWER_BETTER
        try:
            check_warning_side(direction, k.target, k.warning)
        except ValueError as exc:
            bad(("kpis", i, "warning"), str(exc))

    questions_seen = _Seen(loaded, problems)
    for i, qu in enumerate(setup.survey_questions):
        questions_seen.once((qu.survey, qu.text), ("survey_questions", i, "text"), f"the question '{qu.text}'")
        for j, slug in enumerate(qu.stages):
            need_stage(("survey_questions", i, "stages", j), slug)

    rules_seen = _Seen(loaded, problems)
    for i, r in enumerate(setup.category_rules):
        rules_seen.once(
            rule_key(r.source, r.category, r.subcategory), ("category_rules", i, "category"), "the same rule"
        )
        if need_stage(("category_rules", i, "stage"), r.stage):
            need_moment(("category_rules", i, "moment"), r.stage, r.moment)
    return sorted(problems, key=lambda p: (p.line or 0, p.path))


__all__ = ["Known", "check", "fold", "rule_key"]

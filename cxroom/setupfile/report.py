"""What an apply did (or, in a dry run, would do): per section, what was
created, updated, left unchanged or skipped, and what is in the room but not
in the file (apply never deletes). Printed by the CLI, shown by the set-up
page, and written as JSON with ``--json``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SECTIONS = (
    "room",
    "stages",
    "silos",
    "accountability",
    "moments",
    "kpis",
    "survey_questions",
    "category_rules",
    "customer_math",
)
LABELS = {
    "room": "room name",
    "stages": "stages",
    "silos": "silos",
    "accountability": "accountability",
    "moments": "moments of truth",
    "kpis": "KPIs",
    "survey_questions": "survey questions",
    "category_rules": "category rules",
    "customer_math": "customer math definitions",
}
SHOWN = 10  # names listed per line of the text report before "and N more"


@dataclass
class Section:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    not_in_file: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": self.unchanged,
            "skipped": len(self.skipped),
            "not_in_file": len(self.not_in_file),
            "created_names": self.created,
            "updated_names": self.updated,
            "skipped_names": self.skipped,
            "not_in_file_names": self.not_in_file,
        }


@dataclass
class ApplyReport:
    dry_run: bool
    sections: dict[str, Section] = field(default_factory=lambda: {name: Section() for name in SECTIONS})
    complaints_mapped: int = 0  # complaints that found a stage through the rules created

    @property
    def changes(self) -> int:
        return sum(len(s.created) + len(s.updated) for s in self.sections.values())

    @property
    def committed(self) -> bool:
        return not self.dry_run and self.changes > 0

    def to_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "committed": self.committed,
            "changes": self.changes,
            "complaints_mapped": self.complaints_mapped,
            "sections": {name: s.to_json() for name, s in self.sections.items()},
        }

    def lines(self, *, only: tuple[str, ...] = SECTIONS) -> list[str]:
        """The report as text lines (the CLI prints them; the page shows them as code)."""
        out = []
        for name in only:
            s = self.sections[name]
            counts = f"{len(s.created)} created, {len(s.updated)} updated, {s.unchanged} unchanged"
            if s.skipped:
                counts += f", {len(s.skipped)} skipped"
            out.append(f"{LABELS[name]:<18} {counts}")
            for verb, names in (("created", s.created), ("updated", s.updated), ("skipped", s.skipped)):
                out += [f"    {verb}: {n}" for n in names[:SHOWN]]
                if len(names) > SHOWN:
                    out.append(f"    ... and {len(names) - SHOWN} more {verb}")
        kept = [(n, self.sections[n].not_in_file) for n in only if self.sections[n].not_in_file]
        if kept:
            out.append("In the room, not in the file (kept: apply never deletes):")
            for name, names in kept:
                listed = ", ".join(names[:SHOWN]) + (f" and {len(names) - SHOWN} more" if len(names) > SHOWN else "")
                out.append(f"    {LABELS[name]}: {listed}")
        if self.complaints_mapped:
            found = "would find" if self.dry_run else "found"
            out.append(f"{self.complaints_mapped:,} complaints {found} their stage through the new rules.")
        verb = "would be made (dry run: nothing was written)" if self.dry_run else "made"
        out.append(f"{self.changes} change(s) {verb}." if self.changes else "0 changes: the room matches the file.")
        return out


__all__ = ["LABELS", "SECTIONS", "ApplyReport", "Section"]

"""Category rules in the set-up file, and on their own as CSV
(``source, category, subcategory, stage, moment``: the shape analysts keep in
spreadsheets).

Rules are only ever CREATED here, through ``services.evidence.create_category_rule``
(which re-applies the rules to the complaints already imported). A rule for
the same (source, category, sub-category) that sends complaints elsewhere is
reported as skipped: editing and deleting rules belong to the Listening page.

CSV: UTF-8 with a BOM (spreadsheets open it as UTF-8), a header row, an empty
``source`` meaning every source. A cell starting with ``=``, ``+``, ``-``,
``@``, tab or CR is written with a leading ``'`` so a spreadsheet shows it as
text instead of running it, and the ``'`` is dropped again when the file is
read back, so the CSV round-trips exactly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from cxroom.errors import CxroomError
from cxroom.models import CategoryRuleCreate
from cxroom.queries import setup_file as q
from cxroom.services import evidence
from cxroom.setupfile.check import Known, fold, rule_key
from cxroom.setupfile.model import Problem, RuleEntry, SetupFileError, message_of, path_text
from cxroom.setupfile.report import ApplyReport, Section
from cxroom.setupfile.session import applying, joined
from cxroom.store import Store, Tx

CSV_COLUMNS = ("source", "category", "subcategory", "stage", "moment")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rule_label(source: str | None, category: str, subcategory: str | None) -> str:
    return f"{source or 'any source'}: {category}" + (f" / {subcategory}" if subcategory else "")


def create_rules(tx: Tx, entries: list[RuleEntry], sec: Section, fail: Callable[[int, str], Problem]) -> int:
    """Create the rules not in the room yet; returns how many complaints found a stage through them."""
    svc, before = joined(tx), q.mapped_complaints(tx)
    current = {rule_key(r["source"], r["category"], r["subcategory"]): r for r in q.rules(tx)}
    moments = {(str(m["stage"]), fold(m["name"])): str(m["name"]) for m in q.moments(tx)}
    for i, e in enumerate(entries):
        key, label = rule_key(e.source, e.category, e.subcategory), rule_label(e.source, e.category, e.subcategory)
        now = current.get(key)
        if now is not None:
            if (now["stage"], fold(now["moment"])) == (e.stage, fold(e.moment)):
                sec.unchanged += 1
            else:
                where = f"{now['stage']}" + (f" / {now['moment']}" if now["moment"] else "")
                sec.skipped.append(f"{label}: the room sends it to {where}; change it on the Listening page")
            continue
        data = CategoryRuleCreate(
            source=e.source,
            category=e.category,
            subcategory=e.subcategory,
            stage_slug=e.stage,
            moment_name=moments[(e.stage, fold(e.moment))] if e.moment else None,
        )
        try:
            evidence.create_category_rule(svc, data, actor=tx.actor)
        except CxroomError as exc:
            raise SetupFileError([fail(i, str(exc))]) from None
        current[key] = {
            "source": e.source,
            "category": e.category,
            "subcategory": e.subcategory,
            "stage": e.stage,
            "moment": e.moment,
        }  # the same rule again later is unchanged
        sec.created.append(label)
    in_file = {rule_key(e.source, e.category, e.subcategory) for e in entries}
    sec.not_in_file = [
        rule_label(r["source"], r["category"], r["subcategory"]) for k, r in current.items() if k not in in_file
    ]
    return q.mapped_complaints(tx) - before


# -- CSV ------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _uncell(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def export_rules_csv(store: Store) -> str:
    """Every category rule as CSV, in the set-up file's order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in q.rules(store):
        writer.writerow([_cell(r[c]) for c in CSV_COLUMNS])
    return "\ufeff" + out.getvalue()


def parse_rules_csv(text: str, known: Known) -> tuple[list[RuleEntry], list[int]]:
    """The rules of a CSV and the file line of each; raises SetupFileError with every problem by line."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    problems: list[Problem] = []
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in ("category", "stage") if c not in header]
    unknown = [h for h in header if h and h not in CSV_COLUMNS]
    if missing or unknown:
        said = (f"missing column(s) {', '.join(missing)}" if missing else "") + (
            f"{'; ' if missing else ''}unknown column(s) {', '.join(unknown)}" if unknown else ""
        )
        raise SetupFileError([Problem(1, "header", f"{said}; the columns are {', '.join(CSV_COLUMNS)}")])
    entries: list[RuleEntry] = []
    lines: list[int] = []
    seen: dict[tuple[str | None, str, str], int] = {}
    line = reader.line_num
    for row in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            problems.append(Problem(start, "", f"{len(row)} cells, but the header has {len(header)}"))
            continue
        values = {h: _uncell(v).strip() or None for h, v in zip(header, row, strict=False) if h}
        try:
            entry = RuleEntry.model_validate(values)
        except ValidationError as exc:
            problems += [Problem(start, path_text(tuple(e["loc"])), message_of(e)) for e in exc.errors()]
            continue
        key = rule_key(entry.source, entry.category, entry.subcategory)
        if key in seen:
            problems.append(Problem(start, "category", f"the same rule is already on line {seen[key]}"))
        seen.setdefault(key, start)
        if entry.stage not in known.stages:
            problems.append(Problem(start, "stage", f"there is no stage '{entry.stage}' in the room"))
        elif entry.moment and (entry.stage, fold(entry.moment)) not in known.moments:
            problems.append(Problem(start, "moment", f"stage '{entry.stage}' has no moment of truth '{entry.moment}'"))
        entries.append(entry)
        lines.append(start)
    if problems:
        raise SetupFileError(problems)
    return entries, lines


def apply_rules_csv(store: Store, text: str, *, actor: str, dry_run: bool = False, file_name: str = "") -> ApplyReport:
    """Create the CSV's rules that the room does not have (all in one transaction, or none)."""
    report = ApplyReport(dry_run=dry_run)
    sec = report.sections["category_rules"]
    with applying(store, actor, report, what="apply_rules_file", file_name=file_name) as tx:
        entries, lines = parse_rules_csv(text, Known.of(tx))  # checked against the room as the apply sees it
        report.complaints_mapped = create_rules(tx, entries, sec, lambda i, msg: Problem(lines[i], "", msg))
    return report


__all__ = ["CSV_COLUMNS", "apply_rules_csv", "create_rules", "export_rules_csv", "parse_rules_csv", "rule_label"]

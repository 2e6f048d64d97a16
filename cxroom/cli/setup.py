"""`python -m cxroom setup ...`: the room's set-up as a file.

    setup export FILE                 write the set-up file (YAML; '-' prints it)
    setup apply FILE [--dry-run] [--json]
    setup export-rules FILE.csv       the category rules alone, as CSV
    setup apply-rules FILE.csv [--dry-run] [--json]

Exit status: 0 when the file was applied (or checked, with --dry-run), also
when there was nothing to change; 1 when nothing was written (a bad file: one
line per problem, with its file line, on stderr; the room's database held by
the running app); 2 for a usage error. ``apply`` on a database that does not
exist yet creates the room first, as ``init`` does.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cxroom.errors import DatabaseLockedError
from cxroom.settings import Settings
from cxroom.setupfile.model import SetupFileError
from cxroom.store import Store

EXIT_OK, EXIT_FAILED = 0, 1
ACTOR = "cli"  # the CLI acts as the room's system actor: whoever can write the database file owns the room
BESIDE_THE_APP = (
    "Stop the app and run this again, or use the set-up file block on the Room setup page of the running app "
    "(download, or upload to check and apply)."
)


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: Callable[[argparse.ArgumentParser], None] | None = None,
) -> dict[str, Callable[..., int]]:
    """Add the `setup` command; returns {"setup": handler(args, settings)} for cxroom.cli.entry."""
    setup = subparsers.add_parser(
        "setup",
        help="the room's set-up (stages, moments, silos, KPIs, questions, rules) as one file",
        description="Export the room's set-up as a YAML file, or apply one (creates and updates; never deletes).",
    )
    what = setup.add_subparsers(dest="setup_command", metavar="ACTION", required=True)
    for name, text in (
        ("export", "write the set-up file (YAML); '-' prints it"),
        ("export-rules", "write the category rules as CSV: source, category, subcategory, stage, moment"),
    ):
        p = what.add_parser(name, help=text)
        p.add_argument("file", help="the file to write ('-': standard output)")
        if common is not None:
            common(p)
    for name, text in (
        ("apply", "check a set-up file and create or update the room from it"),
        ("apply-rules", "check a rules CSV and create the rules the room does not have"),
    ):
        p = what.add_parser(name, help=text)
        p.add_argument("file", type=Path)
        p.add_argument("--dry-run", action="store_true", help="check and report what would change, write nothing")
        p.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
        if common is not None:
            common(p)
    return {"setup": run}


def run(args: argparse.Namespace, settings: Settings, *, stdout: Any = None, stderr: Any = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    try:
        if args.setup_command in ("export", "export-rules"):
            return _export(args, settings, out, err)
        return _apply(args, settings, out, err)
    except DatabaseLockedError as exc:
        err.write(f"cxroom: {exc} {BESIDE_THE_APP}\n")
        return EXIT_FAILED


def _export(args: argparse.Namespace, settings: Settings, out: Any, err: Any) -> int:
    from cxroom.setupfile.export import export_text
    from cxroom.setupfile.rules import export_rules_csv

    if not settings.db_path.exists():
        err.write(f"cxroom: no room database at {settings.db_path} (run `python -m cxroom init` first)\n")
        return EXIT_FAILED
    store = Store(settings.db_path)
    try:
        text = export_text(store) if args.setup_command == "export" else export_rules_csv(store)
    finally:
        store.close()
    if args.file == "-":
        out.write(text)
        return EXIT_OK
    target = Path(args.file)
    staged = target.with_name(f".{target.name}.part")
    try:
        staged.write_text(text, encoding="utf-8", newline="")
        staged.replace(target)  # a reader never sees half a file
    except OSError as exc:
        staged.unlink(missing_ok=True)
        err.write(f"cxroom: cannot write {target}: {exc.strerror}\n")
        return EXIT_FAILED
    print(f"Wrote {target}.", file=err)
    return EXIT_OK


def _apply(args: argparse.Namespace, settings: Settings, out: Any, err: Any) -> int:
    from cxroom.setupfile.apply import apply_text
    from cxroom.setupfile.rules import apply_rules_csv

    path: Path = args.file
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        err.write(f"cxroom: there is no file {path}\n")
        return EXIT_FAILED
    except (OSError, UnicodeDecodeError) as exc:
        err.write(f"cxroom: cannot read {path} as UTF-8 text ({exc})\n")
        return EXIT_FAILED
    applier = apply_text if args.setup_command == "apply" else apply_rules_csv
    new_room = not settings.db_path.exists()
    # A room that does not exist yet is made only for a good file: the file is first tried on an
    # empty room in memory (which is also all a dry run needs).
    store = Store(":memory:") if new_room else Store(settings.db_path)
    try:
        report = applier(store, text, actor=ACTOR, dry_run=args.dry_run or new_room, file_name=path.name)
        if new_room and not args.dry_run:
            store.close()
            store = Store(settings.db_path)
            report = applier(store, text, actor=ACTOR, dry_run=False, file_name=path.name)
    except SetupFileError as exc:
        if args.json:
            problems = [{"line": p.line, "path": p.path, "message": p.message} for p in exc.problems]
            out.write(json.dumps({"ok": False, "problems": problems}, indent=2) + "\n")
        err.write(f"cxroom: {path} has {len(exc.problems)} problem(s); nothing was changed.\n")
        err.writelines(f"{path}: {p}\n" for p in exc.problems)
        return EXIT_FAILED
    finally:
        store.close()
    if args.json:
        out.write(json.dumps({"ok": True, **report.to_json()}, indent=2) + "\n")
    else:
        only = ("category_rules",) if args.setup_command == "apply-rules" else None
        lines = report.lines(only=only) if only else report.lines()
        out.write("\n".join(lines) + "\n")
    return EXIT_OK


__all__ = ["register", "run"]

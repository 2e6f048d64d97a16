"""`python -m cxroom import ...` and `python -m cxroom add ...`.

    import complaints|kpis|surveys FILE [--source NAME] [--mapping FILE] [--dry-run] [--json]
           [--aggregate day|month]   (kpis: a file with one row per call)
           [--period YYYY-MM] [--start DATE --frequency daily|weekly|monthly] [--na-values 0 ...]
           [--date-format DD-MM-YYYY] [--delimiter ';'] [--sheet NAME] [--encoding cp1252]
    import undo BATCH_ID
    add call FILE --stage SLUG [--title T] [--recorded-at ISO] [--clip-start S] [--clip-end S] ...
    add artifact FILE --stage SLUG [--title T] [--kind letter|bill|...] [--replaces ID [--fix ID]] ...

KIND is an importable kind of cxroom.evidence_kinds.

Exit status: 0 when the batch committed (even with rejected rows) or a dry run
finished; 1 when nothing was committed (one line on stderr, never a
traceback); 2 for a usage error. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from cxroom import evidence_kinds
from cxroom.cli import file_options
from cxroom.errors import CxroomError, DatabaseLockedError
from cxroom.importers.encoding import EncodingUncertainError
from cxroom.importers.mapping import load_mapping_file
from cxroom.settings import Settings

if TYPE_CHECKING:
    from cxroom.store import Store

EXIT_OK, EXIT_FAILED = 0, 1


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: Callable[[argparse.ArgumentParser], None] | None = None,
) -> dict[str, Callable[..., int]]:
    """Add the `import` and `add` commands; returns {command: handler(args, settings)} for cxroom.cli.entry.

    ``common`` adds the shared options (--db, --media) to each leaf command.
    """

    def leaf(p: argparse.ArgumentParser) -> None:
        if common is not None:
            common(p)
        p.set_defaults(cxroom_handler=run)
        inbox_client().add_options(p)  # --no-wait, --timeout: for when the app has the room open

    imp = subparsers.add_parser(
        "import",
        help="import a complaint, KPI or survey file as one batch",
        description="Import a CSV, XLSX or Parquet file as one batch (all or nothing).",
    )
    kinds = imp.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    for evidence_kind in evidence_kinds.importable():
        kind = evidence_kind.key
        p = kinds.add_parser(kind, help=evidence_kind.import_help)
        p.add_argument("file", type=Path, help="CSV (any delimiter/encoding), XLSX or Parquet file")
        p.add_argument("--source", help="name of the listening source (default: recognised or the file name)")
        p.add_argument("--mapping", type=Path, help="JSON file mapping fields to the file's column headers")
        p.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        p.add_argument("--json", action="store_true", help="print the report as JSON on stdout")
        p.add_argument("--date-format", help="e.g. DD-MM-YYYY, MM/DD/YYYY, ISO, EXCEL (default: detect)")
        p.add_argument("--period", help="YYYY-MM: the period of a file without dates")
        p.add_argument("--start", help="KPI files numbered by an index: the period of index 1 (YYYY-MM-DD)")
        p.add_argument("--frequency", choices=["daily", "weekly", "monthly"], help="with --start")
        p.add_argument(
            "--na-values", nargs="+", default=[], metavar="VALUE", help="survey values meaning not applicable (e.g. 0)"
        )
        p.add_argument(
            "--survey-kind",
            choices=["nps", "csat", "ces", "percent"],
            default="csat",
            help="question kind of rating columns (default csat, 1-5)",
        )
        p.add_argument("--delimiter", help="force the CSV delimiter (default: detect)")
        p.add_argument("--sheet", help="XLSX: the sheet to read (default: the first)")
        p.add_argument(
            "--encoding",
            help="CSV: the encoding of the rows that are not UTF-8, e.g. cp1252, cp1250, cp1251 "
            "(default: detect; asked for when unsure). UTF-8 rows are always read as UTF-8.",
        )
        if kind == "kpis":
            p.add_argument(
                "--aggregate",
                choices=["day", "month"],
                help="a file with one row per call (or ticket): aggregate it per day or month into KPI "
                "readings (answer rate, mean speed of answer, mean rating, calls)",
            )
        p.add_argument("--quiet", action="store_true", help="no progress on stderr")
        leaf(p)
    undo = kinds.add_parser("undo", help="take a whole batch back out")
    undo.add_argument("batch_id", type=int)
    undo.add_argument("--json", action="store_true")
    leaf(undo)

    add = subparsers.add_parser("add", help="hang a call recording or an artifact under a stage")
    what = add.add_subparsers(dest="add_kind", metavar="WHAT", required=True)
    call = what.add_parser("call", help="a call recording (WAV/MP3/OGG/FLAC/M4A)")
    call.add_argument("file", type=Path)
    call.add_argument("--stage", required=True, help="stage slug, e.g. get-help")
    call.add_argument("--title", help="default: the file name")
    call.add_argument("--moment", help="moment of truth name")
    call.add_argument("--recorded-at", help="ISO date/time (default: now)")
    call.add_argument("--clip-start", type=int, default=0, help="highlight starts at (seconds)")
    call.add_argument("--clip-end", type=int, help="highlight ends at (seconds)")
    call.add_argument("--transcript", type=Path, help="JSON list of {start, end, speaker, text}")
    call.add_argument("--consent", action="store_true", help="the customer consented to the recording")
    call.add_argument("--tag", action="append", default=[], dest="tags")
    call.add_argument("--json", action="store_true")
    leaf(call)
    art = what.add_parser("artifact", help="an artifact (image or PDF)")
    art.add_argument("file", type=Path)
    art.add_argument("--stage", required=True)
    art.add_argument("--title", help="default: the file name")
    art.add_argument(
        "--kind",
        default="other",
        choices=["letter", "bill", "email", "packaging", "label", "web_page", "form", "other"],
    )
    art.add_argument("--moment")
    art.add_argument("--caption", default="")
    art.add_argument("--issued-on", help="YYYY-MM-DD")
    art.add_argument("--replaces", type=int, metavar="ARTIFACT_ID", help="a new version of this artifact")
    art.add_argument("--fix", type=int, metavar="FIX_ID", help="the fix that changed it (with --replaces)")
    art.add_argument("--json", action="store_true")
    leaf(art)
    return {"import": run, "add": run}


def _actor() -> str:
    """The CLI acts as the room's system actor: whoever can write the database file may import."""
    return "cli"


class _Progress:
    """Progress lines on stderr ("\r" updates on a terminal)."""

    def __init__(self, stream: TextIO, quiet: bool) -> None:
        self.stream, self.quiet = stream, quiet
        self.tty = stream.isatty()

    def __call__(self, fraction: float, message: str) -> None:
        if self.quiet:
            return
        line = f"[{fraction * 100:3.0f}%] {message}"
        if self.tty:
            self.stream.write("\r" + line.ljust(70) + ("\n" if fraction >= 1 else ""))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def run(
    args: argparse.Namespace,
    settings: Settings | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run an `import` or `add` command; returns the exit status."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    global _settings
    _settings = settings or Settings.from_env()
    try:
        if getattr(args, "import_kind", None) == "undo":
            return _undo(args, out)
        if getattr(args, "import_kind", None):
            return _import(args, out, err)
        if getattr(args, "add_kind", None):
            return _add(args, out)
        err.write("error: nothing to do (use import or add)\n")
        return EXIT_FAILED
    except EncodingUncertainError as exc:
        readings = "; ".join(f"--encoding {name} reads it as {text!r}" for name, text in exc.candidates[:4])
        err.write(f"error: {_one_line(str(exc))} Nothing was imported. Run again with --encoding NAME")
        err.write(f" ({readings}).\n" if readings else ".\n")
        return EXIT_FAILED
    except DatabaseLockedError:
        # The app has the room open: hand the file to its inbox and answer with the inbox's report.
        try:
            code: int = inbox_client().hand_over(args, _current_settings(), out, err, print_report=_print_report)
            return code
        except CxroomError as exc:
            err.write(f"error: {_one_line(str(exc))}\n")
            return EXIT_FAILED
    except CxroomError as exc:
        err.write(f"error: {_one_line(str(exc))}\n")
        return EXIT_FAILED
    except KeyboardInterrupt:
        err.write("error: interrupted; nothing was committed\n")
        return 130
    except Exception as exc:  # never a traceback for the person at the terminal
        err.write(f"error: unexpected failure ({type(exc).__name__}: {_one_line(str(exc))}); nothing was committed\n")
        return EXIT_FAILED


def inbox_client() -> Any:
    from cxroom.cli import handover  # lazily: only a command beside the running app needs the inbox

    return handover


def _one_line(text: str) -> str:
    return " ".join(text.split())


_settings: Settings | None = None


def _current_settings() -> Settings:
    return _settings or Settings.from_env()


def _store() -> Store:
    from cxroom.store import open_store  # lazily, so `--help` never opens the database

    return open_store(_current_settings().db_path)


def _import(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from cxroom.importers.report import ImportOptions
    from cxroom.services.imports import import_file

    mapping = load_mapping_file(args.import_kind, args.mapping) if args.mapping else None
    options = ImportOptions(
        date_format=args.date_format,
        na_values=list(args.na_values),
        period=args.period,
        start=args.start,
        frequency=args.frequency,
        delimiter=args.delimiter,
        sheet=args.sheet,
        survey_kind=args.survey_kind,
        encoding=args.encoding,
        aggregate=getattr(args, "aggregate", None),
    )
    progress = _Progress(err, args.quiet)
    report = import_file(
        _store(),
        kind=args.import_kind,
        path=args.file,
        source=args.source,
        mapping=mapping,
        options=options,
        dry_run=args.dry_run,
        actor=_actor(),
        progress=progress,
    )
    from cxroom.services.themes import after_import

    after_import(_store(), kind=args.import_kind, committed=report.committed, actor=_actor())
    if args.json:
        out.write(json.dumps(report.to_json(), indent=2, default=str) + "\n")
    else:
        _print_report(report.to_json(), out)
    return EXIT_OK


def _print_report(data: dict[str, Any], out: TextIO) -> None:
    verb = "would import" if data["dry_run"] else "imported"
    head = f"batch #{data['batch_id']}: " if data["batch_id"] else "dry run: "
    out.write(
        f"{head}{data['rows_read']} rows read, {data['rows_imported']} {verb}, "
        f"{data['rows_duplicate']} duplicate, {data['rows_rejected']} rejected "
        f"({data['file_kind']}, {data['encoding']}"
        + (
            f" + {data['encoding_fallback']} for {data['rows_encoding_fallback']} row(s)"
            if data["encoding_fallback"] and data["encoding_fallback"] != data["encoding"]
            else ""
        )
        + f", delimiter {data['delimiter']!r}"
        + (f", dates {data['date_format']}" if data["date_format"] else "")
        + ")\n"
    )
    for note in data["notes"]:
        out.write(f"note: {note}\n")
    for e in data["errors"][:20]:
        out.write(f"row {e['row']}: {e['column'] or '(record)'}: {e['message']}\n")
    if data["errors_total"] > 20:
        out.write(f"... and {data['errors_total'] - 20} more (use --json, or download the quarantine in the app)\n")
    if data["unmapped_categories"]:
        total = sum(c["rows"] for c in data["unmapped_categories"])
        out.write(
            f"{len(data['unmapped_categories'])} categories ({total} rows) are not mapped to a stage yet; "
            "map them on the Listening page.\n"
        )


def _undo(args: argparse.Namespace, out: TextIO) -> int:
    from cxroom.services.imports import undo_batch

    removed = undo_batch(_store(), batch_id=args.batch_id, actor=_actor())
    if args.json:
        out.write(json.dumps({"batch_id": args.batch_id, "removed": removed}) + "\n")
    else:
        out.write(f"batch #{args.batch_id} undone: " + ", ".join(f"{n} {k}" for k, n in removed.items()) + " removed\n")
    return EXIT_OK


def _add(args: argparse.Namespace, out: TextIO) -> int:
    from cxroom.media import MediaStore
    from cxroom.services.evidence_files import add_artifact_file, add_call_recording

    media = MediaStore(_current_settings())
    # What every file hung under a stage is given, whether a call or an artifact.
    placed: dict[str, Any] = {
        "data": file_options.read_input(args.file),
        "original_name": args.file.name,
        "stage_slug": args.stage,
        "title": args.title or args.file.stem,
        "moment_name": args.moment,
        "actor": _actor(),
    }
    if args.add_kind == "call":
        new_id = add_call_recording(
            _store(),
            media,
            recorded_at=file_options.recorded_at(args),
            clip_start_s=args.clip_start,
            clip_end_s=args.clip_end,
            transcript=file_options.transcript(args),
            consent=args.consent,
            tags=args.tags,
            **placed,
        )
        entity = "call"
    else:
        new_id = add_artifact_file(
            _store(),
            media,
            kind=args.kind,
            caption=args.caption,
            issued_on=file_options.issued_on(args),
            replaces_id=args.replaces,
            fix_id=args.fix,
            **placed,
        )
        entity = "artifact"
    if args.json:
        out.write(json.dumps({entity + "_id": new_id}) + "\n")
    else:
        out.write(f"{entity} #{new_id} added under stage {args.stage}\n")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m cxroom.cli.imports import ...`): these commands without --db and --media."""
    parser = argparse.ArgumentParser(prog="python -m cxroom")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    try:
        handler: Callable[[argparse.Namespace, Settings], int] = args.cxroom_handler
        return handler(args, Settings.from_env())
    finally:
        from cxroom.store import close_all

        close_all()


if __name__ == "__main__":
    sys.exit(main())

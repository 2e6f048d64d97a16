"""`python -m cxroom`: set up, fill and inspect the room from a terminal.

Expected failures (missing file, unwritable folder, database locked by the
running app, bad arguments) print one line on stderr and exit non-zero;
tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from cxroom.errors import CxroomError, DatabaseLockedError
from cxroom.settings import Settings

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace, Settings], int]


class _Parser(argparse.ArgumentParser):
    """argparse that prints a one-line error (exit 2) instead of a usage dump."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"cxroom: {message} (see --help)\n")


def _settings(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if getattr(args, "db", None):
        db = Path(args.db)
        media = settings.media_dir if getattr(args, "media", None) is None else Path(args.media)
        if getattr(args, "media", None) is None:
            media = db.parent / "media"
        settings = settings.model_copy(update={"db_path": db, "media_dir": media})
    elif getattr(args, "media", None):
        settings = settings.model_copy(update={"media_dir": Path(args.media)})
    return settings


def _open(settings: Settings):
    from cxroom.store import Store

    return Store(settings.db_path)


def cmd_init(args: argparse.Namespace, settings: Settings) -> int:
    store = _open(settings)
    version = store.schema_version()
    store.close()
    print(f"Room database ready at {settings.db_path} (schema version {version}).")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from cxroom.demo import build_demo
    from cxroom.media import MediaStore

    if args.if_missing and settings.db_path.exists():
        print(f"{settings.db_path} exists; leaving it as it is.")
        return EXIT_OK
    if args.force and settings.db_path.exists():
        for path in (settings.db_path, Path(f"{settings.db_path}.wal")):
            path.unlink(missing_ok=True)
    end_month = None
    if args.end_month:
        try:
            end_month = date.fromisoformat(f"{args.end_month}-01")
        except ValueError:
            print(f"cxroom: --end-month must look like 2026-10, not {args.end_month!r}", file=sys.stderr)
            return EXIT_USAGE
    store = _open(settings)
    if args.scale != "demo":
        from cxroom.scale import build_scale

        try:
            counts = build_scale(store, MediaStore(settings), scale=args.scale, seed=args.seed, end_month=end_month)
        finally:
            store.close()
        print(
            f"{args.scale.capitalize()} room built in {settings.db_path}: "
            + ", ".join(f"{n:,} {t}" for t, n in counts.items() if n)
        )
        return EXIT_OK
    try:
        summary = build_demo(
            store,
            MediaStore(settings),
            seed=args.seed,
            end_month=end_month,
            progress=lambda step: print(f"  building {step}…", file=sys.stderr),
        )
    finally:
        store.close()
    print(
        f"Demo room built in {settings.db_path}: {summary.complaints:,} complaints, "
        f"{summary.survey_responses:,} survey responses, {summary.kpi_readings:,} KPI readings, "
        f"{summary.calls} calls, {summary.artifacts} artifacts, up to {summary.end_month:%B %Y}."
    )
    return EXIT_OK


def cmd_info(args: argparse.Namespace, settings: Settings) -> int:
    from cxroom.queries import room

    if not settings.db_path.exists():
        print(
            f"cxroom: no room database at {settings.db_path} (run `python -m cxroom init` or `demo`)", file=sys.stderr
        )
        return EXIT_ERROR
    from cxroom.inbox.state import inbox_summary

    try:
        store = _open(settings)
    except DatabaseLockedError:
        return _info_beside_the_app(args, settings)
    try:
        info = room.room_info(store)
    finally:
        store.close()
    info["inbox"] = inbox_summary(settings.inbox_path)
    if args.json:
        print(json.dumps(info, indent=2, default=str))
    else:
        print(f"{info['room_name']} — {settings.db_path} (schema {info['schema_version']})")
        print("Stages: " + " → ".join(info["stages"]))
        for table, count in info["tables"].items():
            print(f"  {table:<24} {count:>10,}")
        _print_inbox(info["inbox"])
    return EXIT_OK


def _info_beside_the_app(args: argparse.Namespace, settings: Settings) -> int:
    """The app has the room open: answer from the snapshot its inbox worker keeps in status.json."""
    from cxroom.inbox.layout import InboxLayout
    from cxroom.inbox.state import inbox_summary, read_status

    summary = inbox_summary(settings.inbox_path)
    snapshot = read_status(InboxLayout(settings.inbox_path)).get("room")
    if not snapshot or not summary["worker_running"]:
        print(
            "cxroom: the room's database is open in another process and its inbox worker is not reporting; "
            "start the app with `python -m cxroom serve` (or stop it) and run info again",
            file=sys.stderr,
        )
        return EXIT_ERROR
    info = {k: snapshot[k] for k in ("room_name", "schema_version", "stages", "tables")}
    info["as_of"] = snapshot.get("as_of")
    info["inbox"] = summary
    if args.json:
        print(json.dumps(info, indent=2, default=str))
    else:
        print(f"{info['room_name']} — {settings.db_path} (schema {info['schema_version']}), as the running app saw it")
        print("Stages: " + " → ".join(info["stages"]))
        for table, count in info["tables"].items():
            print(f"  {table:<24} {count:>10,}")
        _print_inbox(summary)
    return EXIT_OK


def _print_inbox(summary: dict[str, object]) -> None:
    running = summary["running"]
    print(
        f"Inbox {summary['folder']}: {summary['queued']} queued, "
        + (f"running {running['file']}, " if isinstance(running, dict) else "")
        + f"{summary['done']} done, {summary['failed']} failed"
        + ("" if summary["worker_running"] else " (no worker running)")
    )
    last_error = summary["last_error"]
    if isinstance(last_error, dict):
        print(f"  last error ({last_error.get('at')}, {last_error.get('file')}): {last_error.get('error')}")


# What to do instead when a command needs the database the running app holds (imports and
# uploads go through the app's inbox; these cannot).
BESIDE_THE_APP = {
    "user": "Set roles on the Admin page (People and roles) of the running app, or stop the app and run this again.",
    "token": "Create or revoke wall-screen links on the Admin page (Wall screens) of the running app, "
    "or stop the app and run this again.",
    "restore": "Stop the app first: a restore replaces the whole room. Then run this again and start the app.",
    "backup": "Back up from the Admin page (Backup) of the running app, or let the app back itself up on a "
    "schedule (CXROOM_BACKUP_TIME, see docs/deploy.md).",
    "init": "The room is already open in the running app, so it exists; stop the app to upgrade it from here.",
    "demo": "Stop the app first: building a room needs the database to itself.",
}


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Start the app through serve.py (the server-start hook runs the inbox worker and backups)."""
    del settings
    serve = Path(__file__).resolve().parent.parent / "serve.py"
    command = [sys.executable, "-m", "streamlit", "run", str(serve), *args.streamlit_args]
    # Replace this process: the server gets the terminal's signals directly (Ctrl-C, a service
    # manager's SIGTERM), and the CLI never imports Streamlit itself.
    os.execv(sys.executable, command)  # noqa: S606 - our own interpreter and serve.py, fixed arguments
    return EXIT_OK  # pragma: no cover - execv does not return


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, Handler]]:
    parser = _Parser(prog="python -m cxroom", description="The Customer Room: set up, fill and inspect the room.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    handlers: dict[str, Handler] = {}

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--db", help="DuckDB file (default: $CXROOM_DB or data/cxroom.duckdb)")
        p.add_argument("--media", help="media folder (default: $CXROOM_MEDIA or next to the database)")

    p = sub.add_parser("init", help="create an empty room database (or upgrade its schema)")
    common(p)
    handlers["init"] = cmd_init

    p = sub.add_parser("demo", help="build the demo room (Larkfield Mutual) into an empty database")
    common(p)
    p.add_argument("--seed", type=int, default=7, help="random seed (same seed, same room)")
    p.add_argument("--end-month", help="last month of data, YYYY-MM (default: last complete month)")
    p.add_argument("--force", action="store_true", help="delete an existing database file first")
    p.add_argument("--if-missing", action="store_true", help="do nothing if the database file exists")
    p.add_argument(
        "--scale",
        choices=["demo", "medium", "large"],
        default="demo",
        help="demo: the story room; medium/large: company-scale rooms for benchmarks",
    )
    handlers["demo"] = cmd_demo

    p = sub.add_parser("info", help="row counts of every table and the stages in wall order")
    common(p)
    p.add_argument("--json", action="store_true", help="print JSON: tables, stages, schema_version, room_name")
    handlers["info"] = cmd_info

    p = sub.add_parser(
        "serve",
        help="start the app with its inbox worker and scheduled backups (streamlit run serve.py)",
        description="Start the room's server; any further arguments go to `streamlit run` (e.g. --server.port 8501).",
    )
    p.add_argument("streamlit_args", nargs=argparse.REMAINDER, help="arguments for streamlit run")
    handlers["serve"] = cmd_serve

    for register in _extensions():
        handlers.update(register(sub, common))
    return parser, handlers


def _extensions() -> list[Callable[..., dict[str, Handler]]]:
    """Commands contributed by other modules (imports, backups, bench, set-up file)."""
    from cxroom import cli_trust
    from cxroom.bench import cli as bench_cli
    from cxroom.importers import cli as importers_cli
    from cxroom.setupfile import cli as setup_cli

    found: list[Callable[..., dict[str, Handler]]] = [cli_trust.register, importers_cli.register, bench_cli.register]
    found.append(setup_cli.register)  # `setup export|apply|export-rules|apply-rules`
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser, handlers = build_parser()
    given = list(sys.argv[1:] if argv is None else argv)
    if given[:1] == ["serve"] and not {"-h", "--help"} & set(given):
        # Everything after `serve` belongs to streamlit (argparse would read --server.port as ours).
        return cmd_serve(argparse.Namespace(streamlit_args=given[1:]), Settings.from_env())
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    try:
        settings = _settings(args)
        return handlers[args.command](args, settings)
    except DatabaseLockedError as exc:
        advice = BESIDE_THE_APP.get(args.command)
        print(f"cxroom: {exc}" + (f" {advice}" if advice else ""), file=sys.stderr)
        return EXIT_ERROR
    except CxroomError as exc:
        print(f"cxroom: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("cxroom: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

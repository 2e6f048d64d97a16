"""`python -m cxroom`: set up, fill and inspect the room from a terminal.

The parser, the commands' registration and ``main``: every command lives in a module
of this package (room, trust, imports, setup) or, for benchmarks, in cxroom.bench.
Expected failures print one line on stderr and exit non-zero; tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from cxroom.cli.room import BESIDE_THE_APP, EXIT_ERROR, EXIT_USAGE, Handler, cmd_demo, cmd_info, cmd_init, cmd_serve
from cxroom.errors import CxroomError, DatabaseLockedError
from cxroom.settings import Settings


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
    from cxroom.bench import cli as bench_cli
    from cxroom.cli import imports as importers_cli
    from cxroom.cli import setup as setup_cli
    from cxroom.cli import trust as cli_trust

    found: list[Callable[..., dict[str, Handler]]] = [cli_trust.register, importers_cli.register, bench_cli.register]
    found.append(setup_cli.register)  # `setup export|apply|export-rules|apply-rules`
    from cxroom.cli import leaders as leaders_cli

    found.append(leaders_cli.register)  # `export wall|review`, `digest`
    from cxroom.cli import search as search_cli

    found.append(search_cli.register)  # `search TEXT`, `themes build`
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

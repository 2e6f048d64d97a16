"""The room's own commands: `init`, `demo`, `info` and `serve`.

Expected failures (missing file, unwritable folder, database locked by the
running app, bad arguments) print one line on stderr and exit non-zero;
tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cxroom.errors import DatabaseLockedError
from cxroom.settings import Settings

if TYPE_CHECKING:
    from cxroom.store import Store

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

Handler = Callable[[argparse.Namespace, Settings], int]


def _open(settings: Settings) -> Store:
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
    return _print_info(args, settings, info)


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
    return _print_info(args, settings, info, seen_by=", as the running app saw it")


def _print_info(args: argparse.Namespace, settings: Settings, info: dict[str, Any], *, seen_by: str = "") -> int:
    """`info`'s answer, as JSON or as lines, read from the database or from the app's snapshot."""
    if args.json:
        print(json.dumps(info, indent=2, default=str))
    else:
        print(f"{info['room_name']} — {settings.db_path} (schema {info['schema_version']}){seen_by}")
        print("Stages: " + " → ".join(info["stages"]))
        for table, count in info["tables"].items():
            print(f"  {table:<24} {count:>10,}")
        _print_inbox(info["inbox"])
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
    "search": "Use the Search page of the running app, or stop the app and run this again.",
    "themes": "The running app counts new months after every import; stop the app to build them from here.",
}


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Start the app through serve.py (the server-start hook runs the inbox worker and backups)."""
    del settings
    serve = Path(__file__).resolve().parents[2] / "serve.py"
    command = [sys.executable, "-m", "streamlit", "run", str(serve), *args.streamlit_args]
    # Replace this process: the server gets the terminal's signals directly (Ctrl-C, a service
    # manager's SIGTERM), and the CLI never imports Streamlit itself.
    os.execv(sys.executable, command)  # noqa: S606 - our own interpreter and serve.py, fixed arguments
    return EXIT_OK  # pragma: no cover - execv does not return

"""The CLI beside the running app: when the room's database is open in the app's process,
`import ...` and `add call|artifact ...` hand their file to the room's inbox and wait for
its report, then answer as if they had imported it themselves (same output, same exit code).

The file is placed safely for the worker: its options first (NAME.json, written and renamed),
then the file itself copied as NAME.part and renamed, so the worker never reads half of it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from cxroom.cli import file_options
from cxroom.errors import CxroomError
from cxroom.importers.mapping import load_mapping_file
from cxroom.inbox.jobs import IMPORT_OPTION_NAMES, parse_job, sidecar_of
from cxroom.inbox.layout import IMPORT_KINDS, PART_SUFFIX, InboxLayout, read_json, write_json_atomically
from cxroom.inbox.state import read_status, worker_alive
from cxroom.inbox.wake import FolderWake
from cxroom.settings import Settings

EXIT_OK, EXIT_FAILED, EXIT_STILL_QUEUED = 0, 1, 3
DEFAULT_TIMEOUT_S = 3600.0
_ADD_KINDS = {"call": "calls", "artifact": "artifacts"}


def add_options(parser: argparse.ArgumentParser) -> None:
    """--no-wait and --timeout on every command that can go through the inbox."""
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="when the app has the room open: return once the file is queued in its inbox",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help=f"when the app has the room open: wait this long for its report (default {DEFAULT_TIMEOUT_S:.0f})",
    )


def hand_over(
    args: argparse.Namespace,
    settings: Settings,
    out: TextIO,
    err: TextIO,
    *,
    print_report: Callable[[dict[str, Any], TextIO], None],
) -> int:
    """Queue the command's file in the inbox and (unless --no-wait) print its report."""
    if getattr(args, "import_kind", None) == "undo":
        err.write(
            f"error: the room is open in the running app; undo batch #{args.batch_id} on the Listening page "
            "(Batches tab), or stop the app and run this command again\n"
        )
        return EXIT_FAILED
    kind = args.import_kind if getattr(args, "import_kind", None) else _ADD_KINDS[args.add_kind]
    layout = InboxLayout(settings.inbox_path)
    name = queue_file(layout, kind, Path(args.file), _job_options(kind, args))
    where = layout.drop(kind) / name
    if args.no_wait:
        if getattr(args, "json", False):
            out.write(json.dumps({"queued": str(where), "kind": kind, "name": name}) + "\n")
        else:
            out.write(f"queued in the room's inbox: {where}\n")
        return EXIT_OK
    quiet = getattr(args, "quiet", False)
    if not quiet:
        err.write(f"The room is open in the app: handed to its inbox as {where}; waiting for the report.\n")
        if not worker_alive(read_status(layout)):
            err.write(
                "note: no inbox worker has reported in yet; start the app with `python -m cxroom serve` "
                "(or open it once in a browser) so it imports this file.\n"
            )
    try:
        found = wait_for_report(layout, kind, name, timeout=args.timeout, progress=None if quiet else err)
    except KeyboardInterrupt:
        err.write(f"stopped waiting; the file stays queued in the room's inbox ({where}) and will be imported\n")
        return 130
    if found is None:
        err.write(
            f"error: no report after {args.timeout:.0f} s; the file is still queued in {layout.root} and its report "
            f"will be written to {layout.root / 'done' / kind} or {layout.root / 'failed' / kind}\n"
        )
        return EXIT_STILL_QUEUED
    outcome, report = found
    report.pop("inbox", None)
    if outcome == "failed":
        err.write(f"error: {' '.join(str(report.get('error')).split())}\n")
        return EXIT_FAILED
    if kind in _ADD_KINDS.values():
        entity = "call" if kind == "calls" else "artifact"
        new_id = report[f"{entity}_id"]
        if args.json:
            out.write(json.dumps({f"{entity}_id": new_id}) + "\n")
        else:
            out.write(f"{entity} #{new_id} added under stage {args.stage}\n")
    elif args.json:
        out.write(json.dumps(report, indent=2, default=str) + "\n")
    else:
        print_report(report, out)
    return EXIT_OK


def queue_file(layout: InboxLayout, kind: str, source: Path, options: dict[str, Any]) -> str:
    """Place ``source`` and its options in the inbox under a new unique name; returns that name."""
    if not source.is_file():
        raise CxroomError(f"There is no file {source}.")
    job = parse_job(kind, {"file_name": source.name, **options})  # refuse bad options here, not in the app
    layout.drop(kind).mkdir(parents=True, exist_ok=True)
    name = f"cli-{uuid.uuid4().hex[:12]}-{source.name}"
    target = layout.drop(kind) / name
    write_json_atomically(sidecar_of(target), job.model_dump(mode="json", exclude_defaults=True))
    part = target.with_name(target.name + PART_SUFFIX)
    try:
        shutil.copy2(source, part)
        # The worker takes a file whose ctime is later than its mtime at first sight (renamed
        # after its last write). copy2 keeps the source's mtime, which is older, unless the
        # source's clock ran ahead: make sure, so the hand-over never waits out the settle time.
        written = part.stat()
        before_now = time.time_ns() - 1_000_000_000
        if written.st_mtime_ns > before_now:
            os.utime(part, ns=(written.st_atime_ns, before_now))
        os.replace(part, target)
    except OSError as exc:
        part.unlink(missing_ok=True)
        sidecar_of(target).unlink(missing_ok=True)
        raise CxroomError(f"Cannot place {source} in the room's inbox {layout.root}: {exc.strerror}.") from exc
    return name


def wait_for_report(
    layout: InboxLayout, kind: str, name: str, *, timeout: float, progress: TextIO | None = None, poll_s: float = 0.05
) -> tuple[str, dict[str, Any]] | None:
    """("done" | "failed", report) once the worker has written it, or None at the timeout.

    The report is looked for when done/ or failed/ changes (FolderWake: at once), and every
    ``poll_s`` anyway: one look is two folder listings (no stat), so twenty looks a second
    cost little where notifications cannot be had."""
    folders = [layout.done(kind), layout.failed(kind)]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)  # watched before the worker's first report
    with FolderWake(folders) as wake:
        return _wait_for_report(layout, kind, name, wake, timeout=timeout, progress=progress, poll_s=poll_s)


def _wait_for_report(
    layout: InboxLayout,
    kind: str,
    name: str,
    wake: FolderWake,
    *,
    timeout: float,
    progress: TextIO | None,
    poll_s: float,
) -> tuple[str, dict[str, Any]] | None:
    deadline = time.monotonic() + timeout
    shown = None
    next_status = 0.0
    while True:
        found = layout.find_report(kind, name)
        if found is not None:
            try:
                return found[0], read_json(found[1])
            except (OSError, ValueError):
                pass  # written atomically, so this is a report being moved: look again
        if time.monotonic() >= deadline:
            return None
        if progress is not None and time.monotonic() >= next_status:
            next_status = time.monotonic() + 0.25  # progress lines need not follow the short poll
            running = read_status(layout).get("running") or {}
            if running.get("file") == name and running.get("message") and running.get("message") != shown:
                shown = running["message"]
                progress.write(f"[{float(running.get('progress') or 0) * 100:3.0f}%] {shown}\n")
                progress.flush()
        wake.wait(min(poll_s, max(0.0, deadline - time.monotonic())))


def _job_options(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    """The command's options as the inbox's sidecar fields."""
    if kind in IMPORT_KINDS:
        options = {n: getattr(args, n) for n in IMPORT_OPTION_NAMES if getattr(args, n, None) is not None}
        return {
            "source": args.source,
            "mapping": load_mapping_file(kind, args.mapping) if args.mapping else None,
            "options": options,
            "dry_run": bool(args.dry_run),
        }
    if kind == "calls":
        return {
            "stage": args.stage,
            "title": args.title,
            "moment": args.moment,
            "recorded_at": file_options.recorded_at(args).isoformat(),
            "clip_start": args.clip_start,
            "clip_end": args.clip_end,
            "transcript": file_options.transcript(args),
            "consent": args.consent,
            "tags": list(args.tags),
        }
    issued = file_options.issued_on(args)
    return {
        "stage": args.stage,
        "title": args.title,
        "kind": args.kind,
        "moment": args.moment,
        "caption": args.caption,
        "issued_on": issued.isoformat() if issued else None,
        "replaces": args.replaces,
        "fix": args.fix,
    }

"""`python -m cxroom export ...` and `python -m cxroom digest`: what leaders take away.

    export wall --month YYYY-MM --format pptx|pdf --out FILE
    export review REVIEW_ID --format pptx|pdf --out FILE
    digest [--month YYYY-MM] [--dry-run FOLDER]

Both read the room's database (stop the app first, as for the other reading commands).
The digest's month defaults to the last complete month; overdue is judged as of today.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from cxroom.errors import InvalidInputError
from cxroom.settings import Settings, SmtpSettings

EXIT_OK, EXIT_FAILED = 0, 1


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"a month looks like 2026-10, not {text!r}") from None


def register(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    common: Callable[[argparse.ArgumentParser], None],
) -> dict[str, Callable[..., int]]:
    export = subparsers.add_parser("export", help="the wall or a review as a deck for leaders (PPTX or PDF)")
    what = export.add_subparsers(dest="export_what", metavar="WHAT", required=True)
    wall = what.add_parser("wall", help="a summary slide and one slide per stage, for one month")
    wall.add_argument("--month", type=_month, required=True, help="the month, YYYY-MM")
    review = what.add_parser("review", help="a review's agenda, findings, decisions, fixes and wins")
    review.add_argument("review", type=int, help="the review's number (see the Reviews page)")
    for p in (wall, review):
        p.add_argument("--format", choices=["pptx", "pdf"], required=True)
        p.add_argument("--out", type=Path, required=True, help="the file to write")
        common(p)

    digest = subparsers.add_parser("digest", help="e-mail each owner and leader their monthly digest")
    digest.add_argument("--month", type=_month, help="the month, YYYY-MM (default: the last complete month)")
    digest.add_argument("--dry-run", type=Path, metavar="FOLDER", help="write the mails as .eml files, send nothing")
    common(digest)
    return {"export": run_export, "digest": run_digest}


def run_export(args: argparse.Namespace, settings: Settings) -> int:
    from cxroom.exports.build import DeckFormat, review_file, wall_file
    from cxroom.store import Store

    fmt = DeckFormat(args.format)
    store = Store(settings.db_path)
    try:
        if args.export_what == "wall":
            data = wall_file(store, args.month, fmt, today=date.today())
        else:
            data = review_file(store, args.review, fmt, today=date.today())
    finally:
        store.close()
    try:
        args.out.write_bytes(data)
    except OSError as exc:
        raise InvalidInputError(f"Could not write {args.out}: {exc.strerror or exc}") from exc
    print(f"Wrote {args.out} ({len(data):,} bytes).")
    return EXIT_OK


def _last_complete_month(today: date) -> date:
    first = today.replace(day=1)
    return first.replace(year=first.year - 1, month=12) if first.month == 1 else first.replace(month=first.month - 1)


def run_digest(args: argparse.Namespace, settings: Settings) -> int:
    from cxroom.digest.run import prepare
    from cxroom.digest.send import send, write_eml
    from cxroom.store import Store

    smtp = SmtpSettings.from_env()
    today = date.today()
    store = Store(settings.db_path)
    try:
        prepared = prepare(store, args.month or _last_complete_month(today), today=today, sender=smtp.sender)
    finally:
        store.close()
    for line in prepared.skipped:
        print(f"cxroom: no digest for {line}", file=sys.stderr)
    messages = [msg for _d, msg in prepared.messages]
    if args.dry_run is not None:
        outcomes = write_eml(messages, args.dry_run)
        print(f"Wrote {len(outcomes)} digest(s) to {args.dry_run} (nothing sent).")
        return EXIT_OK
    outcomes = send(messages, smtp)
    for outcome in outcomes:
        if not outcome.sent:
            print(f"cxroom: {outcome.to}: {outcome.detail}", file=sys.stderr)
    sent = sum(1 for o in outcomes if o.sent)
    print(f"Sent {sent} of {len(outcomes)} digest(s) through {smtp.host}.")
    return EXIT_OK if sent == len(outcomes) else EXIT_FAILED

"""The options of `add call` and `add artifact` that are read before use (a file, the
recording's time, the artifact's date, a transcript file), read the same way whether the
command adds the file itself or hands it to the app's inbox."""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

from cxroom.errors import InvalidInputError


def read_input(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError as exc:
        raise InvalidInputError(f"There is no file {path}.") from exc
    except OSError as exc:
        raise InvalidInputError(f"Cannot read {path}: {exc.strerror}.") from exc


def transcript(args: argparse.Namespace) -> Any:
    """The --transcript file's JSON ([{start, end, speaker, text}]), None without one."""
    if not args.transcript:
        return None
    try:
        return json.loads(read_input(Path(args.transcript)))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"The transcript {args.transcript} is not valid JSON: {exc}.") from exc


def recorded_at(args: argparse.Namespace) -> datetime:
    """--recorded-at, or now."""
    try:
        return datetime.fromisoformat(args.recorded_at) if args.recorded_at else datetime.now()
    except ValueError as exc:
        raise InvalidInputError(f"--recorded-at {args.recorded_at!r} is not an ISO date/time.") from exc


def issued_on(args: argparse.Namespace) -> date | None:
    try:
        return date.fromisoformat(args.issued_on) if args.issued_on else None
    except ValueError as exc:
        raise InvalidInputError(f"--issued-on {args.issued_on!r} is not a date (YYYY-MM-DD).") from exc

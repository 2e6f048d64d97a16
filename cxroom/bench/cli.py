"""`python -m cxroom bench`: the benchmark of docs/benchmarks.md."""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from cxroom.settings import Settings

Handler = Callable[[argparse.Namespace, Settings], int]


def _clean(value: Any) -> Any:
    """NaN is not JSON: print null instead."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    del settings  # the benchmark builds its own rooms; it never touches the room's database
    from cxroom.bench.report import table
    from cxroom.bench.run import Options, run

    try:
        end_month = date.fromisoformat(f"{args.end_month}-01")
    except ValueError:
        print(f"cxroom: --end-month must look like 2026-10, not {args.end_month!r}")
        return 2
    opts = Options(
        scale=args.scale,
        workdir=Path(args.workdir) if args.workdir else None,
        repeat=args.repeat,
        cold_repeat=args.cold_repeat,
        browser=not args.no_browser,
        browser_repeat=args.browser_repeat,
        sessions=args.sessions,
        session_reruns=args.session_reruns,
        import_rows=args.import_rows,
        import_repeat=args.import_repeat,
        words=not args.no_words,
        end_month=end_month,
        quiet=args.quiet,
    )
    result = _clean(run(opts))
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        print(table(result))
    if args.save:
        Path(args.save).write_text(json.dumps(result, indent=2, default=str))
    return 0


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> dict[str, Handler]:
    p = sub.add_parser(
        "bench",
        help="benchmark the room (AppTest, Chromium, import, memory) as ratios to a trivial page",
        description="Build the rooms up to --scale (demo, medium, large), time the wall and other pages as "
        "ratios to a trivial Streamlit page measured in the same run, and print one table. "
        "See docs/benchmarks.md.",
    )
    common(p)  # accepted for symmetry; the benchmark builds its own rooms
    p.add_argument(
        "--scale",
        choices=["demo", "medium", "large"],
        default="large",
        help="largest room to measure; the smaller ones are measured too (default: large)",
    )
    p.add_argument("--json", action="store_true", help="print the results as JSON (keys: docs/benchmarks.md)")
    p.add_argument("--save", help="also write the JSON to this file")
    p.add_argument("--workdir", help="keep rooms and the CSV here and reuse them next time (default: a temp folder)")
    p.add_argument("--end-month", default="2026-10", help="last month of the rooms' data (default: 2026-10)")
    p.add_argument("--repeat", type=_positive, default=7, help="warm AppTest samples per figure (default: 7)")
    p.add_argument("--cold-repeat", type=_positive, default=3, help="cold AppTest samples (default: 3)")
    p.add_argument("--no-browser", action="store_true", help="skip the Chromium timings and the server memory")
    p.add_argument("--browser-repeat", type=_positive, default=5, help="Chromium visits per page (default: 5)")
    p.add_argument("--sessions", type=_count, default=20, help="concurrent AppTest sessions (default: 20)")
    p.add_argument("--session-reruns", type=_positive, default=3, help="reruns per concurrent session (default: 3)")
    p.add_argument(
        "--import-rows",
        type=_count,
        default=1_000_000,
        help="rows of the complaints CSV to import; 0 skips the import (default: 1000000)",
    )
    p.add_argument("--import-repeat", type=_positive, default=3, help="import timings (default: 3)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--no-words", action="store_true", help="skip the themes and search timings")
    return {"bench": cmd_bench}

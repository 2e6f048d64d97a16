"""One benchmark run: build the rooms, time them in AppTest (a worker process
per room), in Chromium and on import, read the server's memory, check the
targets, and print one table (or JSON with stable keys, see docs/benchmarks.md)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from cxroom.bench.common import REPO, BenchError, Say, machine, ratio, room_env
from cxroom.bench.rooms import Room, build_room, scales_up_to
from cxroom.bench.words import TARGETS as WORDS_TARGETS
from cxroom.bench.words import measure_words

TARGET_SCALE = "large"
# key -> (limit, what it is): a figure is within its target when value <= limit.
TARGETS: dict[str, tuple[float, str]] = {
    "wall_warm_ratio": (10.0, "wall warm ≤ 10x the floor page (AppTest)"),
    "wall_cold_ratio": (30.0, "wall cold ≤ 30x the floor page (AppTest)"),
    "browser_wall_extra_s": (1.5, "wall in Chromium ≤ floor + 1.5 s"),
    "import_ratio": (2.0, "1M-row import ≤ 2x DuckDB's raw read_csv"),
    "import_inbox_ratio": (1.1, "1M-row import through the inbox ≤ 1.1x the direct import"),
    "server_rss_mb": (800.0, "server peak memory ≤ 800 MB (wall open)"),
    **WORDS_TARGETS,
}


# The AppTest figures of one room: per scale in by_scale, and at the top level for the largest.
_WALL_KEYS = (
    "floor_apptest_s",
    "wall_warm_s",
    "wall_warm_ratio",
    "wall_cold_s",
    "wall_cold_ratio",
    "wall_rerun_s",
    "wall_first_s",
    "wall_elements",
)


@dataclass
class Options:
    scale: str = "large"
    workdir: Path | None = None  # None: a temporary folder, removed at the end
    repeat: int = 7  # warm AppTest samples per figure
    cold_repeat: int = 3
    browser: bool = True
    browser_repeat: int = 5
    sessions: int = 20
    session_reruns: int = 3
    import_rows: int = 1_000_000
    import_repeat: int = 3
    words: bool = True  # themes and search (bench/words_worker.py)
    end_month: date = date(2026, 10, 1)
    quiet: bool = False


def _say(opts: Options) -> Say:
    def say(message: str) -> None:
        if not opts.quiet:
            print(message, file=sys.stderr, flush=True)

    return say


def run_worker(script: str, name: str, cfg: dict[str, Any], workdir: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run bench/<script> in a fresh process with a JSON config; its JSON result.

    The workers live in bench/, outside the package: they drive Streamlit (AppTest) or run SQL
    of their own, which the layering of the core does not allow (tests/test_layering.py)."""
    cfg_path = workdir / f"{name}.json"
    out_path = workdir / f"{name}.out.json"
    cfg_path.write_text(json.dumps(cfg))
    out_path.unlink(missing_ok=True)
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / script), str(cfg_path), str(out_path)],
        cwd=REPO,
        env={**os.environ, **env},
        timeout=3600,
        check=False,
    )
    if proc.returncode != 0 or not out_path.exists():
        raise BenchError(f"bench/{script} failed for {name} (exit {proc.returncode})")
    result: dict[str, Any] = json.loads(out_path.read_text())
    return result


def run(opts: Options) -> dict[str, Any]:
    say = _say(opts)
    started = time.perf_counter()
    result: dict[str, Any] = {"scale": opts.scale, "machine": machine(), "errors": []}
    if opts.workdir is None:
        with tempfile.TemporaryDirectory(prefix="cxroom-bench-") as folder:
            _run_in(opts, Path(folder), result, say, reuse=False)
    else:
        opts.workdir.mkdir(parents=True, exist_ok=True)
        _run_in(opts, opts.workdir, result, say, reuse=True)
    result["elapsed_s"] = time.perf_counter() - started
    result["targets"] = check_targets(result)
    return result


def _run_in(opts: Options, workdir: Path, result: dict[str, Any], say: Say, *, reuse: bool) -> None:
    say(f"cxroom bench: {opts.scale} scale, work folder {workdir}")
    rooms: dict[str, Room] = {}
    for scale in scales_up_to(opts.scale):
        rooms[scale] = build_room(workdir, scale, end_month=opts.end_month, reuse=reuse, say=say)
    result["rooms"] = {s: r.to_json() for s, r in rooms.items()}
    top = rooms[opts.scale]

    by_scale: dict[str, Any] = {}
    for scale, room in rooms.items():
        is_top = scale == opts.scale
        say(f"  AppTest timings, {scale} room ({room.complaints:,} complaints)…")
        cfg = {
            "scale": scale,
            "repeat": opts.repeat,
            "cold_repeat": opts.cold_repeat,
            "pages": is_top,
            "sessions": opts.sessions if is_top else 0,
            "session_reruns": opts.session_reruns,
            "end_month": opts.end_month.isoformat(),
        }
        try:
            worker = run_worker(
                "apptest_worker.py",
                f"apptest-{scale}",
                cfg,
                workdir,
                {**room_env(room.db, room.media), "STREAMLIT_LOGGER_LEVEL": "error"},
            )
        except (BenchError, subprocess.TimeoutExpired) as exc:
            result["errors"].append(str(exc))
            continue
        result["errors"].extend(worker.pop("errors", []))
        worker["wall_warm_ratio"] = ratio(worker.get("wall_warm_s"), worker.get("floor_apptest_s"))
        worker["wall_cold_ratio"] = ratio(worker.get("wall_cold_s"), worker.get("floor_apptest_s"))
        worker["complaints"] = room.complaints
        by_scale[scale] = worker
    result["by_scale"] = {s: {k: w.get(k) for k in ("complaints", *_WALL_KEYS)} for s, w in by_scale.items()}
    mine = by_scale.get(opts.scale, {})
    for key in (*_WALL_KEYS, "wall_stage_columns"):
        result[key] = mine.get(key)
    result["floor_apptest_samples"] = mine.get("floor_apptest_samples")
    result["wall_warm_samples"] = mine.get("wall_warm_samples")
    result["wall_cold_samples"] = mine.get("wall_cold_samples")
    _pages(result, mine.get("pages", {}))
    conc = mine.get("concurrent") or {}
    result["concurrent"] = conc
    result["concurrent_sessions"] = conc.get("sessions")
    result["concurrent_p50_s"] = conc.get("p50_s")
    result["concurrent_p95_s"] = conc.get("p95_s")

    _browser(opts, top, workdir, result, say)

    if opts.import_rows > 0:
        say(f"  Import of {opts.import_rows:,} complaints against raw read_csv ({opts.import_repeat} times)…")
        try:
            cfg = {"db": str(top.db), "workdir": str(workdir), "rows": opts.import_rows, "repeat": opts.import_repeat}
            imp = run_worker("import_worker.py", "import", cfg, workdir, {})
            imp["into_complaints"] = top.complaints
            result["import"] = imp
            result["import_rows"] = imp["rows"]
            result["import_s"] = imp["import_s"]
            result["import_raw_s"] = imp["import_raw_s"]
            result["import_ratio"] = ratio(imp["import_s"], imp["import_raw_s"])
            result["import_cpu_ratio"] = ratio(imp["import_cpu_s"], imp["import_raw_cpu_s"])
            result["import_inbox_s"] = imp.get("import_inbox_s")
            result["import_inbox_ratio"] = ratio(imp.get("import_inbox_s"), imp["import_s"])
            result["import_inbox_overhead_s"] = imp.get("import_inbox_overhead_s")
        except Exception as exc:  # the rest of the run still counts
            result["errors"].append(f"import: {exc}")
    if opts.words:
        measure_words(run_worker, top, workdir, result, say)
    for key in (
        "import_rows",
        "import_s",
        "import_raw_s",
        "import_ratio",
        "import_cpu_ratio",
        "import_inbox_s",
        "import_inbox_ratio",
        "import_inbox_overhead_s",
    ):
        result.setdefault(key, None)


def _pages(result: dict[str, Any], pages: dict[str, Any]) -> None:
    result["pages"] = pages
    floor = result.get("floor_apptest_s")
    for name in ("stage", "fixes", "reviews", "agenda"):
        page = pages.get(name) or {"available": False, "note": "n/a (not measured)"}
        result[f"{name}_warm_s"] = page.get("warm_s")
        result[f"{name}_cold_s"] = page.get("cold_s")
        if name != "agenda":
            result[f"{name}_warm_ratio"] = ratio(page.get("warm_s"), floor)
            result[f"{name}_cold_ratio"] = ratio(page.get("cold_s"), floor)


def _browser(opts: Options, top: Room, workdir: Path, result: dict[str, Any], say: Say) -> None:
    from cxroom.bench.browser import chromium_available, measure_browser

    keys = (
        "floor_browser_s",
        "browser_wall_s",
        "browser_wall_extra_s",
        "browser_wall_idle_s",
        "browser_wall_screen_s",
        "browser_wall_first_s",
        "server_rss_mb",
        "server_rss_open_mb",
    )
    result["browser"] = {}
    if not opts.browser:
        result["browser"] = {"available": False, "note": "n/a (--no-browser)"}
    elif not chromium_available():
        result["browser"] = {"available": False, "note": "n/a (no /usr/bin/chromium or no playwright)"}
    else:
        say(f"  Chromium timings and server memory, {top.scale} room…")
        try:
            result["browser"] = {
                "available": True,
                **measure_browser(top, repeat=opts.browser_repeat, logs=workdir, say=say),
            }
        except Exception as exc:  # the rest of the run still counts
            result["errors"].append(f"browser: {exc}")
            result["browser"] = {"available": False, "note": f"n/a (failed: {exc})"}
    for key in keys:
        result[key] = result["browser"].get(key)
    result["browser_wall_ratio"] = ratio(result.get("browser_wall_s"), result.get("floor_browser_s"))


def check_targets(result: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, (limit, text) in TARGETS.items():
        value = result.get(key)
        ok = None if value is None or (isinstance(value, float) and math.isnan(value)) else value <= limit
        out[key] = {
            "value": value,
            "limit": limit,
            "met": ok,
            "target": text,
            "applies": result.get("scale") == TARGET_SCALE,
        }
    return out

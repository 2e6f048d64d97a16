"""AppTest timings of one room, in a process of their own (so the first run
really is the first): ``python bench/apptest_worker.py CONFIG.json OUT.json``,
started by ``python -m cxroom bench`` (cxroom/bench/run.py). It lives outside the
cxroom package because it drives Streamlit itself, which only cxroom/ui may import.

The app is pointed at the room through CXROOM_DB / CXROOM_MEDIA (the parent
sets them). Each figure is the time of ``AppTest.run()`` of a new session
(a new browser tab, in server terms), median of several, with floor-page runs
interleaved so that the floor sees the same machine load as the page.

- warm: the Streamlit caches hold this data version (another session ran it).
- cold: the first run after a data change with the caches empty: the data
  version is bumped (a committed empty transaction, as any write does) and
  st.cache_data and st.cache_resource are cleared.
- rerun: the same session running the page again (a widget click, a refresh).
- concurrent: N threads, each its own AppTest session, rerunning the wall at
  the same moment (AppTest keeps one global Runtime per run; the worker shares
  one for all threads, as a real server does).
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit import logger as st_logger
from streamlit.testing.v1 import AppTest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cxroom.bench.common import APP, FLOOR_PAGE, median, percentile
from cxroom.settings import Settings
from cxroom.store import open_store

TIMEOUT_S = 600.0


def _floor() -> AppTest:
    return AppTest.from_file(str(FLOOR_PAGE), default_timeout=TIMEOUT_S)


def _app(page: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    if page:
        at.switch_page(page)
    at.query_params.update(params)
    return at


def _timed(at: AppTest) -> float:
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"the page raised: {at.exception[0].message}")
    return elapsed


def _invalidate() -> None:
    """A data change with empty caches: what the first visitor after an import meets."""
    store = open_store(Settings.from_env().db_path)
    with store.transaction("bench"):
        pass  # a committed transaction bumps the data version
    st.cache_data.clear()
    st.cache_resource.clear()


def _stage_columns(at: AppTest) -> int:
    return sum(1 for m in at.metric if m.label.startswith("Complaints in"))


def _elements(node: Any) -> int:
    children = getattr(node, "children", {}) or {}
    return 1 + sum(_elements(child) for child in children.values())


def measure_wall(cfg: dict[str, Any], out: dict[str, Any]) -> None:
    repeat, cold_repeat = int(cfg["repeat"]), int(cfg["cold_repeat"])
    floor_s: list[float] = []
    _timed(_floor())  # the first AppTest of a process pays Streamlit's imports: not a floor sample
    first = _app()
    out["wall_first_s"] = _timed(first)  # module imports, DuckDB's first reads, empty caches
    out["wall_stage_columns"] = _stage_columns(first)
    out["wall_elements"] = _elements(first._tree)
    warm: list[float] = []
    for _ in range(repeat):
        floor_s.append(_timed(_floor()))
        warm.append(_timed(_app()))
    cold: list[float] = []
    for _ in range(cold_repeat):
        _invalidate()
        cold.append(_timed(_app()))
        floor_s.append(_timed(_floor()))
    session = _app()
    _timed(session)
    rerun = [_timed(session) for _ in range(repeat)]
    out.update(
        floor_apptest_s=median(floor_s),
        floor_apptest_samples=floor_s,
        wall_warm_s=median(warm),
        wall_warm_samples=warm,
        wall_cold_s=median(cold),
        wall_cold_samples=cold,
        wall_rerun_s=median(rerun),
    )


# name -> (url path of the page in the app's navigation, query parameters)
PAGES: list[tuple[str, str, dict[str, str]]] = [
    ("stage", "stage", {"stage": "claim"}),
    ("fixes", "fixes", {}),
    ("reviews", "reviews", {}),
]


def _script(url_path: str) -> str | None:
    """The page script the app's navigation serves at ``url_path`` (None: no such page, or no script)."""
    from cxroom.ui.navigation import PAGES as SPECS

    for spec in SPECS:
        if spec.url_path == url_path and (APP.parent / spec.script).exists():
            return spec.script
    return None


def measure_pages(cfg: dict[str, Any], out: dict[str, Any]) -> None:
    """Stage detail, fix board and reviews page (cold and warm), and agenda generation."""
    repeat = max(3, int(cfg["repeat"]) // 2)
    pages: dict[str, Any] = {}
    for name, url_path, params in PAGES:
        script = _script(url_path)
        if script is None:
            pages[name] = {"available": False, "note": f"n/a (not available: no page /{url_path} in the app)"}
            continue
        try:
            _invalidate()
            cold = _timed(_app(script, **params))
            warm = [_timed(_app(script, **params)) for _ in range(repeat)]
            pages[name] = {"available": True, "cold_s": cold, "warm_s": median(warm), "warm_samples": warm}
        except Exception as exc:  # report it in the table: the rest of the run still counts
            pages[name] = {"available": False, "note": f"n/a (failed: {exc})"}
    pages["agenda"] = _agenda(cfg, repeat)
    out["pages"] = pages


def _agenda(cfg: dict[str, Any], repeat: int) -> dict[str, Any]:
    try:
        from cxroom.insights.agenda import propose_agenda
        from cxroom.queries.reviews import agenda_facts
    except ImportError as exc:
        return {"available": False, "note": f"n/a (not available: {exc})"}
    store = open_store(Settings.from_env().db_path)
    end = date.fromisoformat(cfg["end_month"])
    held_on = date(end.year + (end.month == 12), end.month % 12 + 1, 6)  # early in the month after the data
    times, items = [], 0
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            proposed = propose_agenda(agenda_facts.agenda_inputs(store, held_on=held_on))
            times.append(time.perf_counter() - started)
            items = len(proposed)
    except Exception as exc:
        return {"available": False, "note": f"n/a (failed: {exc})"}
    return {
        "available": True,
        "cold_s": times[0],
        "warm_s": median(times[1:] or times),
        "items": items,
        "note": "propose_agenda(agenda_inputs(...)): the queries and the ranking, no page",
    }


def _share_one_runtime() -> None:
    """AppTest sets Runtime._instance for the length of a run and clears it after: threads
    running AppTests at once would pull it from under each other. Give them one shared
    Runtime (a real server has exactly one), and keep global.appTest set."""
    from unittest.mock import MagicMock

    from streamlit import config
    from streamlit.runtime import Runtime
    from streamlit.runtime.caching.storage.dummy_cache_storage import MemoryCacheStorageManager
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    shared = MagicMock(spec=Runtime)
    shared.media_file_mgr = MediaFileManager(MemoryMediaFileStorage("/mock/media"))
    shared.cache_storage_manager = MemoryCacheStorageManager()
    Runtime.instance = classmethod(lambda cls: cls._instance or shared)  # type: ignore[method-assign,assignment]
    Runtime.exists = classmethod(lambda cls: True)  # type: ignore[method-assign,assignment]
    config.set_option("global.appTest", True)


def measure_concurrent(cfg: dict[str, Any], out: dict[str, Any]) -> None:
    sessions, reruns = int(cfg["sessions"]), int(cfg["session_reruns"])
    if sessions <= 0:
        return
    _share_one_runtime()
    expected = out.get("wall_stage_columns")
    times: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    released: list[float] = []  # when every session had run once and the reruns began
    barrier = threading.Barrier(sessions, action=lambda: released.append(time.perf_counter()))

    def session(_n: int) -> None:
        try:
            at = _app()
            at.run()
        except Exception as exc:
            errors.append(repr(exc))
            barrier.abort()
            return
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return
        for _ in range(reruns):
            try:
                elapsed = _timed(at)
            except Exception as exc:
                errors.append(str(exc))
                continue
            with lock:
                times.append(elapsed)
            if expected is not None and _stage_columns(at) != expected:
                errors.append(f"a session saw {_stage_columns(at)} stage columns, not {expected}")

    threads = [threading.Thread(target=session, args=(n,), name=f"bench-session-{n}") for n in range(sessions)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = time.perf_counter() - (released[0] if released else started)
    out["concurrent"] = {
        "sessions": sessions,
        "reruns_each": reruns,
        "runs": len(times),
        "p50_s": median(times),
        "p95_s": percentile(times, 95),
        "max_s": max(times) if times else None,
        "reruns_per_s": len(times) / total if total else None,
        "errors": errors[:20],
        "errors_total": len(errors),
        "how": "threads in one process, each its own AppTest session, one shared Runtime",
    }


def main(argv: list[str]) -> int:
    # AppTest outside a server warns about its missing context on every run: noise here.
    st_logger.set_log_level("error")
    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit.runtime.caching.cache_data_api"):
        logging.getLogger(name).disabled = True
    cfg = json.loads(Path(argv[0]).read_text())
    out: dict[str, Any] = {"scale": cfg["scale"]}
    steps: list[tuple[str, Callable[[dict[str, Any], dict[str, Any]], None]]] = [("wall", measure_wall)]
    if cfg.get("pages"):
        steps.append(("pages", measure_pages))
    if cfg.get("sessions"):
        steps.append(("concurrent", measure_concurrent))
    for name, step in steps:
        print(f"    AppTest: {name} ({cfg['scale']})…", file=sys.stderr, flush=True)
        try:
            step(cfg, out)
        except Exception as exc:
            out.setdefault("errors", []).append(f"{name}: {exc}")
            traceback.print_exc()
    Path(argv[1]).write_text(json.dumps(out, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

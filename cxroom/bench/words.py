"""The customer's words at scale: a theme build (full, and one new month) and the search,
timed by bench/words_worker.py on a copy of the top room whose complaints each get a text
of their own. Targets (large scale): a full build <= 5 min, one new month <= 20 s."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cxroom.bench.common import BenchError, Say
from cxroom.bench.rooms import Room

KEYS = ("themes_full_s", "themes_month_s", "search_rare_s", "search_common_s", "search_words_s")
LABELS = {
    "themes_full_s": "themes, full build (every stage fitted, every month)",
    "themes_month_s": "themes, one new month (incremental)",
    "search_rare_s": "search “rating tier” (masked, ranked)",
    "search_common_s": "search “refund”",
    "search_words_s": "search “adjuster claim denied”",
}
TARGETS: dict[str, tuple[float, str]] = {
    "themes_full_s": (300.0, "themes: a full build ≤ 5 min"),
    "themes_month_s": (20.0, "themes: one new month ≤ 20 s"),
}


def measure_words(
    run_worker: Callable[..., dict[str, Any]], top: Room, workdir: Path, result: dict[str, Any], say: Say
) -> None:
    say(f"  Themes and search on {top.complaints:,} complaints with texts of their own…")
    try:
        out = run_worker("words_worker.py", "words", {"db": str(top.db), "workdir": str(workdir)}, workdir, {})
    except (BenchError, subprocess.TimeoutExpired) as exc:
        result["errors"].append(f"words: {exc}")
        out = {}
    result["words"] = out
    for key in KEYS:
        result[key] = out.get(key)


def table_lines(result: dict[str, Any], row: Callable[..., None], verdict: Callable[[str], str]) -> None:
    words = result.get("words") or {}
    if not words:
        return
    for key in KEYS:
        hits = words.get(key.replace("_s", "_hits"))
        label = LABELS[key] + (f" · {hits:,} hits" if hits is not None else "")
        row(label, words.get(key), None, verdict(key) if key in TARGETS else "")

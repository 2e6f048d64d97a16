"""`python -m cxroom bench --scale demo --json` on a tiny run: every documented
key is there and every figure measured is a positive number; and the Chromium
part on its own (it needs the system browser). No timing assertions: timings
belong to docs/benchmarks.md, not to the test suite.

Both use a copy of the session's demo room (this process holds it open)
instead of building one, to stay quick."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cxroom.bench.browser import chromium_available, measure_browser
from cxroom.bench.report import table
from cxroom.bench.rooms import adopt_room, build_room
from cxroom.settings import Settings
from cxroom.store import open_store
from tests.conftest import DEMO_END_MONTH

REPO = Path(__file__).resolve().parents[2]

# The keys docs/benchmarks.md promises (at least these; all at the top level).
TIMINGS = [
    "floor_apptest_s",
    "wall_warm_s",
    "wall_cold_s",
    "wall_rerun_s",
    "wall_first_s",
    "stage_warm_s",
    "stage_cold_s",
    "fixes_warm_s",
    "fixes_cold_s",
    "reviews_warm_s",
    "reviews_cold_s",
    "agenda_warm_s",
    "import_s",
    "import_raw_s",
    "import_inbox_s",
    "concurrent_p50_s",
    "concurrent_p95_s",
    "themes_full_s",
    "themes_month_s",
    "search_rare_s",
    "search_common_s",
    "search_words_s",
]
RATIOS = ["wall_warm_ratio", "wall_cold_ratio", "import_ratio", "import_cpu_ratio", "import_inbox_ratio"]
BROWSER = ["floor_browser_s", "browser_wall_s", "browser_wall_screen_s", "browser_wall_first_s", "server_rss_mb"]
OTHER = [
    "scale",
    "machine",
    "rooms",
    "by_scale",
    "targets",
    "concurrent",
    "concurrent_sessions",
    "import_rows",
    "browser",
    "browser_wall_extra_s",
    "browser_wall_ratio",
    "pages",
    "errors",
    "elapsed_s",
]


def _positive(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value) and value > 0


@pytest.fixture
def workdir(tmp_path: Path, demo_settings: Settings) -> Path:
    """A bench work folder whose demo room is a copy of the session's demo room."""
    open_store(demo_settings.db_path).checkpoint()
    folder = tmp_path / "bench"
    adopt_room(folder, "demo", db=demo_settings.db_path, media=demo_settings.media_dir, end_month=DEMO_END_MONTH)
    return folder


@pytest.mark.slow
def test_bench_json_at_demo_scale(workdir: Path) -> None:
    args = [
        sys.executable,
        "-m",
        "cxroom",
        "bench",
        "--scale",
        "demo",
        "--json",
        "--quiet",
        "--no-browser",
        "--workdir",
        str(workdir),
        "--end-month",
        DEMO_END_MONTH.isoformat()[:7],
        "--repeat",
        "1",
        "--cold-repeat",
        "1",
        "--sessions",
        "2",
        "--session-reruns",
        "1",
        "--import-rows",
        "2000",
        "--import-repeat",
        "1",
    ]
    proc = subprocess.run(
        args, cwd=REPO, capture_output=True, text=True, timeout=300, env=dict(os.environ), check=False
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads(proc.stdout)

    for key in [*TIMINGS, *RATIOS, *BROWSER, *OTHER]:
        assert key in result, key
    assert result["errors"] == []
    assert result["scale"] == "demo"
    assert set(result["by_scale"]) == {"demo"}
    assert result["rooms"]["demo"]["build_s"] is None  # the adopted room was measured, not rebuilt
    assert result["wall_stage_columns"] == result["rooms"]["demo"]["stages"] == 7
    for key in [*TIMINGS, *RATIOS]:
        assert _positive(result[key]), (key, result[key])
    assert result["import_rows"] == 2000
    assert result["import"]["rows_imported"] == 2000
    assert len(result["import"]["import_inbox_samples"]) == 1  # the same file through the inbox, end to end
    # the hand-over's own part of it: more than nothing, less than the whole
    assert 0 < result["import_inbox_overhead_s"] < result["import_inbox_s"]
    assert result["concurrent_sessions"] == 2
    assert result["concurrent"]["runs"] == 2 and result["concurrent"]["errors_total"] == 0
    assert set(result["targets"]) == {
        "wall_warm_ratio",
        "wall_cold_ratio",
        "browser_wall_extra_s",
        "import_ratio",
        "import_inbox_ratio",
        "server_rss_mb",
        "themes_full_s",
        "themes_month_s",
    }
    # Themes and search ran on the demo room's complaints, each given a text of its own.
    assert result["words"]["distinct_texts"] > 0.9 * result["words"]["complaints"]
    assert result["words"]["themes_full"]["stages_fitted"] >= 5 and result["words"]["search_rare_hits"] >= 2
    assert all(not t["applies"] for t in result["targets"].values())  # the targets are set for the large room
    assert result["targets"]["wall_warm_ratio"]["met"] in (True, False)
    assert result["browser"]["available"] is False and result["server_rss_mb"] is None

    text = table(result)
    assert "floor page, AppTest run" in text and "wall, AppTest cold · demo" in text
    assert "n/a (--no-browser)" in text


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.skipif(not chromium_available(), reason="needs the system Chromium at /usr/bin/chromium")
def test_browser_part_at_demo_scale(workdir: Path) -> None:
    room = build_room(workdir, "demo", end_month=DEMO_END_MONTH, reuse=True, say=lambda _m: None)
    out = measure_browser(room, repeat=1, logs=workdir, say=lambda _m: None, quick=True)
    for key in ("floor_browser_s", "browser_wall_s", "browser_wall_idle_s", "server_rss_mb", "server_rss_open_mb"):
        assert _positive(out[key]), (key, out[key])
    assert isinstance(out["browser_wall_extra_s"], float)
    assert out["server_log_errors"] == []

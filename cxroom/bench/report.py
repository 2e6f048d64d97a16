"""The benchmark's printed table: each figure with its ratio to the floor page and its
target's verdict (the JSON keys are in docs/benchmarks.md)."""

from __future__ import annotations

import math
from typing import Any

from cxroom.bench.common import ratio
from cxroom.bench.words import table_lines as words_table


def _s(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def _x(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"{value:.1f}x"


def _verdict(result: dict[str, Any], key: str) -> str:
    target = result.get("targets", {}).get(key)
    if not target:
        return ""
    limit = target["limit"]
    shown = {
        "wall_warm_ratio": f"≤ {limit:g}x",
        "wall_cold_ratio": f"≤ {limit:g}x",
        "browser_wall_extra_s": f"≤ +{limit:g} s",
        "import_ratio": f"≤ {limit:g}x",
        "import_inbox_ratio": f"≤ {limit:g}x",
        "server_rss_mb": f"≤ {limit:g} MB",
    }.get(key, f"≤ {limit:g} s")
    met = target["met"]
    mark = "n/a" if met is None else ("ok" if met else "MISSED")
    if not target["applies"] and met is not None:
        mark += " (target is for large)"
    return f"{shown:<9} {mark}"


def table(result: dict[str, Any]) -> str:
    m = result["machine"]
    rooms = result.get("rooms", {})
    top = rooms.get(result["scale"], {})
    lines = [
        f"cxroom bench · {result['scale']} scale ({top.get('complaints', 0):,} complaints, "
        f"{top.get('stages', 0)} stages) · {m['cpus']} CPUs {m['cpu_model']}, {m['memory_gb']} GB · "
        f"Python {m['python']}, streamlit {m['streamlit']}, duckdb {m['duckdb']} · load {m['load_average']}",
        "",
        f"{'figure':<52} {'value':>10} {'× floor':>8}   target",
        "-" * 90,
    ]

    def row(label: str, value: Any, times_floor: Any = None, verdict: str = "", unit: str = "s") -> None:
        shown = _s(value) if unit == "s" else ("n/a" if value is None else f"{value:,.0f} {unit}")
        lines.append(f"{label:<52} {shown:>10} {_x(times_floor):>8}   {verdict}".rstrip())

    def against_floor(label: str, key: str, floor: str) -> None:
        """A measured time and how many times the floor page's time (``floor``) it is."""
        row(label, result.get(key), ratio(result.get(key), result.get(floor)))

    row("floor page, AppTest run", result.get("floor_apptest_s"), 1.0)
    row("floor page, Chromium: navigation to first text", result.get("floor_browser_s"), 1.0)
    for scale, w in result.get("by_scale", {}).items():
        here = scale == result["scale"]
        n = f"{w.get('complaints') or 0:,}"
        row(
            f"wall, AppTest warm · {scale} ({n} complaints)",
            w.get("wall_warm_s"),
            w.get("wall_warm_ratio"),
            _verdict(result, "wall_warm_ratio") if here else "",
        )
        row(
            f"wall, AppTest cold · {scale}",
            w.get("wall_cold_s"),
            w.get("wall_cold_ratio"),
            _verdict(result, "wall_cold_ratio") if here else "",
        )
    against_floor("wall, same session rerun", "wall_rerun_s", "floor_apptest_s")
    against_floor("wall, first run of a fresh server process", "wall_first_s", "floor_apptest_s")
    browser = result.get("browser") or {}
    if browser.get("available"):
        row(
            "wall, Chromium 1920x1080: every stage column",
            result.get("browser_wall_s"),
            result.get("browser_wall_ratio"),
        )
        lines.append(
            f"{'   … more than the floor page':<52} {_s(result.get('browser_wall_extra_s')):>10} {'':>8}   "
            f"{_verdict(result, 'browser_wall_extra_s')}"
        )
        against_floor("wall, Chromium: script finished", "browser_wall_idle_s", "floor_browser_s")
        against_floor("wall screen (?mode=wall), Chromium", "browser_wall_screen_s", "floor_browser_s")
        against_floor("wall, Chromium, first visit (cold server)", "browser_wall_first_s", "floor_browser_s")
    else:
        lines.append(f"{'wall in Chromium':<52} {browser.get('note', 'n/a')}")
    for name, label in (("stage", "stage detail ?stage=claim"), ("fixes", "fix board"), ("reviews", "reviews page")):
        page = result.get("pages", {}).get(name) or {}
        if page.get("available"):
            row(f"{label}, AppTest warm", page.get("warm_s"), result.get(f"{name}_warm_ratio"))
            row(f"{label}, AppTest cold", page.get("cold_s"), result.get(f"{name}_cold_ratio"))
        else:
            lines.append(f"{label:<52} {page.get('note', 'n/a (not measured)')}")
    agenda = result.get("pages", {}).get("agenda") or {}
    if agenda.get("available"):
        row(
            f"review agenda generation ({agenda.get('items')} items)",
            agenda.get("warm_s"),
            ratio(agenda.get("warm_s"), result.get("floor_apptest_s")),
        )
    else:
        lines.append(f"{'review agenda generation':<52} {agenda.get('note', 'n/a (not measured)')}")
    if result.get("import_s") is not None:
        rows = result.get("import_rows") or 0
        row(
            f"import {rows:,} complaints (importer)",
            result.get("import_s"),
            result.get("import_ratio"),
            _verdict(result, "import_ratio"),
        )
        lines.append(
            f"{'   DuckDB raw read_csv of the same file':<52} {_s(result.get('import_raw_s')):>10} {'(floor)':>8}"
        )
        lines.append(
            f"{'   … in CPU time (importer / raw read_csv)':<52} {'':>10} {_x(result.get('import_cpu_ratio')):>8}"
        )
        if result.get("import_inbox_s") is not None:
            row(
                f"import {rows:,} complaints through the inbox",
                result.get("import_inbox_s"),
                result.get("import_inbox_ratio"),
                _verdict(result, "import_inbox_ratio"),
            )
            lines.append(
                f"{'   … of which the hand-over (copy, claim, report)':<52} "
                f"{_s(result.get('import_inbox_overhead_s')):>10}"
            )
    if browser.get("available"):
        row(
            "server peak memory (VmHWM), wall open",
            result.get("server_rss_mb"),
            None,
            _verdict(result, "server_rss_mb"),
            unit="MB",
        )
    conc = result.get("concurrent") or {}
    if conc.get("sessions"):
        floor = result.get("floor_apptest_s")
        row(
            f"{conc['sessions']} concurrent sessions rerunning the wall: p50",
            conc.get("p50_s"),
            ratio(conc.get("p50_s"), floor),
        )
        row("   … p95", conc.get("p95_s"), ratio(conc.get("p95_s"), floor))
        lines.append(
            f"{'   … throughput':<52} {conc.get('reruns_per_s') or 0:>8.2f}/s   "
            f"({conc.get('runs')} reruns, {conc.get('errors_total')} errors)"
        )
    words_table(result, row, lambda key: _verdict(result, key))
    lines.append("-" * 90)
    missed = [k for k, t in result.get("targets", {}).items() if t["met"] is False]
    lines.append(f"targets missed: {', '.join(missed) if missed else 'none'} · run took {_s(result.get('elapsed_s'))}")
    for error in result.get("errors", []):
        lines.append(f"error: {error}")
    return "\n".join(lines)

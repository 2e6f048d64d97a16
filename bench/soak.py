"""Soak: the wall screen in Chromium, refreshing every second, for a long time.

    python bench/soak.py [--minutes 30] [--scale large] [--how rerun|reload] [--interval 1]
    make soak MINUTES=30

Opens ``/?mode=wall`` at 1920x1080 on a room of the given scale and refreshes it
every ``--interval`` seconds:

- ``rerun`` (default): the same session reruns the whole page (Streamlit's
  "R" shortcut, which is what a fragment tick or a widget does, for the whole
  script), as a wall screen that stays open all day;
- ``reload``: the browser reloads the page (a new session every time), which
  also exercises the server's session clean-up.

Every ``--sample`` seconds it reads the server's resident memory (VmRSS of
the process and its children), Chromium's (every Chromium process this script
started) and the page's JavaScript heap. It counts every error a viewer would
see or the server logged: exceptions and error boxes on the page, JavaScript
errors, lost connections, refreshes that did not finish, and tracebacks in the
server log; browser console errors and failed requests (invisible on the
screen) are counted apart, by message.

Memory growth is measured from a baseline taken after a warm-up (the first
minute, or a tenth of a shorter run) to the end; the slope of a least-squares
line through the samples after the warm-up is also reported as MB per 30
minutes, so a short run shows the trend (an extrapolation, and labelled so).
Exit status 0 when growth < 50 MB per 30 minutes and no error was seen, else 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cxroom.bench.browser import STAGE_COLUMNS, VIEWPORT, chromium
from cxroom.bench.common import CHROMIUM, CHROMIUM_ARGS, IDLE, descendants, room_env, rss_mb, running
from cxroom.bench.rooms import build_room

GROWTH_LIMIT_MB = 50.0  # per 30 minutes, server and browser each
# Counts the app's script runs in the page (the rerun mode checks that each press of R started one).
COUNT_RUNS = """
() => {
  const app = document.querySelector('[data-testid=stApp]');
  window.__soakRuns = 0;
  let last = app.getAttribute('data-test-script-state');
  new MutationObserver(() => {
    const now = app.getAttribute('data-test-script-state');
    if (now === 'running' && last !== 'running') window.__soakRuns += 1;
    last = now;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}
"""
ERROR_SELECTORS = {
    "exception": "[data-testid=stException]",
    "error box": "[data-testid=stAlertContentError]",
}


def _slope_per_30min(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of (seconds, MB), in MB per 30 minutes."""
    if len(points) < 3:
        return None
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_m = sum(m for _, m in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    if var == 0:
        return None
    cov = sum((t - mean_t) * (m - mean_m) for t, m in points)
    return cov / var * 1800


def _browser_rss_mb() -> dict[str, float]:
    """Resident memory of every Chromium process started from this script (through Playwright's
    driver), by process type (browser, renderer, gpu-process, utility:<service>, zygote), and their total."""
    by_type: dict[str, float] = {}
    for pid in descendants(os.getpid()):
        try:
            name = Path(f"/proc/{pid}/comm").read_text().strip()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()  # Chromium rewrites it: not always NUL-separated
        except OSError:
            continue
        if "chrom" not in name:
            continue
        found = re.search(rb"--type=([a-z-]+)", cmdline)
        kind = found.group(1).decode() if found else "browser"
        service = re.search(rb"--utility-sub-type=([a-z_]+)", cmdline)
        if kind == "utility" and service:
            # e.g. utility:network, utility:storage, utility:on_device_model (Chromium's own
            # on-device AI service, which it starts by itself a few minutes in, page or not)
            kind = f"utility:{service.group(1).decode()}"
        by_type[kind] = by_type.get(kind, 0.0) + rss_mb(pid, children=False)
    return {"total": sum(by_type.values()), **by_type}


def _sample(page: Any, server_pid: int, t_s: float, cdp: Any = None) -> dict[str, Any]:
    if cdp is not None:
        # Measured after a garbage collection: otherwise the renderer's resident memory follows
        # the JavaScript heap's sawtooth (45-112 MB in a 30-minute run) and hides any trend.
        cdp.send("HeapProfiler.collectGarbage")
    heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0") if page is not None else 0
    browser = _browser_rss_mb()
    return {
        "t_s": t_s,
        "server_mb": rss_mb(server_pid),
        "browser_mb": browser.pop("total"),
        "js_heap_mb": heap / 1024 / 1024,
        "browser_by_type_mb": browser,
    }


def soak(args: argparse.Namespace) -> dict[str, Any]:
    workdir = Path(args.workdir)
    room = build_room(
        workdir,
        args.scale,
        end_month=date.fromisoformat(f"{args.end_month}-01"),
        reuse=True,
        say=lambda m: print(m, file=sys.stderr, flush=True),
    )
    duration = args.minutes * 60
    warmup = min(60.0, duration / 10)
    if args.how == "plain":
        return _soak_plain(args, room, workdir, duration, warmup)
    samples: list[dict[str, float]] = []
    errors: list[str] = []  # what a viewer would see, or the server logged
    console: dict[str, int] = {}  # browser console errors and failed requests, counted by message

    def note(message: str) -> None:
        console[message] = console.get(message, 0) + 1

    refreshes = unfinished = retried_presses = not_started = 0
    slow_refreshes: list[float] = []
    log = workdir / f"soak-server-{args.scale}.log"
    with running(Path(__file__).resolve().parents[1] / "app.py", env=room_env(room.db, room.media), log=log) as server:
        with chromium() as browser:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            cdp = page.context.new_cdp_session(page)
            page.on("pageerror", lambda exc: errors.append(f"JavaScript error: {exc}"))
            page.on("console", lambda msg: note(f"console error: {msg.text[:200]}") if msg.type == "error" else None)
            page.on("requestfailed", lambda req: note(f"request failed: {req.url[:200]} ({req.failure})"))
            page.goto(f"{server.url}/?mode=wall", wait_until="commit", timeout=180_000)
            page.wait_for_function(STAGE_COLUMNS, arg=room.stages, timeout=180_000, polling="raf")
            page.wait_for_selector(IDLE, timeout=180_000)
            if args.how == "rerun":
                page.evaluate(COUNT_RUNS)
            print(
                f"Soak: {args.minutes:g} min of the wall screen at {args.scale} scale, refreshed every "
                f"{args.interval:g} s by {args.how}; server pid {server.pid}",
                file=sys.stderr,
                flush=True,
            )
            started = time.monotonic()
            next_sample = started
            while (now := time.monotonic()) - started < duration:
                if now >= next_sample:
                    samples.append(_sample(page, server.pid, now - started, cdp))
                    s = samples[-1]
                    print(
                        f"  {s['t_s']:7.0f} s  server {s['server_mb']:7.1f} MB  browser {s['browser_mb']:7.1f} MB"
                        f"  JS heap {s['js_heap_mb']:6.1f} MB  refreshes {refreshes}  errors {len(errors)}",
                        file=sys.stderr,
                        flush=True,
                    )
                    next_sample += args.sample
                tick = time.monotonic()
                try:
                    if args.how == "reload":
                        page.reload(wait_until="commit", timeout=60_000)
                    else:
                        runs = page.evaluate("window.__soakRuns")
                        # The rerun really started (the observer saw the app go "running"). Streamlit now
                        # and then drops the R key press (often, here), so press again.
                        for _attempt in range(6):
                            page.keyboard.press("r")
                            try:
                                page.wait_for_function("(n) => window.__soakRuns > n", arg=runs, timeout=2_000)
                                break
                            except Exception:
                                retried_presses += 1
                        else:
                            not_started += 1  # the harness could not start a rerun: not an error of the app
                            continue
                    page.wait_for_function(STAGE_COLUMNS, arg=room.stages, timeout=60_000, polling="raf")
                    page.wait_for_selector(IDLE, timeout=60_000)
                    refreshes += 1
                except Exception as exc:
                    unfinished += 1
                    errors.append(f"refresh did not finish: {str(exc).splitlines()[0][:200]}")
                took = time.monotonic() - tick
                if took > args.interval:
                    slow_refreshes.append(took)
                for what, selector in ERROR_SELECTORS.items():
                    if page.locator(selector).count():
                        errors.append(f"{what} on the page: {page.locator(selector).first.inner_text()[:200]}")
                if page.get_by_text("Connection error").count():
                    errors.append("the page lost its connection to the server")
                time.sleep(max(0.0, args.interval - took))
            samples.append(_sample(page, server.pid, time.monotonic() - started, cdp))
        server_log = server.log_text()
    log_errors = [ln for ln in server_log.splitlines() if "Traceback" in ln or "Exception" in ln]
    errors.extend(f"server log: {ln[:200]}" for ln in log_errors)
    out = _summary(args, room.complaints, samples, errors, refreshes, unfinished, slow_refreshes, warmup)
    out["console_errors"] = console
    out["r_presses_repeated"] = retried_presses
    out["refreshes_not_started"] = not_started
    last = samples[-1]["browser_by_type_mb"]
    base = next((x for x in samples if x["t_s"] >= warmup), samples[0])["browser_by_type_mb"]
    out["browser_growth_by_type_mb"] = {k: last.get(k, 0.0) - base.get(k, 0.0) for k in sorted({*last, *base})}
    return out


# A local page that reloads the wall screen in a full-window frame every interval: Chromium
# refreshes the wall with no automation attached at all.
PLAIN_WRAPPER = """<!doctype html><html><body style="margin:0;overflow:hidden">
<iframe id="wall" src="{url}" style="width:100vw;height:100vh;border:0"></iframe>
<script>
setInterval(() => {{ document.getElementById("wall").src = "{url}&soak=" + Date.now(); }}, {interval_ms});
</script></body></html>"""


def _soak_plain(args: argparse.Namespace, room: Any, workdir: Path, duration: float, warmup: float) -> dict[str, Any]:
    """The wall screen reloaded every interval in a headless Chromium that no DevTools session is
    attached to (Playwright's is: it keeps old documents and console messages alive, which a real
    wall screen does not). Memory is read from /proc; errors only from the server's log, since
    nothing can look into the page."""
    samples: list[dict[str, Any]] = []
    log = workdir / f"soak-plain-server-{args.scale}.log"
    with running(Path(__file__).resolve().parents[1] / "app.py", env=room_env(room.db, room.media), log=log) as server:
        wrapper = workdir / "soak-plain.html"
        wrapper.write_text(PLAIN_WRAPPER.format(url=f"{server.url}/?mode=wall", interval_ms=int(args.interval * 1000)))
        profile = workdir / "soak-plain-profile"
        proc = subprocess.Popen(
            [
                str(CHROMIUM),
                *CHROMIUM_ARGS,
                "--headless=new",
                f"--window-size={VIEWPORT['width']},{VIEWPORT['height']}",
                f"--user-data-dir={profile}",
                wrapper.as_uri(),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        print(
            f"Soak (no DevTools): {args.minutes:g} min of the wall screen at {args.scale} scale, reloaded every "
            f"{args.interval:g} s; server pid {server.pid}, Chromium pid {proc.pid}",
            file=sys.stderr,
            flush=True,
        )
        started = time.monotonic()
        try:
            while (now := time.monotonic()) - started < duration:
                samples.append(_sample(None, server.pid, now - started))
                s = samples[-1]
                print(
                    f"  {s['t_s']:7.0f} s  server {s['server_mb']:7.1f} MB  browser {s['browser_mb']:7.1f} MB",
                    file=sys.stderr,
                    flush=True,
                )
                time.sleep(max(0.0, min(args.sample, duration - (time.monotonic() - started))))
            samples.append(_sample(None, server.pid, time.monotonic() - started))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        server_log = server.log_text()
    errors = [f"server log: {ln[:200]}" for ln in server_log.splitlines() if "Traceback" in ln or "Exception" in ln]
    refreshes = int(duration / args.interval)  # asked of the frame: without DevTools they cannot be counted
    out = _summary(args, room.complaints, samples, errors, refreshes, 0, [], warmup)
    out["refreshes_are_requested_not_counted"] = True
    last, base = (
        samples[-1]["browser_by_type_mb"],
        next((x for x in samples if x["t_s"] >= warmup), samples[0])["browser_by_type_mb"],
    )
    out["browser_growth_by_type_mb"] = {k: last.get(k, 0.0) - base.get(k, 0.0) for k in sorted({*last, *base})}
    out["console_errors"] = {}
    return out


def _summary(
    args: argparse.Namespace,
    complaints: int,
    samples: list[dict[str, float]],
    errors: list[str],
    refreshes: int,
    unfinished: int,
    slow: list[float],
    warmup: float,
) -> dict[str, Any]:
    after = [s for s in samples if s["t_s"] >= warmup] or samples
    base, end = after[0], samples[-1]
    out: dict[str, Any] = {
        "scale": args.scale,
        "complaints": complaints,
        "minutes": samples[-1]["t_s"] / 60,
        "how": args.how,
        "interval_s": args.interval,
        "refreshes": refreshes,
        "refreshes_unfinished": unfinished,
        "refreshes_slower_than_interval": len(slow),
        "warmup_s": warmup,
        "errors_total": len(errors),
        "errors": errors[:50],
        "samples": samples,
    }
    for key in ("server_mb", "browser_mb", "js_heap_mb"):
        name = key.removesuffix("_mb")
        out[f"{name}_start_mb"] = samples[0][key]
        out[f"{name}_baseline_mb"] = base[key]
        out[f"{name}_end_mb"] = end[key]
        out[f"{name}_max_mb"] = max(s[key] for s in samples)
        out[f"{name}_growth_mb"] = end[key] - base[key]
        out[f"{name}_slope_mb_per_30min"] = _slope_per_30min([(s["t_s"], s[key]) for s in after])
    out["within_target"] = (
        not errors
        and out["server_growth_mb"] * 1800 / max(1.0, end["t_s"] - base["t_s"]) < GROWTH_LIMIT_MB
        and out["browser_growth_mb"] * 1800 / max(1.0, end["t_s"] - base["t_s"]) < GROWTH_LIMIT_MB
    )
    return out


def report(out: dict[str, Any]) -> str:
    if out.get("refreshes_are_requested_not_counted"):
        done = (
            f"{out['refreshes']} reloads asked of the frame (no DevTools: not counted; the JS heap is not "
            "readable, errors come from the server log only)"
        )
    else:
        done = (
            f"{out['refreshes']} refreshes ({out['refreshes_slower_than_interval']} took longer than the "
            f"interval, {out['refreshes_unfinished']} did not finish)"
        )
    lines = [
        f"Soak · {out['minutes']:.1f} min · {out['scale']} room ({out['complaints']:,} complaints) · wall screen "
        f"refreshed every {out['interval_s']:g} s by {out['how']}: {done}",
        f"{'memory':<10} {'start':>9} {'baseline':>9} {'end':>9} {'max':>9} {'growth':>9} {'slope/30 min':>13}",
    ]
    for name in ("server", "browser", "js_heap"):
        slope = out[f"{name}_slope_mb_per_30min"]
        lines.append(
            f"{name:<10} {out[f'{name}_start_mb']:>6.1f} MB {out[f'{name}_baseline_mb']:>6.1f} MB "
            f"{out[f'{name}_end_mb']:>6.1f} MB {out[f'{name}_max_mb']:>6.1f} MB {out[f'{name}_growth_mb']:>+6.1f} MB "
            f"{'n/a' if slope is None else f'{slope:+.1f} MB':>13}"
        )
    lines.append(
        f"baseline: the first sample after {out['warmup_s']:.0f} s of warm-up; slope: least squares "
        "after the warm-up, extrapolated to 30 minutes"
    )
    lines.append(f"errors seen (on the page, refreshes that failed, server log): {out['errors_total']}")
    lines.extend(f"  {e}" for e in out["errors"][:10])
    console = out.get("console_errors", {})
    lines.append(f"browser console errors and failed requests (not shown to the viewer): {sum(console.values())}")
    lines.extend(f"  {n} × {message}" for message, n in sorted(console.items(), key=lambda kv: -kv[1])[:10])
    if out.get("browser_growth_by_type_mb"):
        lines.append(
            "browser growth by process type: "
            + ", ".join(f"{k} {v:+.1f} MB" for k, v in out["browser_growth_by_type_mb"].items())
        )
    if out.get("r_presses_repeated"):
        lines.append(
            f"R pressed again {out['r_presses_repeated']} time(s) when Streamlit ignored a press; "
            f"{out.get('refreshes_not_started', 0)} tick(s) skipped after six ignored presses"
        )
    lines.append(
        f"target (< {GROWTH_LIMIT_MB:g} MB per 30 min, no error): {'met' if out['within_target'] else 'NOT met'}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="bench/soak.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=30.0, help="how long (default 30)")
    p.add_argument("--scale", choices=["demo", "medium", "large"], default="large", help="room (default large)")
    p.add_argument(
        "--how",
        choices=["rerun", "reload", "plain"],
        default="rerun",
        help="how the page refreshes: rerun or reload under Playwright, or plain: reloaded by a local page in a "
        "Chromium with no DevTools attached (memory only; errors from the server log)",
    )
    p.add_argument("--interval", type=float, default=1.0, help="seconds between refreshes (default 1)")
    p.add_argument("--sample", type=float, default=15.0, help="seconds between memory samples (default 15)")
    p.add_argument("--workdir", default="test-artifacts/soak", help="rooms and logs (reused next time)")
    p.add_argument("--end-month", default="2026-10")
    p.add_argument("--json", dest="json_out", help="also write the results (with every sample) to this file")
    args = p.parse_args(argv)
    out = soak(args)
    print(report(out))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(out, indent=2))
    return 0 if out["within_target"] else 1


if __name__ == "__main__":
    sys.exit(main())

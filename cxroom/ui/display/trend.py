"""A 12-month trend on the wall screen as an inline SVG drawn here from the read model's series.

Why not a chart library: the wall screen is a plain page that must keep drawing while the
server is away and may sit on a network that reaches nothing but the room's server. Plotly
(the app's charts) would add ~3.5 MB of script to every screen swap and a script run per
chart; an inline SVG is a few hundred bytes, needs no JavaScript and makes no request.

The SVG holds only lines: every word and number (the axis's extremes, the first and last
month) is HTML beside it, so it is sized in rem like the rest of the wall and measured by the
same legibility tests. The drawing stretches to its box (``preserveAspectRatio="none"``) while
``non-scaling-stroke`` with widths in rem keeps its lines and dots in proportion to the type at
1080p and 4K.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from html import escape

from cxroom.formatting import month_short

WIDTH, HEIGHT = 1000.0, 400.0  # the drawing's own units; CSS sizes the box
MONTHS_SHOWN = 12

CSS = """
.trend{display:flex;flex-direction:column;min-width:0;margin:0;background:#161920;
 border-radius:.3rem;padding:.4rem .6rem .3rem}
.trend-title{font-size:1rem;color:#dfe2e8;overflow-wrap:anywhere;white-space:normal;overflow:visible}
.trend-head{display:flex;align-items:baseline;gap:.6rem;flex-wrap:wrap}
.trend-plot{flex:1;min-height:6rem;display:grid;grid-template-columns:auto minmax(0,1fr);gap:.5rem;margin:.2rem 0}
.axis{display:flex;flex-direction:column;justify-content:space-between;font-size:.875rem;color:#c3c7d0;
 text-align:right}
.trend svg{width:100%;height:100%;display:block;overflow:visible}
.trend .series{fill:none;stroke:#8ab4ff;stroke-width:.2rem;stroke-linejoin:round;vector-effect:non-scaling-stroke}
.trend.red .series{stroke:#ff9a9a}.trend.amber .series{stroke:#ffd27f}.trend.green .series{stroke:#6be39a}
.trend .dots{fill:none;stroke:#f0f2f6;stroke-width:.45rem;stroke-linecap:round;vector-effect:non-scaling-stroke}
.trend .goal-line{stroke:#c3c7d0;stroke-width:.1rem;stroke-dasharray:.4rem .3rem;vector-effect:non-scaling-stroke}
.trend .frame{stroke:#3a3f4b;stroke-width:.06rem;vector-effect:non-scaling-stroke}
.trend-months{display:flex;justify-content:space-between;font-size:.875rem;color:#c3c7d0}
"""


def _y(value: float, low: float, high: float) -> float:
    return HEIGHT - (value - low) / (high - low) * HEIGHT


def _path(points: Sequence[tuple[float, float] | None]) -> str:
    """A line through the points; a month without a reading breaks it (no invented values)."""
    parts: list[str] = []
    pen_down = False
    for point in points:
        if point is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{point[0]:.1f} {point[1]:.1f}")
        pen_down = True
    return " ".join(parts)


def trend_svg(values: Sequence[float | None], target: float | None = None) -> tuple[str, float, float]:
    """The SVG of ``values`` (one a month, oldest first) and the low and high its box spans."""
    known = [v for v in values if v is not None]
    span = [*known, *([target] if target is not None else [])]
    low, high = min(span), max(span)
    if high - low < 1e-9:  # a flat line sits in the middle of its box
        low, high = low - 1.0, high + 1.0
    step = WIDTH / max(1, len(values) - 1)
    points = [None if v is None else (i * step, _y(v, low, high)) for i, v in enumerate(values)]
    # A zero-length segment with a round cap is a dot that stays round when the box stretches.
    dots = " ".join(f"M{p[0]:.1f} {p[1]:.1f}h0" for p in points if p is not None)
    goal = ""
    if target is not None:
        y = _y(target, low, high)
        goal = f'<line class="goal-line" x1="0" y1="{y:.1f}" x2="{WIDTH:.0f}" y2="{y:.1f}"/>'
    svg = (
        f'<svg viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" preserveAspectRatio="none" aria-hidden="true" focusable="false">'
        f'<line class="frame" x1="0" y1="{HEIGHT:.0f}" x2="{WIDTH:.0f}" y2="{HEIGHT:.0f}"/>{goal}'
        f'<path class="series" d="{_path(points)}"/><path class="dots" d="{dots}"/></svg>'
    )
    return svg, low, high


def trend_figure(
    title: str,
    months: Sequence[date],
    values: Sequence[float | None],
    *,
    fmt: Callable[[float], str],
    note: str,
    tone: str = "none",
    target: float | None = None,
) -> str:
    """A titled 12-month trend: the latest value large, ``note`` beside it (the target, or the
    usual month), the line, its extremes and its first and last month. Empty when no month has
    a reading."""
    months, values = list(months)[-MONTHS_SHOWN:], list(values)[-MONTHS_SHOWN:]
    if not any(v is not None for v in values):
        return ""
    svg, low, high = trend_svg(values, target)
    latest = next(v for v in reversed(values) if v is not None)
    return (
        f'<figure class="trend box {escape(tone)}" data-trend="{escape(title)}">'
        f'<figcaption class="trend-title">{escape(title)} · last {len(values)} months</figcaption>'
        f'<div class="trend-head"><span class="num">{escape(fmt(latest))}</span>'
        f'<span class="target">{escape(note)}</span></div>'
        f'<div class="trend-plot"><div class="axis"><span>{escape(fmt(high))}</span>'
        f"<span>{escape(fmt(low))}</span></div>"
        f"{svg}</div>"
        f'<div class="trend-months"><span>{escape(month_short(months[0]))}</span>'
        f"<span>{escape(month_short(months[-1]))}</span></div></figure>"
    )

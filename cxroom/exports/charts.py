"""Charts for the decks as PNG images, drawn with matplotlib's Agg backend.

matplotlib because it is maintained, draws straight to PNG without a browser (plotly's
image export needs Kaleido and a Chromium), and ships the DejaVu fonts the PDF embeds too.
Figures are drawn at the size they are placed on the slide, so their type is in true points.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display; must precede pyplot

import matplotlib.pyplot as plt
from matplotlib.ticker import ScalarFormatter

from cxroom.exports.deck import fit

CHART_PT = 18
TICK_PT = 16
DPI = 150
BAR = "#8AA4BF"
LATEST = "#2F5D8A"
TARGET = "#B42318"
MUTED_LINE = "#4A5563"

# pyplot keeps global state: two pages exporting at once must not draw into each other's figure.
_LOCK = threading.Lock()


def _text(value: str, width_in: float, font_pt: float) -> str:
    """Text from a person, fitted to ``width_in``: '$' would switch matplotlib into math mode."""
    return fit(value, width_in, font_pt).replace("$", r"\$")


def _month_ticks(months: Sequence[date]) -> tuple[list[int], list[str]]:
    # Every other month from the newest backwards: 13 labels do not fit at 16 pt.
    positions = [i for i in range(len(months)) if (len(months) - 1 - i) % 2 == 0]
    return positions, [f"{months[i]:%b}" for i in positions]


def _png(fig: plt.Figure) -> bytes:
    buffer = io.BytesIO()
    # tight_layout measures the tick labels as drawn (the constrained engine cut "82.5" to "2.5").
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    plt.close(fig)
    return buffer.getvalue()


def _frame(ax: plt.Axes, title: str, width_in: float) -> None:
    # A figure title, not the axes': a left-aligned axes title starts after the tick labels and is cut.
    ax.figure.suptitle(_text(title, width_in - 0.3, CHART_PT), fontsize=CHART_PT, x=0.02, ha="left")
    ax.tick_params(labelsize=TICK_PT)
    # No "+7.8e1" offset above the axis: 79.5 reads as 79.5 (the offset text was cut off the image).
    if isinstance(ax.yaxis.get_major_formatter(), ScalarFormatter):
        ax.ticklabel_format(axis="y", useOffset=False, style="plain")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def complaints_chart(
    months: Sequence[date], counts: Sequence[int], average: float | None, size_in: tuple[float, float]
) -> bytes:
    """Complaints a month, the latest month dark, the 12-month average as a dashed line."""
    with _LOCK:
        fig, ax = plt.subplots(figsize=size_in)
        colours = [BAR] * (len(counts) - 1) + [LATEST]
        ax.bar(range(len(counts)), counts, color=colours)
        if average is not None:
            ax.axhline(average, color=MUTED_LINE, linestyle="--", linewidth=2, label="12-month average")
            ax.legend(fontsize=TICK_PT, frameon=False, loc="upper left")
        positions, labels = _month_ticks(months)
        ax.set_xticks(positions, labels)
        ax.set_ylim(0, max([*counts, average or 0, 1]) * 1.45)  # headroom for the legend
        _frame(ax, "Complaints a month", size_in[0])
        return _png(fig)


def kpi_chart(
    name: str,
    months: Sequence[date],
    values: Sequence[float | None],
    target: float | None,
    size_in: tuple[float, float],
) -> bytes:
    """One KPI's monthly readings with its target as a dashed red line."""
    with _LOCK:
        fig, ax = plt.subplots(figsize=size_in)
        points = [(i, v) for i, v in enumerate(values) if v is not None]
        if points:
            xs, ys = zip(*points, strict=True)
            ax.plot(xs, ys, color=LATEST, linewidth=3, marker="o", markersize=6)
        if target is not None:
            ax.axhline(target, color=TARGET, linestyle="--", linewidth=2, label="target")
            ax.legend(fontsize=TICK_PT, frameon=False, loc="best")
        positions, labels = _month_ticks(months)
        ax.set_xticks(positions, labels)
        ax.set_xlim(-0.5, len(months) - 0.5)
        _frame(ax, name, size_in[0])
        return _png(fig)


def stage_bars_chart(
    names: Sequence[str],
    counts: Sequence[int],
    usual: Sequence[float | None],
    size_in: tuple[float, float],
    title: str = "Complaints by stage",
) -> bytes:
    """A count this month per stage (bars; complaints by default) against each stage's usual month (ticks)."""
    with _LOCK:
        fig, ax = plt.subplots(figsize=size_in)
        ys = list(range(len(names)))[::-1]
        ax.barh(ys, counts, color=LATEST, label="this month")
        marks = [(y, u) for y, u in zip(ys, usual, strict=True) if u is not None]
        if marks:
            my, mu = zip(*marks, strict=True)
            ax.scatter(mu, my, marker="|", s=900, linewidths=4, color=TARGET, label="usual month", zorder=3)
        ax.set_yticks(ys, [_text(n, size_in[0] * 0.45, TICK_PT) for n in names])
        if marks:  # bars alone need no key
            ax.legend(fontsize=TICK_PT, frameon=False, loc="lower right")
        _frame(ax, title, size_in[0])
        return _png(fig)


IN_BAR = "#2F5D8A"
OUT_BAR = "#B42318"


def movements_chart(
    months: Sequence[date], ins: Sequence[int], lost: Sequence[int], size_in: tuple[float, float]
) -> bytes:
    """Customers in (bars up) and lost (bars down) a month, with the net as a line: the customer
    math's trend (24 months, so a tick every six months)."""
    with _LOCK:
        fig, ax = plt.subplots(figsize=size_in)
        xs = range(len(months))
        ax.bar(xs, ins, color=IN_BAR, label="in")
        ax.bar(xs, [-n for n in lost], color=OUT_BAR, label="lost")
        ax.plot(xs, [i - n for i, n in zip(ins, lost, strict=True)], color=MUTED_LINE, linewidth=2.5, label="net")
        ax.axhline(0, color=MUTED_LINE, linewidth=1)
        positions = [i for i in xs if (len(months) - 1 - i) % 6 == 0]
        ax.set_xticks(positions, [f"{months[i]:%b %y}" for i in positions])
        top = max([*ins, *lost, 1])
        ax.set_ylim(-top * 1.1, top * 1.9)  # headroom for the legend
        ax.legend(fontsize=TICK_PT, frameon=False, loc="upper left", ncol=3)
        _frame(ax, "Customers in and lost a month", size_in[0])
        return _png(fig)

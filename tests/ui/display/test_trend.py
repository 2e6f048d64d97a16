"""The spotlight's 12-month trend: an SVG of lines only, scaled to the readings and the target,
broken where a month has no reading, with every word and number as HTML beside it."""

from __future__ import annotations

import re
from datetime import date

from cxroom.formatting import fmt_number
from cxroom.ui.display.trend import HEIGHT, WIDTH, trend_figure, trend_svg

MONTHS = [date(2025 + (10 + m) // 12, (10 + m) % 12 + 1, 1) for m in range(13)]  # Nov 2025 .. Nov 2026


def _moves(svg: str, cls: str) -> list[str]:
    path = re.search(rf'class="{cls}" d="([^"]*)"', svg)
    assert path is not None
    return [m.strip() for m in re.findall(r"[ML][^ML]*", path.group(1))]


def test_the_line_spans_the_readings_and_the_target_and_breaks_at_a_missing_month() -> None:
    svg, low, high = trend_svg([50.0, 60.0, None, 80.0], target=90.0)
    assert (low, high) == (50.0, 90.0)  # the target is inside the box
    steps = _moves(svg, "series")
    assert [s[0] for s in steps] == ["M", "L", "M"]  # no line drawn through the missing month
    first, _, last = (tuple(float(x) for x in s[1:].split()) for s in steps)
    assert first == (0.0, HEIGHT) and last == (WIDTH, HEIGHT - (80 - 50) / 40 * HEIGHT)
    assert f'y1="{HEIGHT - HEIGHT:.1f}"' in svg  # the dashed target line at the top
    assert len(_moves(svg, "dots")) == 3  # a dot per month with a reading
    assert "<text" not in svg  # words are HTML, measured like the rest of the wall


def test_a_flat_series_sits_in_the_middle_of_its_box() -> None:
    svg, low, high = trend_svg([7.0, 7.0, 7.0])
    assert (low, high) == (6.0, 8.0)
    assert all(s.endswith(f"{HEIGHT / 2:.1f}") for s in _moves(svg, "series"))


def test_the_figure_shows_the_last_twelve_months_with_their_labels_escaped() -> None:
    values = [float(v) for v in range(13)]
    html = trend_figure(
        "Claims <b>settled</b>", MONTHS, values, fmt=lambda v: fmt_number(v, "%"), note="target ≥ 70.0%", tone="red"
    )
    assert "Claims &lt;b&gt;settled&lt;/b&gt; · last 12 months" in html and "<b>" not in html
    assert "<span>Dec 2025</span>" in html and "<span>Nov 2026</span>" in html  # the first month dropped
    assert '<span class="num">12.0%</span>' in html and "<span>1.0%</span>" in html  # latest; the low
    assert trend_figure("Nothing", MONTHS, [None] * 13, fmt=str, note="") == ""

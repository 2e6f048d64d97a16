"""The wall as a deck: a summary slide (every stage on one line: health, worst KPI against
its target, complaints against a usual month, fixes in flight; the month's customer math above
it), a "Customers in and out" slide when the room has customer movements, and one slide per
stage (its worst KPIs with targets, the complaints trend, a customer's words, its open fixes)."""

from __future__ import annotations

from datetime import date

from cxroom import fix_status
from cxroom.exports import charts
from cxroom.exports.deck import (
    BODY_H_IN,
    BODY_PT,
    CHART_W_IN,
    LEADING,
    TEXT_W_WITH_CHARTS_IN,
    Block,
    Deck,
    Line,
    Slide,
    Table,
    body_line,
    fit,
    hex_colour,
    subtitle_text,
    title_text,
)
from cxroom.formatting import date_text, fmt_change, fmt_count, fmt_number, fmt_pct, month_label
from cxroom.insights.customer_math import calls_line
from cxroom.insights.health import Band, Rag
from cxroom.queries.customer_math import (
    CustomerMath,
    loss_text,
    month_figures,
    month_line,
    reason_lines,
)
from cxroom.queries.wall.kpis import KpiTile
from cxroom.queries.wall.wall_data import StageColumn, WallData

# Four 20 pt headings and six 18 pt items of at most two lines fill the text column exactly.
KPIS_SHOWN = 2
FIXES_SHOWN = 2
SUMMARY_WIDTHS = (2.85, 1.45, 4.6, 1.9, 1.53)
# The summary table's room on the slide, in points: below the subtitle, or (tight rows) the title.
TABLE_PT = {6: 380, 2: 405}

_RAG_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.NONE: 3}
_RAG_TONE = {Rag.RED: "bad", Rag.AMBER: "warn", Rag.GREEN: "good", Rag.NONE: "plain"}
_BAND_TONE = {Band.AT_RISK: "bad", Band.WATCH: "warn", Band.HEALTHY: "good", Band.NO_DATA: "plain"}


def _shortfall(tile: KpiTile) -> float:
    """How far a KPI is from its target, relative to the target (bigger is worse)."""
    if tile.value is None or tile.target is None:
        return 0.0
    gap = tile.target - tile.value if tile.direction == "higher_better" else tile.value - tile.target
    return gap / abs(tile.target) if tile.target else gap


def worst_first(kpis: tuple[KpiTile, ...]) -> list[KpiTile]:
    """Off target before near target before on target, and the furthest from target first."""
    return sorted(kpis, key=lambda k: (_RAG_ORDER[k.rag], -_shortfall(k), k.name))


def kpi_text(tile: KpiTile) -> str:
    target = f" vs target {fmt_number(tile.target, tile.unit)}" if tile.target is not None else ""
    change = fmt_change(tile.change, tile.unit)
    since = f" ({change} on last month)" if change else ""
    return f"{tile.rag.word.capitalize()}: {tile.name} {fmt_number(tile.value, tile.unit)}{target}{since}"


def complaints_text(column: StageColumn) -> str:
    summary = column.complaints
    if summary is None:
        return "No complaints recorded"
    text = f"{fmt_count(summary.this_month, 'complaint')} this month"
    if summary.average_12 is not None:
        text += f", a usual month has {fmt_count(round(summary.average_12))}"
        change = fmt_pct(summary.change_vs_average)
        if change and change != "0%":
            text += f" ({change})"
    return text


def _line(text: str, tone: str = "plain") -> Line:
    return Line(body_line(text, TEXT_W_WITH_CHARTS_IN), tone)


def _fix_block(column: StageColumn, today: date) -> Block:
    """The stage's fixes in flight, overdue first."""
    active = sorted(
        (f for f in column.fixes if fix_status.is_active(f.status)),
        key=lambda f: (not f.overdue(today), f.due_on or date.max),
    )
    if not active:
        return Block("Fixes in flight", (Line("No fix team at work on this stage"),))
    lines = []
    for fix in active[:FIXES_SHOWN]:
        due = f", due {date_text(fix.due_on)}" if fix.due_on else ""
        late = fix.overdue(today)
        text = f"{fix.title}: {fix_status.word(fix.status)}{due}" + (" (overdue)" if late else "")
        lines.append(_line(f"{text}, led by {fix.lead}", "bad" if late else "plain"))
    heading = "Fixes in flight" if len(active) <= FIXES_SHOWN else f"Fixes in flight: {FIXES_SHOWN} of {len(active)}"
    return Block(heading, tuple(lines))


def _verbatim(text: str) -> Line:
    # The closing quote goes after the ellipsis of a cut verbatim, so it is measured in.
    quoted = body_line(f"“{text}", TEXT_W_WITH_CHARTS_IN - 0.25)
    return Line(f"{quoted}”")


def _stage_charts(column: StageColumn, worst: list[KpiTile]) -> tuple[bytes, ...]:
    size = (CHART_W_IN, BODY_H_IN / 2 - 0.1)
    images = []
    summary = column.complaints
    if summary is not None:
        images.append(charts.complaints_chart(summary.months, summary.counts, summary.average_12, size))
    charted = next((k for k in worst if k.value is not None), None)
    if charted is not None:
        images.append(charts.kpi_chart(charted.name, charted.months, charted.values, charted.target, size))
    return tuple(images)


def stage_slide(column: StageColumn, month: date, today: date) -> Slide:
    worst = worst_first(column.kpis)
    kpi_lines = tuple(_line(kpi_text(k), _RAG_TONE[k.rag]) for k in worst[:KPIS_SHOWN])
    blocks = [
        Block("Worst KPIs against target", kpi_lines or (Line("No KPIs with readings this month"),)),
        Block("Complaints", (_line(complaints_text(column)),)),
    ]
    if column.verbatims:
        blocks.append(Block("A customer said", (_verbatim(column.verbatims[0].text),)))
    blocks.append(_fix_block(column, today))
    goal = f" · {column.stage.customer_goal}" if column.stage.customer_goal else ""
    return Slide(
        title=title_text(f"{column.stage.name}: {column.health.band.word}"),
        subtitle=subtitle_text(f"{month_label(month)}{goal}"),
        blocks=tuple(blocks),
        charts=_stage_charts(column, worst),
        accent=hex_colour(column.stage.colour),
    )


def _summary_row(column: StageColumn, today: date, font_pt: int, lines: int) -> tuple[Line, ...]:
    worst = next((k for k in worst_first(column.kpis) if k.value is not None), None)
    kpi, tone = "–", "plain"
    if worst is not None:
        target = f" vs {fmt_number(worst.target, worst.unit)}" if worst.target is not None else ""
        # The numbers first: a long KPI name is what gets cut, never its value.
        kpi, tone = f"{fmt_number(worst.value, worst.unit)}{target}: {worst.name}", _RAG_TONE[worst.rag]
    summary = column.complaints
    complaints = "–" if summary is None else f"{summary.this_month:,}"
    change = None if summary is None else fmt_pct(summary.change_vs_average)
    if change and change != "0%":
        complaints += f" ({change})"
    active = [f for f in column.fixes if fix_status.is_active(f.status)]
    late = sum(1 for f in active if f.overdue(today))
    fixes = f"{len(active)}" + (f" ({late} late)" if late else "")
    cells = (column.stage.name, column.health.band.word, kpi, complaints, fixes)
    tones = ("plain", _BAND_TONE[column.health.band], tone, "plain", "bad" if late else "plain")
    return tuple(
        Line(fit(text, width - 0.15, font_pt, lines=lines), cell_tone)
        for text, width, cell_tone in zip(cells, SUMMARY_WIDTHS, tones, strict=True)
    )


def _table_type(rows: int) -> tuple[int, int, int]:
    """Type size, lines a cell wraps to and row padding at which ``rows`` stage rows and the
    header fit the slide: two lines (whole KPI names) where they fit, the largest type from 22 pt
    down to 18, then tighter rows. 7 stages: 18 pt on two lines; 10: 22 pt; 16: 18 pt, tight."""
    for padding in (6, 2):
        for lines in (2, 1):
            for font_pt in (22, 20, BODY_PT):
                if (rows * lines + 1) * font_pt * LEADING + (rows + 1) * padding <= TABLE_PT[padding]:
                    return font_pt, lines, padding
    return BODY_PT, 1, 2


def math_line(cm: CustomerMath | None) -> str | None:
    """The summary's customer math in one line: customers in, lost, net, retention and value lost
    (the next slide has them with the definitions they count by); None without movements."""
    m = None if cm is None or month_line(cm) is None else cm.this_month
    if cm is None or m is None:
        return None
    in_, lost, *rest = month_figures(m, cm.definitions.value_unit)
    return f"Customers in {in_.value} · lost {lost.value} · " + " · ".join(f"{f.label.lower()} {f.value}" for f in rest)


def summary_slide(wall: WallData, today: date) -> Slide:
    font_pt, lines, padding = _table_type(len(wall.columns))
    rows = tuple(_summary_row(c, today, font_pt, lines) for c in wall.columns)
    at_risk = sum(1 for c in wall.columns if c.health.band is Band.AT_RISK)
    names = ("Stage", "Health", "Worst KPI vs target", "Complaints", "Fixes")
    header = tuple(fit(n, w - 0.15, font_pt, bold=True) for n, w in zip(names, SUMMARY_WIDTHS, strict=True))
    # The month's customer math, when the room has movements, says more than the room's name.
    about = (
        math_line(wall.customer_math)
        or f"{wall.room_name} · {fmt_count(len(wall.columns), 'stage')}, {at_risk} at risk"
    )
    return Slide(
        title=title_text(f"The wall for {month_label(wall.month)}"),
        # A tight table (a large room) takes the subtitle's place too.
        subtitle=subtitle_text(about) if padding == 6 else "",
        table=Table(header, rows, SUMMARY_WIDTHS, font_pt, padding),
    )


MATH_STAGES_SHOWN = 3
MATH_REASONS_SHOWN = 2  # with three stages, two figures lines and the definitions: the text column is full


def math_slide(wall: WallData) -> Slide | None:
    """Customers in and out: the month's figures, losses by stage and by reason, the definitions,
    the 24-month trend and the losses by stage as charts; None for a room without movements."""
    cm = wall.customer_math
    line = None if cm is None else month_line(cm)
    m = None if cm is None else cm.this_month
    if cm is None or line is None or m is None:
        return None
    names = {c.stage.id: c.stage.name for c in wall.columns}
    ranked = sorted(
        (losses for sid, losses in cm.by_stage.items() if sid in names and losses.customers),
        key=lambda losses: (-losses.customers, names[losses.stage_id]),
    )
    by_stage = tuple(
        Line(fit(f"{names[losses.stage_id]}: {loss_text(losses)}", TEXT_W_WITH_CHARTS_IN, BODY_PT))
        for losses in ranked[:MATH_STAGES_SHOWN]
    )
    reasons = tuple(Line(fit(r, TEXT_W_WITH_CHARTS_IN, BODY_PT)) for r in reason_lines(cm, names, MATH_REASONS_SHOWN))
    blocks = (
        Block(month_label(wall.month), (_line(line),)),
        Block("Lost by stage", by_stage or (Line("No customer lost at a stage"),)),
        Block("Why customers left", reasons or (Line("No loss recorded this month"),)),
        Block(
            f"Counted as (values in {cm.definitions.value_unit})",
            (_line(f"In: {cm.definitions.incoming}"), _line(f"Out: {cm.definitions.outgoing}")),
        ),
    )
    size = (CHART_W_IN, BODY_H_IN / 2 - 0.1)
    images = [
        charts.movements_chart(
            [x.month for x in cm.months],
            [x.customers_in for x in cm.months],
            [x.customers_out for x in cm.months],
            size,
        )
    ]
    if ranked:
        shown = ranked[:6]
        images.append(
            charts.stage_bars_chart(
                [names[x.stage_id] for x in shown],
                [x.customers for x in shown],
                [None] * len(shown),
                size,
                title="Customers lost by stage",
            )
        )
    return Slide(
        title=title_text(f"Customers in and out: {month_label(wall.month)}"),
        subtitle=subtitle_text(calls_line(cm.calls.get(wall.month, 0), m.customers_out)),
        blocks=blocks,
        charts=tuple(images),
    )


def wall_deck(wall: WallData, *, today: date) -> Deck:
    slides = [summary_slide(wall, today)]
    math = math_slide(wall)
    slides += [math] if math is not None else []
    slides += [stage_slide(c, wall.month, today) for c in wall.columns]
    return Deck(f"{wall.room_name} · {month_label(wall.month)}", tuple(slides))

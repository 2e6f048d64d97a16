"""KPIs: a stage's KPIs on the wall, worst first, one dense line each (value beside its
target, red/amber/green, change vs last month); the full tile (sparkline, warning line)
and the 12-month chart of each on the stage page."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from cxroom.formatting import fmt_target
from cxroom.queries.wall.kpis import KpiTile
from cxroom.queries.wall.months import add_months
from cxroom.queries.wall.wall_data import StageColumn
from cxroom.ui import cache
from cxroom.ui.kit.format import delta_style, fmt_change, fmt_number
from cxroom.ui.kit.text import md, plotly_text
from cxroom.ui.prose import Prose
from cxroom.ui.wall import look
from cxroom.ui.wall.charts import PLOT_LAYOUT

MAX_KPIS_ON_WALL = 3


def target_text(kpi: KpiTile) -> str:
    return fmt_target(kpi.target, kpi.unit, kpi.direction)


def kpi_line(kpi: KpiTile) -> str:
    """'Claims settled within 10 days' over ':red[(x) **44.8%**] · target ≥ 70.0% · +0.1 pts': the
    value beside its target, the icon's shape saying off/near/on target without its colour."""
    rag = kpi.rag
    value = md(fmt_number(kpi.value, kpi.unit)) if kpi.value is not None else "no reading"
    parts = [f":{look.RAG_COLOUR[rag]}[{rag.material}\u00a0**{value}**]", md(target_text(kpi))]
    change = fmt_change(kpi.change, kpi.unit)
    if change is not None:
        parts.append(md(change))
    return f"{md(kpi.name)}  \n" + " · ".join(parts)


def kpi_metric(kpi: KpiTile, month: date, *, key: str, compact: bool = False) -> None:
    rag = kpi.rag
    colour = look.RAG_COLOUR[rag]
    prev = add_months(month, -1)
    help_lines = [md(kpi.definition or kpi.name), md(f"{target_text(kpi).capitalize()}.")]
    if kpi.warning is not None:
        help_lines.append(md(f"Warning at {fmt_number(kpi.warning, kpi.unit)}."))
    help_lines.append(f"Change vs {prev:%B}. Line: the last 12 months.")
    label = md(kpi.name) if compact else f"{md(kpi.name)} · {md(target_text(kpi))}"
    unit = kpi.unit if kpi.unit == "%" else md(kpi.unit)  # metric values and deltas are Markdown too
    st.metric(
        label,
        fmt_number(kpi.value, unit) if kpi.value is not None else "no reading",
        delta=fmt_change(kpi.change, unit),
        **delta_style(
            kpi.change,
            0 if kpi.change is not None and abs(kpi.change) >= 100 else 1,
            "normal" if kpi.direction == "higher_better" else "inverse",
        ),
        # A compact tile's label is the name alone: its target goes beside the state.
        delta_description=f":{colour}[**{rag.material}\u00a0{rag.word}**]"
        + (f" · {md(target_text(kpi))}" if compact else ""),
        chart_data=kpi.spark or None,
        chart_type="line",
        help=" ".join(help_lines),
    )


def kpis_block(
    col: StageColumn, month: date, *, key: str, prose: Prose, limit: int = MAX_KPIS_ON_WALL, compact: bool = False
) -> None:
    """The stage's worst KPIs (the read model orders them worst first): lines on the wall,
    tiles on the wall screen."""
    prose.heading(f"KPIs · vs {add_months(month, -1):%b}")
    if not col.kpis:
        prose.add(prose.note("No KPIs measured for this stage yet."))
        return
    if compact:
        prose.flush()
        for kpi in col.kpis[:limit]:
            kpi_metric(kpi, month, key=f"{key}-kpi{kpi.id}", compact=compact)
        return
    prose.add("\n\n".join(kpi_line(kpi) for kpi in col.kpis[:limit]))
    if len(col.kpis) > limit:
        prose.add(prose.note(f"+{len(col.kpis) - limit} more on the stage page"))


def kpis_tab(col: StageColumn, month: date, version: int, db: str, *, key: str) -> None:
    """Every KPI of the stage, worst first: its tile (value, target, warning, change, last 12
    months) beside its chart with the target and warning lines."""
    import plotly.graph_objects as go

    history = cache.kpi_history(version, db, col.stage.id, month.isoformat())
    if history.empty or not col.kpis:
        st.info("No KPIs are measured for this stage yet. A facilitator can add them on the setup pages.")
        return
    for kpi in col.kpis:
        rows = history[history["kpi_id"] == kpi.id].dropna(subset=["month"])
        tile, chart = st.columns([1, 2], gap="large", vertical_alignment="center")
        with tile:
            kpi_metric(kpi, month, key=f"{key}-tile{kpi.id}")
            if kpi.definition:
                st.caption(md(kpi.definition))
        with chart:
            if rows.empty:
                st.caption("No readings yet.")
                continue
            fig = go.Figure()
            name = plotly_text(kpi.name)  # plotly renders some HTML tags in titles
            fig.add_scatter(x=rows["month"], y=rows["value"], mode="lines+markers", name=name)
            for value, label, dash in ((kpi.target, "target", "dash"), (kpi.warning, "warning", "dot")):
                if value is not None and not _isnan(value):
                    fig.add_hline(
                        y=float(value),
                        line_dash=dash,
                        line_color="#888",
                        annotation_text=plotly_text(f"{label} {fmt_number(float(value), kpi.unit)}"),
                    )
            fig.update_layout(**{**PLOT_LAYOUT, "height": 220})
            fig.update_yaxes(ticksuffix="%" if kpi.unit == "%" else "")
            st.plotly_chart(fig, key=f"{key}-kpi{kpi.id}", config={"displayModeBar": False})


def _isnan(value: Any) -> bool:
    try:
        return bool(value != value)
    except Exception:
        return False

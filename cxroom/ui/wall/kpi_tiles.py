"""KPIs: the tile of a KPI on the wall (value, change vs last month, sparkline,
red/amber/green against target) and the stage page's KPI charts."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from cxroom.insights.health import Rag
from cxroom.queries.wall.kpis import KpiTile
from cxroom.queries.wall.months import add_months
from cxroom.queries.wall.wall_data import StageColumn
from cxroom.ui import cache
from cxroom.ui.kit.format import delta_style, fmt_change, fmt_number
from cxroom.ui.kit.text import md, plotly_text
from cxroom.ui.prose import Prose
from cxroom.ui.wall.charts import PLOT_LAYOUT

MAX_KPIS_ON_WALL = 3

_RAG_COLOUR = {Rag.GREEN: "green", Rag.AMBER: "orange", Rag.RED: "red", Rag.NONE: "gray"}


def target_text(kpi: KpiTile) -> str:
    if kpi.target is None:
        return "no target set"
    sign = "≥" if kpi.direction == "higher_better" else "≤"
    text = f"target {sign} {fmt_number(kpi.target, kpi.unit)}"
    return text


def kpi_metric(kpi: KpiTile, month: date, *, key: str, compact: bool = False) -> None:
    rag = kpi.rag
    colour = _RAG_COLOUR[rag]
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
        delta_description=f":{colour}[**{rag.icon}\u00a0{rag.word}**]",
        chart_data=kpi.spark or None,
        chart_type="line",
        help=" ".join(help_lines),
    )


def kpis_block(
    col: StageColumn, month: date, *, key: str, prose: Prose, limit: int = MAX_KPIS_ON_WALL, compact: bool = False
) -> None:
    prose.heading(f"KPIs · vs {add_months(month, -1):%b}")
    if not col.kpis:
        prose.add(prose.note("No KPIs measured for this stage yet."))
        return
    prose.flush()
    for kpi in col.kpis[:limit]:
        kpi_metric(kpi, month, key=f"{key}-kpi{kpi.id}", compact=compact)
    if len(col.kpis) > limit and not compact:
        prose.add(prose.note(f"+{len(col.kpis) - limit} more on the stage page"))


def kpis_tab(col: StageColumn, month: date, version: int, db: str, *, key: str) -> None:
    import plotly.graph_objects as go

    history = cache.kpi_history(version, db, col.stage.id, month.isoformat())
    if history.empty:
        st.info("No KPIs are measured for this stage yet. A facilitator can add them on the setup pages.")
        return
    kpi_ids = list(dict.fromkeys(history["kpi_id"].tolist()))
    slots = st.columns(2)
    for index, kpi_id in enumerate(kpi_ids):
        rows = history[history["kpi_id"] == kpi_id].dropna(subset=["month"])
        first = history[history["kpi_id"] == kpi_id].iloc[0]
        with slots[index % 2]:
            if rows.empty:
                st.markdown(f"**{md(first['name'])}**")
                st.caption("No readings yet.")
                continue
            fig = go.Figure()
            name = plotly_text(first["name"])  # plotly renders some HTML tags in titles
            fig.add_scatter(x=rows["month"], y=rows["value"], mode="lines+markers", name=name)
            unit = str(first["unit"] or "")
            for value, label, dash in ((first["target"], "target", "dash"), (first["warning"], "warning", "dot")):
                if value is not None and not _isnan(value):
                    fig.add_hline(
                        y=float(value),
                        line_dash=dash,
                        line_color="#888",
                        annotation_text=plotly_text(f"{label} {fmt_number(float(value), unit)}"),
                    )
            fig.update_layout(**PLOT_LAYOUT, title=name)
            fig.update_yaxes(ticksuffix="%" if unit == "%" else "")
            st.plotly_chart(fig, key=f"{key}-kpi{kpi_id}", config={"displayModeBar": False})
            if first["definition"]:
                st.caption(md(first["definition"]))


def _isnan(value: Any) -> bool:
    try:
        return bool(value != value)
    except Exception:
        return False

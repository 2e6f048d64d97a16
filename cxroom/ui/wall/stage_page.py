"""The stage detail page (?stage=<slug>): the stage's header and its tabs of
evidence, moments of truth and fix teams; an unknown stage falls back to the wall."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st

from cxroom.insights.health import HEALTH_FORMULA
from cxroom.insights.kpi_standing import moments_worst_first
from cxroom.models import WallQuery
from cxroom.queries.stage import StageEvidence
from cxroom.queries.wall.wall_data import StageColumn, WallData
from cxroom.ui import artifact_versions, cache, theme
from cxroom.ui.kit.format import date_text
from cxroom.ui.kit.text import md
from cxroom.ui.reviews import listening_set
from cxroom.ui.search import opened_hit
from cxroom.ui.themes import themes_block
from cxroom.ui.wall import evidence as evidence_views
from cxroom.ui.wall import look
from cxroom.ui.wall.column import health_badge
from cxroom.ui.wall.evidence import OnStagePage
from cxroom.ui.wall.header import month_picker
from cxroom.ui.wall.state import STAGE_PAGE, WALL_PAGE, WallState
from cxroom.ui.wall.wall_page import read_wall, wall_page


def stage_links(columns: Sequence[StageColumn], month: date, *, key: str) -> None:
    """One link per stage (the stage page without ?stage=)."""
    with st.container(horizontal=True, key=key):
        for col in columns:
            st.page_link(
                STAGE_PAGE,
                label=md(col.stage.name),
                query_params={"stage": col.stage.slug, "month": month.isoformat()[:7]},
            )


def stage_header(col: StageColumn, data: WallData, *, key: str) -> None:
    theme.apply(colours={col.stage.slug: col.stage.colour})
    st.page_link(
        WALL_PAGE, label="The wall", icon=":material/arrow_back:", query_params={"month": data.month.isoformat()[:7]}
    )
    left, right = st.columns([5, 2], vertical_alignment="bottom")
    with left:
        st.title(md(col.stage.name), anchor=False)
        if col.stage.customer_goal:
            with st.container(key=f"goal-{col.stage.slug}"):
                st.markdown(f"“{md(col.stage.customer_goal)}”")
        if col.stage.description:
            st.caption(md(col.stage.description))
    with right:
        month_picker(data.months, data.month, key=f"{key}_month")
    health_badge(col, key=f"{key}-health")
    st.markdown(md(f"{col.health.explanation}."))
    with st.expander("How the health score is worked out", icon=":material/calculate:"):
        st.markdown(HEALTH_FORMULA)
        st.caption(f"This month: {col.health.explain()}")


def moments_and_fixes(evidence: StageEvidence, *, key: str, today: date) -> None:
    import pandas as pd

    st.markdown("##### Moments of truth")
    if not evidence.moments:
        st.info("No moments of truth defined for this stage yet.")
    for moment in moments_worst_first(evidence.moments):
        name = f"**{md(moment.name)}**" if moment.is_key else md(moment.name)
        about = f" — {md(moment.description)}" if moment.description else ""
        st.markdown(f"{look.reliability(moment.state)} {name}{about}")
        moves = [c for c in moment.changes if c[1] is not None]
        if moves:
            st.caption(
                md(
                    " · ".join(
                        f"{date_text(when)}: {frm} to {to}" + (f" ({why})" if why else "")
                        for when, frm, to, _who, why in moves
                    )
                )
            )
    st.markdown("##### Fix teams")
    if not evidence.fixes:
        st.info("No fix team has worked on this stage yet.")
        return
    table = pd.DataFrame(
        [
            {
                "Fix": f.title,
                "Status": theme.FIX_STATUS.get(f.status, ("", f.status.capitalize()))[1],
                "Lead": f.lead or "",
                "Sponsor": f.sponsor or "",
                "Chartered": f.chartered_on,
                "Due": f.due_on,
                "Overdue": f"since {date_text(f.due_on)}" if f.overdue(today) and f.due_on else "",
                "Moment of truth": f.moment_name or "",
            }
            for f in evidence.fixes
        ]
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        key=f"{key}-fixes",
        column_config={
            "Chartered": st.column_config.DateColumn(format="D MMM YYYY"),
            "Due": st.column_config.DateColumn(format="D MMM YYYY"),
        },
    )


def stage_page(state: WallState, *, key: str = "sd") -> None:
    """The stage detail for ?stage=<slug>; an unknown slug falls back to the wall."""
    read = read_wall(state)
    version, db, data, problem = read.version, read.db, read.data, read.month_problem
    slug = state.query.stage
    col = data.column(slug) if slug else None
    if col is None:
        if slug:
            st.warning(
                f"There is no stage called “{md(slug[:60])}” on the wall. Here is the whole wall instead.",
                icon=":material/warning:",
            )
        else:
            st.info("Choose a stage, or click “Open stage” at the foot of a column on the wall.")
            stage_links(data.columns, data.month, key=f"{key}-links")
        wall_page(WallState(WallQuery(month=state.query.month if not problem else None)), key="wall")
        return
    stage_header(col, data, key=key)
    evidence = cache.stage_evidence(version, db, col.stage.id)
    opened_hit(evidence, col.stage.id, key=key)  # what a search hit opened (?complaint= or ?call=&at=)
    themes_block(col.stage.id, data.month, version, db, key=key)
    page = OnStagePage(col, evidence, data.month, version, db, key)
    # evidence.VIEWS is read at call time, so a kind added to the registry gets its tab.
    views = list(evidence_views.VIEWS.values())
    tabs = st.tabs([view.tab_title(page) for view in views] + ["Moments & fixes", "Heard & changed"])
    for tab, view in zip(tabs, views, strict=False):
        with tab:
            view.stage_tab(page)
    with tabs[-2]:
        moments_and_fixes(evidence, key=f"{key}-mf", today=date.today())
    with tabs[-1]:
        listening_set.heard_on_stage(col.stage.id, key=f"{key}-heard")
        artifact_versions.stage_before_after(col.stage.id, key=f"{key}-versions")

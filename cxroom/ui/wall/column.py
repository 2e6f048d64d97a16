"""One column of the wall: the stage, its health, moments of truth, KPIs,
complaints, surveys, artifacts, call, accountable silos and fixes."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cxroom import fix_status
from cxroom.insights.health import HEALTH_FORMULA
from cxroom.queries.wall.wall_data import StageColumn
from cxroom.ui import theme
from cxroom.ui.kit.text import md
from cxroom.ui.prose import Prose
from cxroom.ui.wall import evidence, look
from cxroom.ui.wall.evidence import InColumn
from cxroom.ui.wall.state import STAGE_PAGE

NBSP_DOT = "\u00a0·\u00a0"  # the score stays on the line of its band
MOMENTS_ON_WALL = 3  # and every broken or unreliable one, however many


def health_badge(col: StageColumn, *, key: str) -> None:
    """The stage's band and score; its tooltip says why in words, then how the score is made.
    Drawn as coloured Markdown, not st.badge: a badge stays on one line and a narrow column
    cut 'Needs attention · 61' to 'Needs attention ...'."""
    health = col.health
    colour = health.band.colour
    st.markdown(
        f":{colour}-background[:{colour}[{health.band.material}\u00a0**{health.label.replace(' · ', NBSP_DOT)}**]]",
        help=f"{md(health.explanation)}.\n\n{HEALTH_FORMULA}\n\nThis month: {health.explain()}",
    )


def moments_block(col: StageColumn, *, key: str, prose: Prose) -> None:
    """The stage's moments of truth, worst first (the read model's order): broken ones lead."""
    prose.heading("Moments of truth")
    if not col.moments:
        prose.add(prose.note("No moments of truth defined for this stage yet."))
        return
    # The read model orders them worst first: every bad one, then the next up to
    # MOMENTS_ON_WALL; the others are on the stage page.
    bad = [m for m in col.moments if m.state in ("broken", "unreliable")]
    shown = col.moments[: max(len(bad), MOMENTS_ON_WALL)]
    lines = []
    for moment in shown:
        name = md(moment.name)
        if moment.is_key:
            name = f"**{name}**"
        lines.append(f"{look.reliability(moment.state)}{look.MOVED[moment.moved]} {name}")
    prose.add("  \n".join(lines))
    if len(col.moments) > len(shown):
        prose.add(prose.note(f"+{len(col.moments) - len(shown)} more, reliable or better, on the stage page"))


def accountability_block(col: StageColumn, *, key: str, today: date, prose: Prose, compact: bool = False) -> None:
    names = [f"**{md(s.name)}**" if s.role == "owner" else md(s.name) for s in col.silos]
    if compact:
        owners = md(", ".join(s.name for s in col.silos if s.role == "owner"))
        prose.heading(f"Fixes · owner {owners}" if owners else "Fixes")
    else:
        prose.heading("Accountable silos")
        prose.add(" · ".join(names) or prose.note("No silo is accountable for this stage yet."))
        prose.heading("Fixes")
    if not col.fixes:
        if compact:  # the wall screen's dark theme styles captions, not coloured Markdown
            prose.flush()
            st.caption("No fix team working on this stage.")
        else:
            prose.add(prose.note("No fix team working on this stage."))
        return
    lines: list[str] = []
    for fix in col.fixes:
        word = theme.FIX_STATUS.get(fix.status, ("", fix.status.capitalize()))[1]
        icon = look.fix_icon(fix.status)
        status = f":violet[**{icon}\u00a0{word}**]" if fix.status == "celebrated" else f"**{icon}\u00a0{word}**"
        due = ""
        if fix.overdue(today):
            due = f" · :red[**overdue** since {fix.due_on:%-d %b}]"
        elif fix.due_on and fix_status.is_active(fix.status):
            due = f" · due {fix.due_on:%-d %b}"
        if compact and not fix.overdue(today):
            due = ""
        lines.append(f"{status} {md(fix.title)}{due}")
    if compact:
        prose.flush()
        with st.container(key=f"fixes-{col.stage.slug}"):
            st.markdown("\n\n".join(lines[:2]))
    else:
        prose.add("  \n".join(lines))


def stage_column(
    col: StageColumn, month: date, *, key: str, today: date, wall_screen: bool = False, roomy: bool = False
) -> None:
    """One column of the wall: the stage and the evidence hanging beneath it. On the wall
    screen a column shows less, unless the wall is split so that columns are wide (roomy)."""
    slug = col.stage.slug
    with st.container(border=True, key=f"stage-{slug}"), Prose() as prose:
        # The name and the customer's goal are one element; the theme styles the goal
        # as the paragraph after the column's h3.
        prose.add(f"### {md(col.stage.name)}")
        if col.stage.customer_goal:
            prose.add(f"“{md(col.stage.customer_goal)}”")
        prose.flush()
        health_badge(col, key=f"{key}-health")
        moments_block(col, key=f"{key}-moments", prose=prose)
        # evidence.VIEWS is read at call time, so a kind added to the registry appears here.
        blocks = InColumn(col, month, key, prose, wall_screen=wall_screen, roomy=roomy)
        for view in evidence.in_wall_order(evidence.VIEWS):
            view.wall_block(blocks)
        accountability_block(col, key=f"{key}-acc", today=today, prose=prose, compact=wall_screen)
        prose.flush()
        if not wall_screen:
            st.page_link(
                STAGE_PAGE,
                label="Open stage",
                icon=":material/arrow_forward:",
                query_params={"stage": slug, "month": month.isoformat()[:7]},
            )

"""The whole wall: the header, the stage columns (of one screen when the wall spans
several, one in the spotlight), the legend and the data stamp."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from cxroom.queries.wall.wall_data import StageColumn, WallData
from cxroom.ui import cache, context, theme
from cxroom.ui.kit.text import md
from cxroom.ui.wall import customer_math
from cxroom.ui.wall.column import stage_column
from cxroom.ui.wall.header import stamp_text, wall_header
from cxroom.ui.wall.state import WallState, resolve_month
from cxroom.ui.wall.wall_screen import ROOMY_SLOTS, screen_slice, spotlight_column

LEGEND = (
    "Each column puts its worst news first. Moments of truth, from worst to best: :material/cancel: broken, "
    ":material/warning: unreliable, :material/check_circle: reliable, :material/star: differentiating; "
    "key moments in bold; "
    ":material/arrow_upward: / :material/arrow_downward: moved this month. KPIs: :material/cancel: off target · "
    ":material/warning: near target (between target and warning) · :material/check_circle: on target, "
    "beside the target and the change since last month. Silos: the owner in bold. "
    "Open a stage for its trends, every KPI, comments and calls."
)


def render_wall(
    data: WallData,
    *,
    key: str,
    today: date,
    wall_screen: bool = False,
    screen: int = 1,
    of: int = 1,
    spot: StageColumn | None = None,
) -> None:
    """The stage columns (of one screen when the wall spans several), one highlighted."""
    columns, slots = screen_slice(data.columns, screen, of)
    extra_css = theme.spotlight_css(spot.stage.slug, spot.stage.colour) if spot is not None else ""
    theme.apply(
        wall_screen=wall_screen,
        colours={c.stage.slug: c.stage.colour for c in columns},
        spotlight=extra_css,
    )
    if not data.columns:
        st.info("This room has no stages yet. Build the demo room with `python -m cxroom demo`, or set up your own.")
        return
    with st.container(key="wall-columns"):
        slots_ui = st.columns(max(slots, 1), gap="small")
        for slot, col in zip(slots_ui, columns, strict=False):
            with slot:
                stage_column(
                    col,
                    data.month,
                    key=f"{key}-{col.stage.slug}",
                    today=today,
                    wall_screen=wall_screen,
                    roomy=slots <= ROOMY_SLOTS,
                )


@dataclass(frozen=True)
class WallRead:
    version: int
    db: str
    data: WallData
    month_problem: str | None  # why the URL's ?month= was not shown (already warned about)


def read_wall(state: WallState) -> WallRead:
    """The wall's data for the URL's month, shared by the wall and the stage page; a
    ?month= with no data is warned about and the nearest month with data is read."""
    version = context.data_version()
    db = cache.db_key()
    months = cache.months(version, db)
    month, problem = resolve_month(state.query.month, months)
    if problem:
        st.warning(md(problem), icon=":material/warning:")
    return WallRead(version, db, cache.wall_data(version, db, month.isoformat()), problem)


def wall_page(state: WallState, *, key: str = "wall") -> None:
    """The whole wall page for a validated URL state (also the stage page's fallback)."""
    data = read_wall(state).data
    shown, _slots = screen_slice(data.columns, state.query.screen, state.query.of)
    spot = spotlight_column(shown, state.spotlight_s)
    wall_header(data, state, key=key, spot=spot)
    customer_math.band(data, wall_screen=state.wall_screen)
    render_wall(
        data,
        key=key,
        today=date.today(),
        wall_screen=state.wall_screen,
        screen=state.query.screen,
        of=state.query.of,
        spot=spot,
    )
    if not state.wall_screen:
        st.caption(LEGEND)
        if data.unassigned_this_month:
            st.caption(f"{data.unassigned_this_month:,} complaints in {data.month:%B} are not yet lined up to a stage.")
        st.caption(stamp_text(data))

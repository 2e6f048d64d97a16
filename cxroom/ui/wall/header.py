"""The top of the wall and the stage page: the room's title, the month picker bound
to ?month=, and the stamp that says how fresh the data is."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

import streamlit as st

from cxroom.queries.wall.wall_data import StageColumn, WallData
from cxroom.ui.kit.format import datetime_text, month_label
from cxroom.ui.kit.text import md
from cxroom.ui.wall.state import WallState
from cxroom.ui.wall.wall_screen import spotlight_voice


def month_picker(months: Sequence[date], current: date, *, key: str) -> None:
    """A year select, then a month select within that year, bound to ?month= (changing
    either rewrites the URL). Every month with data is offered, however old: two short
    lists instead of one list of every month a room has held."""
    current_iso = current.isoformat()[:7]
    by_year: dict[int, list[str]] = {}
    for month in sorted({*months, current}, reverse=True):
        by_year.setdefault(month.year, []).append(month.isoformat()[:7])
    year_key = f"{key}_year"
    if st.session_state.get(year_key) != current.year:
        st.session_state[year_key] = current.year
    if st.session_state.get(key) != current_iso:
        st.session_state[key] = current_iso

    def _year_to_url() -> None:
        # The same calendar month in the chosen year when it has data, else the year's newest month.
        year_months = by_year[st.session_state[year_key]]
        same = f"{st.session_state[year_key]}-{current_iso[5:]}"
        st.query_params["month"] = same if same in year_months else year_months[0]

    def _to_url() -> None:
        st.query_params["month"] = st.session_state[key]

    with st.container(horizontal=True, key=f"{key}-picker", gap="small"):
        st.selectbox(
            "Year",
            list(by_year),
            key=year_key,
            on_change=_year_to_url,
            help="Every year with complaints, KPI readings or survey answers.",
        )
        st.selectbox(
            "Month",
            by_year[current.year],
            key=key,
            format_func=lambda iso: month_label(date.fromisoformat(f"{iso}-01")),
            on_change=_to_url,
            help="The wall shows this calendar month; the link in the address bar opens it again.",
        )


def stamp_text(data: WallData, now: datetime | None = None) -> str:
    now = now or datetime.now()
    loaded = f"data loaded {datetime_text(data.loaded_at)}" if data.loaded_at else "no data loaded yet"
    return f"Data as of {month_label(data.month)} · {loaded} · refreshed {now:%H:%M}"


def wall_header(data: WallData, state: WallState, *, key: str, spot: StageColumn | None = None) -> None:
    with st.container(key="wall-header"):
        if spot is not None:
            left, middle, right = st.columns([4, 4, 2], vertical_alignment="bottom")
            with middle:
                spotlight_voice(spot, key=key)
        else:
            left, right = st.columns([5, 2], vertical_alignment="bottom")
        with left:
            st.title(md(data.room_name), anchor=False)
            st.caption(
                f"The wall · {month_label(data.month)} · "
                + ("the one stage" if len(data.columns) == 1 else f"the {len(data.columns)} stages")
                + " of our customers' experience"
            )
        with right:
            if state.wall_screen:
                st.caption(stamp_text(data))
            else:
                month_picker(data.months, data.month, key=f"{key}_month")

"""The stage page's themes block: what customers talk about at this stage (complaint
verbatims and survey comments grouped by cxroom/insights/themes.py), each theme with its
count this month, its trend over a year, whether it is new or rising, and three masked
examples; facilitators rename, pin and merge themes here."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cxroom.permissions import Role
from cxroom.queries.themes import ThemeView, stage_themes
from cxroom.services import themes as theme_service
from cxroom.ui import context
from cxroom.ui.kit.actor import acting_actor, acts_at_least
from cxroom.ui.kit.format import fmt_count, month_label
from cxroom.ui.kit.text import md
from cxroom.ui.setup.messages import attempt, show_flash

SHOWN = 6  # themes drawn as cards; the rest are named in one line
COLUMNS = 3
SIGNALS = {"new": ":orange-badge[:material/fiber_new: New this month]", "rising": ":red-badge[▲ Rising]"}


@st.cache_data(show_spinner=False, max_entries=64)
def cached_themes(data_version: int, db: str, stage_id: int, month_iso: str) -> list[ThemeView]:
    del data_version, db  # cache key only
    return stage_themes(context.store(), stage_id, date.fromisoformat(month_iso))


def _card(theme: ThemeView, *, key: str) -> None:
    with st.container(border=True, key=f"{key}-{theme.id}"):
        pin = ":material/push_pin: " if theme.pinned else ""
        badge = SIGNALS.get(theme.signal or "", "")
        st.metric(
            f"{pin}{md(theme.title)}",
            fmt_count(theme.series[-1]),
            delta=theme.series[-1] - theme.series[-2] if len(theme.series) > 1 else None,
            delta_color="inverse",
            chart_data=list(theme.series),
            chart_type="bar",
            help=md("Top words: " + ", ".join(theme.top_terms)),
            border=False,
        )
        if badge:
            st.markdown(badge)
        if theme.name:
            st.caption(md(" · ".join(theme.top_terms[:5])))
        quotes = [text if len(text) <= 220 else text[:220].rsplit(" ", 1)[0] + " …" for _, text in theme.examples]
        if quotes:
            st.text(quotes[0])
        if len(quotes) > 1:
            with st.expander(f"{len(quotes) - 1} more in their words"):
                for quote in quotes[1:]:
                    st.text(quote)


def themes_block(stage_id: int, month: date, version: int, db: str, *, key: str) -> None:
    """The stage's themes for ``month`` (and the editing controls for facilitators)."""
    themes = cached_themes(version, db, stage_id, month.isoformat())
    st.markdown("##### What customers talk about")
    show_flash(f"{key}-themes")
    if not themes:
        st.caption(
            "No themes yet: they are found in complaint verbatims and survey comments once a stage has a "
            "dozen different ones (after an import, or `python -m cxroom themes build`)."
        )
        return
    st.caption(
        f"{fmt_count(len(themes))} themes in complaints and survey comments · texts in {month_label(month)}, "
        "and the last twelve months · personal data masked"
    )
    shown = themes[:SHOWN]
    for start in range(0, len(shown), COLUMNS):
        for col, theme in zip(st.columns(COLUMNS), shown[start : start + COLUMNS], strict=False):
            with col:
                _card(theme, key=f"{key}-theme")
    if len(themes) > SHOWN:
        st.caption(md("Also: " + " · ".join(t.title for t in themes[SHOWN:])))
    if acts_at_least(Role.FACILITATOR):
        _edit(themes, key=key)


def _edit(themes: list[ThemeView], *, key: str) -> None:
    where = f"{key}-themes"
    by_id = {t.id: t for t in themes}
    with st.popover("Rename, pin or merge themes", icon=":material/edit:"):
        picked = st.selectbox("Theme", list(by_id), format_func=lambda i: md(by_id[i].title), key=f"{key}-theme-pick")
        theme = by_id[picked]
        name = st.text_input("Name", value=theme.name or "", max_chars=80, key=f"{key}-theme-name-{picked}")
        left, right = st.columns(2)
        if left.button("Save name", key=f"{key}-theme-rename"):
            attempt(
                where,
                lambda: theme_service.rename_theme(
                    context.store(), picked, name, expected_version=theme.version, actor=acting_actor()
                ),
                "Theme renamed.",
            )
            st.rerun()
        if right.button("Unpin" if theme.pinned else "Pin first", key=f"{key}-theme-pin"):
            attempt(
                where,
                lambda: theme_service.pin_theme(
                    context.store(), picked, not theme.pinned, expected_version=theme.version, actor=acting_actor()
                ),
                "Theme unpinned." if theme.pinned else "Theme pinned first.",
            )
            st.rerun()
        others = [i for i in by_id if i != picked]
        if others:
            into = st.selectbox(
                "Merge it into", others, format_func=lambda i: md(by_id[i].title), key=f"{key}-theme-into"
            )
            if st.button("Merge", key=f"{key}-theme-merge"):
                attempt(
                    where,
                    lambda: theme_service.merge_themes(context.store(), picked, into, actor=acting_actor()),
                    "Themes merged: its texts now count in the theme it joined.",
                )
                st.rerun()

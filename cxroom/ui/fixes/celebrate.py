"""The Celebrations wall: its summary, one card per celebrated fix crediting the
team and their silos, and the form that moves the fix's moment of truth up the
reliability ladder."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from cxroom.models import Reliability, ReliabilityChange
from cxroom.services import room as room_service
from cxroom.ui import artifact_versions, context, navigation
from cxroom.ui.fixes.actions import after_write, run_action
from cxroom.ui.fixes.common import (
    BASIS,
    FIX_PAGE,
    RELIABILITY,
    as_date,
    as_list,
    when,
)
from cxroom.ui.kit.actor import acting_actor as acting_user  # the kit's one rule, no fallback
from cxroom.ui.kit.text import md


def celebration_summary(df: pd.DataFrame) -> None:
    people = {str(p).split(" · ")[0] for team in df["team"] for p in team}
    silos = {s for team in df["silos"] for s in team}
    cols = st.columns(3)
    cols[0].metric("Fixes celebrated", len(df))
    cols[1].metric("People credited", len(people))
    cols[2].metric("Silos that worked together", len(silos))


def celebration_card(row: dict[str, Any], *, key: str) -> None:
    fix_id = int(row["id"])
    with st.container(border=True, key=f"{key}-{fix_id}"):
        st.markdown(f"### :material/star: {md(row['title'])}")
        where = md(row["stage"]) + (f" · **{md(row['moment'])}**" if row.get("moment") else "")
        st.markdown(where)
        basis = str(row.get("basis") or "legacy")
        icon, word = BASIS.get(basis, BASIS["legacy"])
        if basis == "override":
            st.warning(f"**{word}**: {md(row.get('override_reason') or '')}", icon=icon)
        else:
            st.success(f"**{word}**: {md(row.get('evidence') or '')}", icon=icon)
        if str(row.get("results") or "").strip():
            st.text(str(row["results"]))
        artifact_versions.fix_before_after(fix_id, key=f"{key}-versions-{fix_id}")
        team = as_list(row.get("team"))
        by_silo: dict[str, list[str]] = {}
        for entry in team:
            person, _, silo = str(entry).partition(" · ")
            by_silo.setdefault(silo, []).append(person)
        st.markdown(f"**Thank you** — sponsored by {md(row['sponsor'])}, led by {md(row['lead'])}")
        for silo, people in sorted(by_silo.items()):
            st.markdown(f"- **{md(silo)}**: {md(', '.join(people))}")
        celebrated = when(row.get("celebrated_at"))
        st.caption(f"Celebrated {celebrated} · chartered {when(as_date(row['chartered_on']))}")
        navigation.page_link(
            FIX_PAGE, label="The whole story", query_params={"fix": str(fix_id)}, icon=":material/article:"
        )
        if row.get("moment_id") is not None and not pd.isna(row["moment_id"]):
            ladder_form(row, key=f"{key}-ladder-{fix_id}")


def ladder_form(row: dict[str, Any], *, key: str) -> None:
    """Move the fix's moment of truth one rung up the reliability ladder."""
    state = Reliability(str(row["reliability"]))
    icon, word = RELIABILITY[state.value]
    ladder = list(Reliability)
    if state.rank >= len(ladder) - 1:
        st.caption(f"{icon} The moment is {word.lower()}: the top of the ladder.")
        return
    up = ladder[state.rank + 1]
    up_icon, up_word = RELIABILITY[up.value]
    with st.expander(f"{icon} {word} → {up_icon} {up_word}: move the moment up the ladder"):
        with st.form(f"{key}-form", border=False):
            reason = st.text_area(
                "Why", value=f"Fix '{row['title']}' celebrated: {row.get('evidence') or ''}"[:1900], key=f"{key}-why"
            )
            submitted = st.form_submit_button(f"Move to {up_word}", key=f"{key}-submit")
        if submitted and run_action(
            lambda: room_service.change_reliability(
                context.store(),
                ReliabilityChange(
                    moment_id=int(row["moment_id"]),
                    to_state=up,
                    reason=reason,
                    expected_version=int(row["moment_version"]),
                ),
                actor=acting_user(),
            ),
            success=f"'{row['moment']}' is now {up_word.lower()}.",
            key=key,
        ):
            after_write()

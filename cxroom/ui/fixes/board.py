"""The fix board: its filters, the lanes of cards by status, the list, and the
load on people and silos."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from cxroom import fix_status
from cxroom.insights import fix_evidence as fe
from cxroom.queries import fixes as fix_queries
from cxroom.ui import navigation
from cxroom.ui.fixes.common import (
    DUE_ICON,
    FIX_PAGE,
    OVERDUE_ICON,
    TARGET_ICON,
    VERDICT_ICON,
    as_date,
    as_list,
    due_text,
    status_badge,
    status_label,
    today,
)
from cxroom.ui.kit.text import md, plotly_text


def board_filters(opts: fix_queries.CharterOptions, *, key: str) -> fix_queries.BoardFilter:
    stage_names = dict(opts.stages)
    cols = st.columns([1.2, 1.6, 1.1, 1.1, 0.8, 0.8], vertical_alignment="bottom")
    stage = cols[0].selectbox(
        "Stage",
        [None, *stage_names],
        format_func=lambda s: "All stages" if s is None else stage_names[s],
        key=f"{key}-stage",
    )
    moments = {m["id"]: m["name"] for m in opts.moments_of(stage)}
    moment = cols[1].selectbox(
        "Moment of truth",
        [None, *moments],
        format_func=lambda m: "All moments" if m is None else moments[m],
        key=f"{key}-moment",
    )
    silo = cols[2].selectbox(
        "Silo", [None, *opts.silos], format_func=lambda s: "All silos" if s is None else s, key=f"{key}-silo"
    )
    sponsor = cols[3].selectbox(
        "Sponsor",
        [None, *opts.sponsors],
        format_func=lambda s: "All sponsors" if s is None else s,
        key=f"{key}-sponsor",
    )
    overdue = cols[4].toggle("Overdue only", key=f"{key}-overdue")
    dropped = cols[5].toggle("Show dropped", key=f"{key}-dropped")
    return fix_queries.BoardFilter(
        stage=stage,
        moment=moment if moment in moments else None,
        silo=silo,
        sponsor=sponsor,
        overdue_only=overdue,
        include_dropped=dropped,
    )


def _verdict_of(kpis: Sequence[fix_queries.KpiVerdict]) -> fe.Verdict | None:
    """The headline verdict of a fix's KPIs: improved beats no change beats worse beats too little data."""
    if not kpis:
        return None
    order = [fe.Verdict.IMPROVED, fe.Verdict.NO_CHANGE, fe.Verdict.WORSE, fe.Verdict.TOO_LITTLE_DATA]
    found = {k.evidence.verdict for k in kpis}
    return next(v for v in order if v in found)


def _any_target_met(kpis: Sequence[fix_queries.KpiVerdict]) -> bool:
    return any(k.evidence.target_met for k in kpis)


def fix_card(row: dict[str, Any], kpis: Sequence[fix_queries.KpiVerdict], *, key: str) -> None:
    fix_id = int(row["id"])
    overdue = "overdue-" if bool(row.get("overdue")) else ""
    with st.container(border=True, key=f"{key}-card-{overdue}{fix_id}"):
        navigation.page_link(
            FIX_PAGE,
            label=f"**{md(row['title'])}**",
            query_params={"fix": str(fix_id)},
            width="stretch",
            text_otherwise=True,
        )
        where = md(row["stage"]) + (f" · {md(row['moment'])}" if row.get("moment") else "")
        st.caption(where)
        st.markdown(
            f"**Lead** {md(row['lead'])}  \n**Sponsor** {md(row['sponsor'])}",
        )
        silos = as_list(row.get("silos"))
        st.caption(f"{len(silos)} silos: " + md(", ".join(silos)))
        due, colour = due_text(as_date(row["due_on"]), str(row["status"]), today_=today())
        badges = st.container(horizontal=True, gap="small")
        with badges:
            if fix_status.is_active(str(row["status"])):
                st.badge(due, color=colour, icon=OVERDUE_ICON if colour == "red" else DUE_ICON)  # type: ignore[arg-type]
            verdict = _verdict_of(kpis)
            if _any_target_met(kpis):
                st.badge("Target met", color="green", icon=TARGET_ICON)
            elif verdict is not None:
                st.badge(verdict.label, color=verdict.colour, icon=VERDICT_ICON[verdict.value])  # type: ignore[arg-type]


def board(df: pd.DataFrame, all_verdicts: dict[int, list[fix_queries.KpiVerdict]], *, key: str) -> None:
    statuses = [s.value for s in fix_status.LANES]
    if (df["status"] == "dropped").any():
        statuses.append("dropped")
    columns = st.columns(len(statuses), gap="small")
    records = df.to_dict("records")
    for column, status in zip(columns, statuses, strict=True):
        rows = [r for r in records if r["status"] == status]
        with column, st.container(key=f"{key}-lane-{status}"):
            overdue = sum(1 for r in rows if r["overdue"])
            head = f"##### {status_badge(status)} · {len(rows)}"
            st.markdown(head)
            if overdue:
                st.caption(f"{OVERDUE_ICON} {overdue} overdue")
            if not rows:
                st.caption("—")
            for row in rows:
                fix_card(row, all_verdicts.get(int(row["id"]), []), key=key)


def fix_list(df: pd.DataFrame, all_verdicts: dict[int, list[fix_queries.KpiVerdict]]) -> None:
    if df.empty:
        st.info("No fix matches these filters.")
        return
    table = pd.DataFrame(
        {
            "fix": [f"./fix?fix={int(i)}" for i in df["id"]],
            "title": df["title"],
            "status": [status_label(s) for s in df["status"]],
            "stage": df["stage"],
            "moment": df["moment"].fillna(""),
            "lead": df["lead"],
            "sponsor": df["sponsor"],
            "silos": [", ".join(s) for s in df["silos"]],
            "due": [as_date(d) for d in df["due_on"]],
            "overdue": df["overdue"].astype(bool),
            "evidence": [
                "target met"
                if _any_target_met(all_verdicts.get(int(i), []))
                else (v.label if (v := _verdict_of(all_verdicts.get(int(i), []))) is not None else "no KPI")
                for i in df["id"]
            ],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "fix": st.column_config.LinkColumn("Open", display_text="Open", width="small"),
            "title": st.column_config.TextColumn("Fix", width="medium"),
            "status": "Status",
            "stage": "Stage",
            "moment": st.column_config.TextColumn("Moment of truth", width="medium"),
            "lead": "Lead",
            "sponsor": "Sponsor",
            "silos": st.column_config.TextColumn("Silos", width="medium"),
            "due": st.column_config.DateColumn("Due", format="D MMM YYYY"),
            "overdue": st.column_config.CheckboxColumn("Overdue"),
            "evidence": st.column_config.TextColumn("Evidence", width="medium"),
        },
    )


def load_view(people: pd.DataFrame, silos: pd.DataFrame) -> None:
    if people.empty:
        st.info("Nobody is on an active fix right now.")
        return
    heavy = people[people["active_fixes"] >= fix_queries.OVERLOAD_AT]
    if not heavy.empty:
        names = md(", ".join(heavy["person"]))
        st.warning(
            f"{len(heavy)} {'person is' if len(heavy) == 1 else 'people are'} on "
            f"{fix_queries.OVERLOAD_AT} or more active fixes: {names}. Ask someone else before chartering the next."
        )
    else:
        st.caption(
            f"Nobody is on {fix_queries.OVERLOAD_AT} or more active fixes. Active = chartered to results, "
            "not yet celebrated or dropped."
        )
    left, right = st.columns([3, 2])
    with left:
        st.markdown("##### Per person")
        top = int(people["active_fixes"].max())
        st.dataframe(
            pd.DataFrame(
                {
                    "person": people["person"],
                    "silos": [", ".join(s) for s in people["silos"]],
                    "active": people["active_fixes"],
                    "leading": people["leading"],
                    "fixes": ["; ".join(f) for f in people["fixes"]],
                }
            ),
            hide_index=True,
            width="stretch",
            height=36 * (len(people) + 1) + 4,
            column_config={
                "person": "Person",
                "silos": "Silo",
                "active": st.column_config.ProgressColumn(
                    "Active fixes", min_value=0, max_value=max(top, fix_queries.OVERLOAD_AT), format="%d"
                ),
                "leading": st.column_config.NumberColumn("Leading", format="%d"),
                "fixes": st.column_config.TextColumn("On", width="large"),
            },
        )
    with right:
        st.markdown("##### Per silo")
        fig = go.Figure(
            go.Bar(
                x=silos["active_fixes"],
                y=[plotly_text(s) for s in silos["silo"]],
                orientation="h",
                marker_color="#1F4E79",
                text=[
                    f"{a} fix{'es' if a != 1 else ''} · {p} {'people' if p != 1 else 'person'}"
                    for a, p in zip(silos["active_fixes"], silos["people"], strict=True)
                ],
                textposition="auto",
                hovertemplate="%{y}: %{x} active fixes<extra></extra>",
            )
        )
        fig.update_layout(
            height=max(220, 34 * len(silos) + 60),
            margin={"l": 10, "r": 10, "t": 10, "b": 30},
            yaxis={"autorange": "reversed"},
            xaxis={"title": "active fixes", "dtick": 1},
        )
        st.plotly_chart(fig, key="load-silos", config={"displayModeBar": False})


def any_filter(filters: fix_queries.BoardFilter) -> bool:
    """Whether the board is filtered (an empty board then says so, not 'no fix yet')."""
    return filters != fix_queries.BoardFilter()

"""Surveys: each linked question's score, change and sparkline on the wall (one
line each on the wall screen), the stage page's trends, and the survey comments
(the newest on the wall; searched on the stage page)."""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from cxroom.formatting import fmt_survey_change
from cxroom.queries.stage import CommentFilter
from cxroom.queries.wall.months import add_months
from cxroom.queries.wall.surveys import SurveyTile
from cxroom.queries.wall.wall_data import StageColumn
from cxroom.ui import cache
from cxroom.ui.kit.format import day_text, delta_style, fmt_survey, month_label
from cxroom.ui.kit.text import md
from cxroom.ui.prose import Prose
from cxroom.ui.wall.charts import PLOT_LAYOUT
from cxroom.ui.wall.voices import personal_data_toggle, trim_at_word, voice, words_table

_SURVEY_KIND = {"nps": "NPS", "csat": "CSAT", "ces": "CES", "percent": "score"}


def surveys_block(col: StageColumn, month: date, *, key: str, prose: Prose, in_column: bool = False) -> None:
    """Each question's tile and the newest comments (the stage page)."""
    prose.heading("Surveys")
    if not col.surveys:
        prose.add(prose.note("No survey question is linked to this stage."))
        return
    prose.flush()
    prev = add_months(month, -1)
    for tile in col.surveys:
        survey_metric(tile, prev, key=f"{key}-q{tile.question_id}")
    # The newest comments of the month, masked, as plain text (one element each, like verbatims).
    for index, comment in enumerate(col.survey_comments):
        quote = f"“{trim_at_word(comment.text, 300)}”\n— {comment.survey} · {day_text(comment.answered_at)}"
        voice(quote, key=f"{key}-c{index}", boxed=not in_column)


def survey_lines(col: StageColumn, *, key: str, prose: Prose, empty_note: bool = False) -> None:
    """One line per question, score and change (the wall; the stage page has the trends)."""
    if not col.surveys:
        if empty_note:
            prose.heading("Surveys")
            prose.add(prose.note("No survey question is linked to this stage."))
        return
    prose.heading("Surveys")
    lines = []
    for tile in col.surveys:
        change = fmt_survey_change(tile.change, tile.kind)
        kind = _SURVEY_KIND.get(tile.kind, tile.kind)
        name = md(tile.survey.removesuffix(" survey"))
        score = fmt_survey(tile.score, tile.kind) if tile.n else "no answers"
        lines.append(f"{name} {kind} **{score}**" + (f" · {md(change)}" if change else ""))
    prose.add("  \n".join(lines))


def survey_metric(tile: SurveyTile, prev: date, *, key: str) -> None:
    kind = _SURVEY_KIND.get(tile.kind, tile.kind)
    change = fmt_survey_change(tile.change, tile.kind)
    st.metric(
        f"{md(tile.survey)} · {kind}",
        fmt_survey(tile.score, tile.kind) if tile.n else "no answers",
        delta=change,
        **delta_style(tile.change, 1, "normal"),
        delta_description=f"vs {prev:%b} · {tile.n:,} answers",
        chart_data=tile.spark or None,
        chart_type="line",
        help=f"“{md(tile.text)}” {_survey_help(tile.kind)} Line: the last 12 months.",
    )


def _survey_help(kind: str) -> str:
    return {
        "nps": "NPS = % promoters (9-10) − % detractors (0-6).",
        "csat": "CSAT = % answering 4 or 5 of 5.",
        "ces": "CES = mean effort score, 1-7, 7 = very easy (higher is better).",
    }.get(kind, "Mean score.")


def surveys_tab(col: StageColumn, month: date, version: int, db: str, *, key: str) -> None:
    trend = cache.survey_trend(version, db, col.stage.id, month.isoformat())
    if trend.empty:
        st.info("No survey question is linked to this stage.")
        return
    left, right = st.columns([1, 2], gap="large")
    with left, Prose() as prose:
        # The month's tiles and newest comments (the wall shows one line per question).
        surveys_block(col, month, key=f"{key}-tiles", prose=prose)
    with right:
        _survey_charts(trend, key=key)
    survey_comments(col, month, version, db, key=f"{key}-comments")


def _survey_charts(trend: Any, *, key: str) -> None:
    import plotly.graph_objects as go

    for question_id in dict.fromkeys(trend["question_id"].tolist()):
        rows = trend[trend["question_id"] == question_id].dropna(subset=["month"])
        first = trend[trend["question_id"] == question_id].iloc[0]
        kind = _SURVEY_KIND.get(str(first["kind"]), str(first["kind"]))
        st.markdown(f"**{md(first['survey'])} · {kind}** — “{md(first['text'])}”")
        if rows.empty:
            st.caption("No answers yet.")
            continue
        fig = go.Figure()
        fig.add_scatter(
            x=rows["month"],
            y=rows["score"],
            mode="lines+markers",
            customdata=rows["n"],
            hovertemplate="%{y:.1f} (%{customdata} answers)<extra></extra>",
        )
        fig.update_layout(**PLOT_LAYOUT)
        st.plotly_chart(fig, key=f"{key}-q{question_id}", config={"displayModeBar": False})
        st.caption(_survey_help(str(first["kind"])))


def survey_comments(col: StageColumn, month: date, version: int, db: str, *, key: str) -> None:
    """The open-text comments of the stage's survey responses: searched in the database, on the
    masked text unless the reader may see personal data and asks for it (as complaints)."""
    st.markdown("##### Survey comments")
    row = st.columns([3, 2, 2])
    search = row[0].text_input("Search comments", key=f"{key}-search", placeholder="e.g. delivery, prazo, refund")
    periods = {
        month_label(month): (month, add_months(month, 1)),
        "The last 12 months": (add_months(month, -11), add_months(month, 1)),
        "All time": (None, None),
    }
    period = row[1].selectbox("Answered in", list(periods), key=f"{key}-period")
    unmasked = personal_data_toggle(row[2], key=f"{key}-unmasked")
    since, until = periods[period]
    flt = CommentFilter(search=search[:200], since=since, until=until, show_personal_data=bool(unmasked))
    page = cache.survey_comments_page(version, db, col.stage.id, flt)
    words_table(
        page.rows,
        page.total,
        noun="comments",
        empty="No survey comment matches." if search else "No survey comment in this period.",
        words=("comment", "Comment"),
        unmasked=flt.show_personal_data,
        columns={
            "answered_at": st.column_config.DatetimeColumn("Answered", format="D MMM YYYY"),
            "survey": "Survey",
            "response_id": "Response",
        },
        key=f"{key}-table",
    )

"""Components of the Wall: the URL state, the month picker, one stage column,
the whole wall, and the artifact viewer.

Every component is a function taking a ``key`` (widget and container keys are
derived from it) and the view models of ``cxroom.queries.wall``; none of them
queries the database.

Customer text (verbatims, transcripts) arrives masked and is shown with
``st.text`` (never parsed as Markdown or HTML). Names typed by people in the
room (stages, KPIs, categories, titles) go into Markdown only through
``md`` (cxroom.ui.kit.text).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import streamlit as st
from pydantic import ValidationError

from cxroom import fix_status
from cxroom.insights.health import HEALTH_FORMULA, Rag
from cxroom.models import WallQuery
from cxroom.permissions import may_see_personal_data
from cxroom.queries.stage import CommentFilter, ComplaintFilter, ComplaintOptions, StageEvidence
from cxroom.queries.wall import (
    ArtifactView,
    CallView,
    ComplaintSummary,
    KpiTile,
    StageColumn,
    SurveyTile,
    WallData,
    add_months,
    default_month,
)
from cxroom.ui import cache, context, identity, theme
from cxroom.ui.kit.text import md, plotly_text
from cxroom.ui.prose import Prose

WALL_PAGE = "views/wall.py"
STAGE_PAGE = "views/stage.py"
WALL_SCREEN_REFRESH_S = 300
DEFAULT_SPOTLIGHT_S = 20
MAX_KPIS_ON_WALL = 3
MAX_ARTIFACTS_ON_WALL = 2
ROOMY_SLOTS = 3  # a wall screen with this many columns or fewer has room for top categories and a verbatim

LEGEND = (
    "Moments of truth: ✖ broken → ⚠ unreliable → ✔ reliable → ★ differentiating; key moments in bold; "
    "▲/▼ moved this month. KPIs: ✔ on target · ⚠ near target (between target and warning) · ✖ off target. "
    "Lines and bars: the last 12 months. Silos: the owner in bold."
)

# -- formatting ------------------------------------------------------------


def fmt_number(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    digits = 0 if abs(value) >= 100 else 1
    text = f"{value:,.{digits}f}"
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip()


def fmt_change(change: float | None, unit: str = "") -> str | None:
    if change is None:
        return None
    digits = 0 if abs(change) >= 100 else 1
    text = f"{change:+,.{digits}f}" if round(change, digits) != 0 else f"{0:.{digits}f}"
    if unit == "%":
        return f"{text} pts"
    return f"{text} {unit}".strip()


def fmt_pct(change: float | None) -> str | None:
    if change is None:
        return None
    return f"{change:+.0f}%" if round(change) != 0 else "0%"


def delta_style(change: float | None, digits: int = 1, colour: str = "normal") -> dict[str, Any]:
    """No arrow and no colour for a change that rounds to zero (st.metric reads "+0.0" as a rise)."""
    if change is not None and round(change, digits) == 0:
        return {"delta_color": "off", "delta_arrow": "off"}
    return {"delta_color": colour}


def fmt_survey(value: float | None, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "nps":
        return f"{value:+.0f}"
    if kind == "csat":
        return f"{value:.0f}%"
    if kind == "ces":
        return f"{value:.1f} / 7"
    return f"{value:.1f}"


def month_label(month: date) -> str:
    return f"{month:%B %Y}"


def target_text(kpi: KpiTile) -> str:
    if kpi.target is None:
        return "no target set"
    sign = "≥" if kpi.direction == "higher_better" else "≤"
    text = f"target {sign} {fmt_number(kpi.target, kpi.unit)}"
    return text


_RAG_COLOUR = {Rag.GREEN: "green", Rag.AMBER: "orange", Rag.RED: "red", Rag.NONE: "gray"}
_SURVEY_KIND = {"nps": "NPS", "csat": "CSAT", "ces": "CES", "percent": "score"}


# -- URL state ------------------------------------------------------------------


@dataclass
class WallState:
    """What the URL asked for, after validation, and what was wrong with it."""

    query: WallQuery
    spotlight_s: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def wall_screen(self) -> bool:
        return self.query.mode == "wall"


def read_wall_state(params: Mapping[str, str]) -> WallState:
    """Validate ?month, ?stage, ?mode, ?screen&of, ?spotlight one by one: a bad
    value is dropped with a message, the good ones are kept."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    for name in ("month", "stage", "mode"):
        raw = params.get(name)
        if raw in (None, ""):
            continue
        try:
            WallQuery(**{name: raw})
            values[name] = raw
        except ValidationError as exc:
            problems.append(_first_message(exc))
    if values.get("mode") not in (None, "wall"):
        problems.append(f"'{values.pop('mode')}' is not a display mode; use mode=wall for the wall screen.")
    screen, of = params.get("screen"), params.get("of")
    if screen or of:
        try:
            split = WallQuery(screen=screen or 1, of=of or 1)
            values["screen"], values["of"] = split.screen, split.of
        except ValidationError as exc:
            problems.append(f"Screen split ignored: {_first_message(exc)}")
    spotlight = 0
    raw_spot = params.get("spotlight")
    if raw_spot:
        if raw_spot.isdigit() and 5 <= int(raw_spot) <= 600:
            spotlight = int(raw_spot)
        elif raw_spot in ("1", "on", "true"):
            spotlight = DEFAULT_SPOTLIGHT_S
        else:
            problems.append("spotlight= takes seconds per stage, between 5 and 600.")
    return WallState(WallQuery(**values), spotlight, problems)


def _first_message(exc: ValidationError) -> str:
    error = exc.errors()[0]
    message = str(error.get("msg", "invalid value"))
    return message.removeprefix("Value error, ")


def resolve_month(requested: str | None, months: Sequence[date], today: date | None = None) -> tuple[date, str | None]:
    """The month to show and, when the request could not be honoured, why."""
    fallback = default_month(months, today)
    if not requested:
        return fallback, None
    wanted = date.fromisoformat(f"{requested}-01")
    if months and wanted not in months:
        return fallback, f"There is no data for {month_label(wanted)}; showing {month_label(fallback)}."
    return wanted, None


def screen_slice(items: Sequence[Any], screen: int, of: int) -> tuple[list[Any], int]:
    """The items shown on screen ``screen`` of ``of`` (contiguous, as even as
    possible, earlier screens take the remainder) and the slot count every screen uses."""
    of = max(1, min(of, max(1, len(items))))
    screen = max(1, min(screen, of))
    base, extra = divmod(len(items), of)
    start = (screen - 1) * base + min(screen - 1, extra)
    size = base + (1 if screen <= extra else 0)
    return list(items[start : start + size]), base + (1 if extra else 0)


# -- the header ------------------------------------------------------------------


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
    loaded = f"data loaded {data.loaded_at:%-d %b %Y %H:%M}" if data.loaded_at else "no data loaded yet"
    return f"Data as of {month_label(data.month)} · {loaded} · refreshed {now:%H:%M}"


# -- one stage column -----------------------------------------------------------


def health_badge(col: StageColumn, *, key: str) -> None:
    health = col.health
    st.badge(
        health.label,
        color=health.band.colour,  # type: ignore[arg-type]
        help=f"{HEALTH_FORMULA}\n\nThis month: {health.explain()}",
    )


def moments_block(col: StageColumn, *, key: str, prose: Prose) -> None:
    prose.heading("Moments of truth")
    if not col.moments:
        prose.add(prose.note("No moments of truth defined for this stage yet."))
        return
    lines = []
    for moment in col.moments:
        icon, word, colour = theme.RELIABILITY.get(moment.state, ("?", moment.state, "gray"))
        moved = {1: " ▲", -1: " ▼", 0: ""}[moment.moved]
        name = md(moment.name)
        if moment.is_key:
            name = f"**{name}**"
        lines.append(f":{colour}[{icon}\u00a0{word}{moved}] {name}")
    prose.add("  \n".join(lines))


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


def complaints_block(
    col: StageColumn,
    month: date,
    *,
    key: str,
    prose: Prose,
    wall_screen: bool = False,
    categories: int = 3,
    verbatims: int = 2,
    in_column: bool = False,
) -> None:
    """This month's complaints: count, change, 12-month bars, top categories and recent verbatims.
    The wall screen leaves out the bars and, unless told otherwise, categories and verbatims."""
    summary: ComplaintSummary | None = col.complaints
    prose.heading(f"Complaints · {month:%B}" if wall_screen else "Complaints")
    if summary is None or (summary.this_month == 0 and not any(summary.counts)):
        prose.add(prose.note("No complaints about this stage in the last 12 months."))
        return
    prose.flush()
    prev = add_months(month, -1)
    st.metric(
        f"Complaints in {month:%B}",
        f"{summary.this_month:,}",
        delta=fmt_pct(summary.change_vs_last),
        **delta_style(summary.change_vs_last, 0, "inverse"),
        delta_description=f"vs {prev:%b} ({summary.last_month:,})",
        # The wall screen has no room for a second chart per column.
        chart_data=None if wall_screen else list(summary.counts[-12:]),
        chart_type="bar",
        help="Complaints lined up to this stage by their category. Bars: the last 12 months.",
        label_visibility="collapsed" if wall_screen else "visible",
    )
    if summary.average_12:
        prose.add(
            prose.note(f"**{fmt_pct(summary.change_vs_average)}** vs the 12-month average ({summary.average_12:,.0f})")
        )
    if summary.this_month == 0:
        prose.add(prose.note("No complaints this month."))
        return
    if col.categories and categories:
        lines = []
        for cat in col.categories[:categories]:
            diff = cat.count - cat.previous
            arrow = f" ▲{diff}" if diff > 0 else (f" ▼{-diff}" if diff < 0 else "")
            lines.append(f"{md(cat.category)} · **{cat.count:,}**{arrow}")
        prose.add("  \n".join(lines))
    if col.verbatims[:verbatims]:
        prose.flush()
    for index, verbatim in enumerate(col.verbatims[:verbatims]):
        quote = f"“{_trim(verbatim.text, 160 if wall_screen else 400)}”"
        if not wall_screen:
            # The source goes in the same text element: one element per verbatim, not two.
            quote += f"\n— {verbatim.source} · {verbatim.received_at:%-d %b}"
        voice(quote, key=f"{key}-v{index}", boxed=not in_column)


def surveys_block(col: StageColumn, month: date, *, key: str, prose: Prose, in_column: bool = False) -> None:
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
        quote = f"“{_trim(comment.text, 300)}”\n— {comment.survey} · {comment.answered_at:%-d %b}"
        voice(quote, key=f"{key}-c{index}", boxed=not in_column)


def survey_lines(col: StageColumn, *, key: str, prose: Prose) -> None:
    """Wall-screen surveys: one line per question, score and change."""
    if not col.surveys:
        return
    prose.heading("Surveys")
    lines = []
    for tile in col.surveys:
        change = ""
        if tile.change is not None:
            arrow = "▲" if tile.change > 0 else ("▼" if tile.change < 0 else "=")
            change = f" {arrow}\u00a0{abs(tile.change):.1f}"
        kind = _SURVEY_KIND.get(tile.kind, tile.kind)
        name = md(tile.survey.removesuffix(" survey"))
        lines.append(f"{name} {kind} **{fmt_survey(tile.score, tile.kind)}**{change}")
    prose.add("  \n".join(lines))


def survey_metric(tile: SurveyTile, prev: date, *, key: str) -> None:
    kind = _SURVEY_KIND.get(tile.kind, tile.kind)
    change = None if tile.change is None else (f"{tile.change:+.1f}" if round(tile.change, 1) != 0 else "0.0")
    st.metric(
        f"{md(tile.survey)} · {kind}",
        fmt_survey(tile.score, tile.kind) if tile.n else "no answers",
        delta=change,
        **delta_style(tile.change, 1, "normal"),
        delta_description=f"vs {prev:%b} · n = {tile.n:,}",
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


def artifacts_block(col: StageColumn, *, key: str, prose: Prose, wall_screen: bool = False) -> None:
    prose.heading("What customers receive")
    if not col.artifacts:
        prose.add(prose.note("No artifacts hung on this stage yet."))
        return
    prose.flush()
    shown = col.artifacts[:MAX_ARTIFACTS_ON_WALL]
    with st.container(horizontal=True, key=f"{key}-artifacts", gap="small"):
        for artifact in shown:
            artifact_tile(artifact, key=f"{key}-a{artifact.id}", interactive=not wall_screen)
    if len(col.artifacts) > len(shown):
        prose.add(prose.note(f"+{len(col.artifacts) - len(shown)} more on the stage page"))


def artifact_tile(artifact: ArtifactView, *, key: str, interactive: bool = True) -> None:
    with st.container(key=f"{key}-tile", width="stretch"):
        thumb = cache.thumbnail(artifact.sha256, artifact.mime)
        if thumb is not None:
            st.image(thumb, width="stretch")
        icon = ":material/description:" if artifact.is_pdf else ":material/image:"
        label = md(artifact.title)
        if interactive:
            if st.button(label, key=f"{key}-open", type="tertiary", icon=icon, help="Open full size"):
                show_artifact(artifact)
        else:
            st.caption(f"{icon} {label}")


def _pdf_viewer_available() -> bool:
    """st.pdf works when streamlit[pdf] is installed and its component was registered at start-up."""
    try:
        import streamlit_pdf  # type: ignore[import-not-found]  # noqa: F401
    except Exception:  # ImportError, or StreamlitAPIException outside a running server (AppTest)
        return False
    return True


@st.dialog("Artifact", width="large")
def show_artifact(artifact: ArtifactView) -> None:
    """Full size: the image itself, or the PDF in the browser's own viewer."""
    st.markdown(f"### {md(artifact.title)}")
    meta = [artifact.kind.replace("_", " ")]
    if artifact.version_label:
        meta.append(f"version {artifact.version_label}")
    if artifact.issued_on:
        meta.append(f"issued {artifact.issued_on:%-d %b %Y}")
    st.caption(md(" · ".join(meta)))
    if artifact.caption:
        st.text(artifact.caption)
    if artifact.asks_of_customer:
        st.markdown(f"**What it asks of the customer:** {md(artifact.asks_of_customer)}")
    data = cache.media_bytes(artifact.sha256, artifact.mime)
    if data is None:
        st.warning("The file of this artifact is missing from the media folder.")
        return
    if artifact.is_pdf:
        # Chromium refuses to show a PDF inside a sandboxed iframe (st.iframe's), so the PDF is
        # drawn by pdf.js (st.pdf, from streamlit[pdf]) or, without it, as page images.
        if _pdf_viewer_available():
            st.pdf(data, height=900, key=f"pdf-{artifact.id}")
        else:
            pages = cache.pdf_pages(artifact.sha256, artifact.mime)
            for number, page in enumerate(pages, start=1):
                st.image(page, caption=f"Page {number}", width="stretch")
            if not pages:
                st.info("This PDF cannot be previewed here; download it to read it.")
        st.download_button(
            "Download PDF", data, file_name=f"artifact-{artifact.id}.pdf", mime="application/pdf",
            key=f"download-{artifact.id}",
        )
    else:
        st.image(data, width="stretch")


def call_block(col: StageColumn, *, key: str, prose: Prose, wall_screen: bool = False) -> None:
    prose.heading("Customer call")
    if not col.calls:
        prose.add(prose.note("No call recording on the wall for this stage."))
        return
    call_player(
        col.calls[0], key=f"{key}-call", excerpt_chars=200 if wall_screen else 320, prose=prose, in_column=True
    )


def call_player(
    call: CallView,
    *,
    key: str,
    excerpt_chars: int = 320,
    full_transcript: bool = False,
    prose: Prose | None = None,
    in_column: bool = False,
) -> None:
    """A call's title, its clip and an excerpt of its transcript; the title joins ``prose`` when given."""
    start, end = call.clip_start_s, call.clip_end
    meta = f"{call.channel} · {call.recorded_at:%-d %b %Y} · clip {_mmss(start)}–{_mmss(end)}"
    title = prose or Prose()
    title.add(f":material/headphones: **{md(call.title)}**  \n{md(meta)}")
    title.flush()
    data = cache.media_bytes(call.sha256, call.mime)
    if data is None:
        st.caption("The recording is missing from the media folder.")
    else:
        st.audio(data, format=call.mime, start_time=start, end_time=end)
    if full_transcript:
        return
    excerpt = call.excerpt(excerpt_chars)
    if excerpt:
        voice(excerpt, key=key, boxed=not in_column)


def voice(text: str, *, key: str, boxed: bool = True) -> None:
    """A customer's words, as plain text, styled as a quote by the theme. In a wall column the
    theme styles every ``st.text`` as a quote, so there it needs no container (one element, not two)."""
    if boxed:
        with st.container(key=f"voice-{key}"):
            st.text(text)
    else:
        st.text(text)


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def _mmss(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


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
        icon, word = theme.FIX_STATUS.get(fix.status, ("•", fix.status))
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
        limit = 2 if wall_screen else MAX_KPIS_ON_WALL
        kpis_block(col, month, key=f"{key}-kpis", prose=prose, limit=limit, compact=wall_screen)
        if wall_screen:
            # A wide wall-screen column has room for the top categories and one verbatim.
            complaints_block(col, month, key=slug, prose=prose, wall_screen=True, categories=1 if roomy else 0,
                             verbatims=1 if roomy else 0, in_column=True)
        else:
            complaints_block(col, month, key=slug, prose=prose, in_column=True)
        if wall_screen and roomy:
            survey_lines(col, key=f"{key}-surveys", prose=prose)
        if not wall_screen:
            surveys_block(col, month, key=f"{key}-surveys", prose=prose, in_column=True)
            artifacts_block(col, key=f"{key}-art", prose=prose, wall_screen=wall_screen)
            call_block(col, key=f"{key}-call", prose=prose, wall_screen=wall_screen)
        accountability_block(col, key=f"{key}-acc", today=today, prose=prose, compact=wall_screen)
        prose.flush()
        if not wall_screen:
            st.page_link(
                STAGE_PAGE,
                label="Open stage",
                icon=":material/arrow_forward:",
                query_params={"stage": slug, "month": month.isoformat()[:7]},
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
                    col, data.month, key=f"{key}-{col.stage.slug}", today=today, wall_screen=wall_screen,
                    roomy=slots <= ROOMY_SLOTS,
                )


def spotlight_column(columns: Sequence[StageColumn], period_s: int, now: float | None = None) -> StageColumn | None:
    """The stage in the spotlight now: each stage for ``period_s`` seconds in turn."""
    if not period_s or not columns:
        return None
    now = time.time() if now is None else now
    return columns[int(now // period_s) % len(columns)]


def spotlight_voice(col: StageColumn, *, key: str) -> None:
    """The spotlighted stage's customers, in their words (a verbatim, else the call's clip)."""
    text = ""
    if col.verbatims:
        text = f"“{_trim(col.verbatims[0].text, 180)}”"
    elif col.calls:
        text = _trim(col.calls[0].excerpt(180), 180)
    with st.container(key=f"spotlight-{key}"):
        st.markdown(f"###### In the spotlight · {md(col.stage.name)}")
        with st.container(key=f"voice-spotlight-{key}"):
            st.text(text or "No verbatim this month.")


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


def wall_page(state: WallState, *, key: str = "wall") -> None:
    """The whole wall page for a validated URL state (also the stage page's fallback)."""
    version = context.data_version()
    db = cache.db_key()
    months = cache.months(version, db)
    month, problem = resolve_month(state.query.month, months)
    if problem:
        st.warning(md(problem), icon=":material/warning:")
    data = cache.wall_data(version, db, month.isoformat())
    shown, _slots = screen_slice(data.columns, state.query.screen, state.query.of)
    spot = spotlight_column(shown, state.spotlight_s)
    wall_header(data, state, key=key, spot=spot)
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
            st.caption(
                f"{data.unassigned_this_month:,} complaints in {data.month:%B} are not yet lined up to a stage."
            )
        st.caption(stamp_text(data))


# -- the stage detail page ------------------------------------------------------

_PLOT_LAYOUT: dict[str, Any] = {
    "height": 260,
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "showlegend": False,
    "hovermode": "x unified",
}


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
    st.page_link(WALL_PAGE, label="The wall", icon=":material/arrow_back:",
                 query_params={"month": data.month.isoformat()[:7]})
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
    st.caption(f"Stage health this month: {col.health.explain()}")


def complaint_filters(options: ComplaintOptions, month: date, *, key: str) -> ComplaintFilter:
    """The complaint table's filters (default: the chosen month, newest 200)."""
    first_day = month
    last_day = date.fromordinal(add_months(month, 1).toordinal() - 1)
    row1 = st.columns([3, 2, 2])
    search = row1[0].text_input(
        "Search verbatims, categories and ids", key=f"{key}-search", placeholder="e.g. refund, fee, LMC-0031"
    )
    period = row1[1].date_input(
        "Received between",
        value=(first_day, last_day),
        min_value=options.first or first_day,
        max_value=max(options.last or last_day, last_day),
        key=f"{key}-period-{month:%Y%m}",
        format="DD/MM/YYYY",
    )
    limit = row1[2].selectbox("Rows shown", [50, 200, 500], index=1, key=f"{key}-limit")
    row2 = st.columns([3, 2, 2, 2])
    categories = row2[0].multiselect("Categories", options.categories, key=f"{key}-cats")
    sources = row2[1].multiselect("Sources", options.sources, key=f"{key}-sources")
    severities = row2[2].multiselect("Severity", options.severities, key=f"{key}-sev")
    with_text = row2[3].checkbox("Only with a verbatim", key=f"{key}-text")
    # Personal data is masked for everyone by default (the table may be on a shared
    # screen); a role that may read it unmasked asks for it, and search then reads it too.
    unmasked = may_see_personal_data(identity.acting_user().role) and row2[3].checkbox(
        "Show personal data", key=f"{key}-unmasked",
        help="Show e-mail addresses, phone, card and account numbers as imported, and search in them.",
    )
    since = until = None
    if isinstance(period, tuple | list):
        if len(period) >= 1:
            since = period[0]
        if len(period) == 2:
            until = period[1]
    elif isinstance(period, date):
        since = until = period
    return ComplaintFilter(
        search=search[:200],
        categories=tuple(categories),
        sources=tuple(sources),
        severities=tuple(severities),
        since=since,
        until=until,
        with_text_only=with_text,
        limit=int(limit),
        show_personal_data=bool(unmasked),
    )


def complaints_tab(col: StageColumn, month: date, version: int, db: str, *, key: str) -> None:
    import plotly.express as px

    summary = col.complaints
    if summary is None or not any(summary.counts):
        st.info("No complaints are lined up to this stage in the last 12 months.")
    left, right = st.columns([1, 2], gap="large")
    with left, st.container(key=f"compact-{col.stage.slug}-summary"):
        if summary is not None and any(summary.counts):
            with Prose() as prose:
                complaints_block(col, month, key=f"{key}-summary", prose=prose)
    trend = cache.complaint_trend(version, db, col.stage.id, month.isoformat())
    if not trend.empty:
        trend = trend.assign(category=trend["category"].map(plotly_text))  # plotly renders some HTML tags
        fig = px.bar(
            trend, x="month", y="n", color="category", title="Complaints per month, by category (24 months)",
            labels={"n": "complaints", "month": ""}, color_discrete_sequence=px.colors.qualitative.Safe,
        )
        fig.update_layout(**{**_PLOT_LAYOUT, "height": 380, "showlegend": True, "legend_title_text": ""})
        fig.update_layout(legend={"orientation": "h", "y": -0.15})
        with right:
            st.plotly_chart(fig, key=f"{key}-trend", config={"displayModeBar": False})
    options = cache.complaint_options(version, db, col.stage.id)
    if not options.categories:
        return
    flt = complaint_filters(options, month, key=f"{key}-flt")
    page = cache.complaints_page(version, db, col.stage.id, flt)
    shown = len(page.rows)
    st.markdown(f"**{page.total:,}** complaints match · showing the newest **{shown:,}**")
    if page.total == 0:
        st.caption("Nothing matches these filters.")
        return
    st.dataframe(
        page.rows,
        hide_index=True,
        width="stretch",
        column_config={
            "received_at": st.column_config.DatetimeColumn("Received", format="D MMM YYYY HH:mm"),
            "source": "Source",
            "channel": "Channel",
            "category": "Category",
            "subcategory": "Subcategory",
            "severity": "Severity",
            "verbatim": st.column_config.TextColumn(
                "Verbatim (as imported)" if flt.show_personal_data else "Verbatim (personal data masked)",
                width="large",
            ),
            "external_id": "Id",
        },
        key=f"{key}-table",
    )


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
                    fig.add_hline(y=float(value), line_dash=dash, line_color="#888",
                                  annotation_text=plotly_text(f"{label} {fmt_number(float(value), unit)}"))
            fig.update_layout(**_PLOT_LAYOUT, title=name)
            fig.update_yaxes(ticksuffix="%" if unit == "%" else "")
            st.plotly_chart(fig, key=f"{key}-kpi{kpi_id}", config={"displayModeBar": False})
            if first["definition"]:
                st.caption(md(first["definition"]))


def _isnan(value: Any) -> bool:
    try:
        return bool(value != value)
    except Exception:
        return False


def surveys_tab(col: StageColumn, month: date, version: int, db: str, *, key: str) -> None:
    import plotly.graph_objects as go

    trend = cache.survey_trend(version, db, col.stage.id, month.isoformat())
    if trend.empty:
        st.info("No survey question is linked to this stage.")
        return
    for question_id in dict.fromkeys(trend["question_id"].tolist()):
        rows = trend[trend["question_id"] == question_id].dropna(subset=["month"])
        first = trend[trend["question_id"] == question_id].iloc[0]
        kind = _SURVEY_KIND.get(str(first["kind"]), str(first["kind"]))
        st.markdown(f"**{md(first['survey'])} · {kind}** — “{md(first['text'])}”")
        if rows.empty:
            st.caption("No answers yet.")
            continue
        fig = go.Figure()
        fig.add_scatter(x=rows["month"], y=rows["score"], mode="lines+markers", customdata=rows["n"],
                        hovertemplate="%{y:.1f} (n = %{customdata})<extra></extra>")
        fig.update_layout(**_PLOT_LAYOUT)
        st.plotly_chart(fig, key=f"{key}-q{question_id}", config={"displayModeBar": False})
        st.caption(_survey_help(str(first["kind"])))
    survey_comments(col, month, version, db, key=f"{key}-comments")


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
    unmasked = may_see_personal_data(identity.acting_user().role) and row[2].checkbox(
        "Show personal data", key=f"{key}-unmasked",
        help="Show e-mail addresses, phone, card and account numbers as imported, and search in them.",
    )
    since, until = periods[period]
    flt = CommentFilter(search=search[:200], since=since, until=until, show_personal_data=bool(unmasked))
    page = cache.survey_comments_page(version, db, col.stage.id, flt)
    st.markdown(f"**{page.total:,}** comments match · showing the newest **{len(page.rows):,}**")
    if page.total == 0:
        st.caption("No survey comment matches." if search else "No survey comment in this period.")
        return
    st.dataframe(
        page.rows,
        hide_index=True,
        width="stretch",
        column_config={
            "answered_at": st.column_config.DatetimeColumn("Answered", format="D MMM YYYY"),
            "survey": "Survey",
            "comment": st.column_config.TextColumn(
                "Comment (as imported)" if flt.show_personal_data else "Comment (personal data masked)",
                width="large",
            ),
            "response_id": "Response",
        },
        key=f"{key}-table",
    )


def artifacts_gallery(artifacts: Sequence[ArtifactView], *, key: str) -> None:
    if not artifacts:
        st.info("No artifacts hang on this stage yet: letters, bills, e-mails and web pages customers receive.")
        return
    per_row = 4
    for start in range(0, len(artifacts), per_row):
        row = st.columns(per_row)
        for slot, artifact in zip(row, artifacts[start : start + per_row], strict=False):
            with slot, st.container(border=True, key=f"{key}-{artifact.id}"):
                thumb = cache.thumbnail(artifact.sha256, artifact.mime)
                if thumb is not None:
                    st.image(thumb, width="stretch")
                st.markdown(f"**{md(artifact.title)}**")
                meta = [artifact.kind.replace("_", " ")]
                if artifact.moment_name:
                    meta.append(artifact.moment_name)
                st.caption(md(" · ".join(meta)))
                if artifact.caption:
                    st.text(artifact.caption)
                if st.button("Open full size", key=f"{key}-{artifact.id}-open", icon=":material/open_in_full:"):
                    show_artifact(artifact)


def calls_list(calls: Sequence[CallView], *, key: str) -> None:
    if not calls:
        st.info("No call recordings for this stage yet.")
        return
    for call in calls:
        with st.container(border=True, key=f"{key}-{call.id}"):
            call_player(call, key=f"{key}-{call.id}", full_transcript=True)
            if call.transcript:
                lines = []
                clip = {id(s) for s in call.clip_segments()}
                for seg in call.transcript:
                    mark = "▶ " if id(seg) in clip else "  "
                    lines.append(f"{mark}{_mmss(seg.start)}  {seg.speaker}: {seg.text}")
                with st.expander("Transcript (▶ the highlighted clip; personal data masked)"):
                    st.text("\n".join(lines))
            else:
                st.caption("No transcript.")


def moments_and_fixes(evidence: StageEvidence, *, key: str, today: date) -> None:
    import pandas as pd

    st.markdown("##### Moments of truth")
    if not evidence.moments:
        st.info("No moments of truth defined for this stage yet.")
    for moment in evidence.moments:
        icon, word, colour = theme.RELIABILITY.get(moment.state, ("?", moment.state, "gray"))
        name = f"**{md(moment.name)}**" if moment.is_key else md(moment.name)
        st.markdown(f":{colour}[{icon}\u00a0{word}] {name} — {md(moment.description)}")
        moves = [c for c in moment.changes if c[1] is not None]
        if moves:
            st.caption(
                md(
                    " · ".join(f"{when:%-d %b %Y}: {frm} → {to} ({why})" for when, frm, to, _who, why in moves)
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
                "Status": f"{theme.FIX_STATUS.get(f.status, ('', f.status))[0]} {f.status}",
                "Lead": f.lead,
                "Sponsor": f.sponsor,
                "Chartered": f.chartered_on,
                "Due": f.due_on,
                "Overdue": f.overdue(today),
                "Moment": f.moment_name or "",
            }
            for f in evidence.fixes
        ]
    )
    st.dataframe(table, hide_index=True, width="stretch", key=f"{key}-fixes")


def stage_page(state: WallState, *, key: str = "sd") -> None:
    """The stage detail for ?stage=<slug>; an unknown slug falls back to the wall."""
    version = context.data_version()
    db = cache.db_key()
    months = cache.months(version, db)
    month, problem = resolve_month(state.query.month, months)
    if problem:
        st.warning(md(problem), icon=":material/warning:")
    data = cache.wall_data(version, db, month.isoformat())
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
    tabs = st.tabs(
        [
            f"Complaints ({col.complaints.this_month:,})" if col.complaints else "Complaints",
            f"KPIs ({len(col.kpis)})",
            f"Surveys ({len(col.surveys)})",
            f"Artifacts ({len(evidence.artifacts)})",
            f"Calls ({len(evidence.calls)})",
            "Moments & fixes",
        ]
    )
    with tabs[0]:
        complaints_tab(col, data.month, version, db, key=f"{key}-complaints")
    with tabs[1]:
        kpis_tab(col, data.month, version, db, key=f"{key}-kpis")
    with tabs[2]:
        surveys_tab(col, data.month, version, db, key=f"{key}-surveys")
    with tabs[3]:
        artifacts_gallery(evidence.artifacts, key=f"{key}-gallery")
    with tabs[4]:
        calls_list(evidence.calls, key=f"{key}-calls")
    with tabs[5]:
        moments_and_fixes(evidence, key=f"{key}-mf", today=date.today())

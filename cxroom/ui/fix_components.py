"""Components of the team-fix tracker: cached reads, the board and list, the
load view, the fix page's panels and forms, the evidence chart, and the
celebrations wall.

Every component takes a ``key`` where it creates widgets or keyed
containers. Reads are cached with ``st.cache_data`` keyed on the data version
and the database path (never on a DataFrame). Writes go through
``cxroom.services`` inside ``run_action``, which shows a refused write as
``st.error`` with the room's own message (never a traceback).

Text typed by people (titles, problems, notes, names) is shown with
``st.text`` or, inside Markdown, escaped by ``md``: never as markup.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pydantic import ValidationError

from cxroom.errors import CxroomError, InvalidInputError
from cxroom.insights import fix_evidence as fe
from cxroom.models import FixCreate, FixMember, FixStatus, Reliability, ReliabilityChange
from cxroom.queries import fixes as fix_queries
from cxroom.services import fixes as fix_service
from cxroom.services import room as room_service
from cxroom.ui import cache, context, navigation
from cxroom.ui import submits as submits_ui
from cxroom.ui.kit.actor import acting_actor as acting_user  # who is acting: the kit's one rule, no fallback
from cxroom.ui.kit.text import md, plotly_text

FIXES_PAGE = "views/fixes.py"
FIX_PAGE = "views/fix.py"
CELEBRATIONS_PAGE = "views/celebrations.py"
REVIEW_PAGE = "views/review.py"  # the reviews issue's page: ?review=<id>
MEMBER_ROWS = 6  # the lead plus five more; a bigger team is edited on the fix page in turns
FLASH = "fix-flash"

STATUS = {
    "chartered": ("◔", "Chartered", "blue"),
    "diagnosing": ("◑", "Diagnosing", "blue"),
    "recommending": ("◕", "Recommending", "violet"),
    "implementing": ("⚙", "Implementing", "orange"),
    "results": ("●", "Results", "green"),
    "celebrated": ("★", "Celebrated", "green"),
    "dropped": ("○", "Dropped", "gray"),
}
BOARD_STATUSES = ["chartered", "diagnosing", "recommending", "implementing", "results", "celebrated"]
RELIABILITY = {
    "broken": ("✖", "Broken"),
    "unreliable": ("⚠", "Unreliable"),
    "reliable": ("✔", "Reliable"),
    "differentiating": ("★", "Differentiating"),
}
BASIS = {
    "target_met": (":material/flag:", "Target met"),
    "improved": (":material/trending_up:", "Proven improvement"),
    "override": (":material/front_hand:", "Sponsor's override"),
    "legacy": (":material/history:", "Celebrated before evidence was recorded"),
}
VERDICT_ICON = {
    "improved": ":material/trending_up:",
    "no_change": ":material/trending_flat:",
    "worse": ":material/trending_down:",
    "too_little_data": ":material/hourglass_empty:",
}
OVERDUE_ICON = ":material/alarm:"
DUE_ICON = ":material/event:"
TARGET_ICON = ":material/flag:"


# Static CSS (nothing from the database goes in): kanban lanes, cards, the
# celebrations wall. Keyed containers get a class "st-key-<key>".
CSS = """
<style>
[class*="st-key-board-lane-"] {
  background: #F3F5F8;
  border-radius: 0.6rem;
  padding: 0.6rem 0.5rem 0.8rem 0.5rem;
  min-height: 12rem;
}
[class*="st-key-board-card-"] {
  background: #FFFFFF;
  border-left: 5px solid #1F4E79 !important;
}
[class*="st-key-board-card-overdue-"] {
  border-left-color: #B91C1C !important;
}
[class*="st-key-board-card-"] [data-testid="stPageLink"] p {
  white-space: normal;
  font-size: 1.02rem;
  line-height: 1.3;
}
[class*="st-key-celebration-"] {
  background: linear-gradient(180deg, #FFFBEB 0%, #FFFFFF 9rem);
  border-top: 6px solid #D4A017 !important;
}
</style>
"""


def style() -> None:
    """Inject the tracker's static CSS (call once per page)."""
    st.html(CSS)


# -- who and when ------------------------------------------------------------------------


def today() -> date:
    return date.today()


# -- safe text ---------------------------------------------------------------------------

def status_label(status: str) -> str:
    icon, word, _ = STATUS.get(status, ("•", status, "gray"))
    return f"{icon} {word}"


def _when(value: Any) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, datetime):
        return f"{value:%d %b %Y, %H:%M}"
    if isinstance(value, date):
        return f"{value:%d %b %Y}"
    return str(value)


def due_text(due_on: date | None, status: str, *, today_: date) -> tuple[str, str]:
    """('Overdue by 12 days', 'red') or ('Due 3 Mar 2026', 'gray')."""
    if due_on is None:
        return "No due date", "gray"
    if status in fix_queries.OVERDUE_STATUSES and due_on < today_:
        days = (today_ - due_on).days
        return f"Overdue by {days} day{'s' if days != 1 else ''}", "red"
    if status in fix_queries.OVERDUE_STATUSES and (due_on - today_).days <= 14:
        return f"Due {due_on:%d %b %Y}", "orange"
    return f"Due {due_on:%d %b %Y}", "gray"


def _list(value: Any) -> list[Any]:
    """A DuckDB list column as a Python list (pandas hands back numpy arrays)."""
    return [] if value is None else list(value)


def _date(value: Any) -> date | None:
    """A date from what pandas or DuckDB hand back (None, NaT, Timestamp, datetime, date)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    return value


# -- cached reads ------------------------------------------------------------------------


def _db() -> str:
    return str(context.settings().db_path)


@st.cache_data(show_spinner=False, max_entries=32)
def _board(data_version: int, db: str, today_iso: str, filters: fix_queries.BoardFilter) -> pd.DataFrame:
    del data_version, db
    return fix_queries.board(context.store(), today=date.fromisoformat(today_iso), filters=filters)


@st.cache_data(show_spinner=False, max_entries=8)
def _verdicts(data_version: int, db: str) -> dict[int, list[fix_queries.KpiVerdict]]:
    del data_version, db
    return fix_queries.board_verdicts(context.store())


@st.cache_data(show_spinner=False, max_entries=32)
def _detail(data_version: int, db: str, fix_id: int, today_iso: str) -> fix_queries.FixDetail | None:
    del data_version, db
    return fix_queries.fix_detail(context.store(), fix_id, today=date.fromisoformat(today_iso))


@st.cache_data(show_spinner=False, max_entries=32)
def _evidence(data_version: int, db: str, fix_id: int) -> fix_service.FixEvidence:
    del data_version, db
    return fix_service.load_evidence(context.store(), fix_id)


@st.cache_data(show_spinner=False, max_entries=8)
def _load(data_version: int, db: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    del data_version, db
    store = context.store()
    return fix_queries.load_by_person(store), fix_queries.load_by_silo(store)


@st.cache_data(show_spinner=False, max_entries=8)
def _celebrations(data_version: int, db: str) -> pd.DataFrame:
    del data_version, db
    return fix_queries.celebrations(context.store())


@st.cache_data(show_spinner=False, max_entries=8)
def _options(data_version: int, db: str) -> fix_queries.CharterOptions:
    del data_version, db
    return fix_queries.charter_options(context.store())


@st.cache_data(show_spinner=False, max_entries=8)
def _choices(data_version: int, db: str) -> list[tuple[int, str, str]]:
    del data_version, db
    return fix_queries.fix_choices(context.store())


def board_data(filters: fix_queries.BoardFilter) -> pd.DataFrame:
    return _board(context.data_version(), _db(), today().isoformat(), filters)


def verdicts() -> dict[int, list[fix_queries.KpiVerdict]]:
    return _verdicts(context.data_version(), _db())


def detail(fix_id: int) -> fix_queries.FixDetail | None:
    return _detail(context.data_version(), _db(), fix_id, today().isoformat())


def evidence(fix_id: int) -> fix_service.FixEvidence:
    return _evidence(context.data_version(), _db(), fix_id)


def load() -> tuple[pd.DataFrame, pd.DataFrame]:
    return _load(context.data_version(), _db())


def celebrations() -> pd.DataFrame:
    return _celebrations(context.data_version(), _db())


def options() -> fix_queries.CharterOptions:
    return _options(context.data_version(), _db())


def choices() -> list[tuple[int, str, str]]:
    return _choices(context.data_version(), _db())


# -- writes ------------------------------------------------------------------------------


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        where = ".".join(str(p) for p in error.get("loc", ()) if not isinstance(p, int))
        parts.append(message if not where else f"{where.replace('_', ' ')}: {message}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def run_action(action: Callable[[], Any], *, success: str, key: str) -> Any:
    """Run one write; show the room's message on refusal, flash ``success`` after the rerun.

    Returns the action's result, or None when it was refused (the error is
    shown under the form that caused it).
    """
    try:
        result = action()
    except ValidationError as exc:
        st.error(md(_validation_message(exc)), icon=":material/error:")
        return None
    except CxroomError as exc:
        st.error(md(str(exc)), icon=":material/error:")
        return None
    st.session_state[FLASH] = (key, success)
    return result if result is not None else True


def show_flash() -> None:
    """The message of the write that caused this rerun (escaped: it may name things people typed)."""
    flash = st.session_state.pop(FLASH, None)
    if flash:
        st.success(md(flash[1]), icon=":material/check_circle:")


def _seen_key(fix_id: int) -> str:
    return f"fix-{fix_id}-seen-version"


def seen_version(fix_id: int, current: int) -> int:
    """The version of the fix this session opened: the one its edits claim to change."""
    key = _seen_key(fix_id)
    if key not in st.session_state:
        st.session_state[key] = int(current)
    return int(st.session_state[key])


def forget_seen_version(fix_id: int) -> None:
    st.session_state.pop(_seen_key(fix_id), None)


def _done(fix_id: int | None = None) -> None:
    if fix_id is not None:
        forget_seen_version(fix_id)
    st.rerun()


# -- filters, board and list ----------------------------------------------------------------


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
            FIX_PAGE, label=f"**{md(row['title'])}**", query_params={"fix": str(fix_id)}, width="stretch",
            text_otherwise=True,
        )
        where = md(row["stage"]) + (f" · {md(row['moment'])}" if row.get("moment") else "")
        st.caption(where)
        st.markdown(
            f"**Lead** {md(row['lead'])}  \n**Sponsor** {md(row['sponsor'])}",
        )
        silos = _list(row.get("silos"))
        st.caption(f"{len(silos)} silos: " + md(", ".join(silos)))
        due, colour = due_text(_date(row["due_on"]), str(row["status"]), today_=today())
        badges = st.container(horizontal=True, gap="small")
        with badges:
            if row["status"] not in ("celebrated", "dropped"):
                st.badge(due, color=colour, icon=OVERDUE_ICON if colour == "red" else DUE_ICON)  # type: ignore[arg-type]
            verdict = _verdict_of(kpis)
            if _any_target_met(kpis):
                st.badge("Target met", color="green", icon=TARGET_ICON)
            elif verdict is not None:
                st.badge(verdict.label, color=verdict.colour, icon=VERDICT_ICON[verdict.value])  # type: ignore[arg-type]


def board(df: pd.DataFrame, all_verdicts: dict[int, list[fix_queries.KpiVerdict]], *, key: str) -> None:
    statuses = list(BOARD_STATUSES)
    if (df["status"] == "dropped").any():
        statuses.append("dropped")
    columns = st.columns(len(statuses), gap="small")
    records = df.to_dict("records")
    for column, status in zip(columns, statuses, strict=True):
        rows = [r for r in records if r["status"] == status]
        with column, st.container(key=f"{key}-lane-{status}"):
            overdue = sum(1 for r in rows if r["overdue"])
            head = f"##### {status_label(status)} · {len(rows)}"
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
            "due": [_date(d) for d in df["due_on"]],
            "overdue": df["overdue"].astype(bool),
            "evidence": [
                "⚑ target met"
                if _any_target_met(all_verdicts.get(int(i), []))
                else (
                    f"{v.icon} {v.label}" if (v := _verdict_of(all_verdicts.get(int(i), []))) is not None else "no KPI"
                )
                for i in df["id"]
            ],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "fix": st.column_config.LinkColumn("Open", display_text="Open ↗", width="small"),
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


# -- the charter form ---------------------------------------------------------------------------


def charter_form(opts: fix_queries.CharterOptions, *, key: str) -> int | None:
    """The form that charters a new fix; returns the new fix's id once chartered."""
    if not opts.stages:
        st.info("The room has no stages yet, so there is nothing to charter a fix for.")
        return None
    stage_names = dict(opts.stages)
    stage = st.selectbox(
        "Stage of the customer experience", list(stage_names), format_func=stage_names.get, key=f"{key}-stage"
    )
    moments = opts.moments_of(stage)
    kpis = opts.kpis_of(stage)
    # Enter in a one-line field must not charter half a team: submit with the button only.
    with st.form(f"{key}-form", border=True, enter_to_submit=False):
        title = st.text_input("Title", max_chars=200, key=f"{key}-title", placeholder="e.g. Call back every new claim")
        problem = st.text_area(
            "Problem statement",
            key=f"{key}-problem",
            placeholder="What customers live through, in their words; at least a sentence.",
            height=90,
        )
        moment = st.selectbox(
            "Moment of truth",
            [None, *[m["name"] for m in moments]],
            format_func=lambda m: "— the whole stage —" if m is None else m,
            key=f"{key}-moment",
        )
        a, b = st.columns(2)
        sponsor = a.text_input("Sponsor (the leader who owns the outcome)", key=f"{key}-sponsor")
        review_ids = [None, *[int(r["id"]) for r in opts.reviews]]
        review_titles = {int(r["id"]): str(r["title"]) for r in opts.reviews}
        review = b.selectbox(
            "Chartered at review",
            review_ids,
            format_func=lambda r: "— not at a review —" if r is None else review_titles[r],
            key=f"{key}-review",
        )
        st.markdown("**Team** — members from at least two silos; the first row is the lead.")
        members = team_rows(opts.silos, [], key=key)
        c, d = st.columns(2)
        chartered_on = c.date_input("Chartered on", value=today(), key=f"{key}-chartered", format="DD/MM/YYYY")
        due_on = d.date_input(
            "Due", value=today() + timedelta(days=90), key=f"{key}-due", format="DD/MM/YYYY", min_value=None
        )
        kpi_labels = {
            k["name"]: f"{k['name']} ({k['readings']} readings)" if k["readings"] else f"{k['name']} (no readings yet)"
            for k in kpis
        }
        kpi_names = st.multiselect(
            "KPIs that will prove it (baseline captured at charter from the last reading before it)",
            list(kpi_labels),
            format_func=kpi_labels.get,
            key=f"{key}-kpis",
        )
        submitted = st.form_submit_button("Charter the team", type="primary", key=f"{key}-submit")
    if not submitted:
        # An active fix on the same moment (or with the same title) held the last charter back.
        anyway = submits_ui.similar_warning(key, page=FIX_PAGE, param="fix", confirm="Charter a new team anyway")
        if anyway is None:
            return None
        held, again = anyway
        new_id = run_action(
            lambda: fix_service.charter_fix(context.store(), held, actor=acting_user(), nonce=again),
            success="The team is chartered.",
            key=key,
        )
        return int(new_id) if new_id else None
    lead = members[0].person if members else ""

    def charter() -> int:
        data = FixCreate(
            title=title,
            problem=problem,
            stage_slug=stage,
            moment_name=moment,
            sponsor=sponsor,
            lead=lead,
            members=_validated_team(members),
            chartered_on=chartered_on,
            due_on=due_on,
            chartered_review_id=review,
            kpi_names=kpi_names,
        )
        # Keyed on this form's nonce: a second click returns the fix the first one chartered.
        return submits_ui.first_send(
            key,
            data,
            lambda nonce: fix_service.charter_fix_once(
                context.store(), data, actor=acting_user(), nonce=nonce, allow_similar=False
            ).id,
        )

    new_id = run_action(charter, success="The team is chartered.", key=key)
    return int(new_id) if new_id else None


def team_rows(silos: Sequence[str], current: Sequence[dict[str, Any]], *, key: str) -> list[FixMember]:
    """Name + silo rows (inside a form); rows left empty are ignored. Raises nothing."""
    members: list[FixMember] = []
    rows = max(MEMBER_ROWS, len(current) + 2)
    options = [None, *silos]
    for i in range(rows):
        person0 = str(current[i]["person"]) if i < len(current) else ""
        silo0 = current[i]["silo"] if i < len(current) else None
        a, b = st.columns([3, 2])
        person = a.text_input(
            "Lead" if i == 0 else f"Member {i + 1}",
            value=person0,
            key=f"{key}-person-{i}",
            label_visibility="visible" if i < 2 else "collapsed",
            placeholder="Lead's name" if i == 0 else "Name",
        )
        silo = b.selectbox(
            "Silo",
            options,
            index=options.index(silo0) if silo0 in options else 0,
            format_func=lambda s: "— silo —" if s is None else s,
            key=f"{key}-silo-{i}",
            label_visibility="visible" if i < 2 else "collapsed",
        )
        if person.strip() or silo:
            members.append(_member(person, silo))
    return members


def _member(person: str, silo: str | None) -> FixMember:
    """A FixMember, or one that fails validation later with a readable message."""
    return FixMember.model_construct(person=person.strip(), silo_name=silo or "")


def _validated_team(members: Sequence[FixMember]) -> list[FixMember]:
    problems = []
    for m in members:
        if not m.person:
            problems.append(f"a row with silo {m.silo_name} has no name")
        elif not m.silo_name:
            problems.append(f"{m.person} has no silo")
    if problems:
        raise InvalidInputError("Team: " + "; ".join(problems) + ".")
    return [FixMember(person=m.person, silo_name=m.silo_name) for m in members]


# -- the fix page -------------------------------------------------------------------------------


def fix_id_from_url() -> int | None:
    raw = st.query_params.get("fix")
    if raw is None or raw == "":
        return None
    try:
        value = int(str(raw))
    except ValueError:
        st.error(f"'{md(raw)}' is not a fix number; open a fix from the board.")
        return None
    return value if value > 0 else None


def fix_picker(*, key: str) -> int | None:
    items = choices()
    if not items:
        st.info("No fix has been chartered yet. Charter one on the Fixes page.")
        navigation.page_link(FIXES_PAGE, label="Go to the fix board", icon=":material/view_kanban:")
        return None
    labels = {i: f"#{i} · {t} ({status_label(s)})" for i, t, s in items}
    chosen = st.selectbox("Open a fix", [None, *labels], format_func=lambda i: "—" if i is None else labels[i], key=key)
    if chosen is not None:
        st.query_params["fix"] = str(chosen)
        st.rerun()
    return None


def fix_header(d: fix_queries.FixDetail) -> None:
    fix = d.fix
    navigation.page_link(FIXES_PAGE, label="All fixes", icon=":material/arrow_back:")
    st.title(md(fix["title"]), anchor=False)
    where = md(fix["stage"]) + (f" · moment of truth: **{md(fix['moment'])}**" if fix.get("moment") else "")
    if fix.get("reliability"):
        icon, word = RELIABILITY[str(fix["reliability"])]
        where += f" · {icon} {word}"
    st.markdown(where)
    row = st.container(horizontal=True, gap="small")
    with row:
        icon, word, colour = STATUS[str(fix["status"])]
        st.badge(f"{icon} {word}", color=colour)  # type: ignore[arg-type]
        if fix["status"] not in ("celebrated", "dropped"):
            due, due_colour = due_text(_date(fix["due_on"]), str(fix["status"]), today_=today())
            icon = OVERDUE_ICON if due_colour == "red" else DUE_ICON
            st.badge(due, color=due_colour, icon=icon)  # type: ignore[arg-type]
        silos = fix_queries.silo_names(d.members)
        st.badge(f"{len(d.members)} people · {len(silos)} silos", color="gray")
    cols = st.columns(4)
    cols[0].markdown(f"**Sponsor**  \n{md(fix['sponsor'])}")
    cols[1].markdown(f"**Lead**  \n{md(fix['lead'])}")
    with cols[2]:
        st.markdown(f"**Chartered**  \n{_when(fix['chartered_on'])}")
        if fix.get("chartered_review"):
            review_link(int(fix["chartered_review_id"]), f"at {fix['chartered_review']}")
    with cols[3]:
        st.markdown("**Presented at**")
        for p in d.presentations:
            review_link(int(p["review_id"]), str(p["title"]))
        if not d.presentations:
            st.markdown("not yet")
    if d.celebration is not None:
        c = d.celebration
        icon, word = BASIS.get(str(c["basis"]), BASIS["legacy"])
        text = str(c["override_reason"] if c["basis"] == "override" else c["evidence"])
        st.success(
            f"**Celebrated {_when(c['celebrated_at'])}** by {md(c['celebrated_by'])} · {word}: {md(text)}",
            icon=icon,
        )


def problem(d: fix_queries.FixDetail) -> None:
    st.markdown("##### The problem")
    st.text(str(d.fix["problem"]))


def review_link(review_id: int, title: str) -> None:
    """A link to the review's page for those who may open it; its title as text for everyone else."""
    navigation.page_link(
        REVIEW_PAGE, label=md(title), query_params={"review": str(review_id)}, icon=":material/groups:",
        text_otherwise=True,
    )


def story(d: fix_queries.FixDetail) -> None:
    fix = d.fix
    st.markdown("### What the team found and did")
    for field, title, empty in (
        ("findings", "Findings", "The team has not written its findings yet."),
        ("recommendations", "Recommendations", "No recommendations yet."),
        ("results", "Results", "No results reported yet."),
    ):
        st.markdown(f"##### {title}")
        text = str(fix[field] or "").strip()
        if text:
            st.text(text)
        else:
            st.caption(empty)


def evidence_chart(series: fix_service.SeriesEvidence, *, key: str) -> go.Figure:
    ev = series.evidence
    x = [r.period for r in series.readings]
    y = [r.value for r in series.readings]
    fig = go.Figure()
    if ev.limits is not None and ev.before_from is not None:
        end = x[-1] if x else ev.charter
        fig.add_trace(
            go.Scatter(
                x=[ev.before_from, end, end, ev.before_from],
                y=[ev.limits.lower, ev.limits.lower, ev.limits.upper, ev.limits.upper],
                fill="toself",
                mode="lines",
                fillcolor="rgba(120,130,150,0.12)",
                line={"width": 0},
                hoverinfo="skip",
                name="Baseline noise (±3σ)",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines+markers",
            name=plotly_text(series.name),
            line={"color": "#1F4E79", "width": 2},
            marker={"size": 6},
            hovertemplate="%{x|%b %Y}: %{y:.1f}<extra></extra>",
        )
    )
    if ev.before_mean is not None and ev.before_from is not None and ev.before_to is not None:
        fig.add_trace(
            go.Scatter(
                x=[ev.before_from, ev.before_to],
                y=[ev.before_mean, ev.before_mean],
                mode="lines",
                line={"color": "#6B7280", "width": 3},
                name=f"Before: {ev.before_mean:.1f}",
                hoverinfo="skip",
            )
        )
    if ev.after_mean is not None and ev.after_from is not None and ev.after_to is not None:
        colour = {"improved": "#15803D", "worse": "#B91C1C"}.get(ev.verdict.value, "#6B7280")
        fig.add_trace(
            go.Scatter(
                x=[ev.after_from, ev.after_to],
                y=[ev.after_mean, ev.after_mean],
                mode="lines",
                line={"color": colour, "width": 3},
                name=f"Since: {ev.after_mean:.1f}",
                hoverinfo="skip",
            )
        )
    if series.target is not None:
        fig.add_hline(
            y=series.target,
            line={"color": "#15803D", "dash": "dash", "width": 1.5},
            annotation_text=f"target {series.target:g}",
            annotation_position="top left",
        )
    charter = datetime(ev.charter.year, ev.charter.month, ev.charter.day)
    fig.add_shape(
        type="line",
        x0=charter,
        x1=charter,
        y0=0,
        y1=1,
        yref="paper",
        line={"color": "#C2410C", "width": 2, "dash": "dot"},
    )
    # Label on the side with room: left of the line when the charter is late in the range.
    late = bool(x) and (charter - datetime.combine(x[0], datetime.min.time())) > (
        datetime.combine(x[-1], datetime.min.time()) - charter
    )
    fig.add_annotation(
        x=charter,
        y=1,
        yref="paper",
        text=f"chartered {ev.charter:%d %b %Y}",
        showarrow=False,
        xanchor="right" if late else "left",
        yanchor="bottom",
        font={"color": "#C2410C"},
    )
    fig.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.18},
        yaxis={"title": plotly_text(series.unit)},
        xaxis={"range": [x[0] - timedelta(days=20), x[-1] + timedelta(days=20)]} if x else {},
    )
    del key
    return fig


def evidence_section(fe_all: fix_service.FixEvidence, *, key: str) -> None:
    st.markdown("### Evidence from the room's data")
    celebration = fe_all.celebration()
    if celebration is not None:
        icon, word = BASIS[celebration.basis]
        st.success(f"**{word} today**: {md(celebration.summary)}", icon=icon)
    if not fe_all.kpis:
        st.caption(
            "No KPI is linked to this fix, so the verdict rests on complaint volume alone. Link a KPI when "
            "chartering a fix to measure the moment of truth directly."
        )
    for i, series in enumerate(fe_all.series):
        _series_panel(series, key=f"{key}-{i}")


def _series_panel(series: fix_service.SeriesEvidence, *, key: str) -> None:
    ev = series.evidence
    with st.container(border=True, key=f"{key}-series"):
        head, badge = st.columns([4, 1], vertical_alignment="center")
        head.markdown(f"**{md(series.name)}**" + (f" · {md(series.scope)}" if series.scope else ""))
        with badge:
            st.badge(ev.verdict.label, color=ev.verdict.colour, icon=VERDICT_ICON[ev.verdict.value])  # type: ignore[arg-type]
        if series.kind == "kpi":
            better = "higher is better" if series.direction.value == "higher_better" else "lower is better"
            cols = st.columns(3)
            base = "—" if series.baseline is None else _fmt(series.baseline, series.unit)
            base_when = f"{series.baseline_period:%b %Y}" if series.baseline_period else "no reading"
            cols[0].metric("Baseline at charter", base, help=f"Last reading before the charter: {base_when}")
            cols[1].metric("Target", "—" if series.target is None else _fmt(series.target, series.unit), help=better)
            latest = ev.latest
            if latest is not None:
                delta = None if series.baseline is None else latest.value - series.baseline
                cols[2].metric(
                    f"Now ({latest.period:%b %Y})",
                    _fmt(latest.value, series.unit),
                    delta=None if delta is None else f"{delta:+.1f}",
                    delta_color="normal" if series.direction.value == "higher_better" else "inverse",
                )
            else:
                cols[2].metric("Now", "—", help="No reading since the charter yet.")
        if series.readings:
            st.plotly_chart(evidence_chart(series, key=key), key=f"{key}-chart", config={"displayModeBar": False})
        st.caption(md(ev.explanation))


def _fmt(value: float, unit: str) -> str:
    text = f"{value:,.1f}"
    return f"{text}%" if unit == "%" else f"{text} {md(unit)}".strip()  # metric values are Markdown


def team_panel(d: fix_queries.FixDetail) -> None:
    st.markdown("##### Team")
    lead = str(d.fix["lead"]).casefold()
    for silo in fix_queries.silo_names(d.members):
        people = [m["person"] for m in d.members if m["silo"] == silo]
        names = ", ".join(f"{md(p)} (lead)" if str(p).casefold() == lead else md(p) for p in people)
        st.markdown(f"**{md(silo)}** — {names}")


def timeline(d: fix_queries.FixDetail) -> None:
    st.markdown("##### Timeline")
    if not d.timeline:
        st.caption("No updates yet.")
        return
    for row in d.timeline:
        change = ""
        if row["to_status"]:
            change = (
                f" · {status_label(str(row['from_status']))} → {status_label(str(row['to_status']))}"
                if row["from_status"]
                else f" · {status_label(str(row['to_status']))}"
            )
        st.markdown(f"**{_when(row['happened_at'])}** · {md(row['author'])}{change}")
        if row["note"]:
            st.text(str(row["note"]))


def attachments_panel(d: fix_queries.FixDetail, *, key: str) -> None:
    st.markdown("##### Attachments")
    if not d.attachments:
        st.caption("Nothing attached yet: photos of the process, the new letter, the team's deck as PDF.")
    for a in d.attachments:
        mime = str(a["mime"])
        caption = f"{a['title']} · {_when(a['added_at'])} · {a['added_by']}"
        safe_caption = md(caption)
        if mime.startswith("image/"):
            data = cache.thumbnail(str(a["media_sha256"]), mime)
            if data is not None:
                st.image(data, caption=safe_caption, width="stretch")
                continue
        data = cache.media_bytes(str(a["media_sha256"]), mime)
        st.text(caption)
        if data is not None:
            ext = "pdf" if mime == "application/pdf" else mime.split("/")[-1]
            st.download_button(
                f"Download {ext.upper()}",
                data=data,
                file_name=f"fix-{d.fix['id']}-{a['id']}.{ext}",
                mime=mime,
                key=f"{key}-dl-{a['id']}",
                icon=":material/picture_as_pdf:",
            )
        else:
            st.caption("The file is missing from the media folder.")


# -- the fix page's forms ---------------------------------------------------------------------------


def move_form(d: fix_queries.FixDetail, fe_all: fix_service.FixEvidence, *, version: int, key: str) -> None:
    fix = d.fix
    fix_id = int(fix["id"])
    current = FixStatus(str(fix["status"]))
    options = fix_service.next_statuses(current)
    # Widgets are keyed on the version this session edits: after a move (or a reload)
    # the form starts afresh; after a refusal the person's text stays.
    key = f"{key}-v{version}"
    st.markdown("##### Move the fix")
    if not options:
        st.caption("Celebrated: this fix is done. Charter a new fix for new work on this moment.")
        navigation.page_link(
            CELEBRATIONS_PAGE,
            label="On the Celebrations wall: move the moment up the ladder",
            icon=":material/celebration:",
        )
        return
    target = st.selectbox(
        "Move to",
        [o.value for o in options],
        format_func=status_label,
        key=f"{key}-to",
        index=None,
        placeholder="Choose the next status",
    )
    later = _not_yet(current)
    if later:
        st.caption(later)
    if target is None:
        return
    target_status = FixStatus(target)
    celebration = fe_all.celebration() if target_status is FixStatus.CELEBRATED else None
    with st.form(f"{key}-form", border=True, enter_to_submit=False):
        note = st.text_area(
            "Note for the timeline",
            key=f"{key}-note",
            height=80,
            placeholder="What happened, and why this move (required when dropping or moving back).",
        )
        results = None
        if target_status is FixStatus.RESULTS:
            results = st.text_area(
                "Results (what changed, what the data shows)", value=fix["results"] or "", key=f"{key}-results"
            )
        reason = None
        if target_status is FixStatus.CELEBRATED:
            if celebration is not None:
                icon, word = BASIS[celebration.basis]
                st.success(f"**{word}**: {md(celebration.summary)}", icon=icon)
            else:
                st.warning(
                    f"No evidence yet: no linked KPI meets its target and no series has improved. Only the "
                    f"sponsor, {md(fix['sponsor'])}, or a facilitator recording the sponsor's decision can celebrate "
                    "now, with a reason. The override is audited and shown on the Celebrations wall.",
                    icon=":material/front_hand:",
                )
                reason = st.text_area("Sponsor's reason for celebrating without evidence", key=f"{key}-reason")
        celebrate = target_status is FixStatus.CELEBRATED
        label = "Celebrate" if celebrate else f"Move to {status_label(target)}"
        icon = ":material/celebration:" if celebrate else ":material/arrow_forward:"
        submitted = st.form_submit_button(label, type="primary", key=f"{key}-submit", icon=icon)
    if not submitted:
        return
    fields = {"results": results} if results is not None else None
    done = run_action(
        lambda: fix_service.move_fix(
            context.store(),
            fix_id,
            to_status=target_status,
            note=note,
            expected_version=version,
            actor=acting_user(),
            fields=fields,
            override_reason=reason or None,
        ),
        success=f"Moved to {status_label(target)}."
        if target_status is not FixStatus.CELEBRATED
        else "Celebrated! It is on the Celebrations wall.",
        key=key,
    )
    if done:
        _done(fix_id)


def _not_yet(current: FixStatus) -> str:
    """Why the later statuses are not offered yet (a jump that skips evidence)."""
    if current in (FixStatus.RESULTS, FixStatus.CELEBRATED):
        return ""
    if current is FixStatus.DROPPED:
        return "A dropped fix is reopened as chartered or diagnosing."
    text = "Celebrated comes after Results, once the room's data (or the sponsor) backs them"
    if current is not FixStatus.IMPLEMENTING:
        text = "Results come after Implementing; " + text[0].lower() + text[1:]
    return text + "."


def note_form(d: fix_queries.FixDetail, *, key: str) -> None:
    fix_id = int(d.fix["id"])
    with st.form(f"{key}-form", clear_on_submit=True, border=False):
        note = st.text_area("Post an update", key=f"{key}-text", height=80, placeholder="Progress, a blocker, a win…")
        submitted = st.form_submit_button("Post update", key=f"{key}-submit")
    if submitted and run_action(
        lambda: fix_service.add_note(context.store(), fix_id, note=note, actor=acting_user()),
        success="Update posted.",
        key=key,
    ):
        _done()


def attach_form(d: fix_queries.FixDetail, *, key: str) -> None:
    fix_id = int(d.fix["id"])
    with st.form(f"{key}-form", clear_on_submit=True, border=False):
        upload = st.file_uploader(
            "Attach an image or a PDF", type=["png", "jpg", "jpeg", "gif", "webp", "pdf"], key=f"{key}-file"
        )
        title = st.text_input("Title", key=f"{key}-title", placeholder="e.g. New claim letter, page 1")
        submitted = st.form_submit_button("Attach", key=f"{key}-submit")
    if not submitted:
        return
    if upload is None:
        st.error("Choose a file to attach.", icon="⚠️")
        return

    def attach() -> int:
        return fix_service.attach_upload(
            context.store(),
            context.media(),
            fix_id,
            data=upload.getvalue(),
            original_name=upload.name,
            title=title,
            actor=acting_user(),
        )

    if run_action(attach, success="Attached.", key=key):
        _done()


def story_form(d: fix_queries.FixDetail, *, version: int, key: str) -> None:
    fix = d.fix
    fix_id = int(fix["id"])
    key = f"{key}-v{version}"  # fields start from the saved text of the version being edited
    with st.form(f"{key}-form", border=False, enter_to_submit=False):
        problem = st.text_area("Problem statement", value=fix["problem"], key=f"{key}-problem")
        findings = st.text_area("Findings", value=fix["findings"], key=f"{key}-findings")
        recommendations = st.text_area("Recommendations", value=fix["recommendations"], key=f"{key}-recs")
        results = st.text_area("Results", value=fix["results"], key=f"{key}-results")
        due = st.date_input("Due", value=_date(fix["due_on"]), key=f"{key}-due", format="DD/MM/YYYY")
        submitted = st.form_submit_button("Save", type="primary", key=f"{key}-submit")
    if submitted and run_action(
        lambda: fix_service.update_fix(
            context.store(),
            fix_id,
            expected_version=version,
            actor=acting_user(),
            problem=problem,
            findings=findings,
            recommendations=recommendations,
            results=results,
            due_on=due if isinstance(due, date) else None,
        ),
        success="Saved.",
        key=key,
    ):
        _done(fix_id)


def team_form(d: fix_queries.FixDetail, silos: Sequence[str], *, version: int, key: str) -> None:
    fix_id = int(d.fix["id"])
    key = f"{key}-v{version}"
    lead = str(d.fix["lead"]).casefold()
    current = sorted(d.members, key=lambda m: (str(m["person"]).casefold() != lead, str(m["person"])))
    with st.form(f"{key}-form", border=False, enter_to_submit=False):
        st.caption("The first row is the lead. Clear a row to take someone off the team.")
        members = team_rows(silos, current, key=key)
        submitted = st.form_submit_button("Save team", type="primary", key=f"{key}-submit")
    if submitted and run_action(
        lambda: fix_service.set_team(
            context.store(),
            fix_id,
            members=_validated_team(members),
            lead=members[0].person if members else "",
            expected_version=version,
            actor=acting_user(),
        ),
        success="Team saved.",
        key=key,
    ):
        _done(fix_id)


# -- celebrations -------------------------------------------------------------------------------------


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
        st.markdown(f"### ★ {md(row['title'])}")
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
        team = _list(row.get("team"))
        by_silo: dict[str, list[str]] = {}
        for entry in team:
            person, _, silo = str(entry).partition(" · ")
            by_silo.setdefault(silo, []).append(person)
        st.markdown(f"**Thank you** — sponsored by {md(row['sponsor'])}, led by {md(row['lead'])}")
        for silo, people in sorted(by_silo.items()):
            st.markdown(f"- **{md(silo)}**: {md(', '.join(people))}")
        celebrated = _when(row.get("celebrated_at"))
        st.caption(f"Celebrated {celebrated} · chartered {_when(_date(row['chartered_on']))}")
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
            _done()

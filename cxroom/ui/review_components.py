"""Streamlit pieces of the room review: cached reads, the agenda editor, the
capture forms (findings, decisions, fixes chartered on the spot), a fix
team's presentation, closing and minutes, the comparison with the last
review, and presenter mode for the room's screen.

Pages call these; these call cxroom.queries and cxroom.services. Every read
is cached on the data version (any committed write invalidates it). User and
customer text is shown as escaped Markdown or in tables, never as HTML.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from pydantic import ValidationError

from cxroom.errors import CxroomError, InvalidInputError
from cxroom.insights.agenda import AgendaKind, AgendaSection, ProposedItem, propose_agenda, review_month
from cxroom.insights.early_warning import RULE_TEXT
from cxroom.insights.health import Rag
from cxroom.models import DecisionCreate, FindingCreate, FixCreate, FixMember, ReviewCreate, ReviewKind
from cxroom.permissions import Role
from cxroom.privacy import mask_personal_data
from cxroom.queries import reviews as rq
from cxroom.services import fix_evidence as fix_services
from cxroom.services import reviews as rs
from cxroom.ui import context, navigation
from cxroom.ui import submits as submits_ui
from cxroom.ui.kit.text import md

FLASH_KEY = "review:flash"
RESET_KEY = "review:reset"
DROP = "__drop__"  # reset value meaning "forget this key"
FIX_SILO_ROWS = 4
PRESENTER_PAGE = "views/presenter.py"
REVIEW_PAGE = "views/review.py"
FIX_PAGE = "views/fix.py"
REVIEWS_PAGE = "views/reviews.py"
REVIEW_TABS = ("Agenda", "Capture", "Teams present", "Close and minutes", "Since the last review")
RELIABILITY_ICON = {"broken": "✖", "unreliable": "⚠", "reliable": "✔", "differentiating": "★"}
STATUS_BADGE = {"planned": ("Planned", "blue"), "in_session": ("In session", "orange"), "closed": ("Closed", "gray")}


# -- who, and messages ---------------------------------------------------------------


def acting_user() -> str:
    """Who the services and the audit log know the person at this browser by."""
    user = st.session_state.get("user")
    actor = getattr(user, "actor", None)
    return str(actor or st.session_state.get("user_name") or "facilitator")


def may_edit() -> bool:
    """Whether to offer the planning and capture controls (the services check again)."""
    user = st.session_state.get("user")
    at_least = getattr(user, "at_least", None)
    return True if at_least is None else bool(at_least(Role.FACILITATOR))


def flash(message: str) -> None:
    """A success message shown once, after the rerun that shows the change."""
    st.session_state[FLASH_KEY] = message


def reset_later(values: Mapping[str, Any]) -> None:
    """Give widgets new values at the start of the next run (a widget's value
    cannot change once it is drawn, and dropping its key does not clear what
    the browser shows)."""
    st.session_state.setdefault(RESET_KEY, {}).update(values)


def before_widgets() -> None:
    """Apply pending widget resets; pages call this before drawing any widget."""
    for key, value in st.session_state.pop(RESET_KEY, {}).items():
        if value == DROP:
            st.session_state.pop(key, None)
        else:
            st.session_state[key] = value


def show_flash() -> None:
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message, icon="✅")


_FIELD_NAMES = {
    "text": "the text",
    "owner": "the owner",
    "title": "the title",
    "problem": "the problem statement",
    "sponsor": "the sponsor",
    "lead": "the lead",
    "members": "the team",
    "person": "a member's name",
    "silo_name": "a member's silo",
    "held_on": "the date",
    "attendees": "an attendee",
    "due_on": "the due date",
}


def explain(exc: Exception, names: Mapping[str, str] | None = None) -> str:
    """A readable sentence for a refused command (never a traceback)."""
    if not isinstance(exc, ValidationError):
        return str(exc)
    labels = {**_FIELD_NAMES, **(names or {})}
    lines = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ()) if not isinstance(part, int)]
        field = labels.get(loc[-1], loc[-1].replace("_", " ")) if loc else ""
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        if err.get("type") == "string_too_short":
            least = (err.get("ctx") or {}).get("min_length", 1)
            message = f"{field.capitalize()} is empty or too short (at least {least} characters)."
        elif err.get("type") == "missing":
            message = f"{field.capitalize()} is missing."
        elif field:
            message = f"{field.capitalize()}: {message}"
        message = message[:1].upper() + message[1:]
        lines.append(message if message.endswith(".") else f"{message}.")
    return " ".join(dict.fromkeys(lines))


def attempt(
    action: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    clear: Mapping[str, Any] | None = None,
    names: Mapping[str, str] | None = None,
) -> bool:
    """Run one command: on success reset the inputs named in ``clear`` (key ->
    value), remember the message and rerun; on a refusal show why (st.error)
    and keep what was typed."""
    try:
        result = action()
    except (CxroomError, ValidationError) as exc:
        st.error(md(explain(exc, names)), icon="⚠️")
        return False
    reset_later(clear or {})
    flash(success(result) if callable(success) else success)
    st.rerun()
    return True  # pragma: no cover - st.rerun() does not return


# -- cached reads ---------------------------------------------------------------------------


def db_key() -> str:
    return str(context.settings().db_path)


def version() -> int:
    return context.data_version()


@st.cache_data(show_spinner=False, max_entries=16)
def cached_reviews(data_version: int, db: str) -> pd.DataFrame:
    del data_version, db
    return rq.list_reviews(context.store())


@st.cache_data(show_spinner=False, max_entries=64)
def cached_review(data_version: int, db: str, review_id: int) -> rq.Review | None:
    del data_version, db
    return rq.get_review(context.store(), review_id)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_agenda(data_version: int, db: str, review_id: int) -> list[rq.AgendaItem]:
    del data_version, db
    return rq.agenda(context.store(), review_id)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_findings(data_version: int, db: str, review_id: int) -> list[rq.Finding]:
    del data_version, db
    return rq.findings(context.store(), review_id)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_decisions(data_version: int, db: str, review_id: int) -> list[rq.Decision]:
    del data_version, db
    return rq.decisions(context.store(), review_id)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_choices(data_version: int, db: str) -> rq.Choices:
    del data_version, db
    return rq.choices(context.store())


@st.cache_data(show_spinner=False, max_entries=32)
def cached_proposal(data_version: int, db: str, held_on_iso: str, review_id: int | None) -> list[ProposedItem]:
    del data_version, db
    inputs = rq.agenda_inputs(context.store(), held_on=date.fromisoformat(held_on_iso), review_id=review_id)
    return propose_agenda(inputs)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_stage_evidence(
    data_version: int, db: str, stage_id: int, month_iso: str, moment_id: int | None
) -> rq.StageEvidence | None:
    del data_version, db
    return rq.stage_evidence(context.store(), stage_id, date.fromisoformat(month_iso), moment_id=moment_id)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_fix(data_version: int, db: str, fix_id: int) -> rq.FixPresentation | None:
    del data_version, db
    return rq.fix_presentation(context.store(), fix_id)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_fix_evidence(data_version: int, db: str, fix_id: int) -> fix_services.FixEvidence | None:
    del data_version, db
    try:
        return fix_services.load_evidence(context.store(), fix_id)
    except CxroomError:
        return None


@st.cache_data(show_spinner=False, max_entries=64)
def cached_fixes_for_presenting(data_version: int, db: str, review_id: int) -> list[dict[str, Any]]:
    del data_version, db
    return rq.fixes_for_presenting(context.store(), review_id)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_comparison(data_version: int, db: str, review_id: int) -> rq.Comparison | None:
    del data_version, db
    return rq.comparison(context.store(), review_id)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_minutes(data_version: int, db: str, review_id: int) -> tuple[str, str] | None:
    """The minutes as (Markdown, HTML)."""
    del data_version, db
    found = rq.minutes(context.store(), review_id)
    return None if found is None else (rq.minutes_markdown(found), rq.minutes_html(found))


@st.cache_resource(show_spinner=False, max_entries=64)
def media_bytes(sha256: str, mime: str) -> bytes | None:
    """The stored file (shared, never copied: callers do not mutate it), or None when missing."""
    try:
        return context.media().read(sha256, mime)
    except CxroomError:
        return None


def to_create(items: Sequence[ProposedItem]) -> list[rs.AgendaItemCreate]:
    return [rs.AgendaItemCreate.model_validate(item, from_attributes=True) for item in items]


# -- shared bits ------------------------------------------------------------------------------


def review_from_url(reviews: pd.DataFrame) -> int | None:
    """The review named by ?review=<id>, or one picked here (written back to the URL)."""
    raw = st.query_params.get("review")
    if raw is not None:
        if str(raw).isdigit() and int(raw) in set(reviews["id"].astype(int)):
            return int(raw)
        st.error(f"There is no review {md(raw)}. Pick one below.")
    if reviews.empty:
        st.info("No review is planned yet. Plan one on the Reviews page.")
        navigation.page_link(REVIEWS_PAGE, label="Plan a review", icon="🗓️")
        return None
    open_first = reviews.assign(closed=reviews["status"].eq("closed")).sort_values(
        ["closed", "held_on"], ascending=[True, False]
    )
    labels = {int(r.id): f"{r.held_on:%d %b %Y} · {r.title} ({r.status})" for r in reviews.itertuples()}
    picked = st.selectbox("Review", options=list(open_first["id"].astype(int)), format_func=labels.__getitem__)
    if picked is not None:
        st.query_params["review"] = str(picked)
    return None if picked is None else int(picked)


def status_badge(review: rq.Review) -> None:
    label, colour = STATUS_BADGE.get(review.status, (review.status, "gray"))
    st.badge(label, color=colour)  # type: ignore[arg-type]


def review_caption(review: rq.Review) -> str:
    people = ", ".join(review.attendees) or "no attendees recorded"
    return md(f"{review.held_on:%A %d %B %Y} · {review.kind} review of {review.month:%B %Y} data · {people}")


def review_header(review: rq.Review) -> None:
    c1, c2, c3 = st.columns([0.62, 0.2, 0.18], vertical_alignment="center")
    with c1:
        status_badge(review)
        st.caption(review_caption(review))
    with c2:
        navigation.page_link(
            PRESENTER_PAGE,
            label="Presenter mode",
            icon="🖥️",
            query_params={"review": str(review.id), "item": "1"},
        )
    with c3:
        if review.status == "planned" and st.button("Start the session", key="review-start"):
            attempt(
                lambda: rs.start_review(
                    context.store(), review.id, expected_version=review.version, actor=acting_user()
                ),
                success="The session has started.",
            )


def default_title(held_on: date, kind: ReviewKind) -> str:
    month = review_month(held_on)
    return f"{'Monthly' if kind is ReviewKind.MONTHLY else 'Quarterly'} room review · {month:%B %Y}"


# -- plan -----------------------------------------------------------------------------------------


def plan_form(*, last_attendees: Sequence[str], today: date) -> None:
    """Plan a review: date, kind, title, attendees; the agenda is proposed from the data."""
    first_next = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    with st.form("plan-review", border=True):
        st.subheader("Plan a review")
        c1, c2 = st.columns(2)
        held_on = c1.date_input("Held on", value=first_next + timedelta(days=7), key="plan-date")
        kind = c2.radio(
            "Kind",
            options=list(ReviewKind),
            format_func=lambda k: k.value.capitalize(),
            horizontal=True,
            key="plan-kind",
        )
        title = st.text_input(
            "Title", key="plan-title", placeholder="Leave empty for 'Monthly room review · <month of data>'"
        )
        attendees = st.text_area(
            "Attendees (one per line)", value="\n".join(last_attendees), key="plan-attendees", height=140
        )
        submitted = st.form_submit_button("Plan the review and propose its agenda", type="primary")
    store = context.store()

    def plan(data: ReviewCreate, *, nonce: str, allow_similar: bool) -> int:
        proposal = cached_proposal(version(), db_key(), data.held_on.isoformat(), None)
        new_id = rs.plan_review_once(
            store, data, agenda=to_create(proposal), actor=acting_user(), nonce=nonce, allow_similar=allow_similar
        ).id
        st.session_state["plan:new-review"] = new_id
        return new_id

    def planned(new_id: int) -> str:
        return f"Review planned with a proposed agenda (review {new_id})."

    if not submitted:
        # A review of the same month held the last plan back: plan another one only if meant.
        anyway = submits_ui.similar_warning(
            "plan-review", page=REVIEW_PAGE, param="review", confirm="Plan another review anyway"
        )
        if anyway is not None:
            held, again = anyway
            attempt(lambda: plan(held, nonce=again, allow_similar=True), success=planned)
        return
    if not isinstance(held_on, date):
        st.error("Choose the date the review is held on.", icon="⚠️")
        return
    people = [line.strip() for line in (attendees or "").splitlines() if line.strip()]

    def plan_once() -> int:
        data = ReviewCreate(
            held_on=held_on, kind=kind, title=(title or "").strip() or default_title(held_on, kind), attendees=people
        )
        # Keyed on this form's nonce: a second click returns the review the first one planned.
        return submits_ui.first_send(
            "plan-review", data, lambda nonce: plan(data, nonce=nonce, allow_similar=False)
        )

    attempt(plan_once, success=planned)


def plan_editor(review: rq.Review) -> None:
    """Change the date, kind, title or attendees of a review that is not closed."""
    with st.expander("Edit the date, title and attendees"), st.form(f"edit-plan-{review.id}", border=False):
        c1, c2 = st.columns(2)
        held_on = c1.date_input("Held on", value=review.held_on)
        kind = c2.radio(
            "Kind",
            options=list(ReviewKind),
            index=list(ReviewKind).index(ReviewKind(review.kind)),
            format_func=lambda k: k.value.capitalize(),
            horizontal=True,
        )
        title = st.text_input("Title", value=review.title)
        attendees = st.text_area("Attendees (one per line)", value="\n".join(review.attendees))
        saved = st.form_submit_button("Save the plan")
    if saved:
        people = [line.strip() for line in (attendees or "").splitlines() if line.strip()]
        attempt(
            lambda: rs.update_review(
                context.store(),
                review.id,
                ReviewCreate(held_on=held_on, kind=kind, title=title or "", attendees=people),
                expected_version=review.version,
                actor=acting_user(),
            ),
            success="Plan updated.",
            names={"title": "the title"},
        )


def reviews_list(reviews: pd.DataFrame) -> None:
    if reviews.empty:
        st.info("No reviews yet.")
        return
    for row in reviews.itertuples():
        label, colour = STATUS_BADGE.get(row.status, (row.status, "gray"))
        with st.container(border=True):
            c1, c2 = st.columns([0.7, 0.3], vertical_alignment="center")
            with c1:
                navigation.page_link(
                    REVIEW_PAGE,
                    label=md(f"{row.title}"),
                    icon="🎙️",
                    query_params={"review": str(int(row.id))},
                    text_otherwise=True,  # viewers and fix members do not run reviews: the title as text
                )
                st.caption(
                    f"{row.held_on:%d %b %Y} · {row.kind} · {int(row.agenda_items)} agenda items · "
                    f"{int(row.findings)} findings · {int(row.decisions)} decisions · "
                    f"{int(row.fixes_chartered)} fixes chartered"
                )
            with c2:
                st.badge(label, color=colour)  # type: ignore[arg-type]


# -- the agenda -----------------------------------------------------------------------------------


def agenda_editor(review: rq.Review, items: Sequence[rq.AgendaItem], choices: rq.Choices) -> None:
    store = context.store()
    actor = acting_user()
    editable = not review.closed
    total = sum(i.minutes for i in items)
    if items:
        st.caption(f"{len(items)} items · {total} minutes · proposed from {review.month:%B %Y} data. {RULE_TEXT}")
    else:
        st.info("This review has no agenda yet.")
    if editable and not items and st.button("Propose the agenda from the data", type="primary", key="agenda-propose"):
        proposal = cached_proposal(version(), db_key(), review.held_on.isoformat(), review.id)
        attempt(
            lambda: rs.replace_agenda(store, review.id, items=to_create(proposal), actor=actor),
            success=f"Agenda proposed: {len(proposal)} items.",
        )
    section = None
    for item in items:
        if item.section is not section:
            section = item.section
            st.markdown(f"#### {section.heading}")
        with st.container(border=True, key=f"agenda-item-{item.id}"):
            cols = st.columns([0.05, 0.67, 0.08, 0.2], vertical_alignment="center")
            cols[0].markdown(f"**{item.position}.**")
            with cols[1]:
                st.markdown(f"**{md(item.title)}**")
                for reason in item.reasons:
                    st.caption(md(reason))
            cols[2].caption(f"{item.minutes} min")
            if not editable:
                continue
            with cols[3]:
                b1, b2, b3 = st.columns(3)
                if b1.button("↑", key=f"agenda-up-{item.id}", help="Move up", disabled=item.position == 1):
                    attempt(
                        lambda item=item: rs.move_agenda_item(
                            store, item.id, offset=-1, expected_version=item.version, actor=actor
                        ),
                        success=f"Moved up: {md(item.title)}",
                    )
                if b2.button("↓", key=f"agenda-down-{item.id}", help="Move down", disabled=item.position == len(items)):
                    attempt(
                        lambda item=item: rs.move_agenda_item(
                            store, item.id, offset=1, expected_version=item.version, actor=actor
                        ),
                        success=f"Moved down: {md(item.title)}",
                    )
                if b3.button("✕", key=f"agenda-remove-{item.id}", help="Remove from the agenda"):
                    attempt(
                        lambda item=item: rs.remove_agenda_item(
                            store, item.id, expected_version=item.version, actor=actor
                        ),
                        success=f"Removed: {md(item.title)}",
                    )
    if not editable:
        return
    plan_editor(review)
    with st.expander("Add an item"):
        title = st.text_input("Title", key="agenda-add-title")
        note = st.text_input("Why it is on the agenda (optional)", key="agenda-add-note")
        c1, c2 = st.columns([0.7, 0.3])
        names = dict(choices.stages)
        stage = c1.selectbox(
            "Walk a stage (optional)",
            options=[None, *names],
            format_func=lambda s: "—" if s is None else names[s],
            key="agenda-add-stage",
        )
        minutes = c2.number_input("Minutes", min_value=1, max_value=120, value=5, key="agenda-add-minutes")
        if st.button("Add to the agenda", key="agenda-add-go"):
            stage_id = _stage_id(choices, stage)

            def add() -> int:
                item = rs.AgendaItemCreate(
                    kind=AgendaKind.STAGE if stage_id else AgendaKind.NOTE,
                    section=AgendaSection.OTHER,
                    title=title or (names[stage] if stage else ""),
                    reasons=[note] if note else [],
                    stage_id=stage_id,
                    minutes=int(minutes),
                )
                return rs.add_agenda_item(store, review.id, item, actor=actor)

            attempt(
                add,
                success="Item added at the end of the agenda.",
                clear={"agenda-add-title": "", "agenda-add-note": "", "agenda-add-stage": None},
                names={"title": "the item's title"},
            )
    if items:
        with st.expander("Propose the agenda again from the data"):
            st.caption("This replaces the whole agenda, including items added, removed or reordered by hand.")
            sure = st.checkbox("Replace the current agenda", key="agenda-replace-sure")
            if st.button("Propose again", key="agenda-replace-go", disabled=not sure):
                proposal = cached_proposal(version(), db_key(), review.held_on.isoformat(), review.id)
                attempt(
                    lambda: rs.replace_agenda(store, review.id, items=to_create(proposal), actor=actor),
                    success=f"Agenda proposed again: {len(proposal)} items.",
                    clear={"agenda-replace-sure": False},
                )


def _stage_id(choices: rq.Choices, slug: str | None) -> int | None:
    return None if slug is None else choices.stage_ids.get(slug)


# -- capture ----------------------------------------------------------------------------------------


def evidence_options(ev: rq.StageEvidence | None) -> dict[str, rs.EvidenceLink]:
    """What a finding about this stage can point at, keyed by its label."""
    if ev is None:
        return {}
    links: list[rs.EvidenceLink] = []
    for kpi in ev.kpis:
        links.append(rs.EvidenceLink(kind="kpi", ref_id=kpi.id, label=f"KPI · {kpi.describe()} ({kpi.rag.word})"))
    month_counts = [(c, c.check()) for c in ev.categories if c.counts and c.counts[-1] > 0]
    for series, check in sorted(month_counts, key=lambda pair: -(pair[1].z or -99.0)):
        links.append(
            rs.EvidenceLink(
                kind="complaints",
                ref_text=series.category[:200],
                label=f"Complaints · {series.category}: {check.explain()}"[:500],
            )
        )
    for survey in ev.surveys:
        if survey.score is not None:
            links.append(
                rs.EvidenceLink(
                    kind="survey",
                    ref_id=survey.question_id,
                    label=f"Survey · {survey.survey}: {survey.text} = {survey.score:.1f} (n = {survey.n})"[:500],
                )
            )
    for call in ev.calls:
        links.append(rs.EvidenceLink(kind="call", ref_id=call.id, label=f"Call · {call.title}"[:500]))
    for artifact in ev.artifacts:
        links.append(rs.EvidenceLink(kind="artifact", ref_id=artifact.id, label=f"Artifact · {artifact.title}"[:500]))
    return {link.label: link for link in links}


def _prefill_finding(items: Mapping[int, rq.AgendaItem], moments: Mapping[str, Sequence[str]]) -> None:
    """When the agenda item under discussion changes, point the finding at its stage and moment."""
    item = items.get(st.session_state.get("finding-item") or -1)
    if item is None or item.stage_slug is None:
        return
    st.session_state["finding-stage"] = item.stage_slug
    if item.moment_name and item.moment_name in moments.get(item.stage_slug, ()):
        st.session_state[f"finding-moment-{item.stage_slug}"] = item.moment_name


def finding_form(review: rq.Review, items: Sequence[rq.AgendaItem], choices: rq.Choices) -> None:
    store = context.store()
    st.markdown("#### Record a finding")
    by_id = {i.id: i for i in items}
    stage_names = dict(choices.stages)
    item_id = st.selectbox(
        "Agenda item being discussed",
        options=[None, *by_id],
        format_func=lambda i: "—" if i is None else f"{by_id[i].position}. {by_id[i].title}",
        key="finding-item",
        on_change=_prefill_finding,
        args=(by_id, choices.moments),
    )
    c1, c2 = st.columns(2)
    stage = c1.selectbox(
        "Stage",
        options=[None, *stage_names],
        format_func=lambda s: "The whole room" if s is None else stage_names[s],
        key="finding-stage",
    )
    moment = c2.selectbox(
        "Moment of truth",
        options=[None, *choices.moments.get(stage or "", ())],
        format_func=lambda m: "—" if m is None else m,
        key=f"finding-moment-{stage}",
        disabled=stage is None,
    )
    ev = None
    if stage is not None:
        stage_id = _stage_id(choices, stage)
        if stage_id is not None:
            ev = cached_stage_evidence(version(), db_key(), stage_id, review.month.isoformat(), None)
    options = evidence_options(ev)
    picked = st.multiselect(
        "Evidence that prompted it",
        options=list(options),
        key=f"finding-evidence-{stage}",
        placeholder="KPIs, complaint categories, survey scores, calls, artifacts",
    )
    text = st.text_area("The finding", key="finding-text", placeholder="Where are we letting customers down, and how?")
    if st.button("Record the finding", type="primary", key="finding-save"):
        links = [options[label] for label in picked if label in options]
        if item_id is not None and item_id in by_id:
            links.append(
                rs.EvidenceLink(
                    kind="agenda_item",
                    ref_id=item_id,
                    label=f"Agenda item {by_id[item_id].position}: {by_id[item_id].title}"[:500],
                )
            )

        def record() -> int:
            data = FindingCreate(review_id=review.id, text=text or "", stage_slug=stage, moment_name=moment)
            # Keyed on this form's nonce: a second click returns the finding the first one recorded.
            nonce = submits_ui.nonce("finding")
            return rs.add_finding(store, data, actor=acting_user(), evidence_links=links, nonce=nonce)

        attempt(
            record,
            success="Finding recorded.",
            clear={"finding-text": "", f"finding-evidence-{stage}": []},
            names={"text": "the finding"},
        )


def findings_list(review: rq.Review, findings: Sequence[rq.Finding]) -> None:
    store = context.store()
    st.markdown(f"#### Findings ({len(findings)})")
    if not findings:
        st.caption("No findings yet.")
    for f in findings:
        with st.container(border=True, key=f"finding-{f.id}"):
            st.markdown(f"**{md(f.where)}** · {md(f.text)}")
            details = [f"by {f.created_by} at {f.created_at:%H:%M}"]
            if f.evidence:
                details.insert(0, f"evidence: {f.evidence}")
            if f.fix_titles:
                details.append("fix chartered: " + ", ".join(f.fix_titles))
            st.caption(md(" · ".join(details)))
            if review.closed:
                continue
            base_key = f"finding-edit-base-{f.id}"
            with st.expander("Edit"):
                # The version this editor started from: a save against it fails
                # loudly if someone else saved in between.
                base = st.session_state.setdefault(base_key, f.version)
                text_key, evidence_key = f"finding-edit-text-{f.id}", f"finding-edit-evidence-{f.id}"
                st.session_state.setdefault(text_key, f.text)
                st.session_state.setdefault(evidence_key, f.evidence)
                new_text = st.text_area("Text", key=text_key)
                new_evidence = st.text_input("Evidence", key=evidence_key)
                c1, c2 = st.columns(2)
                edit_keys = {base_key: DROP, text_key: DROP, evidence_key: DROP}
                if c1.button("Save the change", key=f"finding-edit-save-{f.id}"):
                    attempt(
                        lambda f=f, base=base, new_text=new_text, new_evidence=new_evidence: rs.update_finding(
                            store,
                            f.id,
                            rs.FindingUpdate(text=new_text or "", evidence=new_evidence or ""),
                            expected_version=base,
                            actor=acting_user(),
                        ),
                        success="Finding updated.",
                        clear=edit_keys,
                        names={"text": "the finding"},
                    )
                if c2.button("Remove the finding", key=f"finding-remove-{f.id}"):
                    attempt(
                        lambda f=f, base=base: rs.remove_finding(
                            store, f.id, expected_version=base, actor=acting_user()
                        ),
                        success="Finding removed.",
                        clear=edit_keys,
                    )
                if base != f.version:
                    st.warning("Someone else changed this finding since you opened it. Their text is shown above.")
                    if st.button("Start again from their version", key=f"finding-edit-reload-{f.id}"):
                        reset_later({base_key: DROP, text_key: f.text, evidence_key: f.evidence})
                        st.rerun()


def decision_form(review: rq.Review, findings: Sequence[rq.Finding]) -> None:
    store = context.store()
    st.markdown("#### Record a decision")
    by_id = {f.id: f for f in findings}
    text = st.text_area("The decision", key="decision-text", height=80)
    c1, c2, c3 = st.columns([0.35, 0.25, 0.4])
    owner = c1.selectbox(
        "Owner",
        options=list(review.attendees),
        index=None,
        accept_new_options=True,
        key="decision-owner",
        placeholder="Pick or type a name",
    )
    due = c2.date_input("Due (optional)", value=None, key="decision-due")
    finding_id = c3.selectbox(
        "Rests on the finding",
        options=[None, *by_id],
        format_func=lambda i: "—" if i is None else _short(by_id[i].text),
        key="decision-finding",
    )
    if st.button("Record the decision", type="primary", key="decision-save"):
        attempt(
            lambda: rs.add_decision(
                store,
                DecisionCreate(
                    review_id=review.id,
                    text=text or "",
                    owner=owner or "",
                    due_on=due if isinstance(due, date) else None,
                    finding_id=finding_id,
                ),
                actor=acting_user(),
                nonce=submits_ui.nonce("decision"),  # a second click returns the decision the first recorded
            ),
            success="Decision recorded.",
            clear={"decision-text": "", "decision-owner": None, "decision-due": None, "decision-finding": None},
            names={"text": "the decision", "owner": "the decision's owner"},
        )


def decisions_list(decisions: Sequence[rq.Decision]) -> None:
    st.markdown(f"#### Decisions ({len(decisions)})")
    if not decisions:
        st.caption("No decisions yet.")
    for d in decisions:
        due = f" · due {d.due_on:%d %b %Y}" if d.due_on else ""
        st.markdown(f"- {md(d.text)} — **{md(d.owner)}**{due}")


def _short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def fix_title_from(text: str) -> str:
    """A fix title from a finding: its first sentence, shortened."""
    first = re.split(r"(?<=[.;:!?])\s", " ".join(text.split()), maxsplit=1)[0].rstrip(".;:!?")
    return _short(first, 90)


def charter_form(review: rq.Review, findings: Sequence[rq.Finding], choices: rq.Choices, *, today: date) -> None:
    """Charter a cross-functional fix team from a finding, prefilled from it."""
    store = context.store()
    st.markdown("#### Charter a fix team from a finding")
    if not findings:
        st.caption("Record a finding first: a fix team is chartered from a finding.")
        return
    by_id = {f.id: f for f in findings}
    finding_id = st.selectbox(
        "From the finding",
        options=list(by_id),
        index=len(by_id) - 1,
        format_func=lambda i: _short(by_id[i].text),
        key="charter-finding",
    )
    f = by_id[finding_id]
    if f.fix_titles:
        st.caption(md("Already chartered from this finding: " + ", ".join(f.fix_titles)))
    k = f"charter-{f.id}"
    stage_names = dict(choices.stages)
    stage = f.stage_slug
    if stage is None:
        st.caption("The finding names no stage; a fix belongs to one.")
        stage = st.selectbox(
            "Stage", options=list(stage_names), format_func=stage_names.__getitem__, index=None, key=f"{k}-stage"
        )
    else:
        st.caption(md(f"At {f.where}"))
    title = st.text_input("Fix title", value=fix_title_from(f.text), key=f"{k}-title")
    problem = st.text_area("The problem, in the customer's terms", value=f.text, key=f"{k}-problem", height=90)
    c1, c2 = st.columns(2)
    sponsor = c1.selectbox(
        "Sponsor",
        options=list(review.attendees),
        index=None,
        accept_new_options=True,
        key=f"{k}-sponsor",
        placeholder="Pick or type a name",
    )
    start = max(today, review.held_on)
    due = c2.date_input("Due", value=start + timedelta(days=90), min_value=today, key=f"{k}-due")
    st.caption("The team: members from at least two silos. The first member leads.")
    rows = []
    for n in range(FIX_SILO_ROWS):
        p, s = st.columns([0.55, 0.45])
        person = p.text_input("Lead" if n == 0 else f"Member {n + 1}", key=f"{k}-person-{n}", placeholder="Name")
        silo = s.selectbox(
            f"Silo of {'the lead' if n == 0 else f'member {n + 1}'}",
            options=list(choices.silos),
            index=None,
            key=f"{k}-silo-{n}",
            placeholder="Silo",
        )
        rows.append((person or "", silo))
    kpi_names: list[str] = []
    if stage is not None:
        stage_id = _stage_id(choices, stage)
        ev = cached_stage_evidence(version(), db_key(), stage_id, review.month.isoformat(), None) if stage_id else None
        kpi_names = [kpi.name for kpi in ev.kpis] if ev else []
    kpis = st.multiselect("KPIs that will show it worked", options=kpi_names, key=f"{k}-kpis")

    def charter_from(data: FixCreate, *, nonce: str, allow_similar: bool) -> int:
        return rs.charter_fix_from_finding(
            store, finding_id=f.id, data=data, actor=acting_user(), nonce=nonce, allow_similar=allow_similar
        )

    def chartered(fix_id: int) -> str:
        return f"Fix team chartered (fix {fix_id}): it is in the fix tracker now."

    if not st.button("Charter the fix team", type="primary", key=f"{k}-go"):
        # An active fix on the same moment (or with the same title) held the last charter back.
        anyway = submits_ui.similar_warning(k, page=FIX_PAGE, param="fix", confirm="Charter a new team anyway")
        if anyway is not None:
            held, again = anyway
            attempt(lambda: charter_from(held, nonce=again, allow_similar=True), success=chartered)
        return
    missing_silo = [person for person, silo in rows if person.strip() and not silo]
    if missing_silo:
        st.error(md(f"Choose the silo of {', '.join(missing_silo)}."), icon="⚠️")
        return
    members = [(person.strip(), silo) for person, silo in rows if person.strip() and silo]

    def charter() -> int:
        if stage is None:
            raise InvalidInputError("Choose the stage the fix belongs to.")
        data = FixCreate(
            title=title or "",
            problem=problem or "",
            stage_slug=stage,
            moment_name=f.moment_name if stage == f.stage_slug else None,
            sponsor=sponsor or "",
            lead=members[0][0] if members else "",
            members=[FixMember(person=person, silo_name=silo) for person, silo in members],
            chartered_on=today,
            due_on=due if isinstance(due, date) else None,
            chartered_review_id=review.id,
            kpi_names=kpis,
        )
        # Keyed on this form's nonce: a second click returns the fix the first one chartered.
        return submits_ui.first_send(k, data, lambda nonce: charter_from(data, nonce=nonce, allow_similar=False))

    attempt(charter, success=chartered, names={"title": "the fix title", "members": "the team"})


# -- teams present ------------------------------------------------------------------------------------


def fix_choice(review: rq.Review, items: Sequence[rq.AgendaItem], *, key: str) -> int | None:
    fixes = cached_fixes_for_presenting(version(), db_key(), review.id)
    if not fixes:
        st.caption("No fix teams yet.")
        return None
    on_agenda = [i.fix_id for i in items if i.fix_id is not None]
    by_id = {int(f["id"]): f for f in fixes}
    order = [i for i in on_agenda if i in by_id] + [i for i in by_id if i not in on_agenda]

    def label(fix_id: int) -> str:
        f = by_id[fix_id]
        mark = "✓ presented · " if f["presented"] else ("on the agenda · " if fix_id in on_agenda else "")
        return f"{mark}{f['title']} ({f['status']}, {f['stage_name']})"

    return st.selectbox("Fix team presenting", options=order, format_func=label, key=key)


def present_button(review: rq.Review, fix: rq.FixPresentation, *, key: str) -> None:
    presented = review.id in {rid for rid, _ in fix.presented_in}
    if presented:
        st.success("Presented in this review.", icon="✅")
        return
    if review.closed:
        st.caption("The review is closed: presentations can no longer be recorded.")
        return
    if st.button("Mark as presented in this review", type="primary", key=key):
        attempt(
            lambda: rs.present_fix(context.store(), review_id=review.id, fix_id=fix.id, actor=acting_user()),
            success=f"Marked as presented: {md(fix.title)}",
        )


def presenting_panel(review: rq.Review, items: Sequence[rq.AgendaItem]) -> None:
    fix_id = fix_choice(review, items, key="present-fix")
    if fix_id is None:
        return
    fix = cached_fix(version(), db_key(), fix_id)
    if fix is None:
        st.error("That fix no longer exists.")
        return
    present_button(review, fix, key=f"present-go-{fix_id}")
    fix_presentation_view(fix, cached_fix_evidence(version(), db_key(), fix_id))


def fix_presentation_view(
    fix: rq.FixPresentation, evidence: Any, *, large: bool = False, kicker: str = "", reasons: Sequence[str] = ()
) -> None:
    """Problem, findings, recommendations and results, with before/after evidence."""
    if kicker:
        st.markdown(f"**{md(kicker)}**")
    st.markdown(f"{'#' if large else '###'} {md(fix.title)}")
    where = " · ".join(p for p in (fix.stage_name, fix.moment_name) if p)
    team = ", ".join(f"{person} ({silo})" for person, silo in fix.members)
    st.caption(
        md(
            f"{where} · {fix.status} · lead {fix.lead} · sponsor {fix.sponsor} · chartered {fix.chartered_on:%d %b %Y}"
            + (f" · due {fix.due_on:%d %b %Y}" if fix.due_on else "")
        )
    )
    if team:
        st.caption(md(f"Team: {team}"))
    if reasons:
        st.markdown("\n".join(f"- {md(r)}" for r in reasons))
    parts = [
        ("The problem", fix.problem),
        ("What the team found", fix.findings or "\n".join(fix.review_findings)),
        ("Recommendations", fix.recommendations),
        ("Results", fix.results),
    ]
    cols = st.columns(2 if large else 4)
    for n, (title, text) in enumerate(parts):
        with cols[n % len(cols)]:
            st.markdown(f"**{title}**")
            if text.strip():
                st.markdown(md(text))
            else:
                st.caption("Not written yet.")
    series = list(getattr(evidence, "series", ()) or ())
    if not series:
        return
    st.markdown(f"{'###' if large else '####'} Before and after")
    cols = st.columns(min(3, len(series)))
    for n, s in enumerate(series[:3]):
        with cols[n]:
            verdict = s.evidence.verdict
            st.markdown(f"**{md(s.name)}**")
            summary = s.evidence.summary
            shown = "" if summary == verdict.label else f" · {md(summary)}"
            st.markdown(f":{verdict.colour}[**{md(verdict.label)}**]{shown}")
            st.caption(md(s.evidence.data_used))
            st.plotly_chart(
                _before_after_figure(s, large=large),
                key=f"fix-ev-{fix.id}-{n}-{large}",
                config={"displayModeBar": False},
            )


def _before_after_figure(series: Any, *, large: bool) -> go.Figure:
    frame = pd.DataFrame([{"period": r.period, "value": r.value} for r in series.readings[-24:]])
    fig = go.Figure()
    if not frame.empty:
        fig.add_trace(go.Scatter(x=frame["period"], y=frame["value"], mode="lines+markers", line={"color": "#1F4E79"}))
    charter = series.evidence.charter
    fig.add_vline(x=charter, line_dash="dot", line_color="#888")
    fig.add_annotation(x=charter, y=1, yref="paper", text="chartered", showarrow=False, yanchor="bottom")
    target = getattr(series, "target", None)
    if target is not None:
        fig.add_hline(y=target, line_dash="dash", line_color="#2E7D32", annotation_text="target")
    fig.update_layout(
        height=260 if large else 200,
        margin={"l": 10, "r": 10, "t": 24, "b": 10},
        showlegend=False,
        font={"size": 16 if large else 12},
        xaxis={"tickfont": {"size": 16 if large else 12}},
        yaxis={"tickfont": {"size": 16 if large else 12}},
    )
    return fig


# -- close, minutes, reopen ----------------------------------------------------------------------------


def close_panel(review: rq.Review, findings: Sequence[rq.Finding], decisions: Sequence[rq.Decision]) -> None:
    store = context.store()
    if review.closed:
        # A click on "Close" from a page that still showed the review open: nothing to do, and it says so.
        if st.session_state.pop("close-go", False):
            st.info(_already_closed(review.closed_at), icon="ℹ️")
        st.info(
            f"Closed on {review.closed_at:%d %b %Y at %H:%M}: the review is read-only. "
            f"Its snapshot of the room ({review.month:%B %Y} data) is kept for the next comparison."
            if review.closed_at
            else "Closed: the review is read-only."
        )
        with st.expander("Reopen this review"):
            st.caption(
                "Reopening is recorded in the audit log with your reason; the snapshot is taken again on closing."
            )
            reason = st.text_input("Why reopen it?", key="reopen-reason")
            if st.button("Reopen the review", key="reopen-go"):
                attempt(
                    lambda: rs.reopen_review(
                        store, review.id, expected_version=review.version, reason=reason or "", actor=acting_user()
                    ),
                    success="Review reopened.",
                    clear={"reopen-reason": ""},
                )
        return
    st.markdown(
        f"{len(findings)} findings, {len(decisions)} decisions so far. Closing the review makes it read-only and "
        f"freezes a snapshot of the room as it stands: KPIs and their status, complaints per stage and category, "
        f"survey scores ({review.month:%B %Y}), the reliability of every moment of truth and the status of every fix."
    )
    sure = st.checkbox("Everything is captured", key="close-sure")
    if st.button("Close the review", type="primary", key="close-go", disabled=not sure):
        attempt(
            lambda: rs.close_review(store, review.id, expected_version=review.version, actor=acting_user()),
            success=lambda closed_now: "Review closed. The minutes are ready to download."
            if closed_now
            else _already_closed(None),
            clear={"close-sure": False},
        )


def _already_closed(closed_at: Any) -> str:
    when = f" on {closed_at:%d %b %Y at %H:%M}" if isinstance(closed_at, datetime) else ""
    return f"This review was already closed{when}: nothing changed. Its minutes are ready to download."


def minutes_downloads(review: rq.Review) -> None:
    found = cached_minutes(version(), db_key(), review.id)
    if found is None:
        return
    markdown, html_text = found
    stem = re.sub(r"[^a-z0-9]+", "-", review.title.lower()).strip("-")[:60] or "review"
    name = f"minutes-{review.held_on:%Y-%m-%d}-{stem}"
    draft = "" if review.closed else " (draft)"
    c1, c2 = st.columns(2)
    c1.download_button(
        f"Minutes as Markdown{draft}",
        data=markdown,
        file_name=f"{name}.md",
        mime="text/markdown",
        key="minutes-md",
        icon="📝",
        on_click="ignore",
    )
    c2.download_button(
        f"Minutes as printable HTML{draft}",
        data=html_text,
        file_name=f"{name}.html",
        mime="text/html",
        key="minutes-html",
        icon="🖨️",
        on_click="ignore",
    )
    with st.expander("Read the minutes", expanded=review.closed):
        st.markdown(markdown)


HIDDEN_COLUMNS = ("stage_id", "fix_id", "is_key")


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for people: dates as dates, one decimal, blanks for nothing, plain headers."""
    out = pd.DataFrame(index=frame.index)
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            shown = values.map(lambda v: "" if pd.isna(v) else f"{v:%d %b %Y}")
        elif pd.api.types.is_float_dtype(values):
            shown = values.map(lambda v: "" if pd.isna(v) else f"{v:,.1f}")
        else:
            # st.table reads its cells as Markdown: names from files and people go in escaped.
            shown = values.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else md(v))
        out[str(column).replace("_", " ").capitalize()] = shown
    return out


# -- since the last review --------------------------------------------------------------------------------


def comparison_view(review: rq.Review) -> None:
    found = cached_comparison(version(), db_key(), review.id)
    if found is None:
        if review.closed:
            st.info("This is the first review with a snapshot: there is nothing earlier to compare it with.")
        else:
            st.info(
                "The comparison appears when the review closes: closing freezes this review's snapshot of the "
                "room, which is then set beside the last closed review's."
            )
        return
    st.caption(f"{found.month:%B %Y} (this review) beside {found.previous_month:%B %Y} (the review before).")
    for line in found.headline():
        st.markdown(f"- {md(line)}")
    tables = [
        ("KPIs that moved across their target", found.kpi_crossings, "No KPI crossed its target."),
        ("Moments of truth that changed reliability", found.moment_changes, "No moment changed state."),
        ("Fixes that progressed or slipped", found.fix_changes, "No fix moved."),
        ("Complaints per stage", found.complaints_by_stage, "No complaints in either month."),
        ("The biggest complaint shifts by category", found.complaints_by_category, "No category changed."),
        ("Survey scores", found.survey_changes, "No survey scores in both months."),
    ]
    for title, frame, empty in tables:
        st.markdown(f"#### {title}")
        if frame.empty:
            st.caption(empty)
        else:
            st.table(readable(frame.drop(columns=[c for c in HIDDEN_COLUMNS if c in frame.columns])), hide_index=True)


# -- presenter mode -----------------------------------------------------------------------------------------

# Static CSS only: nothing from the database or the URL is interpolated here.
PRESENTER_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1.2rem 2.6rem 2rem 2.6rem; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.45rem; line-height: 1.35; }
[data-testid="stMain"] h1 { font-size: 3.1rem; padding-top: 0; }
[data-testid="stMain"] h2 { font-size: 2.2rem; }
[data-testid="stMain"] h3 { font-size: 1.7rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.15rem; }
[data-testid="stMain"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
  font-size: 2.9rem; font-weight: 600; line-height: 1.1;
}
[data-testid="stMain"] [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.25rem; }
[data-testid="stMain"] [data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] p { font-size: 1.15rem; }
[data-testid="stMain"] blockquote p { font-size: 1.45rem; font-style: italic; }
[data-testid="stMain"] [data-testid="stTable"] td, [data-testid="stMain"] [data-testid="stTable"] th {
  font-size: 1.2rem;
}
.st-key-presenter-bar p { font-size: 1.2rem !important; }
</style>
"""


def presenter_style() -> None:
    st.markdown(PRESENTER_CSS, unsafe_allow_html=True)  # constant CSS, no user text


def timer_key(review_id: int, slide: str) -> str:
    return f"presenter-timer:{review_id}:{slide}"


TIMER_HTML = """
<div style="font: 600 30px 'Source Sans Pro', 'Source Sans 3', 'Segoe UI', sans-serif; color: #1B2430;
            text-align: center; padding-top: 4px;">
  <span id="elapsed">%(start)s</span><span style="font-weight: 400"> of %(minutes)d min</span>
</div>
<script>
const base = %(elapsed)d, limit = %(limit)d, loaded = Date.now();
function tick() {
  const s = base + Math.floor((Date.now() - loaded) / 1000);
  const el = document.getElementById("elapsed");
  el.textContent = String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s %% 60).padStart(2, "0");
  el.style.color = s > limit ? "#C62828" : (s > 0.75 * limit ? "#B45309" : "#1B2430");
}
tick();
setInterval(tick, 1000);
</script>
"""


def presenter_timer(key: str, minutes: int) -> None:
    """Time spent on this slide against its time box. The browser counts the
    seconds (a fragment rerunning every second would fight the URL of the
    slide): the server only says where to start counting from. Only numbers
    go into the page."""
    started = float(st.session_state.setdefault(key, time.time()))
    elapsed = max(0, int(time.time() - started))
    html_text = TIMER_HTML % {
        "start": f"{elapsed // 60:02d}:{elapsed % 60:02d}",
        "minutes": int(minutes),
        "elapsed": elapsed,
        "limit": int(minutes) * 60,
    }
    st.iframe(html_text, height=52)


def _kpi_metric(kpi: Any, trend: Sequence[tuple[date, float]]) -> None:
    unit = kpi.unit if kpi.unit in ("%", "") else f" {kpi.unit}"
    shown_unit = unit if kpi.unit in ("%", "") else f" {md(kpi.unit)}"  # metric values and deltas are Markdown
    value = "—" if kpi.value is None else f"{kpi.value:g}{shown_unit}"
    delta = None
    if kpi.value is not None and kpi.previous_value is not None:
        delta = f"{kpi.value - kpi.previous_value:+.1f}{shown_unit} vs last month"
    rag = kpi.rag
    target = "" if kpi.target is None else f"target {kpi.target:g}{unit}"
    st.metric(
        md(kpi.name),
        value,
        delta=delta,
        delta_color="normal" if kpi.direction == "higher_better" else "inverse",
        chart_data=[v for _, v in trend] or None,
        border=True,
    )
    colour = {Rag.GREEN: "green", Rag.AMBER: "orange", Rag.RED: "red"}.get(rag, "gray")
    st.markdown(f":{colour}[{rag.icon} {rag.word}]" + (f" · {md(target)}" if target else ""))


def _complaints_figure(frame: pd.DataFrame, colour: str, month: date) -> go.Figure:
    months = [pd.Timestamp(m).date() for m in frame["month"]]
    colours = [colour if m == month else "#B8C2CC" for m in months]
    fig = go.Figure(go.Bar(x=[f"{m:%b %y}" for m in months], y=frame["complaints"], marker_color=colours))
    fig.update_layout(
        height=300,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        font={"size": 18},
        xaxis={"tickfont": {"size": 18}},
        yaxis={"title": None, "tickfont": {"size": 18}},
        showlegend=False,
    )
    return fig


def stage_slide(ev: rq.StageEvidence, *, reasons: Sequence[str], key: str) -> None:
    """One stage on the room's screen: why it is here, KPIs vs target, complaints,
    the customer's words, a call to play, what customers receive."""
    st.markdown(f"# {md(ev.name)}")
    if ev.customer_goal:
        st.markdown(f"> “{md(ev.customer_goal)}”")
    left, right = st.columns([0.42, 0.58], gap="large")
    with left:
        st.markdown("## Why we are here")
        if reasons:
            st.markdown("\n".join(f"- {md(r)}" for r in reasons))
        else:
            st.markdown("Walking the wall: this stage is not flagged by the data this month.")
        broken = [m for m in ev.moments if m.state in ("broken", "unreliable")]
        if broken:
            st.markdown("## Moments of truth")
            st.markdown(
                "\n".join(f"- {RELIABILITY_ICON.get(m.state, '')} {md(m.name)}: **{m.state}**" for m in broken)
            )
    with right:
        st.markdown(f"## KPIs vs target · {ev.month:%B %Y}")
        kpis = list(ev.kpis)
        for start in range(0, len(kpis), 3):
            cols = st.columns(3)
            for n, kpi in enumerate(kpis[start : start + 3]):
                with cols[n]:
                    _kpi_metric(kpi, ev.kpi_trends.get(kpi.id, ()))
        if not kpis:
            st.caption("No KPIs at this stage yet.")
    left, right = st.columns([0.5, 0.5], gap="large")
    with left:
        st.markdown("## Complaints, last 13 months")
        if ev.complaints_monthly["complaints"].sum() > 0:
            st.plotly_chart(
                _complaints_figure(ev.complaints_monthly, ev.colour, ev.month),
                key=f"{key}-complaints",
                config={"displayModeBar": False},
            )
            checks = [(c.category, c.check()) for c in ev.categories if c.counts and c.counts[-1] > 0]
            checks.sort(key=lambda pair: (not pair[1].unusual, -pair[1].actual))
            table = pd.DataFrame(
                [
                    {
                        "Category": md(category),  # st.table reads cells as Markdown
                        "This month": check.actual,
                        "Expected": "—" if check.expected is None else f"{check.expected:.0f}",
                        "Verdict": "▲ unusual rise" if check.unusual else "usual range",
                    }
                    for category, check in checks[:5]
                ]
            )
            if not table.empty:
                st.table(table, hide_index=True)
        else:
            st.caption("No complaints lined up to this stage.")
    with right:
        st.markdown("## In our customers' words")
        if ev.verbatims:
            for v in ev.verbatims:
                st.markdown(f"> “{md(mask_personal_data(v.text))}”")
                st.caption(md(f"{v.category} · {v.source} · {v.received_at:%d %b %Y}"))
        else:
            st.caption("No verbatims this month.")
    if ev.calls or ev.artifacts:
        left, right = st.columns([0.5, 0.5], gap="large")
        with left:
            if ev.calls:
                call_player(ev.calls[0], key=f"{key}-call")
        with right:
            if ev.artifacts:
                artifacts_strip(ev.artifacts[:3])


def call_player(call: rq.CallClip, *, key: str) -> None:
    st.markdown(f"## Listen: {md(call.title)}")
    data = media_bytes(call.sha256, call.mime)
    if data is None:
        st.caption("The recording is missing from the media folder.")
        return
    st.audio(data, format=call.mime, start_time=call.clip_start_s, end_time=call.clip_end_s)
    st.caption(
        f"Clip {call.clip_start_s // 60}:{call.clip_start_s % 60:02d}–{call.clip_end_s // 60}:"
        f"{call.clip_end_s % 60:02d} of {int(call.duration_s) // 60}:{int(call.duration_s) % 60:02d}"
    )
    lines = call.clip_segments[:6]
    if lines:
        st.markdown("\n".join(f"**{md(s.speaker)}:** {md(mask_personal_data(s.text))}  " for s in lines))


def artifacts_strip(artifacts: Sequence[rq.Artifact]) -> None:
    from cxroom.ui import cache as wall_cache  # the wall's thumbnails (PDF first pages too)

    st.markdown("## What customers receive")
    cols = st.columns(len(artifacts))
    for col, artifact in zip(cols, artifacts, strict=True):
        with col:
            thumb = wall_cache.thumbnail(artifact.sha256, artifact.mime)
            if thumb is not None:
                st.image(thumb, width="stretch")
            st.caption(md(artifact.title))


def list_slide(title: str, reasons: Sequence[str]) -> None:
    st.markdown(f"# {md(title)}")
    if reasons:
        st.markdown("\n".join(f"- {md(r)}" for r in reasons))


def slide_label(item: rq.AgendaItem) -> str:
    return f"{item.position}. {item.title}"


@dataclass(frozen=True)
class Slide:
    """What the room's screen shows: an agenda item, or a stage of the wall."""

    key: str
    item: rq.AgendaItem | None
    stage_id: int | None
    stage_slug: str | None
    number: int | None  # 1-based place in the agenda
    total: int
    minutes: int


def presenter_slide(review: rq.Review, items: Sequence[rq.AgendaItem]) -> Slide:
    """The slide named by the URL (?item=<n> or ?stage=<slug>)."""
    choices = cached_choices(version(), db_key())
    stage = st.query_params.get("stage")
    if stage:
        if stage in choices.stage_ids:
            return Slide(f"stage-{stage}", None, choices.stage_ids[stage], stage, None, len(items), 8)
        st.error(f"There is no stage {md(stage)} on the wall; showing the agenda instead.")
    raw = str(st.query_params.get("item", "1"))
    if not raw.isdigit():
        st.error(f"item={md(raw)} is not an agenda item number; showing the first item.")
        raw = "1"
    if not items:
        return Slide("empty", None, None, None, None, 0, 5)
    number = min(max(int(raw), 1), len(items))
    item = items[number - 1]
    return Slide(f"item-{item.id}", item, item.stage_id, item.stage_slug, number, len(items), item.minutes)


def _go(review_id: int, *, item: int | None = None, stage: str | None = None) -> None:
    st.query_params.clear()
    st.query_params["review"] = str(review_id)
    if stage is not None:
        st.query_params["stage"] = stage
    else:
        st.query_params["item"] = str(item or 1)


def _forget(key: str) -> None:
    st.session_state.pop(key, None)


def _jump(review_id: int, key: str) -> None:
    target = str(st.session_state.get(key) or "")
    kind, _, value = target.partition(":")
    if kind == "stage":
        _go(review_id, stage=value)
    elif kind == "item" and value.isdigit():
        _go(review_id, item=int(value))


def presenter_bar(review: rq.Review, items: Sequence[rq.AgendaItem], slide: Slide) -> None:
    choices = cached_choices(version(), db_key())
    if slide.key == "empty":
        where = "No agenda yet"
        prev_args, next_args, has_prev, has_next = {}, {}, False, False
    elif slide.number is not None:
        where = f"Item {slide.number} of {slide.total}"
        if slide.item is not None:
            where += f" · {slide.item.section.heading}"
        prev_args: dict[str, Any] = {"item": slide.number - 1}
        next_args: dict[str, Any] = {"item": slide.number + 1}
        has_prev, has_next = slide.number > 1, slide.number < slide.total
    else:
        slugs = [slug for slug, _ in choices.stages]
        at = slugs.index(slide.stage_slug) if slide.stage_slug in slugs else 0
        where = f"Walking the wall · stage {at + 1} of {len(slugs)}"
        prev_args = {"stage": slugs[at - 1]} if at > 0 else {}
        next_args = {"stage": slugs[at + 1]} if at + 1 < len(slugs) else {}
        has_prev, has_next = bool(prev_args), bool(next_args)
    with st.container(key="presenter-bar"):
        c1, c2, c3, c4 = st.columns([0.5, 0.24, 0.13, 0.13], vertical_alignment="center")
        c1.markdown(f"**{md(review.title)}** · {where}")
        with c2:
            if slide.key != "empty":
                presenter_timer(timer_key(review.id, slide.key), slide.minutes)
        c3.button(
            "← Previous",
            key="presenter-prev",
            disabled=not has_prev,
            on_click=_go,
            args=(review.id,),
            kwargs=prev_args,
            width="stretch",
        )
        c4.button(
            "Next →",
            key="presenter-next",
            type="primary",
            disabled=not has_next,
            on_click=_go,
            args=(review.id,),
            kwargs=next_args,
            width="stretch",
        )


def render_slide(review: rq.Review, slide: Slide) -> None:
    item = slide.item
    if item is None and slide.stage_id is None:
        st.info("This review has no agenda yet: propose one on the review page.")
        return
    if item is None or (item.kind is AgendaKind.STAGE and item.stage_id is not None):
        stage_id = slide.stage_id if item is None else item.stage_id
        assert stage_id is not None
        ev = cached_stage_evidence(
            version(), db_key(), stage_id, review.month.isoformat(), None if item is None else item.moment_id
        )
        if ev is None:
            st.error("That stage no longer exists.")
            return
        stage_slide(ev, reasons=() if item is None else item.reasons, key=f"slide-{slide.key}")
        return
    if item.fix_id is not None:
        fix = cached_fix(version(), db_key(), item.fix_id)
        if fix is None:
            st.error("That fix no longer exists.")
            return
        kicker = "🎉 A win to celebrate" if item.kind is AgendaKind.WIN else "A fix team presents"
        fix_presentation_view(
            fix,
            cached_fix_evidence(version(), db_key(), item.fix_id),
            large=True,
            kicker=kicker,
            reasons=[r for r in item.reasons if not r.startswith("Lead: ")],
        )
        present_button(review, fix, key=f"presenter-present-{fix.id}")
        return
    list_slide(("🎉 " if item.kind is AgendaKind.WIN else "") + item.title, item.reasons)


def presenter_footer(review: rq.Review, items: Sequence[rq.AgendaItem], slide: Slide) -> None:
    choices = cached_choices(version(), db_key())
    st.divider()
    options = [f"item:{i.position}" for i in items] + [f"stage:{slug}" for slug, _ in choices.stages]
    labels = {f"item:{i.position}": slide_label(i) for i in items}
    labels.update({f"stage:{slug}": f"Wall · {name}" for slug, name in choices.stages})
    current = f"item:{slide.number}" if slide.number is not None else f"stage:{slide.stage_slug}"
    key = f"presenter-jump-{slide.key}"
    c1, c2 = st.columns([0.6, 0.4], vertical_alignment="bottom")
    c1.selectbox(
        "Go to",
        options=options,
        index=options.index(current) if current in options else 0,
        format_func=labels.__getitem__,
        key=key,
        on_change=_jump,
        args=(review.id, key),
    )
    with c2:
        navigation.page_link(REVIEW_PAGE, label="Back to the review", icon="↩️", query_params={"review": str(review.id)})
        st.button(
            "Restart the timer",
            key="presenter-timer-reset",
            on_click=_forget,
            args=(timer_key(review.id, slide.key),),
        )

"""Planning: the form that plans a review (its agenda proposed from the
data), the editor of a plan, and the list of reviews."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from cxroom.models import ReviewCreate, ReviewKind
from cxroom.queries.reviews import listing
from cxroom.services import reviews as rs
from cxroom.ui import context, navigation
from cxroom.ui import submits as submits_ui
from cxroom.ui.kit.actor import acting_actor as acting_user
from cxroom.ui.kit.format import date_text, fmt_count
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.header import STATUS_BADGE, default_title
from cxroom.ui.reviews.reads import cached_proposal, db_key, to_create, version
from cxroom.ui.reviews.state import REVIEW_PAGE, attempt

REVIEW_DAY = 8

# -- plan -----------------------------------------------------------------------------------------


def plan_form(*, last_attendees: Sequence[str], today: date) -> None:
    """Plan a review: date, kind, title, attendees; the agenda is proposed from the data."""
    # The next review day: the 8th of this month while it is ahead, else of next month.
    first_next = (
        today.replace(day=1) if today.day < REVIEW_DAY else (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    )
    with st.form("plan-review", border=True):
        st.subheader("Plan a review")
        c1, c2 = st.columns(2)
        held_on = c1.date_input("Held on", value=first_next.replace(day=REVIEW_DAY), key="plan-date")
        kind = c2.radio(
            "Kind",
            options=list(ReviewKind),
            format_func=lambda k: k.value.capitalize(),
            horizontal=True,
            key="plan-kind",
        )
        title = st.text_input(
            "Title",
            key="plan-title",
            placeholder="Leave empty for 'Monthly room review · <the month of data it reviews>'",
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
        del new_id  # the link below the title opens it; leaders never see an id
        return "Review planned with a proposed agenda."

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
        st.error("Choose the date the review is held on.", icon=":material/warning:")
        return
    people = [line.strip() for line in (attendees or "").splitlines() if line.strip()]

    def plan_once() -> int:
        data = ReviewCreate(
            held_on=held_on,
            kind=kind,
            title=(title or "").strip() or default_title(held_on, kind, month=listing.data_month(store, held_on)),
            attendees=people,
        )
        # Keyed on this form's nonce: a second click returns the review the first one planned.
        return submits_ui.first_send("plan-review", data, lambda nonce: plan(data, nonce=nonce, allow_similar=False))

    attempt(plan_once, success=planned)


def plan_editor(review: listing.Review) -> None:
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
                    icon=":material/forum:",
                    query_params={"review": str(int(row.id))},
                    text_otherwise=True,  # viewers and fix members do not run reviews: the title as text
                )
                st.caption(
                    f"Held {date_text(row.held_on)} · {row.kind} · {fmt_count(row.agenda_items, 'agenda item')} · "
                    f"{fmt_count(row.findings, 'finding')} · {fmt_count(row.decisions, 'decision')} · "
                    f"{fmt_count(row.fixes_chartered, 'fix', 'fixes')} chartered"
                )
            with c2:
                st.badge(label, color=colour)  # type: ignore[arg-type]

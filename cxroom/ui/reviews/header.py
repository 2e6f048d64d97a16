"""The top of a review page: which review (from the URL), its status, its
caption and the links to presenter mode."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from cxroom.insights.agenda import review_month
from cxroom.models import ReviewKind
from cxroom.queries.reviews import listing
from cxroom.services import reviews as rs
from cxroom.ui import context, navigation
from cxroom.ui.kit.actor import acting_actor as acting_user
from cxroom.ui.kit.format import date_text, month_label
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.state import PRESENTER_PAGE, REVIEWS_PAGE, attempt

STATUS_BADGE = {"planned": ("Planned", "blue"), "in_session": ("In session", "orange"), "closed": ("Closed", "gray")}


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
        navigation.page_link(REVIEWS_PAGE, label="Plan a review", icon=":material/event:")
        return None
    open_first = reviews.assign(closed=reviews["status"].eq("closed")).sort_values(
        ["closed", "held_on"], ascending=[True, False]
    )
    labels = {
        int(r.id): f"{date_text(r.held_on)} · {r.title} ({STATUS_BADGE.get(r.status, (r.status, ''))[0]})"
        for r in reviews.itertuples()
    }
    picked = st.selectbox("Review", options=list(open_first["id"].astype(int)), format_func=labels.__getitem__)
    if picked is not None:
        st.query_params["review"] = str(picked)
    return None if picked is None else int(picked)


def status_badge(review: listing.Review) -> None:
    label, colour = STATUS_BADGE.get(review.status, (review.status, "gray"))
    st.badge(label, color=colour)  # type: ignore[arg-type]


def review_caption(review: listing.Review) -> str:
    people = ", ".join(review.attendees) or "no attendees recorded"
    held = f"Held {review.held_on:%A} {date_text(review.held_on)}"
    return md(f"{held} · {review.kind} review of {month_label(review.month)} data · {people}")


def review_header(review: listing.Review) -> None:
    c1, c2, c3 = st.columns([0.62, 0.2, 0.18], vertical_alignment="center")
    with c1:
        status_badge(review)
        st.caption(review_caption(review))
    with c2:
        navigation.page_link(
            PRESENTER_PAGE,
            label="Presenter mode",
            icon=":material/present_to_all:",
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


def default_title(held_on: date, kind: ReviewKind, *, month: date | None = None) -> str:
    """Titled by the month of data it reviews ('Monthly room review · November 2026'): ``month``,
    the data month the room has for that date (listing.data_month), else the month before."""
    shown = month or review_month(held_on)
    return f"{'Monthly' if kind is ReviewKind.MONTHLY else 'Quarterly'} room review · {month_label(shown)}"

"""Room reviews: plan the next one (its agenda is proposed from the data) and
open any review, past or planned."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cxroom.ui import navigation
from cxroom.ui.reviews import plan, reads, state

state.before_widgets()

st.title("Room reviews")
st.caption(
    "Leadership convenes in the room every month or quarter: walks the wall, finds where customers are let down, "
    "charters fix teams and hears them present."
)
state.show_flash()

reviews = reads.cached_reviews(reads.version(), reads.db_key())
new_review = st.session_state.pop("plan:new-review", None)
if new_review is not None:
    navigation.page_link(
        state.REVIEW_PAGE,
        label="Open the new review",
        icon=":material/arrow_forward:",
        query_params={"review": str(new_review)},
    )

left, right = st.columns([0.58, 0.42], gap="large")
with left:
    st.subheader("Reviews")
    plan.reviews_list(reviews)
with right:
    if state.may_edit():
        last = reviews.iloc[0]["attendees"] if not reviews.empty else []
        plan.plan_form(last_attendees=list(last), today=date.today())
    else:
        st.caption("Facilitators plan reviews.")

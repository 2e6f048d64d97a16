"""The follow-up of earlier decisions, live: each with its owner, due date and state (open,
overdue, done), and a button for its owner or a facilitator to mark it done."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cxroom.insights.follow_up import FollowUp, FollowUpState, summary
from cxroom.services import review_capture
from cxroom.ui import context
from cxroom.ui.kit.actor import acting_actor as acting_user
from cxroom.ui.kit.actor import acting_user as acting_person
from cxroom.ui.kit.format import date_text
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.reads import cached_follow_up, db_key, version
from cxroom.ui.reviews.state import attempt, may_edit


def _may_mark(item: FollowUp) -> bool:
    """A courtesy: the service checks again (the owner by e-mail or display name, or a facilitator)."""
    if may_edit():
        return True
    user = acting_person()
    who = {user.actor.strip().lower(), user.name.strip().lower()} - {""}
    return item.decision.owner.strip().lower() in who


def follow_up_panel(review_id: int, *, key: str, heading: bool = True) -> list[FollowUp]:
    """Every decision of earlier reviews that comes back on this review, worst first."""
    items = cached_follow_up(version(), db_key(), review_id, date.today().isoformat())
    if heading:
        st.markdown("#### :material/assignment_turned_in: Decisions from earlier reviews")
    if not items:
        st.caption("No decisions from earlier reviews to follow up.")
        return items
    st.caption(summary(items).capitalize() + " (as of today).")
    for item in items:
        d = item.decision
        with st.container(border=True, key=f"{key}-decision-{d.id}"):
            c1, c2 = st.columns([0.8, 0.2], vertical_alignment="center")
            with c1:
                st.markdown(f":{item.state.colour}-badge[{item.state.icon} {item.state.word}] **{md(d.text)}**")
                when = (
                    f"done {date_text(d.done_at)}" + (f": {d.done_note}" if d.done_note else "")
                    if item.state is FollowUpState.DONE and d.done_at is not None
                    else (f"due {date_text(d.due_on)}" if d.due_on else "no due date")
                )
                st.caption(md(f"Owner {d.owner or 'not named'} · {when} · decided at {d.review_title}"))
            with c2:
                markable = item.state is not FollowUpState.DONE and _may_mark(item)
                if markable and st.button("Mark done", key=f"{key}-done-{d.id}", icon=":material/check:"):
                    attempt(
                        lambda d=d: review_capture.mark_decision_done(
                            context.store(), d.id, expected_version=d.version, actor=acting_user()
                        ),
                        success=f"Marked done: {d.text}",
                    )
    return items

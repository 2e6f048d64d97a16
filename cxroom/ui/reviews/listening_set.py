"""The listening set on the review page: the facilitator queues calls and clips (calls nobody
heard for a year are suggested), previews them (not recorded), and sees what was played; and
the stage page's list of calls heard in the last three months."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cxroom.formatting import fmt_count
from cxroom.queries import listening_set as q
from cxroom.queries.reviews import listing
from cxroom.services import listening_set as ls
from cxroom.ui import context
from cxroom.ui.kit.actor import acting_actor
from cxroom.ui.kit.format import clip_time, date_text, datetime_text
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.reads import db_key, media_bytes, version
from cxroom.ui.reviews.state import DROP, attempt, may_edit

# -- cached reads ---------------------------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=32)
def cached_set(data_version: int, db: str, review_id: int) -> list[q.SetItem]:
    del data_version, db
    return q.listening_set(context.store(), review_id)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_plays(data_version: int, db: str, review_id: int) -> list[q.Play]:
    del data_version, db
    return q.review_plays(context.store(), review_id)


@st.cache_data(show_spinner=False, max_entries=32)
def _suggestions(data_version: int, db: str, review_id: int, today_iso: str) -> list[q.Suggestion]:
    del data_version, db
    return q.suggestions(context.store(), review_id, today=date.fromisoformat(today_iso))


@st.cache_data(show_spinner=False, max_entries=8)
def _call_choices(data_version: int, db: str) -> list[q.CallChoice]:
    del data_version, db
    return q.call_choices(context.store())


@st.cache_data(show_spinner=False, max_entries=64)
def _heard(data_version: int, db: str, stage_id: int, today_iso: str) -> list[q.HeardCall]:
    del data_version, db
    return q.heard_on_stage(context.store(), stage_id, today=date.fromisoformat(today_iso))


# -- blocks -------------------------------------------------------------------------------------------------


def clip_label(item: q.SetItem) -> str:
    return f"clip {clip_time(item.clip_start_s)}–{clip_time(item.clip_end_s)} of {clip_time(item.duration_s)}"


def played_label(plays: int, last: object) -> str:
    if not plays:
        return "not played yet"
    return f"played {fmt_count(plays)}× · last {datetime_text(last)}" if last else f"played {fmt_count(plays)}×"  # type: ignore[arg-type]


def _item_row(review: listing.Review, item: q.SetItem, *, editable: bool) -> None:
    with st.container(border=True, key=f"listen-item-{item.id}"):
        c1, c2 = st.columns([0.78, 0.22], vertical_alignment="center")
        c1.markdown(f"**{item.position}. {md(item.title)}** · {md(item.stage_name)}")
        c1.caption(
            md(" · ".join(x for x in (clip_label(item), played_label(item.plays, item.last_played_at), item.note) if x))
        )
        if editable and c2.button("Take off the set", key=f"listen-remove-{item.id}"):
            attempt(
                lambda: ls.remove_item(
                    context.store(), item_id=item.id, expected_version=item.version, actor=acting_actor()
                ),
                success=md(f"'{item.title}' taken off the listening set."),
            )
        with st.expander("Preview (not recorded as heard)"):
            data = media_bytes(item.sha256, item.mime)
            if data is None:
                st.caption("The recording is missing from the media folder.")
            else:
                st.audio(data, format=item.mime, start_time=item.clip_start_s, end_time=item.clip_end_s)


def _suggestion_label(s: q.Suggestion) -> str:
    heard = (
        "never heard in a review" if s.last_played_at is None else f"last heard {date_text(s.last_played_at.date())}"
    )
    return f"{s.title} · {s.stage_name} · {heard}"


def _queue_form(review: listing.Review, suggestions: list[q.Suggestion]) -> None:
    calls = _call_choices(version(), db_key())
    if not calls:
        st.caption("The room has no calls yet: add one on the Listening page.")
        return
    marks = {s.call_id: _suggestion_label(s) for s in suggestions}
    order = [s.call_id for s in suggestions] + [c.call_id for c in calls if c.call_id not in marks]
    labels = {c.call_id: marks.get(c.call_id, f"{c.title} · {c.stage_name}") for c in calls}
    with st.form(f"listen-queue-{review.id}", border=True):
        st.markdown("**Queue a call**")
        call_id = st.selectbox(
            "Call (not heard for a year first)", order, format_func=lambda i: md(labels[i]), key="listen-call"
        )
        c1, c2 = st.columns(2)
        start = c1.number_input("Clip starts at (s)", min_value=0, value=None, step=1, key="listen-start")
        end = c2.number_input("Clip ends at (s)", min_value=1, value=None, step=1, key="listen-end")
        st.caption("Leave the clip empty to play the call's highlighted clip.")
        note = st.text_input("Why this call (shown to the room)", max_chars=ls.NOTE_MAX_CHARS, key="listen-note")
        queued = st.form_submit_button("Queue the call", type="primary")
    if queued and call_id is not None:
        attempt(
            lambda: ls.queue_call(
                context.store(),
                review_id=review.id,
                call_id=int(call_id),
                clip_start_s=None if start is None else int(start),
                clip_end_s=None if end is None or start is None else int(end),
                note=note or "",
                actor=acting_actor(),
            ),
            success=md(f"'{labels[int(call_id)]}' queued."),
            clear={"listen-start": DROP, "listen-end": DROP, "listen-note": ""},
        )


def set_editor(review: listing.Review) -> None:
    """The review's listening set: what is queued, what was played, and the form that queues a call."""
    st.subheader("Listening set")
    st.caption(
        "Calls and clips to play to the room. The presenter plays them with “Play to the room”, "
        "which records that this review's attendees heard them."
    )
    items = cached_set(version(), db_key(), review.id)
    editable = may_edit() and not review.closed
    left, right = st.columns([0.58, 0.42], gap="large")
    with left:
        if not items:
            st.info("Nothing queued yet.")
        for item in items:
            _item_row(review, item, editable=editable)
        plays = cached_plays(version(), db_key(), review.id)
        if plays:
            st.markdown(f"**Listening log** · {fmt_count(len(plays))} plays in this review")
            for p in plays:
                who = ", ".join(p.attendees) or "no attendees listed"
                st.caption(
                    md(f"{datetime_text(p.played_at)} · {p.call_title} · played by {p.played_by} · heard by {who}")
                )
    with right:
        if editable:
            _queue_form(review, _suggestions(version(), db_key(), review.id, date.today().isoformat()))
        elif review.closed:
            st.caption("The review is closed: its listening set is kept as it was played.")


def heard_on_stage(stage_id: int, *, key: str) -> None:
    """The calls of a stage played to a review in the last three months."""
    heard = _heard(version(), db_key(), stage_id, date.today().isoformat())
    st.markdown(f"##### Calls heard in the last {q.HEARD_MONTHS} months")
    if not heard:
        st.caption("No call of this stage was played in a review in the last three months.")
        return
    for h in heard:
        with st.container(border=True, key=f"{key}-{h.call_id}"):
            st.markdown(f"**{md(h.title)}**" + ("" if h.in_room else " · no longer in the room"))
            reviews = ", ".join(h.review_titles)
            people = fmt_count(len(h.attendees))
            st.caption(md(f"{played_label(h.plays, h.last_played_at)} · in {reviews} · heard by {people} people"))

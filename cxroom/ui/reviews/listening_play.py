"""The listening set on the room's screen (presenter, ?review=<id>&listen=1): each queued
call with a "Play to the room" button that records the play in the listening log and then
starts the clip.

Why a button and not the audio element's own play: st.audio (streamlit 1.67) takes
start_time, end_time and autoplay but sends no event back when it plays. A custom component
(st.components.v2) could listen for `play`, but it would have to carry the recording itself and
report back from the browser, where a blocked script or a closed tab loses the record. The
button records on the server first, inside the same request that sends the clip, so a clip
played to the room is never missing from the log; the click is the user gesture that lets the
browser autoplay the clip. Scrubbing the player afterwards is not a new play (not recorded).
"""

from __future__ import annotations

import streamlit as st

from cxroom.errors import CxroomError
from cxroom.formatting import fmt_count
from cxroom.queries import listening_set as q
from cxroom.queries.reviews import listing
from cxroom.services import listening_set as ls
from cxroom.ui import context, navigation
from cxroom.ui.kit.actor import acting_actor
from cxroom.ui.kit.format import clip_time
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.listening_set import cached_set, clip_label, played_label
from cxroom.ui.reviews.reads import db_key, media_bytes, version
from cxroom.ui.reviews.state import PRESENTER_PAGE, explain, may_edit

PLAYING_KEY = "listening:playing"  # review id -> the item playing on this screen
ERROR_KEY = "listening:error"
WORDS_SHOWN = 6


def listening_requested() -> bool:
    return str(st.query_params.get("listen", "")) == "1"


def listening_link(review: listing.Review) -> None:
    """The way between the agenda and the listening set on the room's screen."""
    if listening_requested():
        navigation.page_link(
            PRESENTER_PAGE, label="Back to the agenda", icon=":material/undo:", query_params={"review": str(review.id)}
        )
        return
    count = len(cached_set(version(), db_key(), review.id))
    if count:
        navigation.page_link(
            PRESENTER_PAGE,
            label=f"The listening set · {fmt_count(count)} calls",
            icon=":material/headphones:",
            query_params={"review": str(review.id), "listen": "1"},
        )


def _play(review_id: int, item_id: int) -> None:
    """The button's callback: runs before the page is drawn, so every card knows what plays."""
    try:
        ls.record_play(context.store(), item_id=item_id, actor=acting_actor())
    except CxroomError as exc:
        st.session_state[ERROR_KEY] = explain(exc)
        return
    st.session_state.setdefault(PLAYING_KEY, {})[review_id] = item_id


def _item(review: listing.Review, item: q.SetItem, *, playing: bool, may_play: bool) -> None:
    with st.container(border=True, key=f"listen-play-{item.id}"):
        c1, c2 = st.columns([0.72, 0.28], vertical_alignment="center")
        c1.markdown(f"### {item.position}. {md(item.title)}")
        facts = [item.stage_name, clip_label(item), played_label(item.plays, item.last_played_at)]
        c1.caption(md(" · ".join(facts)))
        if item.note:
            c1.markdown(f"*{md(item.note)}*")
        if may_play:
            c2.button(
                "Play to the room",
                icon=":material/play_arrow:",
                key=f"listen-play-button-{item.id}",
                type="primary",
                width="stretch",
                on_click=_play,
                args=(review.id, item.id),
            )
        if playing:
            data = media_bytes(item.sha256, item.mime)
            if data is None:
                st.caption("The recording is missing from the media folder.")
            else:
                st.audio(data, format=item.mime, start_time=item.clip_start_s, end_time=item.clip_end_s, autoplay=True)
                st.caption("Playing to the room: recorded in the listening log with this review's attendees.")
        if item.words:
            lines = [f"**{md(s.speaker)}** ({clip_time(s.start)}): {md(s.text)}  " for s in item.words[:WORDS_SHOWN]]
            st.markdown("\n".join(lines))


def listening_slide(review: listing.Review) -> None:
    """The review's listening set on the room's screen, one card per queued call."""
    st.markdown("# :material/headphones: The customer's voice")
    items = cached_set(version(), db_key(), review.id)
    if not items:
        st.info("Nothing is queued for this review: queue calls on the review page (Agenda tab).")
        return
    problem = st.session_state.pop(ERROR_KEY, None)
    if problem:
        st.error(md(problem), icon=":material/error:")
    may_play = may_edit() and not review.closed
    if not may_play:
        st.caption("Facilitators play the listening set to the room." if not review.closed else "The review is closed.")
    now = st.session_state.get(PLAYING_KEY, {}).get(review.id)
    for item in items:
        _item(review, item, playing=item.id == now, may_play=may_play)

"""Presenter mode for the room's screen (?review=<id>&item=<n>, or &stage=<slug>
to walk any stage): one agenda item at a time, large type, its evidence, a
timer, previous and next."""

from __future__ import annotations

import streamlit as st

from cxroom.ui.reviews import header, listening_play, presenter, reads, state

state.before_widgets()

presenter.presenter_style()
version, db = reads.version(), reads.db_key()
review_id = header.review_from_url(reads.cached_reviews(version, db))
if review_id is None:
    st.stop()
review = reads.cached_review(version, db, review_id)
if review is None:
    st.error("That review no longer exists.")
    st.stop()
items = reads.cached_agenda(version, db, review.id)
slide = presenter.presenter_slide(review, items)
presenter.presenter_bar(review, items, slide)
state.show_flash()
if listening_play.listening_requested():
    listening_play.listening_slide(review)
else:
    presenter.render_slide(review, slide)
listening_play.listening_link(review)
presenter.presenter_footer(review, items, slide)

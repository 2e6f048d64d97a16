"""Presenter mode for the room's screen (?review=<id>&item=<n>, or &stage=<slug>
to walk any stage): one agenda item at a time, large type, its evidence, a
timer, previous and next."""

from __future__ import annotations

import streamlit as st

from cxroom.ui import review_components as rc

rc.before_widgets()

rc.presenter_style()
version, db = rc.version(), rc.db_key()
review_id = rc.review_from_url(rc.cached_reviews(version, db))
if review_id is None:
    st.stop()
review = rc.cached_review(version, db, review_id)
if review is None:
    st.error("That review no longer exists.")
    st.stop()
items = rc.cached_agenda(version, db, review.id)
slide = rc.presenter_slide(review, items)
rc.presenter_bar(review, items, slide)
rc.show_flash()
rc.render_slide(review, slide)
rc.presenter_footer(review, items, slide)

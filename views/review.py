"""Run one review (?review=<id>): the agenda, capture during the session
(findings, decisions, fixes chartered on the spot), teams presenting, closing
with the minutes, and what changed since the last review."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cxroom.ui import review_components as rc
from cxroom.ui.kit.text import md

rc.before_widgets()

version, db = rc.version(), rc.db_key()
review_id = rc.review_from_url(rc.cached_reviews(version, db))
if review_id is None:
    st.stop()
review = rc.cached_review(version, db, review_id)
if review is None:
    st.error("That review no longer exists.")
    st.stop()

st.title(md(review.title))
rc.review_header(review)
rc.show_flash()

items = rc.cached_agenda(version, db, review.id)
findings = rc.cached_findings(version, db, review.id)
decisions = rc.cached_decisions(version, db, review.id)
choices = rc.cached_choices(version, db)

# Only the open tab runs (each tab is a rerun), so a busy review stays quick.
agenda_tab, capture_tab, present_tab, close_tab, changes_tab = st.tabs(
    list(rc.REVIEW_TABS), key="review-tab", on_change="rerun"
)
if agenda_tab.open:
    with agenda_tab:
        rc.agenda_editor(review, items, choices)
if capture_tab.open:
    with capture_tab:
        left, right = st.columns([0.5, 0.5], gap="large")
        with left:
            rc.findings_list(review, findings)
            rc.decisions_list(decisions)
        with right:
            if review.closed:
                st.info("The review is closed: reopen it to capture more.")
            else:
                rc.finding_form(review, items, choices)
                rc.decision_form(review, findings)
                rc.charter_form(review, findings, choices, today=date.today())
if present_tab.open:
    with present_tab:
        rc.presenting_panel(review, items)
if close_tab.open:
    with close_tab:
        rc.close_panel(review, findings, decisions)
        rc.minutes_downloads(review)
if changes_tab.open:
    with changes_tab:
        rc.comparison_view(review)

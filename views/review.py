"""Run one review (?review=<id>): the agenda, capture during the session
(findings, decisions, fixes chartered on the spot), teams presenting, closing
with the minutes, and what changed since the last review."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cxroom.ui.decks import review_deck_downloads
from cxroom.ui.kit.text import md
from cxroom.ui.reviews import (
    agenda,
    capture,
    charter,
    close_minutes,
    compare,
    header,
    listening_set,
    reads,
    state,
    teams,
)

state.before_widgets()

version, db = reads.version(), reads.db_key()
review_id = header.review_from_url(reads.cached_reviews(version, db))
if review_id is None:
    st.stop()
review = reads.cached_review(version, db, review_id)
if review is None:
    st.error("That review no longer exists.")
    st.stop()

st.title(md(review.title))
header.review_header(review)
state.show_flash()

items = reads.cached_agenda(version, db, review.id)
findings = reads.cached_findings(version, db, review.id)
decisions = reads.cached_decisions(version, db, review.id)
choices = reads.cached_choices(version, db)

# Only the open tab runs (each tab is a rerun), so a busy review stays quick.
agenda_tab, capture_tab, present_tab, close_tab, changes_tab = st.tabs(
    list(state.REVIEW_TABS), key="review-tab", on_change="rerun"
)
if agenda_tab.open:
    with agenda_tab:
        agenda.agenda_editor(review, items, choices)
        listening_set.set_editor(review)
if capture_tab.open:
    with capture_tab:
        left, right = st.columns([0.5, 0.5], gap="large")
        with left:
            capture.findings_list(review, findings)
            capture.decisions_list(decisions)
        with right:
            if review.closed:
                st.info("The review is closed: reopen it to capture more.")
            else:
                capture.finding_form(review, items, choices)
                capture.decision_form(review, findings)
                charter.charter_form(review, findings, choices, today=date.today())
if present_tab.open:
    with present_tab:
        teams.presenting_panel(review, items)
if close_tab.open:
    with close_tab:
        close_minutes.close_panel(review, findings, decisions)
        close_minutes.minutes_downloads(review)
        review_deck_downloads(review.id, review.held_on)
if changes_tab.open:
    with changes_tab:
        compare.comparison_view(review)

"""One fix: its problem, team, evidence, story, timeline and attachments, and
the forms that move it along (deep link: ?fix=<id>)."""

from __future__ import annotations

import streamlit as st

from cxroom.ui.fixes import actions, attachments, common, evidence, fix_page, forms, reads

common.style()

fix_id = fix_page.fix_id_from_url()
if fix_id is None:
    st.title("Fix page", anchor=False)
    fix_page.fix_picker(key="fix-picker")
    st.stop()

detail = reads.detail(fix_id)
if detail is None:
    st.title("Fix page", anchor=False)
    st.error(f"There is no fix #{fix_id}. It may have been removed, or the link is wrong.")
    fix_page.fix_picker(key="fix-picker")
    st.stop()

fix_page.fix_header(detail)
actions.show_flash()
current = int(detail.fix["version"])
version = actions.seen_version(fix_id, current)
if version != current:
    st.warning(
        "Someone else changed this fix since you opened it. What you see is their latest version; "
        "reload before you change anything, or your change will be refused."
    )
    if st.button("Reload the fix", key="fix-reload"):
        actions.forget_seen_version(fix_id)
        st.rerun()

fix_evidence = reads.evidence(fix_id)
main, side = st.columns([3, 2], gap="large")
with main:
    fix_page.problem(detail)
    evidence.evidence_section(fix_evidence, key="evidence")
    fix_page.story(detail)
with side:
    with st.container(border=True):
        forms.move_form(detail, fix_evidence, version=version, key="move")
    with st.container(border=True):
        forms.note_form(detail, key="note")
    fix_page.team_panel(detail)
    with st.expander("Edit the story and due date"):
        forms.story_form(detail, version=version, key="story")
    with st.expander("Change the team"):
        forms.team_form(detail, reads.options().silos, version=version, key="team")
    attachments.attachments_panel(detail, key="attachments")
    with st.expander("Attach a file"):
        attachments.attach_form(detail, key="attach")
    fix_page.timeline(detail)

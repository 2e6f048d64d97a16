"""One fix: its problem, team, evidence, story, timeline and attachments, and
the forms that move it along (deep link: ?fix=<id>)."""

from __future__ import annotations

import streamlit as st

from cxroom.ui import fix_components as fc

fc.style()

fix_id = fc.fix_id_from_url()
if fix_id is None:
    st.title("Fix page", anchor=False)
    fc.fix_picker(key="fix-picker")
    st.stop()

detail = fc.detail(fix_id)
if detail is None:
    st.title("Fix page", anchor=False)
    st.error(f"There is no fix #{fix_id}. It may have been removed, or the link is wrong.")
    fc.fix_picker(key="fix-picker")
    st.stop()

fc.fix_header(detail)
fc.show_flash()
current = int(detail.fix["version"])
version = fc.seen_version(fix_id, current)
if version != current:
    st.warning(
        "Someone else changed this fix since you opened it. What you see is their latest version; "
        "reload before you change anything, or your change will be refused."
    )
    if st.button("Reload the fix", key="fix-reload"):
        fc.forget_seen_version(fix_id)
        st.rerun()

evidence = fc.evidence(fix_id)
main, side = st.columns([3, 2], gap="large")
with main:
    fc.problem(detail)
    fc.evidence_section(evidence, key="evidence")
    fc.story(detail)
with side:
    with st.container(border=True):
        fc.move_form(detail, evidence, version=version, key="move")
    with st.container(border=True):
        fc.note_form(detail, key="note")
    fc.team_panel(detail)
    with st.expander("Edit the story and due date"):
        fc.story_form(detail, version=version, key="story")
    with st.expander("Change the team"):
        fc.team_form(detail, fc.options().silos, version=version, key="team")
    fc.attachments_panel(detail, key="attachments")
    with st.expander("Attach a file"):
        fc.attach_form(detail, key="attach")
    fc.timeline(detail)

"""The forms that change a fix on its page: move it along its statuses (and
celebrate it), post an update, edit its story and due date, change its team.

Widgets of the forms that edit a version are keyed on it: after a move (or a
reload) the form starts afresh; after a refusal the person's text stays."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import streamlit as st

from cxroom import fix_status
from cxroom.models import FixStatus
from cxroom.queries import fixes as fix_queries
from cxroom.services import fix_evidence
from cxroom.services import fixes as fix_service
from cxroom.ui import context, navigation
from cxroom.ui.fixes.actions import after_write, run_action
from cxroom.ui.fixes.charter import team_rows, validated_team
from cxroom.ui.fixes.common import (
    BASIS,
    CELEBRATIONS_PAGE,
    as_date,
    status_label,
)
from cxroom.ui.kit.actor import acting_actor as acting_user  # the kit's one rule, no fallback
from cxroom.ui.kit.text import md


def move_form(d: fix_queries.FixDetail, fe_all: fix_evidence.FixEvidence, *, version: int, key: str) -> None:
    fix = d.fix
    fix_id = int(fix["id"])
    current = FixStatus(str(fix["status"]))
    options = fix_status.next_statuses(current)
    # Widgets are keyed on the version this session edits: after a move (or a reload)
    # the form starts afresh; after a refusal the person's text stays.
    key = f"{key}-v{version}"
    st.markdown("##### Move the fix")
    if not options:
        st.caption("Celebrated: this fix is done. Charter a new fix for new work on this moment.")
        navigation.page_link(
            CELEBRATIONS_PAGE,
            label="On the Celebrations wall: move the moment up the ladder",
            icon=":material/celebration:",
        )
        return
    target = st.selectbox(
        "Move to",
        [o.value for o in options],
        format_func=status_label,
        key=f"{key}-to",
        index=None,
        placeholder="Choose the next status",
    )
    later = _not_yet(current)
    if later:
        st.caption(later)
    if target is None:
        return
    target_status = FixStatus(target)
    celebration = fe_all.celebration() if target_status is FixStatus.CELEBRATED else None
    with st.form(f"{key}-form", border=True, enter_to_submit=False):
        note = st.text_area(
            "Note for the timeline",
            key=f"{key}-note",
            height=80,
            placeholder="What happened, and why this move (required when dropping or moving back).",
        )
        results = None
        if target_status is FixStatus.RESULTS:
            results = st.text_area(
                "Results (what changed, what the data shows)", value=fix["results"] or "", key=f"{key}-results"
            )
        reason = None
        if target_status is FixStatus.CELEBRATED:
            if celebration is not None:
                icon, word = BASIS[celebration.basis]
                st.success(f"**{word}**: {md(celebration.summary)}", icon=icon)
            else:
                st.warning(
                    f"No evidence yet: no linked KPI meets its target and no series has improved. Only the "
                    f"sponsor, {md(fix['sponsor'])}, or a facilitator recording the sponsor's decision can celebrate "
                    "now, with a reason. The override is audited and shown on the Celebrations wall.",
                    icon=":material/front_hand:",
                )
                reason = st.text_area("Sponsor's reason for celebrating without evidence", key=f"{key}-reason")
        celebrate = target_status is FixStatus.CELEBRATED
        label = "Celebrate" if celebrate else f"Move to {status_label(target)}"
        icon = ":material/celebration:" if celebrate else ":material/arrow_forward:"
        submitted = st.form_submit_button(label, type="primary", key=f"{key}-submit", icon=icon)
    if not submitted:
        return
    fields = {"results": results} if results is not None else None
    done = run_action(
        lambda: fix_service.move_fix(
            context.store(),
            fix_id,
            to_status=target_status,
            note=note,
            expected_version=version,
            actor=acting_user(),
            fields=fields,
            override_reason=reason or None,
        ),
        success=f"Moved to {status_label(target)}."
        if target_status is not FixStatus.CELEBRATED
        else "Celebrated! It is on the Celebrations wall.",
        key=key,
    )
    if done:
        after_write(fix_id)


def _not_yet(current: FixStatus) -> str:
    """Why the later statuses are not offered yet (a jump that skips evidence)."""
    if current in (FixStatus.RESULTS, FixStatus.CELEBRATED):
        return ""
    if current is FixStatus.DROPPED:
        return "A dropped fix is reopened as chartered or diagnosing."
    text = "Celebrated comes after Results, once the room's data (or the sponsor) backs them"
    if current is not FixStatus.IMPLEMENTING:
        text = "Results come after Implementing; " + text[0].lower() + text[1:]
    return text + "."


def note_form(d: fix_queries.FixDetail, *, key: str) -> None:
    fix_id = int(d.fix["id"])
    with st.form(f"{key}-form", clear_on_submit=True, border=False):
        note = st.text_area("Post an update", key=f"{key}-text", height=80, placeholder="Progress, a blocker, a win…")
        submitted = st.form_submit_button("Post update", key=f"{key}-submit")
    if submitted and run_action(
        lambda: fix_service.add_note(context.store(), fix_id, note=note, actor=acting_user()),
        success="Update posted.",
        key=key,
    ):
        after_write()


def story_form(d: fix_queries.FixDetail, *, version: int, key: str) -> None:
    fix = d.fix
    fix_id = int(fix["id"])
    key = f"{key}-v{version}"  # fields start from the saved text of the version being edited
    with st.form(f"{key}-form", border=False, enter_to_submit=False):
        problem = st.text_area("Problem statement", value=fix["problem"], key=f"{key}-problem")
        findings = st.text_area("Findings", value=fix["findings"], key=f"{key}-findings")
        recommendations = st.text_area("Recommendations", value=fix["recommendations"], key=f"{key}-recs")
        results = st.text_area("Results", value=fix["results"], key=f"{key}-results")
        due = st.date_input("Due", value=as_date(fix["due_on"]), key=f"{key}-due", format="DD/MM/YYYY")
        submitted = st.form_submit_button("Save", type="primary", key=f"{key}-submit")
    if submitted and run_action(
        lambda: fix_service.update_fix(
            context.store(),
            fix_id,
            expected_version=version,
            actor=acting_user(),
            problem=problem,
            findings=findings,
            recommendations=recommendations,
            results=results,
            due_on=due if isinstance(due, date) else None,
        ),
        success="Saved.",
        key=key,
    ):
        after_write(fix_id)


def team_form(d: fix_queries.FixDetail, silos: Sequence[str], *, version: int, key: str) -> None:
    fix_id = int(d.fix["id"])
    key = f"{key}-v{version}"
    lead = str(d.fix["lead"]).casefold()
    current = sorted(d.members, key=lambda m: (str(m["person"]).casefold() != lead, str(m["person"])))
    with st.form(f"{key}-form", border=False, enter_to_submit=False):
        st.caption("The first row is the lead. Clear a row to take someone off the team.")
        members = team_rows(silos, current, key=key)
        submitted = st.form_submit_button("Save team", type="primary", key=f"{key}-submit")
    if submitted and run_action(
        lambda: fix_service.set_team(
            context.store(),
            fix_id,
            members=validated_team(members),
            lead=members[0].person if members else "",
            expected_version=version,
            actor=acting_user(),
        ),
        success="Team saved.",
        key=key,
    ):
        after_write(fix_id)

"""The form that charters a new cross-functional team, and the name + silo rows
it shares with the fix page's team form."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import streamlit as st

from cxroom.errors import InvalidInputError
from cxroom.models import FixCreate, FixMember
from cxroom.queries import fixes as fix_queries
from cxroom.services import fixes as fix_service
from cxroom.ui import context
from cxroom.ui import submits as submits_ui
from cxroom.ui.fixes.actions import run_action
from cxroom.ui.fixes.common import (
    FIX_PAGE,
    MEMBER_ROWS,
    today,
)
from cxroom.ui.kit.actor import acting_actor as acting_user  # the kit's one rule, no fallback


def charter_form(opts: fix_queries.CharterOptions, *, key: str) -> int | None:
    """The form that charters a new fix; returns the new fix's id once chartered."""
    if not opts.stages:
        st.info("The room has no stages yet, so there is nothing to charter a fix for.")
        return None
    stage_names = dict(opts.stages)
    stage = st.selectbox(
        "Stage of the customer experience", list(stage_names), format_func=stage_names.get, key=f"{key}-stage"
    )
    moments = opts.moments_of(stage)
    kpis = opts.kpis_of(stage)
    # Enter in a one-line field must not charter half a team: submit with the button only.
    with st.form(f"{key}-form", border=True, enter_to_submit=False):
        title = st.text_input("Title", max_chars=200, key=f"{key}-title", placeholder="e.g. Call back every new claim")
        problem = st.text_area(
            "Problem statement",
            key=f"{key}-problem",
            placeholder="What customers live through, in their words; at least a sentence.",
            height=90,
        )
        moment = st.selectbox(
            "Moment of truth",
            [None, *[m["name"] for m in moments]],
            format_func=lambda m: "— the whole stage —" if m is None else m,
            key=f"{key}-moment",
        )
        a, b = st.columns(2)
        sponsor = a.text_input("Sponsor (the leader who owns the outcome)", key=f"{key}-sponsor")
        review_ids = [None, *[int(r["id"]) for r in opts.reviews]]
        review_titles = {int(r["id"]): str(r["title"]) for r in opts.reviews}
        review = b.selectbox(
            "Chartered at review",
            review_ids,
            format_func=lambda r: "— not at a review —" if r is None else review_titles[r],
            key=f"{key}-review",
        )
        st.markdown("**Team** — members from at least two silos; the first row is the lead.")
        members = team_rows(opts.silos, [], key=key)
        c, d = st.columns(2)
        chartered_on = c.date_input("Chartered on", value=today(), key=f"{key}-chartered", format="DD/MM/YYYY")
        due_on = d.date_input(
            "Due", value=today() + timedelta(days=90), key=f"{key}-due", format="DD/MM/YYYY", min_value=None
        )
        kpi_labels = {
            k["name"]: f"{k['name']} ({k['readings']} readings)" if k["readings"] else f"{k['name']} (no readings yet)"
            for k in kpis
        }
        kpi_names = st.multiselect(
            "KPIs that will prove it (baseline captured at charter from the last reading before it)",
            list(kpi_labels),
            format_func=kpi_labels.get,
            key=f"{key}-kpis",
        )
        submitted = st.form_submit_button("Charter the team", type="primary", key=f"{key}-submit")
    if not submitted:
        # An active fix on the same moment (or with the same title) held the last charter back.
        anyway = submits_ui.similar_warning(key, page=FIX_PAGE, param="fix", confirm="Charter a new team anyway")
        if anyway is None:
            return None
        held, again = anyway
        new_id = run_action(
            lambda: fix_service.charter_fix(context.store(), held, actor=acting_user(), nonce=again),
            success="The team is chartered.",
            key=key,
        )
        return int(new_id) if new_id else None
    lead = members[0].person if members else ""

    def charter() -> int:
        data = FixCreate(
            title=title,
            problem=problem,
            stage_slug=stage,
            moment_name=moment,
            sponsor=sponsor,
            lead=lead,
            members=validated_team(members),
            chartered_on=chartered_on,
            due_on=due_on,
            chartered_review_id=review,
            kpi_names=kpi_names,
        )
        # Keyed on this form's nonce: a second click returns the fix the first one chartered.
        return submits_ui.first_send(
            key,
            data,
            lambda nonce: (
                fix_service.charter_fix_once(
                    context.store(), data, actor=acting_user(), nonce=nonce, allow_similar=False
                ).id
            ),
        )

    new_id = run_action(charter, success="The team is chartered.", key=key)
    return int(new_id) if new_id else None


def team_rows(silos: Sequence[str], current: Sequence[dict[str, Any]], *, key: str) -> list[FixMember]:
    """Name + silo rows (inside a form); rows left empty are ignored. Raises nothing."""
    members: list[FixMember] = []
    rows = max(MEMBER_ROWS, len(current) + 2)
    options = [None, *silos]
    for i in range(rows):
        person0 = str(current[i]["person"]) if i < len(current) else ""
        silo0 = current[i]["silo"] if i < len(current) else None
        a, b = st.columns([3, 2])
        person = a.text_input(
            "Lead" if i == 0 else f"Member {i + 1}",
            value=person0,
            key=f"{key}-person-{i}",
            label_visibility="visible" if i < 2 else "collapsed",
            placeholder="Lead's name" if i == 0 else "Name",
        )
        silo = b.selectbox(
            "Silo",
            options,
            index=options.index(silo0) if silo0 in options else 0,
            format_func=lambda s: "— silo —" if s is None else s,
            key=f"{key}-silo-{i}",
            label_visibility="visible" if i < 2 else "collapsed",
        )
        if person.strip() or silo:
            members.append(_member(person, silo))
    return members


def _member(person: str, silo: str | None) -> FixMember:
    """A FixMember, or one that fails validation later with a readable message."""
    return FixMember.model_construct(person=person.strip(), silo_name=silo or "")


def validated_team(members: Sequence[FixMember]) -> list[FixMember]:
    problems = []
    for m in members:
        if not m.person:
            problems.append(f"a row with silo {m.silo_name} has no name")
        elif not m.silo_name:
            problems.append(f"{m.person} has no silo")
    if problems:
        raise InvalidInputError("Team: " + "; ".join(problems) + ".")
    return [FixMember(person=m.person, silo_name=m.silo_name) for m in members]

"""Charter a cross-functional fix team on the spot from a finding."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

import streamlit as st

from cxroom.errors import InvalidInputError
from cxroom.models import FixCreate, FixMember
from cxroom.queries.reviews import contents, listing
from cxroom.services import review_capture
from cxroom.ui import context
from cxroom.ui import submits as submits_ui
from cxroom.ui.kit.actor import acting_actor as acting_user
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.capture import _short
from cxroom.ui.reviews.reads import cached_stage_evidence, db_key, stage_id_of, version
from cxroom.ui.reviews.state import FIX_PAGE, attempt

FIX_SILO_ROWS = 4


def fix_title_from(text: str) -> str:
    """A fix title from a finding: its first sentence, shortened."""
    first = re.split(r"(?<=[.;:!?])\s", " ".join(text.split()), maxsplit=1)[0].rstrip(".;:!?")
    return _short(first, 90)


def charter_form(
    review: listing.Review, findings: Sequence[contents.Finding], choices: contents.Choices, *, today: date
) -> None:
    """Charter a cross-functional fix team from a finding, prefilled from it."""
    store = context.store()
    st.markdown("#### Charter a fix team from a finding")
    if not findings:
        st.caption("Record a finding first: a fix team is chartered from a finding.")
        return
    by_id = {f.id: f for f in findings}
    finding_id = st.selectbox(
        "From the finding",
        options=list(by_id),
        index=len(by_id) - 1,
        format_func=lambda i: _short(by_id[i].text),
        key="charter-finding",
    )
    f = by_id[finding_id]
    if f.fix_titles:
        st.caption(md("Already chartered from this finding: " + ", ".join(f.fix_titles)))
    k = f"charter-{f.id}"
    stage_names = dict(choices.stages)
    stage = f.stage_slug
    if stage is None:
        st.caption("The finding names no stage; a fix belongs to one.")
        stage = st.selectbox(
            "Stage", options=list(stage_names), format_func=stage_names.__getitem__, index=None, key=f"{k}-stage"
        )
    else:
        st.caption(md(f"At {f.where}"))
    title = st.text_input("Fix title", value=fix_title_from(f.text), key=f"{k}-title")
    problem = st.text_area("The problem, in the customer's terms", value=f.text, key=f"{k}-problem", height=90)
    c1, c2 = st.columns(2)
    sponsor = c1.selectbox(
        "Sponsor",
        options=list(review.attendees),
        index=None,
        accept_new_options=True,
        key=f"{k}-sponsor",
        placeholder="Pick or type a name",
    )
    start = max(today, review.held_on)
    due = c2.date_input("Due", value=start + timedelta(days=90), min_value=today, key=f"{k}-due")
    st.caption("The team: members from at least two silos. The first member leads.")
    rows = []
    for n in range(FIX_SILO_ROWS):
        p, s = st.columns([0.55, 0.45])
        person = p.text_input("Lead" if n == 0 else f"Member {n + 1}", key=f"{k}-person-{n}", placeholder="Name")
        silo = s.selectbox(
            f"Silo of {'the lead' if n == 0 else f'member {n + 1}'}",
            options=list(choices.silos),
            index=None,
            key=f"{k}-silo-{n}",
            placeholder="Silo",
        )
        rows.append((person or "", silo))
    kpi_names: list[str] = []
    if stage is not None:
        stage_id = stage_id_of(choices, stage)
        ev = cached_stage_evidence(version(), db_key(), stage_id, review.month.isoformat(), None) if stage_id else None
        kpi_names = [kpi.name for kpi in ev.kpis] if ev else []
    kpis = st.multiselect("KPIs that will show it worked", options=kpi_names, key=f"{k}-kpis")

    def charter_from(data: FixCreate, *, nonce: str, allow_similar: bool) -> int:
        return review_capture.charter_fix_from_finding(
            store, finding_id=f.id, data=data, actor=acting_user(), nonce=nonce, allow_similar=allow_similar
        )

    def chartered(fix_id: int) -> str:
        del fix_id  # leaders read the fix by its title, never its number
        return f"Fix team chartered: '{md(title or '')}' is in the fix tracker now."

    if not st.button("Charter the fix team", type="primary", key=f"{k}-go"):
        # An active fix on the same moment (or with the same title) held the last charter back.
        anyway = submits_ui.similar_warning(k, page=FIX_PAGE, param="fix", confirm="Charter a new team anyway")
        if anyway is not None:
            held, again = anyway
            attempt(lambda: charter_from(held, nonce=again, allow_similar=True), success=chartered)
        return
    missing_silo = [person for person, silo in rows if person.strip() and not silo]
    if missing_silo:
        st.error(md(f"Choose the silo of {', '.join(missing_silo)}."), icon=":material/warning:")
        return
    members = [(person.strip(), silo) for person, silo in rows if person.strip() and silo]

    def charter() -> int:
        if stage is None:
            raise InvalidInputError("Choose the stage the fix belongs to.")
        data = FixCreate(
            title=title or "",
            problem=problem or "",
            stage_slug=stage,
            moment_name=f.moment_name if stage == f.stage_slug else None,
            sponsor=sponsor or "",
            lead=members[0][0] if members else "",
            members=[FixMember(person=person, silo_name=silo) for person, silo in members],
            chartered_on=today,
            due_on=due if isinstance(due, date) else None,
            chartered_review_id=review.id,
            kpi_names=kpis,
        )
        # Keyed on this form's nonce: a second click returns the fix the first one chartered.
        return submits_ui.first_send(k, data, lambda nonce: charter_from(data, nonce=nonce, allow_similar=False))

    attempt(charter, success=chartered, names={"title": "the fix title", "members": "the team"})

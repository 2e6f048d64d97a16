"""The agenda editor: items by section, reorder, remove, add, propose again."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from cxroom.insights.agenda import AgendaKind, AgendaSection
from cxroom.insights.early_warning import RULE_TEXT
from cxroom.insights.follow_up import FOLLOW_UP_TITLE
from cxroom.queries.reviews import contents, listing
from cxroom.services import reviews as rs
from cxroom.ui import context
from cxroom.ui.kit.actor import acting_actor as acting_user
from cxroom.ui.kit.format import fmt_count, month_label
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.follow_up import follow_up_panel
from cxroom.ui.reviews.plan import plan_editor
from cxroom.ui.reviews.reads import cached_proposal, db_key, stage_id_of, to_create, version
from cxroom.ui.reviews.state import attempt

# -- the agenda -----------------------------------------------------------------------------------


def agenda_editor(review: listing.Review, items: Sequence[contents.AgendaItem], choices: contents.Choices) -> None:
    store = context.store()
    actor = acting_user()
    editable = not review.closed
    total = sum(i.minutes for i in items)
    if items:
        st.caption(
            f"{fmt_count(len(items), 'item')} · {total} minutes · proposed from {month_label(review.month)} data."
        )
        with st.expander("How the agenda is proposed (method)", icon=":material/functions:"):
            st.markdown(RULE_TEXT)
    else:
        st.info("This review has no agenda yet.")
    follow_up_panel(review.id, key="follow-up")
    if editable and not items and st.button("Propose the agenda from the data", type="primary", key="agenda-propose"):
        proposal = cached_proposal(version(), db_key(), review.held_on.isoformat(), review.id)
        attempt(
            lambda: rs.replace_agenda(store, review.id, items=to_create(proposal), actor=actor),
            success=f"Agenda proposed: {len(proposal)} items.",
        )
    section = None
    for item in items:
        if item.title == FOLLOW_UP_TITLE:
            st.markdown("#### Follow-up")
        elif item.section is not section:
            section = item.section
            st.markdown(f"#### {section.heading}")
        with st.container(border=True, key=f"agenda-item-{item.id}"):
            cols = st.columns([0.05, 0.67, 0.08, 0.2], vertical_alignment="center")
            cols[0].markdown(f"**{item.position}.**")
            with cols[1]:
                st.markdown(f"**{md(item.title)}**")
                for reason in item.reasons:
                    st.caption(md(reason))
            cols[2].caption(f"{item.minutes} min")
            if not editable:
                continue
            with cols[3]:
                b1, b2, b3 = st.columns(3)
                if b1.button(
                    ":material/arrow_upward:", key=f"agenda-up-{item.id}", help="Move up", disabled=item.position == 1
                ):
                    attempt(
                        lambda item=item: rs.move_agenda_item(
                            store, item.id, offset=-1, expected_version=item.version, actor=actor
                        ),
                        success=f"Moved up: {md(item.title)}",
                    )
                if b2.button(
                    ":material/arrow_downward:",
                    key=f"agenda-down-{item.id}",
                    help="Move down",
                    disabled=item.position == len(items),
                ):
                    attempt(
                        lambda item=item: rs.move_agenda_item(
                            store, item.id, offset=1, expected_version=item.version, actor=actor
                        ),
                        success=f"Moved down: {md(item.title)}",
                    )
                if b3.button(":material/close:", key=f"agenda-remove-{item.id}", help="Remove from the agenda"):
                    attempt(
                        lambda item=item: rs.remove_agenda_item(
                            store, item.id, expected_version=item.version, actor=actor
                        ),
                        success=f"Removed: {md(item.title)}",
                    )
    if not editable:
        return
    plan_editor(review)
    with st.expander("Add an item"):
        title = st.text_input("Title", key="agenda-add-title")
        note = st.text_input("Why it is on the agenda (optional)", key="agenda-add-note")
        c1, c2 = st.columns([0.7, 0.3])
        names = dict(choices.stages)
        stage = c1.selectbox(
            "Walk a stage (optional)",
            options=[None, *names],
            format_func=lambda s: "—" if s is None else names[s],
            key="agenda-add-stage",
        )
        minutes = c2.number_input("Minutes", min_value=1, max_value=120, value=5, key="agenda-add-minutes")
        if st.button("Add to the agenda", key="agenda-add-go"):
            stage_id = stage_id_of(choices, stage)

            def add() -> int:
                item = rs.AgendaItemCreate(
                    kind=AgendaKind.STAGE if stage_id else AgendaKind.NOTE,
                    section=AgendaSection.OTHER,
                    title=title or (names[stage] if stage else ""),
                    reasons=[note] if note else [],
                    stage_id=stage_id,
                    minutes=int(minutes),
                )
                return rs.add_agenda_item(store, review.id, item, actor=actor)

            attempt(
                add,
                success="Item added at the end of the agenda.",
                clear={"agenda-add-title": "", "agenda-add-note": "", "agenda-add-stage": None},
                names={"title": "the item's title"},
            )
    if items:
        with st.expander("Propose the agenda again from the data"):
            st.caption("This replaces the whole agenda, including items added, removed or reordered by hand.")
            sure = st.checkbox("Replace the current agenda", key="agenda-replace-sure")
            if st.button("Propose again", key="agenda-replace-go", disabled=not sure):
                proposal = cached_proposal(version(), db_key(), review.held_on.isoformat(), review.id)
                attempt(
                    lambda: rs.replace_agenda(store, review.id, items=to_create(proposal), actor=actor),
                    success=f"Agenda proposed again: {len(proposal)} items.",
                    clear={"agenda-replace-sure": False},
                )

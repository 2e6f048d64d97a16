"""Capture during the session: record, edit and remove findings (with the
evidence they rest on), record decisions, and the lists of both."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

import streamlit as st

from cxroom.models import DecisionCreate, FindingCreate
from cxroom.permissions import SINGLE_USER_ACTOR
from cxroom.queries.reviews import contents, listing, presenting
from cxroom.services import review_capture
from cxroom.ui import context
from cxroom.ui import submits as submits_ui
from cxroom.ui.kit.actor import acting_actor as acting_user
from cxroom.ui.kit.format import date_text, fmt_count, fmt_survey
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.reads import cached_stage_evidence, db_key, stage_id_of, version
from cxroom.ui.reviews.state import DROP, attempt, reset_later

# -- capture ----------------------------------------------------------------------------------------


def evidence_options(ev: presenting.StageEvidence | None) -> dict[str, review_capture.EvidenceLink]:
    """What a finding about this stage can point at, keyed by its label."""
    if ev is None:
        return {}
    links: list[review_capture.EvidenceLink] = []
    for kpi in ev.kpis:
        links.append(
            review_capture.EvidenceLink(kind="kpi", ref_id=kpi.id, label=f"KPI · {kpi.describe()} ({kpi.rag.word})")
        )
    month_counts = [(c, c.check()) for c in ev.categories if c.counts and c.counts[-1] > 0]
    for series, check in sorted(month_counts, key=lambda pair: -(pair[1].z or -99.0)):
        links.append(
            review_capture.EvidenceLink(
                kind="complaints",
                ref_text=series.category[:200],
                label=f"Complaints · {series.category}: {check.in_words()}"[:500],
            )
        )
    for survey in ev.surveys:
        if survey.score is not None:
            links.append(
                review_capture.EvidenceLink(
                    kind="survey",
                    ref_id=survey.question_id,
                    label=(
                        f"Survey · {survey.survey}: {survey.text} = {fmt_survey(survey.score, survey.kind)} "
                        f"({fmt_count(survey.n, 'answer')})"
                    )[:500],
                )
            )
    for call in ev.calls:
        links.append(review_capture.EvidenceLink(kind="call", ref_id=call.id, label=f"Call · {call.title}"[:500]))
    for artifact in ev.artifacts:
        links.append(
            review_capture.EvidenceLink(kind="artifact", ref_id=artifact.id, label=f"Artifact · {artifact.title}"[:500])
        )
    return {link.label: link for link in links}


def _prefill_finding(items: Mapping[int, contents.AgendaItem], moments: Mapping[str, Sequence[str]]) -> None:
    """When the agenda item under discussion changes, point the finding at its stage and moment."""
    item = items.get(st.session_state.get("finding-item") or -1)
    if item is None or item.stage_slug is None:
        return
    st.session_state["finding-stage"] = item.stage_slug
    if item.moment_name and item.moment_name in moments.get(item.stage_slug, ()):
        st.session_state[f"finding-moment-{item.stage_slug}"] = item.moment_name


def finding_form(review: listing.Review, items: Sequence[contents.AgendaItem], choices: contents.Choices) -> None:
    store = context.store()
    st.markdown("#### Record a finding")
    by_id = {i.id: i for i in items}
    stage_names = dict(choices.stages)
    item_id = st.selectbox(
        "Agenda item being discussed",
        options=[None, *by_id],
        format_func=lambda i: "—" if i is None else f"{by_id[i].position}. {by_id[i].title}",
        key="finding-item",
        on_change=_prefill_finding,
        args=(by_id, choices.moments),
    )
    c1, c2 = st.columns(2)
    stage = c1.selectbox(
        "Stage",
        options=[None, *stage_names],
        format_func=lambda s: "The whole room" if s is None else stage_names[s],
        key="finding-stage",
    )
    moment = c2.selectbox(
        "Moment of truth",
        options=[None, *choices.moments.get(stage or "", ())],
        format_func=lambda m: "—" if m is None else m,
        key=f"finding-moment-{stage}",
        disabled=stage is None,
    )
    ev = None
    if stage is not None:
        stage_id = stage_id_of(choices, stage)
        if stage_id is not None:
            ev = cached_stage_evidence(version(), db_key(), stage_id, review.month.isoformat(), None)
    options = evidence_options(ev)
    picked = st.multiselect(
        "Evidence that prompted it",
        options=list(options),
        key=f"finding-evidence-{stage}",
        placeholder="KPIs, complaint categories, survey scores, calls, artifacts",
    )
    text = st.text_area("The finding", key="finding-text", placeholder="Where are we letting customers down, and how?")
    if st.button("Record the finding", type="primary", key="finding-save"):
        links = [options[label] for label in picked if label in options]
        if item_id is not None and item_id in by_id:
            links.append(
                review_capture.EvidenceLink(
                    kind="agenda_item",
                    ref_id=item_id,
                    label=f"Agenda item {by_id[item_id].position}: {by_id[item_id].title}"[:500],
                )
            )

        def record() -> int:
            data = FindingCreate(review_id=review.id, text=text or "", stage_slug=stage, moment_name=moment)
            # Keyed on this form's nonce: a second click returns the finding the first one recorded.
            nonce = submits_ui.nonce("finding")
            return review_capture.add_finding(store, data, actor=acting_user(), evidence_links=links, nonce=nonce)

        attempt(
            record,
            success="Finding recorded.",
            clear={"finding-text": "", f"finding-evidence-{stage}": []},
            names={"text": "the finding"},
        )


def findings_list(review: listing.Review, findings: Sequence[contents.Finding]) -> None:
    store = context.store()
    st.markdown(f"#### Findings ({len(findings)})")
    if not findings:
        st.caption("No findings yet.")
    for f in findings:
        with st.container(border=True, key=f"finding-{f.id}"):
            st.markdown(f"**{md(f.where)}** · {md(f.text)}")
            # Whoever sits at a single-user room is "local" in the audit log: no name to show leaders.
            by = "" if f.created_by in (SINGLE_USER_ACTOR, "system", "cli") else f"by {f.created_by} "
            details = [f"{by}at {f.created_at:%H:%M}"]
            if f.evidence:
                details.insert(0, f"evidence: {f.evidence}")
            if f.fix_titles:
                details.append("fix chartered: " + ", ".join(f.fix_titles))
            st.caption(md(" · ".join(details)))
            if review.closed:
                continue
            base_key = f"finding-edit-base-{f.id}"
            with st.expander("Edit"):
                # The version this editor started from: a save against it fails
                # loudly if someone else saved in between.
                base = st.session_state.setdefault(base_key, f.version)
                text_key, evidence_key = f"finding-edit-text-{f.id}", f"finding-edit-evidence-{f.id}"
                st.session_state.setdefault(text_key, f.text)
                st.session_state.setdefault(evidence_key, f.evidence)
                new_text = st.text_area("Text", key=text_key)
                new_evidence = st.text_input("Evidence", key=evidence_key)
                c1, c2 = st.columns(2)
                edit_keys = {base_key: DROP, text_key: DROP, evidence_key: DROP}
                if c1.button("Save the change", key=f"finding-edit-save-{f.id}"):
                    attempt(
                        lambda f=f, base=base, new_text=new_text, new_evidence=new_evidence: (
                            review_capture.update_finding(
                                store,
                                f.id,
                                review_capture.FindingUpdate(text=new_text or "", evidence=new_evidence or ""),
                                expected_version=base,
                                actor=acting_user(),
                            )
                        ),
                        success="Finding updated.",
                        clear=edit_keys,
                        names={"text": "the finding"},
                    )
                if c2.button("Remove the finding", key=f"finding-remove-{f.id}"):
                    attempt(
                        lambda f=f, base=base: review_capture.remove_finding(
                            store, f.id, expected_version=base, actor=acting_user()
                        ),
                        success="Finding removed.",
                        clear=edit_keys,
                    )
                if base != f.version:
                    st.warning("Someone else changed this finding since you opened it. Their text is shown above.")
                    if st.button("Start again from their version", key=f"finding-edit-reload-{f.id}"):
                        reset_later({base_key: DROP, text_key: f.text, evidence_key: f.evidence})
                        st.rerun()


def decision_form(review: listing.Review, findings: Sequence[contents.Finding]) -> None:
    store = context.store()
    st.markdown("#### Record a decision")
    by_id = {f.id: f for f in findings}
    text = st.text_area("The decision", key="decision-text", height=80)
    c1, c2, c3 = st.columns([0.35, 0.25, 0.4])
    owner = c1.selectbox(
        "Owner",
        options=list(review.attendees),
        index=None,
        accept_new_options=True,
        key="decision-owner",
        placeholder="Pick or type a name",
    )
    # Every decision comes back on the next review by its due date: it gets one (four weeks unless changed).
    due = c2.date_input("Due", value=review.held_on + timedelta(days=28), key="decision-due")
    finding_id = c3.selectbox(
        "Rests on the finding",
        options=[None, *by_id],
        format_func=lambda i: "—" if i is None else _short(by_id[i].text),
        key="decision-finding",
    )
    if st.button("Record the decision", type="primary", key="decision-save"):
        if not isinstance(due, date):
            st.error("Give the decision a due date: it comes back on the next review by then.")
            return
        attempt(
            lambda: review_capture.add_decision(
                store,
                DecisionCreate(
                    review_id=review.id,
                    text=text or "",
                    owner=owner or "",
                    due_on=due if isinstance(due, date) else None,
                    finding_id=finding_id,
                ),
                actor=acting_user(),
                nonce=submits_ui.nonce("decision"),  # a second click returns the decision the first recorded
            ),
            success="Decision recorded.",
            clear={"decision-text": "", "decision-owner": None, "decision-due": DROP, "decision-finding": None},
            names={"text": "the decision", "owner": "the decision's owner"},
        )


def decisions_list(decisions: Sequence[contents.Decision]) -> None:
    st.markdown(f"#### Decisions ({len(decisions)})")
    if not decisions:
        st.caption("No decisions yet.")
    for d in decisions:
        due = f" · due {date_text(d.due_on)}" if d.due_on else " · no due date"
        done = f" · :green-badge[:material/check_circle: Done {date_text(d.done_at)}]" if d.done_at else ""
        st.markdown(f"- {md(d.text)} · owner **{md(d.owner)}**{due}{done}")


def _short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"

"""The Survey questions tab: each question and the stages it speaks about."""

from __future__ import annotations

import streamlit as st

from cxroom.models import QuestionKind, SurveyQuestionCreate
from cxroom.queries import setup as q
from cxroom.services import curation, evidence
from cxroom.setup_models import QuestionEdit
from cxroom.store import Store
from cxroom.ui.setup.inputs import pick_record, session_text, session_value
from cxroom.ui.setup.messages import attempt, show_flash


def _create_question(store: Store, actor: str, prefix: str, slugs: dict[int, str]) -> None:
    def go() -> int:
        data = SurveyQuestionCreate(
            survey=session_text(f"{prefix}_survey"),
            text=session_text(f"{prefix}_text"),
            kind=QuestionKind(session_value(f"{prefix}_kind") or QuestionKind.CSAT.value),
            stage_slugs=[slugs[s] for s in session_value(f"{prefix}_stages", [])],
        )
        return evidence.create_question(store, data, actor=actor)

    attempt(prefix, go, "Survey question added.", clear=[f"{prefix}_text", f"{prefix}_stages"])


KIND_HELP = {
    "nps": "NPS (0-10: % promoters - % detractors)",
    "csat": "CSAT (1-5: % answering 4 or 5)",
    "ces": "CES (1-7: mean ease, 7 = very easy, higher is better)",
    "percent": "Percent (0-100: mean)",
}


def _save_question(store: Store, actor: str, question_id: int, version: int, prefix: str) -> None:
    def go() -> None:
        data = QuestionEdit(
            survey=session_text(f"{prefix}_survey"),
            text=session_text(f"{prefix}_text"),
            kind=QuestionKind(session_value(f"{prefix}_kind")),
            stage_ids=session_value(f"{prefix}_stages", []),
        )
        curation.update_question(store, question_id, data, expected_version=version, actor=actor)

    attempt("questions", go, "Survey question saved.")


def questions_section(store: Store, actor: str) -> None:
    questions = q.questions(store)
    stages = q.stages(store)
    names = {int(r.id): str(r.name) + (" (archived)" if r.archived else "") for r in stages.itertuples()}
    active = [int(r.id) for r in stages.itertuples() if not r.archived]
    st.caption("Which stages each survey question speaks about: its score shows under those stages on the wall.")
    if questions.empty:
        st.info("No survey questions yet. Add one here, or let a survey import create them.")
    else:
        st.dataframe(
            questions[["survey", "text", "kind", "stage_names", "answers"]],
            hide_index=True,
            width="stretch",
            column_config={
                "survey": "Survey",
                "text": "Question",
                "kind": "Kind",
                "stage_names": "Stages",
                "answers": "Answers",
            },
        )
    prefix = "new_question"
    show_flash(prefix)
    with st.form(f"{prefix}_form"):
        st.markdown("**Add a survey question**")
        c1, c2, c3 = st.columns([1, 3, 1])
        c1.text_input("Survey", key=f"{prefix}_survey", placeholder="e.g. Relationship survey")
        c2.text_input("Question", key=f"{prefix}_text", placeholder="e.g. How easy was it to pay your bill?")
        c3.selectbox("Kind", [k.value for k in QuestionKind], format_func=KIND_HELP.get, key=f"{prefix}_kind")
        st.multiselect("Stages it speaks about", active, format_func=names.get, key=f"{prefix}_stages")
        st.form_submit_button(
            "Add question",
            type="primary",
            on_click=_create_question,
            args=(store, actor, prefix, {int(r.id): str(r.slug) for r in stages.itertuples()}),
        )
    if questions.empty:
        return
    st.subheader("Edit a question and its stages")
    show_flash("questions")
    picked = pick_record(
        "Question", questions, lambda r: f"{r.survey}: {r.text}", key="question_pick", prefix="question"
    )
    if picked is None:
        return
    question_id, row, version, prefix = picked
    kinds = [k.value for k in QuestionKind]
    linked = [int(s) for s in row["stage_ids"]]
    with st.form(f"{prefix}_form"):
        c1, c2, c3 = st.columns([1, 3, 1])
        c1.text_input("Survey", value=row["survey"], key=f"{prefix}_survey")
        c2.text_input("Question", value=row["text"], key=f"{prefix}_text")
        c3.selectbox(
            "Kind",
            kinds,
            index=kinds.index(row["kind"]),
            format_func=KIND_HELP.get,
            key=f"{prefix}_kind",
            disabled=bool(row["answers"]),
            help="Fixed once answers are in.",
        )
        st.multiselect(
            "Stages it speaks about",
            sorted(set(active) | set(linked), key=list(names).index),
            default=linked,
            format_func=names.get,
            key=f"{prefix}_stages",
        )
        st.form_submit_button(
            "Save question", type="primary", on_click=_save_question, args=(store, actor, question_id, version, prefix)
        )

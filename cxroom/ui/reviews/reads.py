"""The review pages' reads, cached on the data version (any committed write
invalidates them), and the stored media the presenter plays.

Each read is its own ``st.cache_data`` function, alike in shape: Streamlit keys a cache on the
function's name and code, so a factory making them would give every read one shared key."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from cxroom.errors import CxroomError
from cxroom.insights.agenda import ProposedItem, propose_agenda
from cxroom.insights.follow_up import FollowUp
from cxroom.queries.reviews import agenda_facts, contents, follow_up, listing, minutes_doc, presenting, since_last
from cxroom.services import fix_evidence as fix_services
from cxroom.services import review_snapshot
from cxroom.services import reviews as rs
from cxroom.ui import context

# The stored media the presenter plays: the room's one cached read of a file (shared, never copied).
from cxroom.ui.cache import media_bytes as media_bytes

# -- cached reads ---------------------------------------------------------------------------


def db_key() -> str:
    return str(context.settings().db_path)


def version() -> int:
    return context.data_version()


@st.cache_data(show_spinner=False, max_entries=16)
def cached_reviews(data_version: int, db: str) -> pd.DataFrame:
    del data_version, db
    return listing.list_reviews(context.store())


@st.cache_data(show_spinner=False, max_entries=64)
def cached_review(data_version: int, db: str, review_id: int) -> listing.Review | None:
    del data_version, db
    return listing.get_review(context.store(), review_id)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_agenda(data_version: int, db: str, review_id: int) -> list[contents.AgendaItem]:
    del data_version, db
    return contents.agenda(context.store(), review_id)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_findings(data_version: int, db: str, review_id: int) -> list[contents.Finding]:
    del data_version, db
    return contents.findings(context.store(), review_id)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_decisions(data_version: int, db: str, review_id: int) -> list[contents.Decision]:
    del data_version, db
    return contents.decisions(context.store(), review_id)


@st.cache_data(show_spinner=False, max_entries=16)
def cached_choices(data_version: int, db: str) -> contents.Choices:
    del data_version, db
    return contents.choices(context.store())


@st.cache_data(show_spinner=False, max_entries=32)
def cached_proposal(data_version: int, db: str, held_on_iso: str, review_id: int | None) -> list[ProposedItem]:
    del data_version, db
    inputs = agenda_facts.agenda_inputs(context.store(), held_on=date.fromisoformat(held_on_iso), review_id=review_id)
    return propose_agenda(inputs)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_stage_evidence(
    data_version: int, db: str, stage_id: int, month_iso: str, moment_id: int | None
) -> presenting.StageEvidence | None:
    del data_version, db
    return presenting.stage_evidence(context.store(), stage_id, date.fromisoformat(month_iso), moment_id=moment_id)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_fix(data_version: int, db: str, fix_id: int) -> presenting.FixPresentation | None:
    del data_version, db
    return presenting.fix_presentation(context.store(), fix_id)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_fix_evidence(data_version: int, db: str, fix_id: int) -> fix_services.FixEvidence | None:
    del data_version, db
    try:
        return fix_services.load_evidence(context.store(), fix_id)
    except CxroomError:
        return None


@st.cache_data(show_spinner=False, max_entries=64)
def cached_fixes_for_presenting(data_version: int, db: str, review_id: int) -> list[dict[str, Any]]:
    del data_version, db
    return contents.fixes_for_presenting(context.store(), review_id)


@st.cache_data(show_spinner=False, max_entries=32)
def cached_comparison(data_version: int, db: str, review_id: int) -> since_last.Comparison | None:
    """A closed review beside the one before it; a planned or running one, the room as it stands now
    (a provisional snapshot, nothing kept) beside the last closed review."""
    del data_version, db
    store = context.store()
    review = listing.get_review(store, review_id)
    if review is None:
        return None
    if review.closed:
        return since_last.comparison(store, review_id)
    return review_snapshot.provisional(store, review_id, lambda tx: since_last.comparison(tx, review_id))


@st.cache_data(show_spinner=False, max_entries=32)
def cached_minutes(data_version: int, db: str, review_id: int) -> tuple[str, str] | None:
    """The minutes as (Markdown, HTML)."""
    compared = cached_comparison(data_version, db, review_id)
    follow = cached_follow_up(data_version, db, review_id, date.today().isoformat())
    found = minutes_doc.minutes(context.store(), review_id, compared=compared, follow=follow)
    return None if found is None else (minutes_doc.minutes_markdown(found), minutes_doc.minutes_html(found))


@st.cache_data(show_spinner=False, max_entries=32)
def cached_follow_up(data_version: int, db: str, review_id: int, today_iso: str) -> list[FollowUp]:
    """The decisions of earlier reviews as they stand (keyed on the day: overdue turns with the date)."""
    del data_version, db
    return follow_up.follow_up_of(context.store(), review_id, today=date.fromisoformat(today_iso))


def to_create(items: Sequence[ProposedItem]) -> list[rs.AgendaItemCreate]:
    return [rs.AgendaItemCreate.model_validate(item, from_attributes=True) for item in items]


def stage_id_of(choices: contents.Choices, slug: str | None) -> int | None:
    return None if slug is None else choices.stage_ids.get(slug)

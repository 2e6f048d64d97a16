"""The tracker's cached reads: cached with ``st.cache_data`` keyed on the data
version and the database path (never on a DataFrame), each with a plain
accessor the pages call."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from cxroom.queries import fixes as fix_queries
from cxroom.services import fix_evidence
from cxroom.ui import context
from cxroom.ui.fixes.common import (
    today,
)


def _db() -> str:
    return str(context.settings().db_path)


@st.cache_data(show_spinner=False, max_entries=32)
def _board(data_version: int, db: str, today_iso: str, filters: fix_queries.BoardFilter) -> pd.DataFrame:
    del data_version, db
    return fix_queries.board(context.store(), today=date.fromisoformat(today_iso), filters=filters)


@st.cache_data(show_spinner=False, max_entries=8)
def _verdicts(data_version: int, db: str) -> dict[int, list[fix_queries.KpiVerdict]]:
    del data_version, db
    return fix_queries.board_verdicts(context.store())


@st.cache_data(show_spinner=False, max_entries=32)
def _detail(data_version: int, db: str, fix_id: int, today_iso: str) -> fix_queries.FixDetail | None:
    del data_version, db
    return fix_queries.fix_detail(context.store(), fix_id, today=date.fromisoformat(today_iso))


@st.cache_data(show_spinner=False, max_entries=32)
def _evidence(data_version: int, db: str, fix_id: int) -> fix_evidence.FixEvidence:
    del data_version, db
    return fix_evidence.load_evidence(context.store(), fix_id)


@st.cache_data(show_spinner=False, max_entries=8)
def _load(data_version: int, db: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    del data_version, db
    store = context.store()
    return fix_queries.load_by_person(store), fix_queries.load_by_silo(store)


@st.cache_data(show_spinner=False, max_entries=8)
def _celebrations(data_version: int, db: str) -> pd.DataFrame:
    del data_version, db
    return fix_queries.celebrations(context.store())


@st.cache_data(show_spinner=False, max_entries=8)
def _options(data_version: int, db: str) -> fix_queries.CharterOptions:
    del data_version, db
    return fix_queries.charter_options(context.store())


@st.cache_data(show_spinner=False, max_entries=8)
def _choices(data_version: int, db: str) -> list[tuple[int, str, str]]:
    del data_version, db
    return fix_queries.fix_choices(context.store())


def board_data(filters: fix_queries.BoardFilter) -> pd.DataFrame:
    return _board(context.data_version(), _db(), today().isoformat(), filters)


def verdicts() -> dict[int, list[fix_queries.KpiVerdict]]:
    return _verdicts(context.data_version(), _db())


def detail(fix_id: int) -> fix_queries.FixDetail | None:
    return _detail(context.data_version(), _db(), fix_id, today().isoformat())


def evidence(fix_id: int) -> fix_evidence.FixEvidence:
    return _evidence(context.data_version(), _db(), fix_id)


def load() -> tuple[pd.DataFrame, pd.DataFrame]:
    return _load(context.data_version(), _db())


def celebrations() -> pd.DataFrame:
    return _celebrations(context.data_version(), _db())


def options() -> fix_queries.CharterOptions:
    return _options(context.data_version(), _db())


def choices() -> list[tuple[int, str, str]]:
    return _choices(context.data_version(), _db())

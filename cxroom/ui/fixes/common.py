"""The fix tracker's shared ground: its pages, icons and static CSS, who is acting
and what day it is, and how a status, a date and a due date read.

Text typed by people (titles, problems, notes, names) is shown with
``st.text`` or, inside Markdown, escaped by ``md``: never as markup."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from cxroom import fix_status
from cxroom.ui.kit.format import date_text, datetime_text, fmt_count

FIXES_PAGE = "views/fixes.py"
FIX_PAGE = "views/fix.py"
CELEBRATIONS_PAGE = "views/celebrations.py"
REVIEW_PAGE = "views/review.py"  # the reviews issue's page: ?review=<id>
MEMBER_ROWS = 6  # the lead plus five more; a bigger team is edited on the fix page in turns
RELIABILITY = {
    "broken": (":material/cancel:", "Broken"),
    "unreliable": (":material/warning:", "Unreliable"),
    "reliable": (":material/check_circle:", "Reliable"),
    "differentiating": (":material/star:", "Differentiating"),
}
BASIS = {
    "target_met": (":material/flag:", "Target met"),
    "improved": (":material/trending_up:", "Proven improvement"),
    "override": (":material/front_hand:", "Sponsor's override"),
    "legacy": (":material/history:", "Celebrated before evidence was recorded"),
}
VERDICT_ICON = {
    "improved": ":material/trending_up:",
    "no_change": ":material/trending_flat:",
    "worse": ":material/trending_down:",
    "too_little_data": ":material/hourglass_empty:",
}
OVERDUE_ICON = ":material/alarm:"
DUE_ICON = ":material/event:"
TARGET_ICON = ":material/flag:"


# Static CSS (nothing from the database goes in): kanban lanes, cards, the
# celebrations wall. Keyed containers get a class "st-key-<key>".
CSS = """
<style>
[class*="st-key-board-lane-"] {
  background: #F3F5F8;
  border-radius: 0.6rem;
  padding: 0.6rem 0.5rem 0.8rem 0.5rem;
  min-height: 12rem;
}
[class*="st-key-board-card-"] {
  background: #FFFFFF;
  border-left: 5px solid #1F4E79 !important;
}
[class*="st-key-board-card-overdue-"] {
  border-left-color: #B91C1C !important;
}
[class*="st-key-board-card-"] [data-testid="stPageLink"] p {
  white-space: normal;
  font-size: 1.02rem;
  line-height: 1.3;
}
[class*="st-key-celebration-"] {
  background: linear-gradient(180deg, #FFFBEB 0%, #FFFFFF 9rem);
  border-top: 6px solid #D4A017 !important;
}
</style>
"""


def style() -> None:
    """Inject the tracker's static CSS (call once per page)."""
    st.html(CSS)


# -- who and when ------------------------------------------------------------------------


def today() -> date:
    return date.today()


# -- how things read ---------------------------------------------------------------------------


def status_label(status: str) -> str:
    """A status in words, for choices, tables and messages (they draw no icons)."""
    return fix_status.word(status)


def status_badge(status: str) -> str:
    """A status with its Material icon, for Markdown (headings, the timeline)."""
    return fix_status.look(status).badge


def when(value: Any) -> str:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, datetime):
        return datetime_text(value)
    if isinstance(value, date):
        return date_text(value)
    return str(value)


def due_text(due_on: date | None, status: str, *, today_: date) -> tuple[str, str]:
    """('Overdue by 12 days', 'red') or ('Due 3 Mar 2026', 'gray')."""
    if due_on is None:
        return "No due date", "gray"
    if fix_status.is_overdue(status, due_on, today_):
        days = fix_status.days_overdue(status, due_on, today_)
        return f"Overdue by {fmt_count(days, 'day')}", "red"
    if fix_status.is_active(status) and (due_on - today_).days <= 14:
        return f"Due {date_text(due_on)}", "orange"
    return f"Due {date_text(due_on)}", "gray"


def as_list(value: Any) -> list[Any]:
    """A DuckDB list column as a Python list (pandas hands back numpy arrays)."""
    return [] if value is None else list(value)


def as_date(value: Any) -> date | None:
    """A date from what pandas or DuckDB hand back (None, NaT, Timestamp, datetime, date)."""
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    return value

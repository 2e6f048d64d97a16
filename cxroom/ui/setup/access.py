"""Who may open the set-up pages, and whether a page they link to is installed."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cxroom.permissions import Role
from cxroom.ui.kit.actor import require_acting_user

ROOT = Path(__file__).resolve().parents[3]


def page_exists(script: str) -> bool:
    return (ROOT / script).exists()


def require_facilitator() -> None:
    """Pages of the set-up are left out of the navigation for other roles; this guards a direct call."""
    if not require_acting_user().at_least(Role.FACILITATOR):
        st.error("Only facilitators and admins set up the room.")
        st.stop()

"""Admin: who has which role, wall-screen links, recording retention, backups."""

from __future__ import annotations

import streamlit as st

from cxroom.ui import admin, context
from cxroom.ui.kit.actor import require_acting_user

store = context.store()
user = require_acting_user()
st.title("Admin")

roles_tab, tokens_tab, retention_tab, backup_tab = st.tabs(["People and roles", "Wall screens", "Retention", "Backup"])

with roles_tab:
    admin.people_and_roles(store, user.actor)

with tokens_tab:
    admin.wall_screen_links(store, user.actor)

with retention_tab:
    admin.recording_retention(store, user.actor)

with backup_tab:
    admin.backup_now(store, user.actor)

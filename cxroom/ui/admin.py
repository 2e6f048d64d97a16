"""The admin page's blocks: people and roles, wall-screen links, recording retention, backups.

views/admin.py lays them out in tabs; each block reads through the queries and writes
through the trust and backup services as the acting user.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import streamlit as st

from cxroom.inbox.state import inbox_summary
from cxroom.permissions import Role
from cxroom.queries import inbox as inbox_queries
from cxroom.queries import trust as trust_queries
from cxroom.services import backup, trust
from cxroom.store import Store
from cxroom.ui import context
from cxroom.ui.display.admin_block import playlist_form
from cxroom.ui.kit.refusal import refusal_explained
from cxroom.ui.kit.text import md

__all__ = ["backup_now", "people_and_roles", "recording_retention", "wall_screen_links"]


def people_and_roles(store: Store, actor: str) -> None:
    """Who has which role, and the form that sets one (through the trust service)."""
    st.caption(
        "Viewers look and listen; fix-team members edit the fixes they are on; facilitators run the room; "
        "admins also manage roles, wall-screen links, retention and backups. Anyone not listed is a viewer."
    )
    st.dataframe(
        trust_queries.users(store).drop(columns=["version"]),
        hide_index=True,
        width="stretch",
        column_config={"email": "E-mail", "display_name": "Name", "role": "Role"},
    )
    with st.form("set_role", clear_on_submit=True):
        c1, c2, c3 = st.columns([3, 2, 2])
        email = c1.text_input("E-mail")
        name = c2.text_input("Display name (as in fix teams)")
        role = c3.selectbox("Role", [r.value for r in Role], index=0)
        if st.form_submit_button("Save role"):
            with refusal_explained():
                trust.set_user_role(store, email=email, display_name=name, role=Role(role), actor=actor)
                st.success(md(f"{email} is now {role}."))


def wall_screen_links(store: Store, actor: str) -> None:
    """Read-only wall-screen links: create one (its token shown once), list them, revoke."""
    st.caption(
        "A wall screen opens the room with a read-only link instead of a person's login, so it never needs "
        "anyone to sign in again. Revoke a link and that screen shows a clear message instead of the wall. "
        "Open it as /display?token=... (add &screen=2&of=3 to spread the stages over three screens); "
        "each link plays its own playlist: the wall, each stage in the spotlight, the fix board, the celebrations."
    )
    with st.form("new_token", clear_on_submit=True):
        c1, c2 = st.columns([3, 1])
        label = c1.text_input("Screen", placeholder="e.g. Boardroom wall, left screen")
        days = c2.number_input("Valid for (days)", min_value=1, max_value=3650, value=365)
        if st.form_submit_button("Create wall-screen link"):
            with refusal_explained():
                token = trust.create_display_token(store, label=label, actor=actor, valid_days=int(days))
                st.success("Copy this link now; it is shown only once.")
                st.code(f"/display?token={token}", language=None)
    tokens = trust_queries.display_tokens(store)
    if tokens.empty:
        st.info("No wall-screen links yet.")
    for row in tokens.itertuples():
        c1, c2, c3 = st.columns([4, 3, 1])
        c1.text(row.label)
        state = "revoked" if row.revoked_at is not None and str(row.revoked_at) != "NaT" else "active"
        c2.caption(md(f"{state} · created {row.created_at:%Y-%m-%d} by {row.created_by}"))
        if state == "active" and c3.button("Revoke", key=f"revoke_{row.id}"):
            with refusal_explained():
                trust.revoke_display_token(store, token_sha256=row.id, actor=actor)
                st.rerun()
        if state == "active":
            with st.expander(md(f"Playlist of {row.label}")):
                playlist_form(store, actor, row.id, row.label)


def recording_retention(store: Store, actor: str) -> None:
    """How long call recordings are kept; saving also deletes the expired ones now."""
    current = trust_queries.call_retention_days(store)
    st.caption("Call recordings older than the retention period are deleted (and the deletion is logged).")
    keep = st.number_input("Keep recordings for (days, 0 = forever)", min_value=0, max_value=36500, value=current or 0)
    if st.button("Save and delete expired recordings now"):
        with refusal_explained():
            trust.set_call_retention(store, days=int(keep) or None, actor=actor)
            deleted = trust.purge_expired_calls(store, context.media(), actor=actor)
            st.success(f"Saved. {deleted} expired recordings deleted.")


def backup_now(store: Store, actor: str) -> None:
    """A consistent backup of the running room to a folder on the server."""
    st.caption(
        "A backup taken here is consistent while the room is in use (one database snapshot plus the media it "
        "references). `python -m cxroom backup DIR` does the same when the app is stopped; restore with "
        "`python -m cxroom restore DIR` after stopping the app."
    )
    last_backup_block(store)
    default = context.settings().db_path.parent / "backups" / datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = st.text_input("Backup folder on the server", value=str(default))
    if st.button("Back up now", type="primary"):
        with refusal_explained():
            report = backup.backup_room(store, context.settings().media_dir, Path(folder), actor=actor)
            st.success(
                f"Backed up {len(report.tables)} tables ({report.total_rows:,} rows) and "
                f"{report.media_files} media files to {md(report.folder)}."
            )


def last_backup_block(store: Store) -> None:
    """Admin: the last backup (any, from the audit log) and the schedule the running room keeps."""
    settings = context.settings()
    last = inbox_queries.last_backups(store, 1)
    if last:
        row = last[0]
        when = f"{row['happened_at']:%Y-%m-%d %H:%M}"
        st.markdown(md(f"Last backup: {when} UTC by {row['actor']} into {row['folder']}"))
    else:
        st.markdown("No backup has been taken of this room yet.")
    if settings.backup_time is None:
        st.caption(
            "Scheduled backups are off: set CXROOM_BACKUP_TIME (HH:MM), CXROOM_BACKUP_DIR and CXROOM_BACKUP_KEEP "
            "and restart the room."
        )
        return
    st.caption(
        md(
            f"Scheduled daily at {settings.backup_time:%H:%M} into {settings.backup_path}, "
            f"keeping the newest {settings.backup_keep}."
        )
    )
    scheduled = (inbox_summary(settings.inbox_path).get("backup") or {}).get("last")
    if scheduled and scheduled.get("ok"):
        st.success(
            md(
                f"Last scheduled backup {scheduled['at']}: {scheduled['tables']} tables, {scheduled['rows']:,} rows, "
                f"{scheduled['media_files']} media files, {scheduled['verified_files']} files verified against "
                f"its manifest in {scheduled['seconds']} s."
            ),
            icon=":material/verified:",
        )
    elif scheduled:
        st.error(md(f"The scheduled backup of {scheduled['at']} failed: {scheduled.get('error')}"))

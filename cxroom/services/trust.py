"""Writes that keep the room trustworthy: who has which role, the wall
screens' display tokens, and how long call recordings are kept."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from cxroom.errors import InvalidInputError, NotFoundError
from cxroom.media import MediaStore
from cxroom.permissions import Action, Role
from cxroom.store import Store, utcnow

TOKEN_BYTES = 24


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_id(token: str) -> str:
    """The id a display token is kept under (its SHA-256): what Admin lists and playlists are keyed on."""
    return _hash(token)


def set_user_role(store: Store, *, email: str, display_name: str, role: Role, actor: str) -> None:
    email = email.strip().lower()
    if "@" not in email or len(email) > 200:
        raise InvalidInputError(f"'{email}' is not an e-mail address.")
    if not display_name.strip():
        raise InvalidInputError("A user needs a display name (it is how fix teams list their members).")
    with store.transaction(actor) as tx:
        tx.require(Action.USERS_ADMIN)
        before = tx.fetch_dicts("SELECT * FROM users WHERE email = ?", [email])
        tx.execute(
            "INSERT INTO users (email, display_name, role) VALUES (?, ?, ?) ON CONFLICT (email) DO UPDATE "
            "SET display_name = excluded.display_name, role = excluded.role, version = users.version + 1",
            [email, display_name.strip(), role.value],
        )
        tx.audit(
            "set_role",
            "user",
            email,
            before[0] if before else None,
            {"email": email, "display_name": display_name.strip(), "role": role.value},
        )


def remove_user(store: Store, *, email: str, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.USERS_ADMIN)
        before = tx.fetch_dicts("SELECT * FROM users WHERE email = ?", [email.strip().lower()])
        if not before:
            raise NotFoundError(f"There is no user {email}.")
        tx.execute("DELETE FROM users WHERE email = ?", [email.strip().lower()])
        tx.audit("remove", "user", email, before[0], None)


def create_display_token(store: Store, *, label: str, actor: str, valid_days: int | None = 365) -> str:
    """A new read-only wall-screen token. The plain token is returned once and never stored."""
    if not label.strip():
        raise InvalidInputError("Give the token a label, e.g. 'Lobby screen'.")
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = utcnow()
    expires = now + timedelta(days=valid_days) if valid_days else None
    with store.transaction(actor) as tx:
        tx.require(Action.TOKENS_ADMIN)
        tx.execute(
            "INSERT INTO display_tokens (token_sha256, label, created_by, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?)",
            [_hash(token), label.strip()[:120], actor, now, expires],
        )
        tx.audit("create", "display_token", label.strip(), None, {"label": label.strip(), "expires_at": expires})
    return token


def revoke_display_token(store: Store, *, token_sha256: str, actor: str) -> None:
    with store.transaction(actor) as tx:
        tx.require(Action.TOKENS_ADMIN)
        before = tx.fetch_dicts("SELECT * FROM display_tokens WHERE token_sha256 = ?", [token_sha256])
        if not before:
            raise NotFoundError("There is no such display token.")
        tx.execute("UPDATE display_tokens SET revoked_at = ? WHERE token_sha256 = ?", [utcnow(), token_sha256])
        tx.audit("revoke", "display_token", before[0]["label"], before[0], {"revoked": True})


def check_display_token(store: Store, token: str, *, now: datetime | None = None) -> str:
    """The token's label if it is valid; otherwise an InvalidInputError saying why."""
    row = store.fetch_one(
        "SELECT label, expires_at, revoked_at FROM display_tokens WHERE token_sha256 = ?", [_hash(token)]
    )
    moment = now or utcnow()
    if row is None:
        raise InvalidInputError("This wall-screen link is not valid. Ask the room's administrator for a new one.")
    label, expires_at, revoked_at = row
    if revoked_at is not None:
        raise InvalidInputError(f"The wall-screen link '{label}' was revoked. Ask for a new one.")
    if expires_at is not None and expires_at < moment:
        raise InvalidInputError(f"The wall-screen link '{label}' expired on {expires_at:%Y-%m-%d}. Ask for a new one.")
    return str(label)


def set_call_retention(store: Store, *, days: int | None, actor: str) -> None:
    if days is not None and days < 1:
        raise InvalidInputError("Keep recordings for at least one day, or switch retention off.")
    with store.transaction(actor) as tx:
        tx.require(Action.RETENTION)
        before = tx.fetch_value("SELECT value FROM meta WHERE key = 'call_retention_days'")
        tx.execute("UPDATE meta SET value = ? WHERE key = 'call_retention_days'", ["" if days is None else str(days)])
        tx.audit("update", "retention", "call_retention_days", {"days": before}, {"days": days})


def purge_expired_calls(store: Store, media: MediaStore, *, actor: str, now: datetime | None = None) -> int:
    """Delete recordings older than the retention period (rows, then unreferenced audio files)."""
    value = store.fetch_value("SELECT value FROM meta WHERE key = 'call_retention_days'")
    if not value:
        return 0
    cutoff = (now or utcnow()) - timedelta(days=int(value))
    with store.transaction(actor) as tx:
        tx.require(Action.RETENTION)
        expired = tx.fetch_dicts(
            "SELECT c.id, c.title, c.recorded_at, c.media_sha256, m.mime FROM calls c "
            "JOIN media m ON m.sha256 = c.media_sha256 WHERE c.recorded_at < ?",
            [cutoff],
        )
        for call in expired:
            tx.execute("DELETE FROM calls WHERE id = ?", [call["id"]])
            tx.audit("delete_expired", "call", call["id"], call, {"reason": f"older than {value} days"})
        orphans = tx.fetch_dicts(
            "SELECT sha256, mime FROM media m WHERE m.mime LIKE 'audio/%' "
            "AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.media_sha256 = m.sha256)"
        )
        for item in orphans:
            tx.execute("DELETE FROM media WHERE sha256 = ?", [item["sha256"]])
    # Files go only after the rows are committed: a crash leaves a stray file, never a dangling row.
    for item in orphans:
        media.path_for(item["sha256"], item["mime"]).unlink(missing_ok=True)
    return len(expired)

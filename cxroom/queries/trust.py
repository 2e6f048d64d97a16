"""Reads for the trust pages: users and roles, display tokens, the audit log."""

from __future__ import annotations

from datetime import date

import pandas as pd

from cxroom.permissions import Role, built_in_role
from cxroom.settings import auth_mode
from cxroom.store import Store

USERS = "SELECT email, display_name, role, version FROM users ORDER BY role, display_name"
ROLE_OF = "SELECT role FROM users WHERE lower(email) = lower(?)"
DISPLAY_NAME_OF = "SELECT display_name FROM users WHERE lower(email) = lower(?)"
DISPLAY_TOKENS = """
SELECT token_sha256 AS id, label, created_by, created_at, expires_at, revoked_at, last_seen_at
FROM display_tokens ORDER BY created_at DESC
"""
AUDIT_LOG = """
SELECT id, happened_at, actor, action, entity, entity_id, before, after
FROM audit_log
WHERE (? IS NULL OR actor = ?)
  AND (? IS NULL OR entity = ?)
  AND (? IS NULL OR happened_at >= ?)
  AND (? IS NULL OR happened_at < ? + INTERVAL 1 DAY)
  AND (? IS NULL OR (coalesce(before, '') || coalesce(after, '')) ILIKE '%' || ? || '%')
ORDER BY id DESC
LIMIT ?
"""
AUDIT_FACETS = "SELECT DISTINCT actor, entity FROM audit_log"
AUDIT_COUNT = "SELECT count(*) FROM audit_log"


def role_of(store: Store, email: str) -> Role:
    built_in = built_in_role(email, auth_mode())
    if built_in is not None:
        return built_in
    found = store.fetch_value(ROLE_OF, [email])
    return Role(found) if found else Role.VIEWER


def display_name_of(store: Store, email: str) -> str | None:
    found = store.fetch_value(DISPLAY_NAME_OF, [email])
    return None if found is None else str(found)


def users(store: Store) -> pd.DataFrame:
    return store.fetch_df(USERS)


def display_tokens(store: Store) -> pd.DataFrame:
    return store.fetch_df(DISPLAY_TOKENS)


def audit_log(
    store: Store,
    *,
    actor: str | None = None,
    entity: str | None = None,
    since: date | None = None,
    until: date | None = None,
    text: str | None = None,
    limit: int = 500,
) -> pd.DataFrame:
    return store.fetch_df(
        AUDIT_LOG, [actor, actor, entity, entity, since, since, until, until, text or None, text or None, limit]
    )


def audit_facets(store: Store) -> tuple[list[str], list[str]]:
    rows = store.execute(AUDIT_FACETS)
    return sorted({r[0] for r in rows}), sorted({r[1] for r in rows})


def audit_count(store: Store) -> int:
    return int(store.fetch_value(AUDIT_COUNT) or 0)


def call_retention_days(store: Store) -> int | None:
    value = store.fetch_value("SELECT value FROM meta WHERE key = 'call_retention_days'")
    return int(value) if value else None

"""Reads the inbox worker needs: did a file's import or upload commit before a crash, and
the last backups in the audit log."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from cxroom.store import Store

# The worker imports one file at a time, so a batch it started after claiming a file, under the
# file's name, is that file's batch: the claim time separates it from an earlier drop of the same file.
BATCH_OF_CLAIM = """
SELECT b.id, f.report
FROM import_batches b LEFT JOIN import_batch_files f ON f.batch_id = b.id
WHERE b.created_by = ? AND b.kind = ? AND b.file_name = ? AND b.started_at >= ?
ORDER BY b.id LIMIT 1
"""

CREATED_SINCE_CLAIM = """
SELECT entity_id FROM audit_log
WHERE actor = ? AND action = 'create' AND entity = ? AND happened_at >= ?
ORDER BY happened_at LIMIT 1
"""

LAST_BACKUPS = """
SELECT happened_at, actor, entity_id AS folder, after FROM audit_log
WHERE action = 'backup' ORDER BY happened_at DESC LIMIT ?
"""


def batch_of_claim(
    store: Store, *, actor: str, kind: str, file_name: str, claimed_at: datetime
) -> dict[str, Any] | None:
    """The committed batch of a claimed file, with its stored report summary, if there is one."""
    row = store.fetch_one(BATCH_OF_CLAIM, [actor, kind, file_name[:300], claimed_at])
    if row is None:
        return None
    summary = json.loads(row[1]) if row[1] else {}
    return {"batch_id": int(row[0]), "summary": summary}


def created_since_claim(store: Store, *, actor: str, entity: str, claimed_at: datetime) -> int | None:
    """The id of the call or artifact the worker created after claiming a file, if it committed."""
    value = store.fetch_value(CREATED_SINCE_CLAIM, [actor, entity, claimed_at])
    return None if value is None else int(value)


def last_backups(store: Store, limit: int = 1) -> list[dict[str, Any]]:
    return store.fetch_dicts(LAST_BACKUPS, [limit])

"""Artifact versions: a new version of an artifact names the one it replaces and, when a fix
team changed it, that fix. Linked inside the transaction that adds the new artifact
(cxroom.services.evidence.add_artifact), so a version is never half added.

The chain stays a line: an artifact is replaced at most once (replace the current version,
not an older one). Removing a version unlinks it, so the one it replaced is current again.
"""

from __future__ import annotations

from cxroom.errors import ConflictError, InvalidInputError, NotFoundError
from cxroom.store import Tx, utcnow

REPLACED_BY = """
SELECT v.artifact_id FROM artifact_versions v JOIN artifacts n ON n.id = v.artifact_id WHERE v.replaces_id = ?
"""
INSERT_LINK = (
    "INSERT INTO artifact_versions (artifact_id, replaces_id, fix_id, linked_by, linked_at) VALUES (?, ?, ?, ?, ?)"
)
OWN_LINK = "SELECT replaces_id FROM artifact_versions WHERE artifact_id = ?"


def link_in(tx: Tx, *, artifact_id: int, replaces_id: int | None, fix_id: int | None) -> None:
    """Link the artifact just added to the one it replaces (and the fix that changed it), in ``tx``."""
    if replaces_id is None:
        if fix_id is not None:
            raise InvalidInputError(
                "Say which artifact this new version replaces: a fix changes an artifact that exists."
            )
        return
    old = tx.fetch_dicts("SELECT id, stage_id, title, position FROM artifacts WHERE id = ?", [replaces_id])
    if not old:
        raise NotFoundError(f"There is no artifact #{replaces_id} to replace.")
    new_stage = tx.fetch_value("SELECT stage_id FROM artifacts WHERE id = ?", [artifact_id])
    if new_stage != old[0]["stage_id"]:
        raise InvalidInputError(
            f"A new version hangs on the stage of the one it replaces: '{old[0]['title']}' is on another stage."
        )
    newer = tx.fetch_value(REPLACED_BY, [replaces_id])
    if newer is not None:
        raise ConflictError(
            f"'{old[0]['title']}' was already replaced by artifact #{newer}: replace the current version instead."
        )
    if fix_id is not None and tx.fetch_value("SELECT count(*) FROM fixes WHERE id = ?", [fix_id]) == 0:
        raise NotFoundError(f"There is no fix #{fix_id}.")
    tx.execute(INSERT_LINK, [artifact_id, replaces_id, fix_id, tx.actor, utcnow()])
    # The new version hangs where the old one hung on the wall.
    tx.execute("UPDATE artifacts SET position = ? WHERE id = ?", [old[0]["position"], artifact_id])
    tx.audit("link_version", "artifact", artifact_id, None, {"replaces_id": replaces_id, "fix_id": fix_id})


def unlink_in(tx: Tx, artifact_id: int) -> None:
    """Take an artifact leaving the room out of its chain: a version that replaced it now replaces
    what it replaced (v1 <- v2 <- v3 without v2 is v1 <- v3), so one version stays current."""
    own = tx.fetch_value(OWN_LINK, [artifact_id])
    tx.execute("DELETE FROM artifact_versions WHERE artifact_id = ?", [artifact_id])
    if own is None:
        tx.execute("DELETE FROM artifact_versions WHERE replaces_id = ?", [artifact_id])
    else:
        tx.execute("UPDATE artifact_versions SET replaces_id = ? WHERE replaces_id = ?", [own, artifact_id])

"""Attachments of a fix: an image or a PDF (a photo of the process, the new
letter, the team's deck), checked from its content and written with the fix's
timeline line in one unit of work."""

from __future__ import annotations

from datetime import datetime

from cxroom.errors import InvalidInputError
from cxroom.media import CheckedMedia, MediaStore, StoredMedia
from cxroom.permissions import Action
from cxroom.services._fix_tx import add_to_timeline, checked_text, fix_row
from cxroom.services.evidence import register_media
from cxroom.services.media_tx import media_transaction, require_now
from cxroom.store import Store, utcnow

INSERT_ATTACHMENT = """
INSERT INTO fix_attachments (fix_id, media_sha256, title, added_by, added_at) VALUES (?, ?, ?, ?, ?) RETURNING id
"""


def attach_file(
    store: Store,
    fix_id: int,
    *,
    media: CheckedMedia | StoredMedia,
    title: str,
    actor: str,
    when: datetime | None = None,
    media_store: MediaStore | None = None,
) -> int:
    """Attach an image or a PDF to a fix; checked media is written inside the same transaction."""
    described = media.media if isinstance(media, CheckedMedia) else media
    if described.family not in ("image", "pdf"):
        raise InvalidInputError("A fix attachment must be an image or a PDF.")
    title = checked_text(title, "title", 200) or described.path.name
    with media_transaction(store, media_store, actor, Action.FIX_EDIT, fix_id=fix_id) as unit:
        tx = unit.tx
        fix_row(tx, fix_id)
        register_media(tx, unit.save(media), title)
        stamp = when or utcnow()
        new_id = int(tx.fetch_value(INSERT_ATTACHMENT, [fix_id, described.sha256, title, actor, stamp]))
        add_to_timeline(tx, fix_id, when=stamp, from_status=None, to_status=None, note=f"Attached '{title}'")
        tx.audit("attach", "fix", fix_id, None, {"attachment_id": new_id, "sha256": described.sha256, "title": title})
        return new_id


def attach_upload(
    store: Store,
    media_store: MediaStore,
    fix_id: int,
    *,
    data: bytes,
    original_name: str,
    title: str,
    actor: str,
    when: datetime | None = None,
) -> int:
    """Attach uploaded bytes: refused means nothing written (permission, then checks, then one unit of work)."""
    media_store.screen(data, allowed={"image", "pdf"}, original_name=original_name)
    require_now(store, actor, Action.FIX_EDIT, fix_id=fix_id)
    checked = media_store.check(data, allowed={"image", "pdf"}, original_name=original_name)
    return attach_file(
        store, fix_id, media=checked, title=title or original_name, actor=actor, when=when, media_store=media_store
    )

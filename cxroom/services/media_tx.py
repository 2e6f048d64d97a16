"""A write that stores a file and the rows that reference it as one unit.

Refused means nothing written: the permission is checked before any file is
checked or converted, every check runs before a byte reaches the media store,
and the file is written inside the database transaction that references it.
If that transaction fails or rolls back (a rule of the database, a conflict, a
permission refused at the last moment), a file this write created is removed
again, unless some row references the same content: the store is
content-addressed, so identical bytes uploaded earlier share the file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from cxroom.errors import CxroomError
from cxroom.media import CheckedMedia, MediaStore, StoredMedia
from cxroom.permissions import Action
from cxroom.store import Store, Tx

# Every column that references a media file by its hash.
_REFERENCES_SQL = """
SELECT (SELECT count(*) FROM media WHERE sha256 = ?)
     + (SELECT count(*) FROM artifacts WHERE media_sha256 = ?)
     + (SELECT count(*) FROM calls WHERE media_sha256 = ?)
     + (SELECT count(*) FROM fix_attachments WHERE media_sha256 = ?)
"""


class _RollBack(Exception):
    """Ends a transaction that only reads without committing it."""


@contextmanager
def _rolled_back(store: Store, actor: str) -> Iterator[Tx]:
    """A transaction that never commits: reads under the room's write lock, no data version bump."""
    try:
        with store.transaction(actor) as tx:
            yield tx
            raise _RollBack
    except _RollBack:
        pass


def require_now(store: Store, actor: str, action: Action, *, fix_id: int | None = None) -> None:
    """Refuse early (before a file is checked or converted) when the actor may not do ``action``.

    The write's own transaction checks again; this only spares the work, and a
    refusal is audit-logged as any other.
    """
    with _rolled_back(store, actor) as tx:
        tx.require(action, fix_id=fix_id)


@dataclass
class MediaTx:
    """The open transaction plus the media files it wrote."""

    tx: Tx
    media_store: MediaStore | None
    created: list[StoredMedia] = field(default_factory=list)

    def save(self, media: CheckedMedia | StoredMedia) -> StoredMedia:
        """Write checked bytes now (inside the transaction); a StoredMedia is already on disk."""
        if isinstance(media, StoredMedia):
            return media
        if self.media_store is None:
            raise TypeError("Checked media needs the media store to be written to.")
        if self.media_store.save(media):
            self.created.append(media.media)
        return media.media


def references(tx: Tx, sha256: str) -> int:
    return int(tx.fetch_value(_REFERENCES_SQL, [sha256] * 4) or 0)


def discard_unreferenced(store: Store, media_store: MediaStore, created: list[StoredMedia]) -> None:
    """Remove files a failed write created, unless a committed row references the same content."""
    with _rolled_back(store, "system") as tx:  # the write lock: no other write can reference them meanwhile
        for media in created:
            if not references(tx, media.sha256):
                media_store.discard(media)


@contextmanager
def media_transaction(
    store: Store, media_store: MediaStore | None, actor: str, action: Action, *, fix_id: int | None = None
) -> Iterator[MediaTx]:
    """``store.transaction`` that checks ``action`` first and removes the files it wrote when it does not commit."""
    unit: MediaTx | None = None
    try:
        with store.transaction(actor) as tx:
            tx.require(action, fix_id=fix_id)  # before anything can be saved
            unit = MediaTx(tx, media_store)
            yield unit
    except BaseException:
        if unit is not None and unit.created and media_store is not None:
            # The original error matters more than a failed clean-up (the database may be the problem).
            with contextlib.suppress(CxroomError, OSError):
                discard_unreferenced(store, media_store, unit.created)
        raise

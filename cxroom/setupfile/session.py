"""One transaction for a whole apply, in which the room's own services run.

The services (cxroom.services.room, curation, evidence) each open a
transaction on the store they are given. During an apply they are given
``joined(tx)`` instead: its ``transaction(actor)`` hands them the apply's open
transaction, so each service still checks the acting user's permission and
writes its audit entry as that user, and all of it commits together, or none.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from cxroom.errors import CxroomError
from cxroom.permissions import Action
from cxroom.setupfile.report import ApplyReport
from cxroom.store import Store, Tx


class _Joined:
    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self.path = tx.store.path

    @contextmanager
    def transaction(self, actor: str = "system") -> Iterator[Tx]:
        if actor != self.tx.actor:
            raise CxroomError("An apply acts as one person from start to end.")
        yield self.tx


def joined(tx: Tx) -> Store:
    """A stand-in Store whose transactions are ``tx`` (for calling services inside it)."""
    return cast(Store, _Joined(tx))


class _RollBack(Exception):
    """Leaves the transaction without committing."""


@contextmanager
def applying(store: Store, actor: str, report: ApplyReport, *, what: str, file_name: str) -> Iterator[Tx]:
    """The apply's transaction: refused unless the actor may edit the room; rolled back in a dry
    run or when nothing changed (so applying twice writes nothing at all, not even an audit entry);
    otherwise committed with one audit entry summing the apply up."""
    try:
        with store.transaction(actor) as tx:
            tx.require(Action.ROOM_EDIT)
            yield tx
            if report.dry_run or not report.changes:
                raise _RollBack
            summary = {
                name: {"created": len(s.created), "updated": len(s.updated)}
                for name, s in report.sections.items()
                if s.created or s.updated
            }
            tx.audit(what, "room", None, None, {"file": file_name, "changes": report.changes, "sections": summary})
    except _RollBack:
        pass


__all__ = ["applying", "joined"]

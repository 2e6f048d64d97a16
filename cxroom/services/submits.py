"""Commands that create a row, made safe to send twice.

A double click, or a form resubmitted after a slow answer, sends the same
command again. The form draws a nonce when it is first shown; the service keys
the command on that nonce, the command's name and everything it was asked to
create, and stores the key with the row (a UNIQUE column, migration 0008). The
same key again finds that row and returns it, writing nothing: one row, one
audit entry. A different payload from the same form (the next fix typed into
it) is a different command and gets its own row.

Writes run one at a time per room (Store.transaction holds the room's write
lock), so the lookup and the insert cannot interleave between two sessions;
the UNIQUE column refuses a second row should they ever run side by side.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, NamedTuple

from pydantic import BaseModel

from cxroom.errors import CxroomError


class Created(NamedTuple):
    id: int
    repeated: bool  # True: the same command had already created this row; nothing was written


def submit_key(nonce: str | None, command: str, payload: BaseModel | dict[str, Any]) -> str | None:
    """The key of one command, or None without a nonce (the CLI and the demo create what they are told)."""
    if not nonce:
        return None
    body = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
    text = json.dumps({"nonce": nonce, "command": command, "payload": body}, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class SimilarExists(CxroomError):
    """Refused because the room already holds what this command would repeat (an active fix on the same
    moment, a review of the same month). ``existing`` lists them (id, title, ...) for the form to link;
    sending the command again with ``allow_similar`` creates it deliberately."""

    def __init__(self, message: str, existing: list[dict[str, Any]]) -> None:
        super().__init__(message)
        self.existing = existing

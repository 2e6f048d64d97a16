"""The column mapping of a customer-movements file (one row per customer coming in, going out,
up- or downgrading), the words a file may use for each movement, and the headers recognised
without asking (CRM and billing churn exports)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from cxroom.importers.errors import ImportFileError

Header = Annotated[str, StringConstraints(max_length=300)]

MOVEMENTS = ("new", "won_back", "upgraded", "downgraded", "lost")
INCOMING = ("new", "won_back")  # customers who arrive: the room's count of customers in
OUTGOING = ("lost", "downgraded")  # value that leaves; only ``lost`` customers leave the count
MOVEMENT_LABELS = {
    "new": "new",
    "won_back": "won back",
    "upgraded": "upgraded",
    "downgraded": "downgraded",
    "lost": "lost",
}

# What exports call each movement (normalised: lower case, words split by one space). A word
# not listed is quarantined with the list of accepted words, never guessed.
MOVEMENT_WORDS: dict[str, str] = {
    **{w: "new" for w in ("new", "acquired", "acquisition", "joined", "signup", "sign up", "activated", "started")},
    **{w: "won_back" for w in ("won back", "winback", "win back", "reactivated", "returned", "rejoined")},
    **{w: "upgraded" for w in ("upgraded", "upgrade", "upsell", "expanded", "expansion")},
    **{w: "downgraded" for w in ("downgraded", "downgrade", "downsell", "contracted", "contraction")},
    **{
        w: "lost"
        for w in ("lost", "churned", "churn", "cancelled", "canceled", "cancellation", "left", "lapsed", "closed")
    },
}


def normal_word(text: str) -> str:
    """'Won-Back', 'won_back ', 'WON  BACK' -> 'won back' (the SQL in the pass does the same)."""
    return re.sub(r"[\s_\-]+", " ", text).strip().casefold()


class MovementMapping(BaseModel):
    """Which header feeds each field of a customer movement (None: not in this file)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    moved_at: Header
    customer_id: Header
    movement: Header
    value: Header | None = None
    reason: Header | None = None
    channel: Header | None = None
    segment: Header | None = None
    external_id: Header | None = Field(default=None, description="the movement's own id; None: a content hash")
    active_customers: Header | None = Field(default=None, description="active customers at the row's date")
    date_format: str | None = Field(default=None, description="None: detect from the values")


MOVEMENT_SYNONYMS: dict[str, list[str]] = {
    "moved_at": ["event date", "date", "movement date", "effective date", "churn date", "changed at", "month"],
    "customer_id": ["customer id", "customer", "account id", "account", "client id", "member id", "customer number"],
    "movement": ["movement", "event", "event type", "type", "status change", "change", "status"],
    "value": ["annual revenue", "arr", "value", "annual value", "revenue", "mrr change", "amount", "premium"],
    "reason": ["reason", "churn reason", "loss reason", "cancellation reason", "why"],
    "channel": ["channel", "via", "source channel"],
    "segment": ["segment", "customer segment", "tier", "plan", "product"],
    "external_id": ["event id", "movement id", "id", "record id"],
    "active_customers": ["active customers", "customers at month end", "active", "customer base", "base"],
}


def suggest_movement_mapping(headers: list[str]) -> dict[str, str | None]:
    """Best guess for each field from the headers (None: not found); a header is used once."""
    # 'Annual revenue (USD)' is recognised as 'annual revenue': a unit in brackets is dropped.
    cleaned = (re.sub(r"\([^)]*\)", " ", h.replace("\ufeff", "").replace("?", "")) for h in reversed(headers) if h)
    normalised = {normal_word(c): h for c, h in zip(cleaned, [h for h in reversed(headers) if h], strict=True)}
    taken: set[str] = set()
    out: dict[str, str | None] = {}
    for fld, candidates in MOVEMENT_SYNONYMS.items():
        found = next((normalised[c] for c in candidates if c in normalised and normalised[c] not in taken), None)
        out[fld] = found
        if found:
            taken.add(found)
    return out


_REQUIRED = {"moved_at": "the date", "customer_id": "the customer id", "movement": "the movement (new, lost, ...)"}


def missing_movement_columns(mapping: dict[str, object], headers: list[str]) -> None:
    """Refuse, with the file's columns named, a mapping that lacks a required column."""
    missing = [name for field, name in _REQUIRED.items() if not mapping.get(field)]
    if missing:
        raise ImportFileError(
            "Required column missing: no column holds "
            + " and ".join(missing)
            + ". The file's columns are: "
            + ", ".join(repr(h) for h in headers)
            + ". Map them explicitly (CLI: --mapping FILE)."
        )

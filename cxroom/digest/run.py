"""The digests of a month as messages, ready to send or to write as files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

from cxroom.digest.content import Digest, digests
from cxroom.digest.mail import message
from cxroom.queries.digest import digest_facts
from cxroom.store import Store


@dataclass(frozen=True)
class Prepared:
    messages: tuple[tuple[Digest, EmailMessage], ...]
    skipped: tuple[str, ...]  # users whose address a message cannot carry, with why


def prepare(store: Store, month: date, *, today: date, sender: str) -> Prepared:
    made, skipped = [], []
    for d in digests(digest_facts(store, month.replace(day=1), today=today)):
        try:
            made.append((d, message(d, sender=sender)))
        except (ValueError, IndexError) as exc:
            skipped.append(f"{d.recipient.email}: {exc}")
    return Prepared(tuple(made), tuple(skipped))

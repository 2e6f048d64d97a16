"""Sending the digests: over one SMTP connection (STARTTLS and login when set), or, for a
dry run, written as .eml files into a folder without opening any connection."""

from __future__ import annotations

import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from cxroom.errors import InvalidInputError
from cxroom.settings import SmtpSettings

TIMEOUT_S = 30


@dataclass(frozen=True)
class Outcome:
    to: str
    sent: bool
    detail: str  # the file written, or why the server refused


def write_eml(messages: Sequence[EmailMessage], folder: Path) -> list[Outcome]:
    """Each message as ``NN-address.eml`` in ``folder`` (created); nothing is sent."""
    folder.mkdir(parents=True, exist_ok=True)
    outcomes = []
    for n, msg in enumerate(messages, start=1):
        to = str(msg["To"].addresses[0].addr_spec)
        path = folder / f"{n:02d}-{re.sub(r'[^A-Za-z0-9@._-]+', '_', to)[:80]}.eml"
        path.write_bytes(msg.as_bytes(policy=SMTP))
        outcomes.append(Outcome(to, False, str(path)))
    return outcomes


def send(messages: Sequence[EmailMessage], smtp: SmtpSettings) -> list[Outcome]:
    """Send every message over one connection; a refused recipient does not stop the others."""
    if not smtp.host:
        raise InvalidInputError("CXROOM_SMTP_HOST is not set: set the SMTP settings, or use --dry-run FOLDER.")
    outcomes = []
    try:
        with smtplib.SMTP(smtp.host, smtp.port, timeout=TIMEOUT_S) as server:
            if smtp.starttls:
                server.starttls(context=ssl.create_default_context())
            if smtp.user:
                password = smtp.password.get_secret_value() if smtp.password else ""
                server.login(smtp.user, password)
            for msg in messages:
                to = str(msg["To"].addresses[0].addr_spec)
                try:
                    server.send_message(msg)
                    outcomes.append(Outcome(to, True, "sent"))
                except smtplib.SMTPRecipientsRefused as exc:
                    outcomes.append(Outcome(to, False, f"refused by the server: {exc.recipients}"))
    except (OSError, smtplib.SMTPException) as exc:
        raise InvalidInputError(f"Could not send through {smtp.host}:{smtp.port}: {exc}") from exc
    return outcomes

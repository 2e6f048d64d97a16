"""Masking of personal data in customer text before it is shown in the room.

Verbatims and call transcripts are shown to leadership and on an unattended
wall screen, so structured identifiers are replaced by a label in brackets:

==========================================  ===============
what                                        becomes
==========================================  ===============
e-mail addresses                            ``[email]``
IBANs (``GB29 NWBK 6016 1331 9268 19``)     ``[iban]``
card numbers: 13-19 digits, spaces or
dashes allowed between them                 ``[card]``
account, policy and claim references:
letters joined to digits (``LM-48213``,
``CLM-2024-00123``, ``ACC123456``), or a
number after "policy", "account", "claim",
"order", "ref" ... (``policy no. 48213``)   ``[reference]``
phone numbers: 7+ digits with the usual
``+``, ``()``, space, dot and dash          ``[phone]``
any other run of 6 or more digits           ``[number]``
==========================================  ===============

It is deliberately greedy: a masked order number costs nothing, a leaked card
number costs a lot. Money (``$1,250.00``), percentages, times, short numbers,
years and dates are left alone so a verbatim still reads well. Names and
postal addresses are not structured and are not masked here.

Pure Python: no Streamlit, no database.
"""

from __future__ import annotations

import re

__all__ = ["mask_personal_data"]

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")

# Two letters, two check digits, then 11-30 letters/digits, optionally in groups.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")

# 13-19 digits with an optional single space or dash between any two of them.
_CARD = re.compile(r"(?<![\w.,])\d(?:[ -]?\d){12,18}(?!\w|[.,]\d)")

# Letters joined to digits: LM-48213, CLM-2024-00123, ACC123456, POL#99812, AB/12345.
_JOINED_REFERENCE = re.compile(r"\b[A-Za-z]{1,5}(?:[-/]|#\s?)?\d{3,}(?:[-/][A-Za-z0-9]{2,})*\b")

# A number after a word that says it is a reference: "policy no. 48213", "account: 1234 5678".
_NAMED_REFERENCE = re.compile(
    r"(?i)\b(?P<word>policy|account|acct|a/c|claim|ref|reference|customer|member|membership|order|invoice|"
    r"case|ticket|booking|contract|client)"
    r"(?P<gap>(?:\s+(?:no\.?|nr\.?|number|num|id|#))?\s*[:#]?\s*)"
    r"(?P<number>\d[\d -]{2,}\d)\b"
)

# Phone numbers: optional +country, optional (area), then digit groups split by space, dot or dash.
_PHONE = re.compile(
    r"(?<![\w$£€.,/:])"
    r"(?:\+\d{1,3}[\s.-]?|1[\s.-])?"
    r"(?:\(\d{1,5}\)[\s.-]?)?"
    r"\d{2,5}(?:[\s.-]?\d{2,5}){1,5}"
    r"(?!\w|%|[.,:]\d)"
)
_DATE = re.compile(r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))\b")

_LONG_DIGITS = re.compile(r"(?<![\w$£€])\d{6,}(?!\w)")


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def _card(match: re.Match[str]) -> str:
    return "[card]" if 13 <= _digits(match.group(0)) <= 19 else match.group(0)


def _joined_reference(match: re.Match[str]) -> str:
    return "[reference]" if _digits(match.group(0)) >= 4 else match.group(0)


def _named_reference(match: re.Match[str]) -> str:
    if _digits(match.group("number")) < 4:
        return match.group(0)
    return f"{match.group('word')}{match.group('gap')}[reference]"


def _phone(match: re.Match[str]) -> str:
    token = match.group(0)
    if _digits(token) < 7:
        return token
    if _DATE.search(token):
        # A date next to another number ("2026-10-01 1430") is not a phone number.
        rest = _DATE.sub("", token)
        return token if _digits(rest) < 7 else "[phone]"
    return "[phone]"


def mask_personal_data(text: str | None) -> str:
    """The text with personal identifiers replaced by ``[email]``, ``[card]`` and the like."""
    if not text:
        return ""
    masked = _EMAIL.sub("[email]", text)
    masked = _IBAN.sub("[iban]", masked)
    masked = _CARD.sub(_card, masked)
    masked = _NAMED_REFERENCE.sub(_named_reference, masked)
    masked = _JOINED_REFERENCE.sub(_joined_reference, masked)
    masked = _PHONE.sub(_phone, masked)
    return _LONG_DIGITS.sub("[number]", masked)

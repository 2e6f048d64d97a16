"""Masking of personal data in customer text before it is shown in the room.

Verbatims and call transcripts are shown to leadership and on an unattended
wall screen, so structured identifiers are replaced by a label in brackets:

==============================================  =================
what                                            becomes
==============================================  =================
e-mail addresses, any script
(``jörg.müller@beispiel.de``, ``用户@例子.公司``)  ``[email]``
IBANs, grouped or compact (mod-97 checked)      ``[iban]``
national identifiers: UK NI (``QQ 12 34 56 C``),
Spanish DNI/NIE (check letter), Italian codice
fiscale (check letter), US SSN (``123-45-6789``)  ``[national id]``
card numbers: 13-19 digits with any spacing
(Luhn checked, or grouped like a card)          ``[card]``
account, policy and claim references:
letters joined to digits (``LM-48213``,
``POL-2024-001234``, ``ACC123456``), or a
number after "policy", "account", "claim",
"order", "ref" ... (``Claim 55-1234567``)       ``[reference]``
phone numbers: 7+ digits with the usual
``+``, ``()``, space, dot and dash              ``[phone]``
any other run of 6 or more digits               ``[number]``
==============================================  =================

It is deliberately greedy: a masked order number costs nothing, a leaked card
number costs a lot. Check digits (python-stdnum) decide the *label* and the
extent of an IBAN, never whether digits are shown: a mistyped card number is
still masked, as ``[phone]`` or ``[number]``. Money (``$1,250.00``,
``1.250.000 €``), percentages, times, short numbers, years and dates (also
``20261003``) are left alone so a verbatim still reads well. Names and postal
addresses are not structured and are not masked here (see docs/trust.md).

Masking the masked text changes nothing (labels hold no digit and no ``@``),
and text holding neither a digit nor an ``@`` is never changed:
``MAY_HOLD_IDENTIFIER`` says so in DuckDB's regular-expression dialect, so
the database can skip such rows without calling Python.

Pure Python: no Streamlit, no database.
"""

from __future__ import annotations

import re
from datetime import date

from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.es import dni, nie
from stdnum.it import codicefiscale

__all__ = ["MAY_HOLD_IDENTIFIER", "mask_personal_data"]

# RE2 (DuckDB): a text that matches none of this is returned unchanged by mask_personal_data, so
# the database sends only the texts that match to Python. Each alternative is a superset of what
# one pass below needs to change anything (its pattern without the lookarounds and word edges,
# with the digits its callback demands), so skipping a text that matches none is exact; it is
# what keeps narratives full of "XX/XX/2019" and "{$45.00}" (CFPB's own scrubbing) out of
# Python. ``\d`` and ``\s`` of Python's str patterns are Unicode: ``\p{Nd}`` and _WS here.
# tests/test_privacy_prefilter.py checks it against every pass on every corpus. It holds no
# single quote: cxroom.migrations.steps writes it into SQL as a string literal.
_WS = r"[\t-\r\x{1c}-\x{1f}\x{85}\p{Z}]"
_WORDS_RE2 = (
    r"(?i:policy|account|acct|a/c|claim|ref|reference|customer|member|membership|order|invoice|case|ticket"
    r"|booking|contract|client)"
)
# What (?i)[a-z] matches in Python: ASCII letters and four that fold into them (ASCII classes
# keep RE2 fast; a repeated \p{L} made it 40 times slower on long narratives).
_LETTER = r"[A-Za-z\x{130}\x{131}\x{17f}\x{212a}]"
_ALNUM = r"[0-9A-Za-z\x{130}\x{131}\x{17f}\x{212a}]"
_CF_DIGIT = r"[0-9LMNP-Vlmnp-v\x{17f}]"  # (?i)[0-9lmnp-v]
_CF_MONTH = r"[ABCDEHLMPRSTabcdehlmprst\x{17f}]"  # (?i)[abcdehlmprst]
_D4_CHAIN = r"\p{Nd}[\p{Nd} /-]*\p{Nd}[\p{Nd} /-]*\p{Nd}[\p{Nd} /-]*\p{Nd}"
MAY_HOLD_IDENTIFIER = "|".join(
    [
        r"@",  # e-mail
        _LETTER + _LETTER + r"\p{Nd}\p{Nd}(?: ?" + _ALNUM + "){11}",  # IBAN
        r"[A-Za-z]{2} ?\p{Nd}{2} ?\p{Nd}{2} ?\p{Nd}{2}",  # UK NI number
        r"\p{Nd}{7}(?:[ -]?[A-Z]|-?[a-z])",  # Spanish DNI / NIE
        r"(?:^|[^$£€¥₹\p{Nd}])\p{Nd}{6}",  # six digits or more, not after a currency ("{$120000.00}")
        # codice fiscale, its letters and the letters that may stand for its digits
        _LETTER + "{6}" + _CF_DIGIT + "{2}" + _CF_MONTH + _CF_DIGIT + "{2}" + _LETTER + _CF_DIGIT + "{3}" + _LETTER,
        r"\p{Nd}(?: {0,2}-? {0,2}\p{Nd}){12}",  # card
        r"\p{Nd}{3}-\p{Nd}{2}-\p{Nd}{4}",  # US SSN
        # phone: 7 digits with gaps of 2 at most, not after a letter, digit or currency ("{$86000.00}")
        r"(?:^|[^A-Za-z0-9_$£€¥₹.,/])[+(]?\p{Nd}(?:[\t-\r\x{1c}-\x{1f}\x{85}\p{Z}.()-]{0,2}\p{Nd}){6}",
        # "policy no. 48213": a reference word, the pass's own gap, a number of 4 digits or more;
        # or a character that (?i) folds into such a word in Python but not in RE2
        _WORDS_RE2 + rf"(?:{_WS}+(?i:no\.?|nr\.?|number|num|id|#))?{_WS}*[:#]?{_WS}*" + _D4_CHAIN,
        r"[\x{17f}\x{212a}\x{130}\x{131}]",
        # letters joined to digits (LM-48213), except a redacted date (XX/2019): no separator, "#",
        # a letter other than X, three X, digits that are not a year, or more parts after them
        r"[A-Za-z]\p{Nd}{3}",
        r"[A-Za-z]#(?s:.)?\p{Nd}{3}",
        r"[A-WYZa-wyz][A-Za-z]{0,4}[-/]\p{Nd}{3}",
        r"[Xx]{3}[-/]\p{Nd}{3}",
        r"[A-Za-z][-/](?:[^\P{Nd}12]\p{Nd}{3}|1[^\P{Nd}9]\p{Nd}{2}|2[^\P{Nd}0]\p{Nd}{2}|\p{Nd}{5})",
        r"[A-Za-z][-/]\p{Nd}{3,}[-/]",
    ]
)

# Any script in the local part and the domain (\w is Unicode); the top-level
# domain is letters only, so "paid 3@4.50" is no address.
_EMAIL = re.compile(r"[\w.%+'’-]+@(?:[\w-]+\.)+[^\W\d_]{2,}")

# Two letters, two check digits, then 11-30 letters/digits, optionally in groups of any size.
_IBAN = re.compile(r"(?i)(?<![\w-])[a-z]{2}\d{2}(?:[ ]?[a-z0-9]){11,30}")

# UK National Insurance number: two letters, three pairs of digits, A-D (spaced or not).
# Spaced, only in capitals: "is 12 34 56 a" is words, not an NI number.
_UK_NINO = re.compile(r"\b(?:[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]|[A-Za-z]{2}\d{6}[A-Da-d])\b")
# US Social Security number, written the usual way.
_US_SSN = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
# Spanish DNI (8 digits + letter) and NIE (X/Y/Z + 7 digits + letter).
_ES_ID = re.compile(r"\b(?:[XYZxyz][ -]?\d{7}|\d{7,8})(?:[ -]?[A-Z]|-?[a-z])\b")
# Italian codice fiscale; the digit positions may hold the letters L-V (omocodia).
_IT_CF = re.compile(r"(?i)\b[a-z]{6}[0-9lmnp-v]{2}[abcdehlmprst][0-9lmnp-v]{2}[a-z][0-9lmnp-v]{3}[a-z]\b")

# 13-19 digits; between two digits at most one dash, with spaces around it.
_CARD = re.compile(r"(?<![\w.,])\d(?:[ ]{0,2}-?[ ]{0,2}\d){12,18}(?!\w|[.,]\d)")
_CARD_GROUPS = re.compile(r"^\d{4}(?:[ -]+\d{4}){2}[ -]+\d{1,7}$|^\d{4}[ -]+\d{6}[ -]+\d{5}$")

# Letters joined to digits: LM-48213, CLM-2024-00123, ACC123456, POL#99812, AB/12345.
_JOINED_REFERENCE = re.compile(r"\b[A-Za-z]{1,5}(?:[-/]|#\s?)?\d{3,}(?:[-/][A-Za-z0-9]{2,})*\b")

# A date whose day and month were redacted ("XX/XX/2019", as CFPB publishes them).
_REDACTED_DATE = re.compile(r"[Xx]{1,2}[-/.](?:19|20)\d\d")

# A number after a word that says it is a reference: "policy no. 48213", "Claim 55-1234567".
_REFERENCE_WORDS = (
    "policy", "account", "acct", "a/c", "claim", "ref", "reference", "customer", "member", "membership", "order",
    "invoice", "case", "ticket", "booking", "contract", "client",
)  # fmt: skip
_NAMED_REFERENCE = re.compile(
    r"(?i)\b(?P<word>" + "|".join(_REFERENCE_WORDS) + ")"
    r"(?P<gap>(?:\s+(?:no\.?|nr\.?|number|num|id|#))?\s*[:#]?\s*)"
    r"(?P<number>\d[\d /-]{2,}\d)\b"
)
# The characters outside ASCII that IGNORECASE matches to a letter of those words (long s, Kelvin
# sign, dotted and dotless i): a text holding none of them can hold a word only as its ASCII
# letters, so a substring search of the lower-cased text tells whether the pass can match.
_FOLDS_INTO_WORDS = re.compile("[\u017f\u212a\u0130\u0131]")


def _may_name_reference(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _REFERENCE_WORDS) or _FOLDS_INTO_WORDS.search(text) is not None


# A currency after a number makes it money ("1 250 000 €", "8615249 euros").
_MONEY_AFTER = r"\s?(?:€|EUR\b|USD\b|GBP\b|CHF\b|euros?\b|dollars?\b|pounds?\b)"

# Phone numbers: optional +country, optional (area), then digit groups split by space, dot or dash.
_PHONE = re.compile(
    r"(?<![\w$£€¥₹.,/'])"
    r"(?:\+\d{1,3}[\s.-]?|1[\s.-])?"
    r"(?:\(\d{1,5}\)[\s.-]?)?"
    r"\d{2,5}(?:[\s.-]?\d{2,5}){1,5}"
    r"(?!\w|%|[.,:']\d|" + _MONEY_AFTER + ")"
)
_DATE = re.compile(r"\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))\b")
# Money with thousands groups ("1.250.000", "1 250 000"): a phone rule must not take it.
# A first group of 1-2 digits: "612 345 678" is a Spanish mobile, "1 250 000" an amount.
_GROUPED_AMOUNT = re.compile(r"^\d{1,2}([ .])\d{3}(?:\1\d{3})+$")

# Six or more digits, also glued to letters ("X1234567L", "K12345678"): never shown.
_LONG_DIGITS = re.compile(r"(?<![$£€¥₹\d])\d{6,}(?!\d|" + _MONEY_AFTER + ")")
# "2022-2023": two years, not a phone number.
_YEAR_RANGE = re.compile(r"(?:19|20)\d\d\s?[-–]\s?(?:19|20)\d\d")


def _digits(text: str) -> int:
    return sum(map(str.isdigit, text))  # the same count as a generator of ch.isdigit(), in C


def _compact(text: str) -> str:
    return re.sub(r"[\s-]", "", text).upper()


def _iban(match: re.Match[str]) -> str:
    # The pattern may run on into the next words ("GB82 WEST ... 32 THANKS"): the longest
    # prefix that passes the IBAN check (country format and mod-97) is masked, the rest is
    # given back. A mistyped IBAN (no prefix passes) is masked up to its last digit when it
    # is written in capitals with 12+ digits: a typo is still bank details.
    token = match.group(0)
    for end in range(len(token), 14, -1):
        if token[end - 1] != " " and std_iban.is_valid(_compact(token[:end])):
            return "[iban]" + token[end:]
    last_digit = max(i for i, ch in enumerate(token) if ch.isdigit()) + 1
    head = token[:last_digit]
    if head.upper() == head and _digits(head) >= 12:
        return "[iban]" + token[last_digit:]
    return token


def _es_id(match: re.Match[str]) -> str:
    token = _compact(match.group(0))
    return "[national id]" if dni.is_valid(token) or nie.is_valid(token) else match.group(0)


def _it_cf(match: re.Match[str]) -> str:
    token = match.group(0).upper()
    # The plain form (digits where digits belong) is distinctive enough; a form with
    # letters in the digit places must pass the check letter, or it may be a word.
    if codicefiscale.is_valid(token) or _digits(token) == 7:
        return "[national id]"
    return match.group(0)


def _card(match: re.Match[str]) -> str:
    token = match.group(0)
    digits = re.sub(r"\D", "", token)
    if not 13 <= len(digits) <= 19:
        return token
    if luhn.is_valid(digits) or _CARD_GROUPS.match(token):
        return "[card]"
    return token


def _joined_reference(match: re.Match[str]) -> str:
    token = match.group(0)
    if _digits(token) < 4 or _REDACTED_DATE.fullmatch(token):
        return token
    return "[reference]"


def _named_reference(match: re.Match[str]) -> str:
    if _digits(match.group("number")) < 4 or _DATE.fullmatch(match.group("number")):
        return match.group(0)
    return f"{match.group('word')}{match.group('gap')}[reference]"


def _phone(match: re.Match[str]) -> str:
    token = match.group(0)
    if _digits(token) < 7 or _GROUPED_AMOUNT.match(token) or _YEAR_RANGE.fullmatch(token):
        return token
    if _is_compact_date(token):
        return token
    if _DATE.search(token):
        # A date next to another number ("2026-10-01 1430") is not a phone number.
        rest = _DATE.sub("", token)
        return token if _digits(rest) < 7 else "[phone]"
    return "[phone]"


def _is_compact_date(digits: str) -> bool:
    if len(digits) != 8:
        return False
    try:
        return 1900 <= date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).year <= 2099
    except ValueError:
        return False


def _long_digits(match: re.Match[str]) -> str:
    return match.group(0) if _is_compact_date(match.group(0)) else "[number]"


# Every pattern above holds a digit or an "@" and spans less than _REACH characters on
# either side of it, so a long text is masked piece by piece: only the stretches around
# its digits and "@"s, cut at whitespace (where each pattern's edges read the same).
# A 1.6 kB complaint narrative is masked ~4x faster; the result is the same.
_ANCHORS = re.compile(r"[\d@]+")
_REACH = 64


_SPACE = re.compile(r"\s")  # the same characters as str.isspace (both use Py_UNICODE_ISSPACE)
_LAST_SPACE = re.compile(r".*\s", re.DOTALL)


def _windows(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    n = len(text)
    for anchor in _ANCHORS.finditer(text):
        start, end = max(0, anchor.start() - _REACH), min(n, anchor.end() + _REACH)
        if spans and start <= spans[-1][1]:
            start = spans[-1][0]
            spans.pop()
        elif start > 0 and not text[start - 1].isspace():
            # back to just after the last whitespace before ``start`` (or the text's start); the
            # previous span ends on a whitespace, so the search need not look further back
            before = _LAST_SPACE.match(text, spans[-1][1] if spans else 0, start)
            start = before.end() if before else 0
        if end < n and not text[end].isspace():
            after = _SPACE.search(text, end)
            end = after.start() if after else n
        spans.append((start, end))
    return spans


# The fewest digits a pattern's replacement needs (the patterns' own \d, or their callbacks'
# digit checks). A replacement only ever takes digits out, so a text with fewer digits than
# that at the start cannot be changed by the pattern, and the pass is skipped: the result is
# the same, and most stretches of a narrative ("on XX/XX/2019 I paid $45.00") skip most passes.
_NEEDS_DIGITS = {"nino": 6, "ssn": 9, "es_id": 7, "card": 13, "reference": 4, "phone": 7, "long": 6, "iban": 2}


def _mask(text: str) -> str:
    digits = _digits(text)
    masked = _EMAIL.sub("[email]", text) if "@" in text else text
    if digits >= _NEEDS_DIGITS["iban"]:
        masked = _IBAN.sub(_iban, masked)
    if digits >= _NEEDS_DIGITS["nino"]:
        masked = _UK_NINO.sub("[national id]", masked)
    if digits >= _NEEDS_DIGITS["ssn"]:
        masked = _US_SSN.sub("[national id]", masked)
    masked = _IT_CF.sub(_it_cf, masked)  # letters may stand for its digits: no bound
    if digits >= _NEEDS_DIGITS["es_id"]:
        masked = _ES_ID.sub(_es_id, masked)
    if digits >= _NEEDS_DIGITS["card"]:
        masked = _CARD.sub(_card, masked)
    if digits >= _NEEDS_DIGITS["reference"]:
        if _may_name_reference(masked):
            masked = _NAMED_REFERENCE.sub(_named_reference, masked)
        masked = _JOINED_REFERENCE.sub(_joined_reference, masked)
    if digits >= _NEEDS_DIGITS["phone"]:
        masked = _PHONE.sub(_phone, masked)
    if digits >= _NEEDS_DIGITS["long"]:
        masked = _LONG_DIGITS.sub(_long_digits, masked)
    return masked


def mask_personal_data(text: str | None) -> str:
    """The text with personal identifiers replaced by ``[email]``, ``[card]`` and the like."""
    if not text:
        return ""
    if not _ANCHORS.search(text):
        return text  # the fast path: see MAY_HOLD_IDENTIFIER
    if len(text) <= 4 * _REACH:
        return _mask(text)
    pieces, done = [], 0
    for start, end in _windows(text):
        pieces += [text[done:start], _mask(text[start:end])]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)

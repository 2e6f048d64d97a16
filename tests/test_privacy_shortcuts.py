"""The masker's shortcuts change nothing: skipping a pass when a stretch of text has fewer
digits than the pass needs, and finding the window edges with a regular expression, give the
same text as every pass run on windows found character by character."""

from __future__ import annotations

import random
import re

import cxroom.privacy as p

PIECES = [
    "4111 1111 1111 1111", "4111-1111-1111-1111", "GB82 WEST 1234 5698 7654 32", "DE89370400440532013000",
    "QQ 12 34 56 C", "qq123456c", "123-45-6789", "12345678Z", "X1234567L", "RSSMRA85T10A562S", "RSSMRALPT10A562S",
    "jörg.müller@beispiel.de", "a@b.co", "3@4.50", "policy no. 48213", "Claim 55-1234567", "LM-48213",
    "POL-2024-001234", "+44 (20) 7946 0958", "555.123.4567", "1 250 000 €", "$1,250.00", "2026-10-01", "20261003",
    "XX/XX/2019", "2022-2023", "612 345 678", "1234567", "12", "٣٤٥٦٧٨٩٠١٢", "１２３４５６７８", "²³", "order #99812",
    "ACC123456", "12%", "10:30", "word", "THANKS", "émile", "ref: 0012-4455", "AB/12345", "K12345678",
    "Caſe 5512345", "tic\u212aet 4471", "İnvoice #88213", "polıcy no. 48213", "CLAIM NR 77-1234", "A/C 99812",
]  # fmt: skip
SEPARATORS = ["", " ", "  ", "\n", "\t", ",", ". ", "\u00a0", "\u3000", "\x1c", "-", "/", "x" * 70, " lorem ipsum " * 6]


def every_pass(text: str) -> str:
    masked = p._EMAIL.sub("[email]", text) if "@" in text else text
    masked = p._IBAN.sub(p._iban, masked)
    masked = p._UK_NINO.sub("[national id]", masked)
    masked = p._US_SSN.sub("[national id]", masked)
    masked = p._IT_CF.sub(p._it_cf, masked)
    masked = p._ES_ID.sub(p._es_id, masked)
    masked = p._CARD.sub(p._card, masked)
    masked = p._NAMED_REFERENCE.sub(p._named_reference, masked)
    masked = p._JOINED_REFERENCE.sub(p._joined_reference, masked)
    masked = p._PHONE.sub(p._phone, masked)
    return p._LONG_DIGITS.sub(p._long_digits, masked)


def windows_char_by_char(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    n = len(text)
    for anchor in re.finditer(r"[\d@]+", text):
        start, end = max(0, anchor.start() - p._REACH), min(n, anchor.end() + p._REACH)
        if spans and start <= spans[-1][1]:
            start = spans[-1][0]
            spans.pop()
        else:
            while start > 0 and not text[start - 1].isspace():
                start -= 1
        while end < n and not text[end].isspace():
            end += 1
        spans.append((start, end))
    return spans


def reference(text: str) -> str:
    if not text or not re.search(r"[\d@]", text):
        return text or ""
    if len(text) <= 4 * p._REACH:
        return every_pass(text)
    pieces, done = [], 0
    for start, end in windows_char_by_char(text):
        pieces += [text[done:start], every_pass(text[start:end])]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def corpus(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    texts = ["".join(rng.choice(PIECES) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 14))) for _ in range(n)]
    alphabet = "0123456789 -./@abcXYZ()+#:\n\u00a0é€$"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 500))) for _ in range(n // 3)]
    return texts


def test_windows_match_the_character_by_character_search() -> None:
    for text in corpus(5, 1500):
        assert p._windows(text) == windows_char_by_char(text), text


def test_masking_with_the_shortcuts_equals_every_pass_on_every_window() -> None:
    texts = corpus(7, 3000)
    assert sum(len(t) > 4 * p._REACH for t in texts) > 500  # the windowed path is exercised
    assert sum(reference(t) != t for t in texts) > 1500  # and so are the replacements
    for text in texts:
        assert p.mask_personal_data(text) == reference(text), text


def test_every_character_that_ignorecase_folds_into_a_reference_word_is_known() -> None:
    """The substring pre-check of the "policy no. 48213" pass is exact only if every non-ASCII
    character that (?i) matches to a letter of those words is in _FOLDS_INTO_WORDS."""
    letters = sorted({ch for word in p._REFERENCE_WORDS for ch in word})
    folding = re.compile("(?i)[" + re.escape("".join(letters)) + "]")
    found = {chr(c) for c in range(0x80, 0x110000) if folding.fullmatch(chr(c))}
    assert found and all(p._FOLDS_INTO_WORDS.fullmatch(ch) for ch in found), found
    for text in ["Caſe 5512345", "tic\u212aet 4471", "İnvoice #88213", "polıcy no. 48213"]:
        assert p._NAMED_REFERENCE.search(text) and p._may_name_reference(text)

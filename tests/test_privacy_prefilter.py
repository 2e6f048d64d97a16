"""The database's prefilter for the masker (cxroom.privacy.MAY_HOLD_IDENTIFIER, run by DuckDB's
RE2) is exact: a text it does not match is one the masker leaves as it is, on every corpus the
masker is tested with and on texts built around each pass's edges. And it does its job: the
scrubbing CFPB publishes (XX/XX/2019, {$320.00}) does not reach Python."""

from __future__ import annotations

import random

import duckdb
import pandas as pd

from cxroom import privacy
from cxroom.privacy import MAY_HOLD_IDENTIFIER, mask_personal_data
from tests import privacy_corpus
from tests.test_privacy import _real_narratives
from tests.test_privacy_shortcuts import corpus as shortcut_corpus

# Around each pass's edges: redacted dates and what is not one, references, words that fold.
EDGES = [
    "XX/XX/2019", "XX/2019", "xx-2020", "X/2019", "XX/2019/ab", "XX/2019/a1", "AXX/2019", "XXX/2019", "X/1899",
    "XX/20190", "XX#2019", "XX# 2019", "XX2019", "XX/1999", "XX/2100", "XX/٢٠١٩", "XX/１９９９", "X/201-ab1",
    "éXX/2019", "_XX/2019", "1XX/2019", "XX/2019a", "A/123-45", "AB123", "AB1234", "ab#123", "LM-48213",
    "policy no. 48213", "account nr 12 34", "Claim:\u00a055-1234567", "ref #0012-4455", "order\u3000# 9981",
    "case\x1c12345", "membership 1234", "a/c 9981", "contract number 12/34", "Caſe 5512345", "tic\u212aet 4471",
    "İnvoice #88213", "polıcy no. 48213", "{$320.00}", "$1,250.00", "1 250 000 €", "12:30", "2026-10-01",
    "+44 (20) 7946 0958", "(555)\u2009123-4567", "1-(800) 555 0199", "555\u00a0123\u00a04567", "12 34 56",
    "4111 - 1111 - 1111 - 1111", "GB82 WEST 1234 5698 7654 32", "RSSMRALPT10A562S", "rssmra85t10a562s",
    "QQ 12 34 56 C", "123-45-6789", "X1234567L", "a@b.co", "3@4.50",
]  # fmt: skip


def _flags(texts: list[str]) -> list[bool]:
    con = duckdb.connect()
    try:
        con.register("t", pd.DataFrame({"text": texts}))
        rows = con.execute("SELECT regexp_matches(text, ?) FROM t", [MAY_HOLD_IDENTIFIER]).fetchall()
    finally:
        con.close()
    return [bool(v) for (v,) in rows]


def _texts() -> list[str]:
    rng = random.Random(17)
    texts = [t for _, _, t, _ in privacy_corpus.identifier_corpus(per_kind=120)]
    texts += [t for _, t, _ in privacy_corpus.ordinary_corpus(per_kind=120)]
    texts += shortcut_corpus(23, 3000) + _real_narratives()
    fillers = ["", " ", "\n", "see ", " then ", "(", ")", ", ", "XX/XX/2019 ", "{$45.00} "]
    texts += [rng.choice(fillers) + edge + rng.choice(fillers) for edge in EDGES for _ in range(8)]
    texts += [" ".join(rng.choice(EDGES) for _ in range(rng.randint(2, 40))) for _ in range(600)]
    # near misses: pieces of references, dates and numbers glued at random
    atoms = ["XX", "X", "x", "A", "ab", "/", "-", "#", " ", "\u00a0", ".", "(", ")", "19", "20", "2019", "12", "345",
             "9", "0", "١٢", "policy", "no.", "claim", ":", "$", "{", "}", "@", "nr", "Ref", "\n"]  # fmt: skip
    texts += ["".join(rng.choice(atoms) for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    return texts


def test_a_text_the_prefilter_skips_is_one_the_masker_leaves_alone() -> None:
    texts = _texts()
    flags = _flags(texts)
    skipped = [t for t, flagged in zip(texts, flags, strict=True) if not flagged]
    changed = [t for t, flagged in zip(texts, flags, strict=True) if flagged and mask_personal_data(t) != t]
    assert len(skipped) > 5000 and len(changed) > 5000  # both sides are exercised
    assert [t for t in skipped if mask_personal_data(t) != t] == []


def test_every_edge_the_masker_changes_is_sent_to_it() -> None:
    changed = [e for e in EDGES if mask_personal_data(e) != e]
    assert len(changed) > 30
    assert all(_flags(changed)), [e for e, f in zip(changed, _flags(changed), strict=True) if not f]


def test_cfpb_scrubbing_does_not_reach_python() -> None:
    kept = ["XX/XX/2019", "on XX/XX/2019 I paid {$320.00}", "XXXX XXXX bank, {$1500.00} on XX/XX/XXXX", "2019"]
    assert not any(_flags(kept))
    narratives = [t for t in _real_narratives() if any(ch.isdigit() for ch in t)]
    if narratives:  # the real samples: most narratives with digits hold only dates and amounts
        assert sum(_flags(narratives)) <= len(narratives) // 2


def test_the_whitespace_class_is_pythons() -> None:
    """``\\s`` in Python's str patterns is str.isspace; the prefilter spells it out for RE2."""
    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    others = [chr(c) for c in range(0x3100) if not chr(c).isspace() and not 0xD800 <= c <= 0xDFFF]
    con = duckdb.connect()
    try:
        con.register("t", pd.DataFrame({"ch": spaces + others}))
        found = con.execute("SELECT ch FROM t WHERE regexp_full_match(ch, ?)", [privacy._WS]).fetchall()
    finally:
        con.close()
    assert sorted(ch for (ch,) in found) == sorted(spaces)


def test_the_pattern_can_be_written_into_sql_as_a_literal() -> None:
    assert "'" not in MAY_HOLD_IDENTIFIER  # cxroom.migrations.steps.masked_sql quotes it with '

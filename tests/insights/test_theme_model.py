"""Themes, pure: TF-IDF + NMF on masked texts, deterministic, named by words of their own
texts (never by the masker's labels or redactions), and the new/rising rule."""

from __future__ import annotations

import re

import numpy as np

from cxroom.insights.themes import MIN_TEXTS, carry_over, clean_text, fit_themes, theme_count, trend_signal

BILLING = [
    "My bill shows an admin charge nobody mentioned.",
    "The bill doubled and the admin charge is new.",
    "Why is there an admin charge on my bill?",
    "Admin charge again on this month's bill.",
    "Billed an admin charge twice, please refund.",
    "The admin charge on the bill was never explained.",
]
CLAIMS = [
    "The adjuster never called about my storm damage claim.",
    "Storm damage claim still open, no adjuster visit.",
    "Waiting weeks for an adjuster to inspect the storm damage.",
    "My roof storm damage claim has no adjuster yet.",
    "No adjuster has contacted me about the storm damage.",
    "Storm damage to the garage and the adjuster is silent.",
]
MASKED = [
    "Please ring me on [phone] about [card] and [reference] today.",
    "Sent to [email], XXXX XXXX never replied about [card].",
]


def _words(texts: list[str]) -> set[str]:
    return {w.lower() for t in texts for w in re.findall(r"[^\W\d_]{3,}", clean_text(t))}


def test_two_subjects_give_two_themes_named_by_their_own_words() -> None:
    texts = BILLING + CLAIMS
    model = fit_themes(texts, themes=2)
    assert model is not None and model.themes == 2
    slots, weights = model.assign(texts)
    # Every billing text lands in one theme and every claims text in the other.
    assert len(set(slots[: len(BILLING)])) == 1 and len(set(slots[len(BILLING) :])) == 1
    assert slots[0] != slots[-1] and (weights > 0).all()
    billing_terms = model.top_terms(int(slots[0]))
    claims_terms = model.top_terms(int(slots[-1]))
    assert {"admin", "charge", "bill"} & set(billing_terms[:3])
    assert {"storm", "damage", "adjuster"} & set(claims_terms[:3])
    assert set(billing_terms) <= _words(BILLING) and set(claims_terms) <= _words(CLAIMS)


def test_the_same_texts_give_the_same_model() -> None:
    texts = BILLING + CLAIMS
    first, second = fit_themes(texts), fit_themes(list(texts))
    assert first is not None and second is not None
    assert first.vocabulary == second.vocabulary
    assert np.array_equal(first.components, second.components)


def test_mask_labels_and_redactions_never_name_a_theme() -> None:
    texts = BILLING + CLAIMS + MASKED * 4
    model = fit_themes(texts)
    assert model is not None
    for word in ("phone", "card", "reference", "email", "xxxx"):
        assert word not in model.vocabulary
    assert clean_text("card [card] XXXX xx/xx") == "card      / "


def test_too_few_texts_make_no_themes_and_a_later_text_is_placed() -> None:
    assert fit_themes(BILLING[: MIN_TEXTS - 1]) is None
    model = fit_themes(BILLING + CLAIMS, themes=2)
    assert model is not None
    slots, _ = model.assign(["The adjuster has not seen the storm damage yet.", "Nothing in common here at all."])
    billing_slot = int(model.assign(BILLING[:1])[0][0])
    assert slots[0] != billing_slot and slots[0] >= 0
    assert slots[1] == -1  # none of its words are in the model's vocabulary


def test_theme_count_grows_with_the_texts_between_two_and_eight() -> None:
    assert theme_count(12) == 2 and theme_count(160) == 4 and theme_count(2_000_000) == 8


def test_new_and_rising_themes() -> None:
    assert trend_signal([0, 0, 0, 0, 0, 0, 9]) == "new"
    assert trend_signal([4, 5, 4, 6, 5, 4, 12]) == "rising"
    assert trend_signal([4, 5, 4, 6, 5, 4, 6]) is None
    assert trend_signal([0, 0, 0, 0, 0, 1, 2]) is None  # too few texts to call it a rise
    assert trend_signal([9]) is None  # no history: the stage's first month is not news


def test_carry_over_follows_shared_top_terms_one_to_one() -> None:
    old = [["admin", "charge", "bill", "fee"], ["storm", "damage", "adjuster", "roof"]]
    new = [["storm", "damage", "adjuster", "claim"], ["phone", "hold", "wait"], ["admin", "charge", "bill", "refund"]]
    assert carry_over(old, new) == {0: 1, 2: 0}
    assert carry_over(old, [["admin", "charge", "x"], ["admin", "charge", "bill"]]) == {1: 0}

"""Themes in what customers say: masked complaint verbatims and survey comments of one
stage, grouped by TF-IDF + NMF (scikit-learn), with a fixed seed so that the same texts
give the same themes.

A model is its vocabulary, each term's idf and one row of weights per theme: texts of a
later month are placed in the same themes (``ThemeModel.assign``) without fitting again.
Each theme is named by its top terms; the texts with the highest weight show it.

Pure: no store, no streamlit. The texts given here are the MASKED texts; the labels the
masker writes (``[card]``, ``[reference]`` ...) and redactions (CFPB's ``XXXX``) are
removed before counting words, so they never name a theme.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.decomposition import NMF, non_negative_factorization
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

__all__ = [
    "MIN_TEXTS",
    "ThemeModel",
    "carry_over",
    "clean_text",
    "fit_themes",
    "theme_count",
    "trend_signal",
]

SEED = 20261  # NMF's initialisation is SVD based (nndsvda); the seed fixes what randomness is left
MIN_TEXTS = 12  # fewer distinct texts than this make no themes worth a leader's time
MAX_THEMES = 8
MAX_FEATURES = 4000
TOP_TERMS = 6
MIN_WEIGHT = 1e-6  # a text with no weight on any theme (none of its words in the vocabulary) has none

# Function words of the other languages the room's real samples speak (Portuguese reviews,
# Spanish and French comments). scikit-learn ships English only, and a stop-word library
# (nltk) needs its corpora downloaded at run time, which an offline room cannot do.
OTHER_STOP_WORDS = frozenset(
    """que para com não nao uma por mais mas como foi está esta são sem muito já ele ela isso meu
    minha seu sua dos das nos nas pelo pela tem ter ser até quando bem sim aos del los las por con
    una para como más pero sus les des est pas qui pour dans une avec sur sont mais nous vous ont""".split()  # noqa: SIM905 (a list of words reads better as words)
)
# Dates name no theme ("my cover started on 1 June" and "... 1 July" are one complaint).
CALENDAR_WORDS = frozenset(
    """january february march april may june july august september october november december monday
    tuesday wednesday thursday friday saturday sunday today yesterday""".split()  # noqa: SIM905 (as above)
)
STOP_WORDS = sorted(ENGLISH_STOP_WORDS | OTHER_STOP_WORDS | CALENDAR_WORDS)

_MASK_LABEL = re.compile(r"\[[a-z ]{2,20}\]")
_REDACTION = re.compile(r"\b[xX]{2,}\b")
# Words of three letters or more, any script; digits and underscores are not words here.
WORD_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"
_WORDS = re.compile(WORD_PATTERN)


def clean_text(text: str) -> str:
    """The text as words are counted: without masking labels and redactions."""
    return _REDACTION.sub(" ", _MASK_LABEL.sub(" ", text))


def theme_count(texts: int) -> int:
    """How many themes a stage with ``texts`` distinct texts gets: 2 for a few dozen, up to 8."""
    return int(min(MAX_THEMES, max(2, round((texts / 10) ** 0.5))))


@dataclass(frozen=True)
class ThemeModel:
    vocabulary: tuple[str, ...]
    idf: np.ndarray  # one per term
    components: np.ndarray  # themes x terms, non-negative

    @property
    def themes(self) -> int:
        return int(self.components.shape[0])

    def top_terms(self, slot: int, n: int = TOP_TERMS) -> list[str]:
        row = self.components[slot]
        order = np.argsort(-row, kind="stable")[:n]
        return [self.vocabulary[i] for i in order if row[i] > 0]

    def _vectorizer(self) -> TfidfVectorizer:
        vectorizer = TfidfVectorizer(
            vocabulary={t: i for i, t in enumerate(self.vocabulary)},
            preprocessor=_preprocess,
            token_pattern=WORD_PATTERN,
            sublinear_tf=True,
            dtype=np.float32,
        )
        # The fitted idf, set rather than learnt again: a later month is weighed as the model was.
        vectorizer.idf_ = self.idf
        return vectorizer

    def weigh(self, texts: Sequence[str]) -> np.ndarray:
        """Each text's weight on each theme (texts x themes)."""
        if not texts:
            return np.zeros((0, self.themes), dtype=np.float32)
        matrix = self._vectorizer().transform(texts)
        with np.errstate(invalid="ignore"):  # the fit's error, computed and unused here, may be sqrt(-0.0)
            weights, _, _ = non_negative_factorization(
                matrix,
                H=self.components.astype(matrix.dtype),
                n_components=self.themes,
                init="custom",
                update_H=False,
                random_state=SEED,
                max_iter=200,
            )
        return np.asarray(weights)

    def known_share(self, texts: Sequence[str]) -> np.ndarray:
        """Per text, the share of its words (stop words aside) that the model knows: low for a
        text about something the themes were not fitted on."""
        vocabulary = set(self.vocabulary)
        stop = set(STOP_WORDS)
        shares = []
        for text in texts:
            words = [w for w in _WORDS.findall(_preprocess(text)) if w not in stop]
            shares.append(sum(w in vocabulary for w in words) / len(words) if words else 1.0)
        return np.array(shares)

    def assign(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """Each text's theme (its slot, -1 for none) and its weight there."""
        weights = self.weigh(texts)
        if weights.shape[0] == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        best = weights.argmax(axis=1)
        strength = weights[np.arange(len(best)), best]
        return np.where(strength > MIN_WEIGHT, best, -1), strength


def _preprocess(text: str) -> str:
    return clean_text(text).lower()


def fit_themes(texts: Sequence[str], *, themes: int | None = None) -> ThemeModel | None:
    """Themes of ``texts`` (distinct masked texts), or None when there are too few texts or
    too few shared words to tell themes apart. Deterministic: the same texts give the same model."""
    if len(texts) < MIN_TEXTS:
        return None
    vectorizer = TfidfVectorizer(
        preprocessor=_preprocess,
        token_pattern=WORD_PATTERN,
        stop_words=STOP_WORDS,
        min_df=2,
        max_df=0.9,  # words in nearly every text name no theme; a common complaint's words must stay
        max_features=MAX_FEATURES,
        sublinear_tf=True,
        dtype=np.float32,
    )
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no word left after the stop words and document-frequency limits
        return None
    k = themes or theme_count(len(texts))
    if matrix.shape[1] < k * 2 or matrix.nnz == 0:
        return None
    nmf = NMF(n_components=k, init="nndsvda", random_state=SEED, max_iter=400)
    with np.errstate(invalid="ignore"):  # see weigh()
        nmf.fit(matrix)
    vocabulary = tuple(str(t) for t in vectorizer.get_feature_names_out())
    return ThemeModel(vocabulary, np.asarray(vectorizer.idf_, dtype=np.float64), np.asarray(nmf.components_))


def carry_over(old: Sequence[Sequence[str]], new: Sequence[Sequence[str]], *, min_shared: int = 3) -> dict[int, int]:
    """Which old theme each new theme continues (new index -> old index), by shared top terms:
    a full rebuild keeps the names, pins and merges facilitators gave. Each old theme goes to
    at most one new theme, the one sharing most terms with it."""
    pairs = sorted(
        ((len(set(n) & set(o)), ni, oi) for ni, n in enumerate(new) for oi, o in enumerate(old)),
        key=lambda p: (-p[0], p[1], p[2]),
    )
    taken_new: set[int] = set()
    taken_old: set[int] = set()
    result: dict[int, int] = {}
    for shared, ni, oi in pairs:
        if shared < min_shared:
            break
        if ni in taken_new or oi in taken_old:
            continue
        result[ni] = oi
        taken_new.add(ni)
        taken_old.add(oi)
    return result


RISE_FACTOR = 1.5  # this month at least 1.5x the theme's average of the months before
MIN_RISE_TEXTS = 5  # ... and at least this many texts, so 1 -> 2 is no rise
HISTORY_MONTHS = 6


def trend_signal(counts: Sequence[int]) -> str | None:
    """'new', 'rising' or None for a theme's monthly counts (oldest first, ending with the
    month under review). New: texts this month and none in the months before; rising: this
    month well above its own recent average."""
    if not counts or counts[-1] < MIN_RISE_TEXTS:
        return None
    before = list(counts[-1 - HISTORY_MONTHS : -1])
    if before and not any(before):
        return "new"
    if not before:
        return None
    average = sum(before) / len(before)
    return "rising" if counts[-1] >= RISE_FACTOR * average else None

"""Choosing the encoding of the lines of a file that are not UTF-8 (the fallback).

charset-normalizer proposes candidates from the bytes of those lines; each reading is
then checked for plausibility (are its words spelled with one language's letters?).
When plausible candidates read the bytes as different text and the detector cannot tell
them apart, EncodingUncertainError asks the person to name the encoding.
cxroom.importers.encoding reads the file line by line with the encoding chosen here.
"""

from __future__ import annotations

import unicodedata
from itertools import pairwise

import charset_normalizer

from cxroom.importers.encoding import EncodingUncertainError

__all__ = ["choose_fallback"]

# When candidates read the bytes as the same text, report the most common of
# them (cp1252 and Latin-1 agree on "Müller"; cp1252 is what Excel writes).
_PREFERRED = (
    "cp1252", "cp1250", "cp1251", "cp1257", "cp1253", "cp1254", "cp1255", "cp1256", "cp1258",
    "iso8859_15", "latin_1", "iso8859_2", "koi8_r", "koi8_u", "cp866", "cp850", "cp437", "mac_roman",
    "shift_jis", "cp932", "euc_jp", "gb18030", "gbk", "big5", "euc_kr", "cp949",
)  # fmt: skip

# Encodings tried for the lines that are not UTF-8: the code pages spreadsheet
# and CRM exports are written in (Windows, their ISO twins, KOI8, the CJK
# Windows pages). Anything else can still be named explicitly.
_POOL = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874",
    "latin_1", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9", "iso8859_15", "koi8_r", "koi8_u",
    "cp932", "shift_jis", "euc_jp", "gb18030", "gbk", "big5", "cp949", "euc_kr",
]  # fmt: skip

_MULTI_BYTE = ("cp932", "shift_jis", "euc_jp", "gb18030", "gbk", "big5", "cp949", "euc_kr")
_SINGLE_BYTE = [name for name in _POOL if name not in _MULTI_BYTE]

# The letters beyond ASCII of the languages those code pages are used for. A
# reading of the bytes is plausible when its words are spelled with one
# language's letters: the wrong table gives "Zoл", "crčme naďve déjŕ" or
# "ZoŰĺs" (letters no single language has together, or case flipping inside
# a word). charset-normalizer's mess and language measures do not separate
# these on a few short rows; this check is why a single row can still be
# decided, and why an undecidable one is asked about rather than guessed.
_LATIN = "abcdefghijklmnopqrstuvwxyz"
_ALPHABETS = {
    "fr": _LATIN + "àâäçéèêëîïôöùûüÿœæ", "de": _LATIN + "äöüß", "es": _LATIN + "áéíóúñü",
    "pt": _LATIN + "áâãàçéêíóôõú", "it": _LATIN + "àèéìíîòóùú", "nl": _LATIN + "áéëíïóöúü",
    "nordic": _LATIN + "æøåäöéáíóúýþð", "pl": _LATIN + "ąćęłńóśźż", "cs": _LATIN + "áčďéěíňóřšťúůýž",
    "sk": _LATIN + "áäčďéíĺľňóôŕšťúýž", "hu": _LATIN + "áéíóöőúüű", "ro": _LATIN + "ăâîșțşţ",
    "hr": _LATIN + "čćđšž", "tr": _LATIN + "çğıöşüâîû", "lt": _LATIN + "ąčęėįšųūž",
    "lv": _LATIN + "āčēģīķļņšūž", "et": _LATIN + "äöõüšž", "sq": _LATIN + "çë", "vi": "",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "be": "абвгдеёжзійклмнопрстуўфхцчшыьэюя", "bg": "абвгдежзийклмнопрстуфхцчшщъьюя",
    "sr": "абвгдђежзијклљмнњопрстћуфхцчџшѓѕќ", "el": "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώϊϋΐΰς",
}  # fmt: skip
_CASELESS = ("HEBREW", "ARABIC", "THAI", "CJK", "HIRAGANA", "KATAKANA", "HANGUL")


def choose_fallback(sample: bytes, file_name: str, lines: int) -> str:
    """The encoding of the non-UTF-8 lines, or EncodingUncertainError."""
    readings: dict[str, tuple[float, float]] = {}  # text -> (plausibility, best coherence)
    names: dict[str, list[str]] = {}
    proposed = {m.encoding: m.coherence for m in charset_normalizer.from_bytes(sample, cp_isolation=_POOL)}
    # The detector stops once a reading looks fine enough and can drop the right one
    # (Turkish cp1254 behind cp1252's "Þikayetim"): every single-byte page of the pool is
    # read too, with no language evidence of its own.
    for name in [*proposed, *(n for n in _SINGLE_BYTE if n not in proposed)]:
        try:
            text = sample.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
        score = readings.get(text, (_plausibility(text), 0.0))
        readings[text] = (score[0], max(score[1], proposed.get(name, 0.0)))
        names.setdefault(text, []).append(name)
    top = max((r[0] for r in readings.values()), default=0.0)
    contenders = sorted((text for text, r in readings.items() if r[0] >= top - 0.05), key=lambda t: -readings[t][1])
    decided = len(contenders) == 1 or (
        len(contenders) > 1 and readings[contenders[0]][1] - readings[contenders[1]][1] >= 0.04
    )
    if top < 0.6 or not decided:
        first = sample.split(b"\n", 1)[0][:120]
        named = [_preferred(sample, t, names[t]) for t in contenders[:5]]
        raise EncodingUncertainError(file_name, [(n, first.decode(n, errors="replace")) for n in named], lines)
    return _preferred(sample, contenders[0], names[contenders[0]])


def _preferred(sample: bytes, text: str, names: list[str]) -> str:
    """The most common encoding that reads ``sample`` as ``text`` (cp1252 before cp1250 for "Müller")."""
    for name in _PREFERRED:
        if name in names:
            return name
        try:
            if sample.decode(name) == text:
                return name
        except UnicodeDecodeError:
            continue
    return names[0]


def _script(char: str) -> str:
    try:
        return unicodedata.name(char).split(" ")[0]
    except ValueError:
        return "?"


def _plausibility(text: str) -> float:
    """Share of the words beyond ASCII that the best-fitting single language could spell."""
    fits: dict[str, int] = {}
    words = 0
    for word in _words(text):
        if any(unicodedata.category(c) in ("Cc", "Co", "Cn") for c in word):
            words += 1  # a control or unassigned character is never text: this reading is wrong here
            continue
        if word.isascii() or not any(unicodedata.category(c)[0] == "L" for c in word):
            continue  # plain ASCII, or a symbol on its own ("25 €")
        words += 1
        for language in _languages_spelling(word):
            fits[language] = fits.get(language, 0) + 1
    return max(fits.values(), default=0) / words if words else 1.0


def _words(text: str) -> list[str]:
    """Runs of characters between punctuation, spaces, controls and digits.

    Symbols and marks stay inside the run ("otrzyma³em"), so that a reading
    which puts one inside a word is seen.
    """
    words: list[str] = []
    current: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        separator = category[0] in "PZ" or category == "Nd" or char in "\t\r\n"
        if separator or (char.isascii() and not char.isalpha() and category != "Cc"):
            if current:
                words.append("".join(current))
                current = []
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return words


def _languages_spelling(word: str) -> list[str]:
    """The languages (or caseless scripts) whose letters ``word`` is written in."""
    letters = [c for c in word if unicodedata.category(c)[0] == "L"]
    marks = len(word) - len(letters)
    scripts = {_script(c) for c in letters if not c.isascii()}
    if len(scripts) == 1 and next(iter(scripts)) in _CASELESS:
        script = next(iter(scripts))
        ok = not any(c.isascii() for c in letters) and unicodedata.category(word[0])[0] == "L"
        return [script] if ok and marks * 2 <= len(letters) else []
    if marks or any(a.islower() and b.isupper() for a, b in pairwise(word)):
        return []  # a symbol, a control or a case flip inside a word: "otrzyma³em", "ZoŰĺs", "бЯфзуз"
    lower = set(word.lower())
    return [name for name, alphabet in _ALPHABETS.items() if alphabet and lower <= set(alphabet)]

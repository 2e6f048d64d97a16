"""A generated, seeded evaluation corpus for the masker: structured identifiers
of every kind embedded in realistic complaint sentences, and ordinary numbers
(dates, amounts, times, policy and claim references) that must come through
as they were (references: as ``[reference]``).

Identifiers are made valid where a check digit exists (python-stdnum computes
it), in the spellings people type: grouped, compact, lower case, irregular
spacing. ``measure()`` gives recall per kind, the share carrying the right
label, and the false-positive rate per kind of ordinary number.
"""

from __future__ import annotations

import random
import string
from collections.abc import Callable
from dataclasses import dataclass

from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.es import dni, nie
from stdnum.it import codicefiscale

from cxroom.privacy import mask_personal_data

SEED = 20260412
PER_KIND = 400

SENTENCES = [
    "Please call me back on {x} as soon as you can.",
    "My details: {x}. Nobody has answered in two weeks!",
    "{x} is the one you should use, not the old one",
    "I wrote to you from {x} three times (no reply).",
    "I gave your agent {x}; this is the third complaint this month.",
    "“{x}” — that is what your agent told me to quote.",
    "Contact: {x}\nThanks, Sam",
    "see {x}, then see my letter of 3 March",
    "The form asked for {x} again, although I sent it on 12/03/2026.",
    "Mi número es {x}, llámeme por favor.",
    "Ich habe {x} angegeben und warte seit 14 Tagen.",
    "Refund of $84.50 still missing ({x})",
    "I paid £1,250.00 in total and gave {x} twice.",
    "{x}",
    "(ref {x})",
    "Write to me at <{x}> — or not at all.",
    "NUMBER: {x}. THANKS",
    "Customer said:{x};please check",
    "Used {x}/ then nothing happened.",
    "It was {x}.\n\nRegards",
]


def _d(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _letters(rng: random.Random, n: int, alphabet: str = string.ascii_uppercase) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


# -- identifiers -------------------------------------------------------------------------


def email(rng: random.Random) -> str:
    user = rng.choice(["sam", "jo.smith", "alex_k", "kim+claims", "lee.o'neil", "m.garcia99", "a-b.c"])
    domain = rng.choice(["example.com", "mail.co.uk", "larkfield-mutual.com", "gmail.com", "sub.domain.org"])
    return f"{user}{rng.randint(0, 99) if rng.random() < 0.3 else ''}@{domain}"


def email_unicode(rng: random.Random) -> str:
    return rng.choice(
        [
            "jörg.müller@beispiel.de",
            "用户@例子.公司",
            "josé.peña@correo.es",
            "иван.петров@почта.рф",
            "søren@eksempel.dk",
            "françois.dupont@exemple.fr",
            "δοκιμή@παράδειγμα.ελ",
            "zoë@müller-bau.de",
            "ñandú@ejemplo.com.ar",
            "山田太郎@例え.日本",
        ]
    ).replace("@", f"{rng.randint(1, 9) if rng.random() < 0.3 else ''}@")


def phone(rng: random.Random) -> str:
    return rng.choice(
        [
            f"555-{_d(rng, 3)}-{_d(rng, 4)}",
            f"({_d(rng, 3)}) {_d(rng, 3)}-{_d(rng, 4)}",
            f"+44 20 {_d(rng, 4)} {_d(rng, 4)}",
            f"+1 {_d(rng, 3)} {_d(rng, 3)} {_d(rng, 4)}",
            f"07{_d(rng, 3)} {_d(rng, 6)}",
            f"1-800-{_d(rng, 3)}-{_d(rng, 4)}",
            f"+49 30 {_d(rng, 8)}",
            f"{_d(rng, 3)}.{_d(rng, 3)}.{_d(rng, 4)}",
            f"0{_d(rng, 4)} {_d(rng, 6)}",
            f"6{_d(rng, 2)} {_d(rng, 3)} {_d(rng, 3)}",
            f"06 {_d(rng, 2)} {_d(rng, 2)} {_d(rng, 2)} {_d(rng, 2)}",
            f"+49 (0)30 {_d(rng, 8)}",
        ]
    )


def _luhn_number(rng: random.Random, prefix: str, length: int) -> str:
    body = prefix + _d(rng, length - len(prefix) - 1)
    return body + luhn.calc_check_digit(body)


def card(rng: random.Random) -> str:
    prefix, length = rng.choice([("4", 16), ("51", 16), ("37", 15), ("6011", 16), ("4", 13), ("62", 19)])
    digits = _luhn_number(rng, prefix, length)
    amex = length == 15
    groups = [digits[:4], digits[4:10], digits[10:]] if amex else [digits[i : i + 4] for i in range(0, length, 4)]
    style = rng.choice(["space", "dash", "compact", "mixed", "pairs", "double"])
    if style == "compact":
        return digits
    if style == "pairs" and length == 16:
        return f"{digits[:4]} {digits[4:6]} {digits[6:8]} {digits[8:12]} {digits[12:]}"
    if style == "mixed":
        return "".join(g + (rng.choice([" ", "-"]) if i < len(groups) - 1 else "") for i, g in enumerate(groups))
    sep = {"space": " ", "dash": "-", "double": "  ", "pairs": " "}[style]
    return sep.join(groups)


_IBAN_BBAN: dict[str, Callable[[random.Random], str]] = {
    "GB": lambda r: _letters(r, 4) + _d(r, 14),
    "DE": lambda r: _d(r, 18),
    "ES": lambda r: _d(r, 20),
    "NL": lambda r: _letters(r, 4) + _d(r, 10),
    "IT": lambda r: _letters(r, 1) + _d(r, 10) + _d(r, 12),
    "FR": lambda r: _d(r, 10) + _d(r, 11) + _d(r, 2),
    "BE": lambda r: _d(r, 12),
}


def iban(rng: random.Random) -> str:
    for _ in range(200):
        country = rng.choice(list(_IBAN_BBAN))
        bban = _IBAN_BBAN[country](rng)
        number = country + std_iban.calc_check_digits(country + "00" + bban) + bban
        if std_iban.is_valid(number):  # national check digits (ES, IT, FR, BE) may fail: draw again
            break
    style = rng.random()
    if style < 0.5:
        return " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    if style < 0.9:
        return number
    return number.lower()


_NINO_FIRST, _NINO_SECOND = "ABCEGHJKLMNOPRSTWXYZ", "ABCEGHJKLMNPRSTWXYZ"


def uk_nino(rng: random.Random) -> str:
    letters = rng.choice(_NINO_FIRST) + rng.choice(_NINO_SECOND)
    digits, suffix = _d(rng, 6), rng.choice("ABCD")
    style = rng.random()
    if style < 0.5:
        return f"{letters} {digits[:2]} {digits[2:4]} {digits[4:]} {suffix}"
    if style < 0.85:
        return f"{letters}{digits}{suffix}"
    return f"{letters}{digits}{suffix}".lower()


def es_dni(rng: random.Random) -> str:
    digits = _d(rng, 8)
    letter = dni.calc_check_digit(digits)
    return rng.choice([f"{digits}{letter}", f"{digits}-{letter}", f"{digits} {letter}"])


def es_nie(rng: random.Random) -> str:
    first, digits = rng.choice("XYZ"), _d(rng, 7)
    letter = nie.calc_check_digit(first + digits)
    return rng.choice([f"{first}{digits}{letter}", f"{first}-{digits}-{letter}"])


_CF_MONTHS = "ABCDEHLMPRST"


def it_cf(rng: random.Random) -> str:
    day = rng.randint(1, 28) + rng.choice([0, 40])
    body = _letters(rng, 6) + _d(rng, 2) + rng.choice(_CF_MONTHS) + f"{day:02d}" + _letters(rng, 1) + _d(rng, 3)
    code = body + codicefiscale.calc_check_digit(body)
    return code if rng.random() < 0.85 else code.lower()


def us_ssn(rng: random.Random) -> str:
    area = rng.choice([n for n in range(1, 900) if n != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


def reference(rng: random.Random) -> str:
    return rng.choice(
        [
            f"LM-{_d(rng, 5)}",
            f"CLM-2024-{_d(rng, 5)}",
            f"ACC{_d(rng, 6)}",
            f"POL#{_d(rng, 5)}",
            f"policy no. {_d(rng, 6)}",
            f"account number {_d(rng, 8)}",
            f"claim {_d(rng, 7)}",
            f"order #{_d(rng, 6)}",
            f"member id: {_d(rng, 9)}",
        ]
    )


@dataclass(frozen=True)
class Kind:
    make: Callable[[random.Random], str]
    label: str


KINDS: dict[str, Kind] = {
    "email": Kind(email, "[email]"),
    "email, non-ASCII": Kind(email_unicode, "[email]"),
    "phone": Kind(phone, "[phone]"),
    "card": Kind(card, "[card]"),
    "IBAN": Kind(iban, "[iban]"),
    "UK NI number": Kind(uk_nino, "[national id]"),
    "Spanish DNI": Kind(es_dni, "[national id]"),
    "Spanish NIE": Kind(es_nie, "[national id]"),
    "Italian codice fiscale": Kind(it_cf, "[national id]"),
    "US SSN": Kind(us_ssn, "[national id]"),
    "account/policy reference": Kind(reference, "[reference]"),
}


def leaks(identifier: str, masked: str, sentence: str = "") -> bool:
    """Some of the identifier is still readable: all of it, the part before an ``@``,
    a run of 4+ of its digits (not one the sentence around it has anyway, such as
    a year), or 6+ of its letters and digits in a row."""
    for run in "".join(ch if ch.isdigit() else " " for ch in sentence).split():
        if len(run) >= 4:
            masked = masked.replace(run, " ")
    if identifier.lower() in masked.lower():
        return True
    if "@" in identifier and identifier.split("@")[0] in masked:
        return True
    digits = "".join(ch for ch in identifier if ch.isdigit())
    masked_runs = "".join(ch if ch.isdigit() else " " for ch in masked).split()
    if any(len(run) >= 4 and run in digits for run in masked_runs):
        return True
    compact = "".join(ch for ch in identifier if ch.isalnum()).upper()
    masked_compact = "".join(ch for ch in masked if ch.isalnum()).upper()
    return any(
        compact[i : i + 6] in masked_compact
        for i in range(0, max(0, len(compact) - 5))
        if any(ch.isdigit() for ch in compact[i : i + 6])
    )


def identifier_corpus(per_kind: int = PER_KIND, seed: int = SEED) -> list[tuple[str, str, str, str]]:
    """(kind, identifier, sentence with it, the sentence's template)."""
    rng = random.Random(seed)
    return [
        (kind, ident, sentence.format(x=ident), sentence)
        for kind, spec in KINDS.items()
        for ident, sentence in ((spec.make(rng), rng.choice(SENTENCES)) for _ in range(per_kind))
    ]


# -- ordinary numbers ----------------------------------------------------------------------

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def a_date(rng: random.Random) -> str:
    y, m, d = rng.randint(1998, 2027), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice(
        [
            f"{y}-{m:02d}-{d:02d}",
            f"{d:02d}/{m:02d}/{y}",
            f"{m}/{d}/{y}",
            f"{d:02d}.{m:02d}.{y}",
            f"{d} {_MONTHS[m - 1]} {y}",
            f"{_MONTHS[m - 1]} {d}, {y}",
            f"{d:02d}/{m:02d}/{y % 100:02d}",
            f"{y}/{m:02d}/{d:02d}",
            f"{y}{m:02d}{d:02d}",
            f"{y}-{m:02d}-{d:02d} {rng.randint(0, 23):02d}:{d:02d}",
            f"{d}-{m}-{y}",
            f"XX/XX/{y}",
            f"{_MONTHS[m - 1][:3]} {y}",
            f"{y}-{y + 1}",
        ]
    )


def an_amount(rng: random.Random) -> str:
    whole, cents = rng.randint(1, 9_999_999), rng.randint(0, 99)
    us = f"{whole:,}"
    eu_dot = us.replace(",", ".")
    eu_space = us.replace(",", " ")
    return rng.choice(
        [
            f"${us}.{cents:02d}",
            f"£{us}",
            f"€{eu_dot},{cents:02d}",
            f"{eu_dot},{cents:02d} €",
            f"{eu_space} €",
            f"EUR {eu_dot},{cents:02d}",
            f"USD {us}",
            f"{us} dollars",
            f"{whole} euros",
            f"${whole / 1000:.1f}k",
            f"{{${us}.{cents:02d}}}",
            f"¥{whole}",
            f"CHF {us}.{cents:02d}",
            f"{eu_space},{cents:02d} EUR",
            f"{rng.randint(1, 99)}.{cents:02d} GBP",
            f"{whole:,}.{cents:02d} USD",
            f"Rs. {whole:,}",
            f"£{whole}",
            f"{us}.{cents:02d}",
            f"{eu_dot}",
            f"{us} in fees",
        ]
    )


def a_time_or_count(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
            f"{rng.randint(1, 12)}.{rng.randint(10, 59)}pm",
            f"{rng.randint(1, 99)}%",
            f"{rng.randint(1, 99)}.{rng.randint(0, 9)} %",
            f"{rng.randint(2, 300)} minutes",
            f"{rng.randint(2, 40)} days",
            f"{rng.randint(1, 9)} out of {rng.randint(10, 12)}",
            f"page {rng.randint(1, 40)} of {rng.randint(40, 90)}",
            "COVID-19",
            f"Q{rng.randint(1, 4)} {rng.randint(2019, 2027)}",
            f"v{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
            f"{rng.randint(1, 9)} cars",
            f"{rng.randint(10, 250)} km",
            f"{rng.randint(1000, 99999):,} miles",
            f"{rng.randint(8, 11)}:{rng.randint(10, 59)}-{rng.randint(12, 17)}:{rng.randint(10, 59)}",
            f"{rng.randint(2, 9)} x {rng.randint(100, 999)}",
            f"{rng.randint(1, 5)}/{rng.randint(5, 10)} stars",
            f"{rng.randint(1, 99)} {rng.randint(100, 999)} {rng.randint(100, 999)} views",
            f"{rng.randint(10_000, 99_999)} points",
        ]
    )


# A reference is personal data (it finds the customer's record): it must read exactly "[reference]".
def a_policy_or_claim(rng: random.Random) -> tuple[str, str]:
    return rng.choice(
        [
            (f"POL-{rng.randint(2019, 2026)}-{_d(rng, 6)}", "[reference]"),
            (f"Claim {_d(rng, 2)}-{_d(rng, 7)}", "Claim [reference]"),
            (f"claim no. {rng.randint(2019, 2026)}/{_d(rng, 4)}", "claim no. [reference]"),
            (f"LM-{_d(rng, 5)}", "[reference]"),
            (f"CLM-{rng.randint(2019, 2026)}-{_d(rng, 5)}", "[reference]"),
            (f"Policy {_d(rng, 8)}", "Policy [reference]"),
            (f"policy number: {_d(rng, 2)}-{_d(rng, 6)}", "policy number: [reference]"),
        ]
    )


ORDINARY_SENTENCES = [
    "It happened on {x} and nobody has called.",
    "Your letter ({x}) says something else.",
    "I was told {x}, then {x2}.",
    "{x}: still waiting.",
    "They charged me {x} instead of {x2}!",
    "Between {x} and {x2} I called 6 times.",
    "See the statement of {x}; total {x2}.",
]


def ordinary_corpus(per_kind: int = PER_KIND, seed: int = SEED) -> list[tuple[str, str, str]]:
    """(kind, text, expected masked text)."""
    rng = random.Random(seed + 1)
    items = []
    for kind, make in (("date", a_date), ("amount", an_amount), ("time, count, percentage", a_time_or_count)):
        for _ in range(per_kind):
            text = rng.choice(ORDINARY_SENTENCES).format(x=make(rng), x2=make(rng))
            items.append((kind, text, text))
    for _ in range(per_kind):
        (ref, expected), (ref2, expected2) = a_policy_or_claim(rng), a_policy_or_claim(rng)
        template = rng.choice(ORDINARY_SENTENCES)
        items.append(
            ("policy/claim reference", template.format(x=ref, x2=ref2), template.format(x=expected, x2=expected2))
        )
    return items


@dataclass(frozen=True)
class Figures:
    recall: dict[str, float]  # kind -> share masked (nothing readable)
    labelled: dict[str, float]  # kind -> share masked with the kind's own label
    false_positives: dict[str, float]  # kind of ordinary number -> share changed
    examples: dict[str, list[str]]


def measure(per_kind: int = PER_KIND, seed: int = SEED) -> Figures:
    recall: dict[str, list[bool]] = {}
    labelled: dict[str, list[bool]] = {}
    examples: dict[str, list[str]] = {}
    for kind, ident, text, template in identifier_corpus(per_kind, seed):
        masked = mask_personal_data(text)
        ok = not leaks(ident, masked, template)
        recall.setdefault(kind, []).append(ok)
        labelled.setdefault(kind, []).append(ok and KINDS[kind].label in masked)
        if not ok:
            examples.setdefault(kind, []).append(f"{text!r} -> {masked!r}")
    fps: dict[str, list[bool]] = {}
    for kind, text, expected in ordinary_corpus(per_kind, seed):
        masked = mask_personal_data(text)
        fps.setdefault(kind, []).append(masked != expected)
        if masked != expected:
            examples.setdefault(kind, []).append(f"{text!r} -> {masked!r}")
    share = lambda flags: sum(flags) / len(flags)  # noqa: E731
    return Figures(
        {k: share(v) for k, v in recall.items()},
        {k: share(v) for k, v in labelled.items()},
        {k: share(v) for k, v in fps.items()},
        examples,
    )


if __name__ == "__main__":
    figures = measure()
    for kind in KINDS:
        print(f"{kind:26} recall {figures.recall[kind]:7.2%}   own label {figures.labelled[kind]:7.2%}")
    for kind, rate in figures.false_positives.items():
        print(f"{kind:26} false positives {rate:7.2%}")
    for kind, lines in figures.examples.items():
        print(kind, len(lines), *lines[:6], sep="\n  ")

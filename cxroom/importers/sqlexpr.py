"""SQL expressions that turn staged text into typed values, set-wise.

Every function returns a SQL fragment over a staging column name (c0, c1, ...
which the importer generated, never user text). User-supplied values (formats,
not-applicable markers) are only ever embedded through ``lit()``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cxroom.importers.mapping import DATE_FORMATS, TWO_DIGIT_YEAR_RULE
from cxroom.store import Tx

MISSING_MARKERS = ("", "NONE", "N/A", "NA", "NULL", "NAN", "-")


def lit(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def is_missing(col: str, extra: list[str] | tuple[str, ...] = ()) -> str:
    """True when a cell is empty or a not-applicable marker (None, N/A, NA, NULL, NaN, -).

    One case-insensitive regular expression, guarded by the length, is several
    times faster than upper(trim(x)) IN (...) over a million rows.
    """
    words = "|".join(re.escape(m) for m in (*MISSING_MARKERS, *extra) if m)
    longest = max(len(m) for m in (*MISSING_MARKERS, *extra)) + 40
    pattern = lit(r"(?i)\s*(" + words + r")?\s*")
    return (
        f"(CASE WHEN {col} IS NULL THEN true WHEN strlen({col}) > {longest} THEN false "
        f"ELSE regexp_full_match({col}, {pattern}) END)"
    )


def trimmed(col: str) -> str:
    """trim(col), skipped when there is nothing to trim (ASCII without a space at either end):
    trim() copies every string, the test does not (a third of the cost over a million rows)."""
    return (
        f"(CASE WHEN prefix({col}, ' ') OR suffix({col}, ' ') OR strlen({col}) <> length({col}) "
        f"THEN trim({col}) ELSE {col} END)"
    )


def text(col: str | None) -> str:
    """Trimmed text, NULL when missing (empty, None, N/A, NA, NULL)."""
    if col is None:
        return "CAST(NULL AS VARCHAR)"
    return f"(CASE WHEN {is_missing(col)} THEN NULL ELSE {trimmed(col)} END)"


def raw_text(col: str | None) -> str:
    """Text kept as written (narratives), NULL when missing."""
    if col is None:
        return "CAST(NULL AS VARCHAR)"
    return f"(CASE WHEN {is_missing(col)} THEN NULL ELSE {col} END)"


def number(col: str) -> str:
    """A DOUBLE from '94.01%', '1,234.5', '0:02:14' (seconds), '44.0', '-3'; NULL if not a number.

    Percent strings keep their percent value (94.01); durations become seconds.
    """
    v = f"trim({col})"
    return (
        f"(CASE WHEN regexp_full_match({v}, '[-+]?[0-9]+(\\.[0-9]+)?\\s*%') "
        f"THEN try_cast(trim(replace({v}, '%', '')) AS DOUBLE) "
        f"WHEN regexp_full_match({v}, '[0-9]+:[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?') "
        f"THEN try_cast(split_part({v}, ':', 1) AS DOUBLE) * 3600 + try_cast(split_part({v}, ':', 2) AS DOUBLE) * 60 "
        f"+ try_cast(split_part({v}, ':', 3) AS DOUBLE) "
        f"WHEN regexp_full_match({v}, '[-+]?[0-9]{{1,3}}(,[0-9]{{3}})+(\\.[0-9]+)?') "
        f"THEN try_cast(replace({v}, ',', '') AS DOUBLE) "
        f"WHEN regexp_full_match({v}, '[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?') "
        f"THEN try_cast({v} AS DOUBLE) "
        f"ELSE NULL END)"
    )


def date(col: str, fmt: str) -> str:
    """A TIMESTAMP from text in format ``fmt`` (a key of DATE_FORMATS or a strptime format)."""
    v = trimmed(col)
    if fmt == "iso":
        # The cast alone reads '01/03/25' as 0001-03-25: an ISO date starts with a four-character
        # year and a dash (a character test, a third the cost of a regular expression). What else
        # the cast reads (year 0 as 1 BC, '0024-1-5') the date window quarantines.
        return f"(CASE WHEN substr({v}, 5, 1) = '-' THEN try_cast({v} AS TIMESTAMP) END)"
    if fmt == "excel":
        return (
            f"(CASE WHEN regexp_full_match({v}, '[0-9]{{1,6}}(\\.[0-9]+)?') "
            f"AND try_cast({v} AS DOUBLE) BETWEEN 1 AND 2958465 "
            f"THEN TIMESTAMP '1899-12-30' "
            f"+ to_microseconds(CAST(round(try_cast({v} AS DOUBLE) * 86400000000) AS BIGINT)) "
            f"ELSE NULL END)"
        )
    if fmt == "month":
        return (
            f"(CASE WHEN regexp_full_match({v}, '[0-9]{{4}}-[0-9]{{1,2}}') "
            f"THEN try_strptime({v} || '-01', '%Y-%m-%d') ELSE NULL END)"
        )
    # strptime alone is lenient about digit counts (%Y takes '01' as year 1, so '01/03/25'
    # fits YYYY/MM/DD): every field must have exactly the digits its directive promises.
    guard = _digits_pattern(fmt)
    if guard is None:
        return f"try_strptime({v}, {lit(fmt)})"
    return f"(CASE WHEN regexp_full_match({v}, {lit(guard)}) THEN try_strptime({v}, {lit(fmt)}) END)"


_DIRECTIVE_DIGITS = {
    "Y": "[0-9]{4}",
    "y": "[0-9]{2}",
    "m": "[0-9]{1,2}",
    "d": "[0-9]{1,2}",
    "H": "[0-9]{1,2}",
    "M": "[0-9]{2}",
    "S": "[0-9]{2}",
}


def _digits_pattern(fmt: str) -> str | None:
    """A regular expression for the exact digit counts of a strptime format (None: a directive not covered)."""
    out, i = [], 0
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt):
            digits = _DIRECTIVE_DIGITS.get(fmt[i + 1])
            if digits is None:
                return None
            out.append(digits)
            i += 2
        else:
            out.append(re.escape(fmt[i]))
            i += 1
    return "".join(out)


# Formats a column is tested against; day-first/month-first pairs make a column ambiguous.
_CANDIDATES = [f for f in DATE_FORMATS]
_PAIRS = {
    "%d-%m-%Y": "%m-%d-%Y",
    "%d/%m/%Y": "%m/%d/%Y",
    "%d-%m-%Y %H:%M:%S": "%m-%d-%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S": "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M": "%m/%d/%Y %H:%M",
    "%d/%m/%y": "%m/%d/%y",
    "%d-%m-%y": "%m-%d-%y",
}


@dataclass
class DateDetection:
    """What the values of a date column fit."""

    column: str
    values: int  # non-missing values
    fits: dict[str, int]  # format -> values that parse with it
    chosen: str | None
    ambiguous: list[str]  # formats that fit equally well and disagree (DD-MM vs MM-DD)

    @property
    def label(self) -> str:
        return DATE_FORMATS.get(self.chosen or "", self.chosen or "unknown")

    def message(self, header: str) -> str:
        if self.ambiguous:
            labels = " or ".join(DATE_FORMATS.get(f, f) for f in self.ambiguous)
            return (
                f"The dates in column '{header}' fit both {labels}; the room will not guess. "
                "Choose the date format (CLI: --date-format DD-MM-YYYY)."
            )
        if self.chosen is None:
            return f"Column '{header}' holds no dates the room recognises; choose its date format."
        if "%y" in self.chosen:
            # The one rule for two-digit years, stated where the format is proposed (see importers.dates).
            return (
                f"Dates in column '{header}' read as {self.label}; two-digit years: {TWO_DIGIT_YEAR_RULE} "
                "(dates outside the room's window are quarantined)."
            )
        return f"Dates in column '{header}' read as {self.label}."


def detect_date_format(tx: Tx, table: str, col: str, *, include_month: bool = False) -> DateDetection:
    """Test every value of ``col`` against every candidate format, set-wise, in one scan.

    ISO is tried first on its own: when every value is ISO (the common case) the
    other formats are not evaluated at all.
    """
    missing = is_missing(col)
    total, iso = tx.fetch_one(
        f"SELECT count(*) FILTER (WHERE NOT {missing}), "
        f"count(*) FILTER (WHERE NOT {missing} AND {date(col, 'iso')} IS NOT NULL) FROM {table}"
    ) or (0, 0)
    total, iso = int(total), int(iso)
    if total and iso == total:
        return DateDetection(col, total, {"iso": iso}, "iso", [])
    candidates = [f for f in _CANDIDATES if f != "iso" and (include_month or f != "month")]
    aggregates = ", ".join(f"count(*) FILTER (WHERE NOT {missing} AND {date(col, f)} IS NOT NULL)" for f in candidates)
    row = tx.fetch_one(f"SELECT {aggregates} FROM {table}") or ()
    fits = {"iso": iso, **{f: int(n) for f, n in zip(candidates, row, strict=True)}}
    best = max(fits.values()) if fits else 0
    if best == 0:
        return DateDetection(col, total, fits, None, [])
    top = [f for f, n in fits.items() if n == best]
    # DD-MM and MM-DD fitting exactly the same values: ambiguous (unless every value has day == month)
    for day_first, month_first in _PAIRS.items():
        if day_first in top and month_first in top:
            differ = int(
                tx.fetch_value(
                    f"SELECT count(*) FROM {table} "
                    f"WHERE {date(col, day_first)} IS DISTINCT FROM {date(col, month_first)}"
                )
            )
            if differ:
                return DateDetection(col, total, fits, None, [day_first, month_first])
            top.remove(month_first)
    preference = ["iso", *candidates]
    chosen = min(top, key=preference.index)
    return DateDetection(col, total, fits, chosen, [])

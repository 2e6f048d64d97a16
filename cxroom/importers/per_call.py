"""Per-call exports (one row per call, ticket or contact) read as KPI readings,
aggregated per day or per month in DuckDB.

A call log such as the call-centre sample has a date, yes/no flags (answered,
resolved) and numbers (speed of answer in seconds, talk time, a 1-5 rating).
Each KPI is one measure of one column over the calls of a period:

- ``rate``: the percentage of the period's calls whose flag is yes (answer rate);
- ``mean``: the mean of the column's numbers (empty cells, such as the speed of an
  unanswered call, are left out of the mean, never read as 0);
- ``count``: how many calls the period has (any column; its cells are not read).

This module only builds SQL and proposes measures; the import pass in
cxroom.services.imports types, quarantines, aggregates and stores with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

from cxroom.importers import sqlexpr as sx
from cxroom.importers.mapping import norm_header

Aggregate = Literal["day", "month"]
Measure = Literal["rate", "mean", "count"]

__all__ = ["Aggregate", "Measure", "describe", "flag", "measure_sql", "suggest_measures"]

YES = ("y", "yes", "true", "1", "t", "answered", "resolved")
NO = ("n", "no", "false", "0", "f", "unanswered", "unresolved", "abandoned")

# Columns that hold neither a flag nor a measure worth averaging: identifiers and times of day
# (a time of day reads as a duration in seconds, and its mean means nothing).
_NOT_A_MEASURE = re.compile(r"\b(id|index|time|hour|phone|number|agent|code|zip)\b|^(no|#)$")

# Names proposed for the rate of a known flag; other flags get "<header> rate".
_RATE_NAMES = {"answered": "Answer rate", "resolved": "Resolution rate", "abandoned": "Abandon rate"}


def flag(col: str) -> str:
    """1.0 for a yes, 0.0 for a no, NULL otherwise (empty or unreadable)."""
    v = f"lower(trim({col}))"
    yes = ", ".join(sx.lit(x) for x in YES)
    no = ", ".join(sx.lit(x) for x in NO)
    return f"(CASE WHEN {v} IN ({yes}) THEN 1.0 WHEN {v} IN ({no}) THEN 0.0 END)"


def value_sql(col: str, measure: Measure) -> str:
    """The typed cell a measure aggregates: a flag, a number, or 1 for every call (count)."""
    if measure == "rate":
        return flag(col)
    if measure == "mean":
        return sx.number(col)
    return "1.0"


def measure_sql(value: str, measure: Measure) -> str:
    """The aggregate over a period's typed values (NULLs, i.e. empty cells, left out)."""
    if measure == "rate":
        return f"100.0 * avg({value})"
    if measure == "mean":
        return f"avg({value})"
    return f"CAST(count({value}) AS DOUBLE)"


def period_sql(timestamp_sql: str, aggregate: Aggregate) -> str:
    """The period a call belongs to: its day, or the first day of its month."""
    return f"CAST(date_trunc('{aggregate}', {timestamp_sql}) AS DATE)"


def _base(header: str) -> str:
    """'Answered (Y/N)' -> 'Answered'; 'AvgTalkDuration' -> 'Avg Talk Duration'."""
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", header)
    return re.sub(r"\s*\([^)]*\)\s*", " ", spaced).strip() or header


def suggest_measures(
    headers: list[str], flags: set[str], numbers: set[str], skip: set[str]
) -> dict[str, tuple[str, Measure]]:
    """{KPI name: (header, measure)} proposed for a per-call file: a rate for every yes/no
    column, a mean for every numeric column that is not an id or a time of day, and the
    number of calls (from the first column)."""
    out: dict[str, tuple[str, Measure]] = {}
    for header in headers:
        if header in skip or not header:
            continue
        base = _base(header)
        if header in flags:
            out[_RATE_NAMES.get(norm_header(base), f"{base} rate")] = (header, "rate")
        elif header in numbers and not _NOT_A_MEASURE.search(norm_header(header)):
            out[f"Mean {base.lower()}"] = (header, "mean")
    if headers:
        out["Calls"] = (headers[0], "count")
    return out


def describe(measures: Mapping[str, tuple[str, Measure]], aggregate: Aggregate) -> str:
    """The aggregation in words, for the import report."""
    per = {"day": "per day", "month": "per calendar month"}[aggregate]
    parts = []
    for name, (header, measure) in measures.items():
        if measure == "rate":
            parts.append(f"'{name}' = % of calls with a yes in '{header}'")
        elif measure == "mean":
            parts.append(f"'{name}' = mean of '{header}' (empty cells left out)")
        else:
            parts.append(f"'{name}' = number of calls")
    return f"One row per call, aggregated {per}: " + "; ".join(parts) + "."

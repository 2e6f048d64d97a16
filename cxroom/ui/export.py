"""Exports that open safely in a spreadsheet."""

from __future__ import annotations

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(value: object) -> object:
    """Prefix text a spreadsheet would run as a formula (=HYPERLINK(...), +cmd, @SUM) with a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame) -> bytes:
    cleaned = frame.copy()
    for column in cleaned.columns:
        if cleaned[column].dtype == object or pd.api.types.is_string_dtype(cleaned[column]):
            cleaned[column] = cleaned[column].map(neutralise_formulas)
    return cleaned.to_csv(index=False).encode("utf-8")

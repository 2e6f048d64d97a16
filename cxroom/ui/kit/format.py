"""Number, date and unit formatting for every page: ``cxroom.formatting``'s
functions (the minutes and insights use them too: one implementation), plus how
a change is drawn in ``st.metric``."""

from __future__ import annotations

from typing import Any

from cxroom.formatting import (
    clip_time,
    date_text,
    datetime_text,
    day_text,
    fmt_change,
    fmt_count,
    fmt_kpi,
    fmt_kpi_change,
    fmt_money,
    fmt_number,
    fmt_pct,
    fmt_survey,
    month_label,
    times_usual,
)

__all__ = [
    "clip_time",
    "date_text",
    "datetime_text",
    "day_text",
    "delta_style",
    "fmt_change",
    "fmt_count",
    "fmt_kpi",
    "fmt_kpi_change",
    "fmt_money",
    "fmt_number",
    "fmt_pct",
    "fmt_survey",
    "month_label",
    "times_usual",
]


def delta_style(change: float | None, digits: int = 1, colour: str = "normal") -> dict[str, Any]:
    """No arrow and no colour for a change that rounds to zero (st.metric reads "+0.0" as a rise)."""
    if change is not None and round(change, digits) == 0:
        return {"delta_color": "off", "delta_arrow": "off"}
    return {"delta_color": colour}

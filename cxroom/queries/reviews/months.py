"""Month arithmetic and the named-parameter filter the review reads share."""

from __future__ import annotations

from datetime import date
from typing import Any

from cxroom.insights.agenda import next_month

HISTORY_MONTHS = 24  # complaint history fed to the unusual-rise rule (plus the month itself)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def params_for(sql: str, values: dict[str, Any]) -> dict[str, Any]:
    """Only the named parameters a statement uses (DuckDB refuses unused ones)."""
    return {name: value for name, value in values.items() if f"${name}" in sql}


def month_params(month: date, **extra: Any) -> dict[str, Any]:
    """The month parameters of the review reads: $month (first day of the review month),
    $prev (the month before), $next (the month after), $from (first month of the complaint history)."""
    return {
        "month": month,
        "prev": add_months(month, -1),
        "next": next_month(month),
        "from": add_months(month, -HISTORY_MONTHS),
        **extra,
    }


def monthly_kpi_values(first: str) -> str:
    """SQL: each KPI's value per month from the month starting at parameter ``first`` up to $next:
    the latest reading of the month (the wall's rule), as rows (kpi_id, month, value). ``first`` names
    a parameter of the calling statement ('$prev', '$from'), never input."""
    return f"""
    SELECT kpi_id, date_trunc('month', period)::DATE AS month, arg_max(value, period) AS value
    FROM kpi_readings
    WHERE period >= {first} AND period < $next
    GROUP BY kpi_id, month"""

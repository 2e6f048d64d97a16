"""The layout every chart of the stage page shares (complaint, KPI and survey trends)."""

from __future__ import annotations

from typing import Any

PLOT_LAYOUT: dict[str, Any] = {
    "height": 260,
    "margin": {"l": 10, "r": 10, "t": 40, "b": 10},
    "showlegend": False,
    "hovermode": "x unified",
}

"""A KPI's numbers read the same on the wall (a line: value beside target) and on the
stage page (a tile with target and warning, a chart): both format them through the kit
(cxroom.ui.kit.format), one rule for every page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from queries.wall_rooms import ACTOR, small_room
from streamlit.testing.v1 import AppTest

from cxroom.models import Direction, KpiCreate
from cxroom.services import evidence
from cxroom.settings import Settings
from cxroom.store import Store
from cxroom.ui.kit.format import fmt_number

# (name, unit, direction, target, warning, how the target reads): units with and without
# a space, a value with one decimal, one rounded to a whole number with a thousands comma.
KPIS = [
    ("Answered in time", "%", "≥", 90.0, 80.0, "90.0%"),  # small_room's own KPI
    ("Time to refund", "s", "≤", 1234.6, 1500.0, "1,235 s"),
    ("Days to first bill", "days", "≤", 4.5, 6.25, "4.5 days"),
]


@pytest.fixture
def kpi_room(tmp_path: Path) -> Iterator[Settings]:
    settings = Settings(db_path=tmp_path / "kpis.duckdb", media_dir=tmp_path / "media")
    store = Store(settings.db_path)
    small_room(store)
    for name, unit, _sign, target, warning, _text in KPIS[1:]:
        kpi = evidence.create_kpi(
            store,
            KpiCreate(
                stage_slug="alpha",
                name=name,
                unit=unit,
                direction=Direction.LOWER_BETTER,
                target=target,
                warning=warning,
            ),
            actor=ACTOR,
        )
        readings = pd.DataFrame(
            {"kpi_id": kpi, "period": [date(2026, 9, 1), date(2026, 10, 1)], "value": [target * 1.1, target * 0.9]}
        )
        with store.transaction(ACTOR) as tx:
            evidence.upsert_kpi_readings(tx, readings, None)
    store.close()
    yield settings


def _plain(text: str) -> str:
    """Markdown escapes taken off, as the reader sees the text."""
    return text.replace("\\", "").replace("\u2060", "")


def test_the_kit_formats_kpi_numbers_as_specified() -> None:
    for _name, unit, _sign, target, _warning, text in KPIS:
        assert fmt_number(target, unit) == text
    assert fmt_number(None, "%") == "–"


def test_a_kpi_target_and_warning_read_the_same_on_the_wall_and_the_stage_page(
    app_for: Callable[..., AppTest], kpi_room: Settings
) -> None:
    wall = app_for(kpi_room)
    wall.query_params["month"] = "2026-10"
    wall.run()
    assert not wall.exception
    stage = app_for(kpi_room)
    stage.switch_page("views/stage.py")
    stage.query_params.update({"stage": "alpha", "month": "2026-10"})
    stage.run()
    assert not stage.exception

    wall_text = _plain("\n".join(m.value for m in wall.markdown))
    tiles = {_plain(m.label).split(" · ")[0]: m for m in stage.metric}
    annotations: list[str] = []
    for chart in stage.get("plotly_chart"):
        layout = json.loads(chart.proto.spec)["layout"]
        annotations += [a["text"] for a in layout.get("annotations", [])]
    assert len(annotations) >= 2 * len(KPIS)

    for name, unit, sign, target, warning, text in KPIS:
        target_text, warning_text = fmt_number(target, unit), fmt_number(warning, unit)
        assert target_text == text
        # The wall: the KPI's line, its value beside its target.
        assert re.search(re.escape(f"{name}  \n") + r".*" + re.escape(f" · target {sign} {target_text}"), wall_text)
        # The stage page: the KPI's tile (label and help) and its chart's target and warning lines.
        tile = tiles[name]
        assert f"target {sign} {target_text}" in _plain(tile.label), tile.label
        assert f"Warning at {warning_text}." in _plain(tile.help), tile.help
        assert f"target {target_text}" in annotations, (name, annotations)
        assert f"warning {warning_text}" in annotations, (name, annotations)

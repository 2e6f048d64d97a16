"""One KPI reads the same, value and unit, on the wall's stage page, the presenter, the minutes and
the celebration: every page prints it through cxroom.formatting (a celebration card used to show
'89%' where the wall said '89.0%', the presenter '-0.3 %' where the wall said '-0.3 pts')."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.formatting import fmt_change, fmt_kpi
from cxroom.models import FindingCreate, ReviewCreate
from cxroom.queries.reviews import minutes_doc, presenting
from cxroom.services import fix_evidence, review_capture
from cxroom.services import reviews as rs
from cxroom.settings import Settings
from cxroom.store import Store, open_store
from cxroom.textsafe import escape_markdown
from tests.conftest import copy_demo_room

ACTOR = "system"
OCTOBER, SEPTEMBER = date(2026, 10, 1), date(2026, 9, 1)

# A KPI with a fix on it, readings in the review month and the month before.
KPI_WITH_A_FIX = """
SELECT k.id, k.name, k.unit, s.slug, fk.fix_id,
       max(r.value) FILTER (WHERE date_trunc('month', r.period) = $oct) AS value,
       max(r.value) FILTER (WHERE date_trunc('month', r.period) = $sep) AS previous
FROM kpis k JOIN stages s ON s.id = k.stage_id JOIN fix_kpis fk ON fk.kpi_id = k.id
JOIN kpi_readings r ON r.kpi_id = k.id
WHERE k.unit = '%'
GROUP BY ALL HAVING value IS NOT NULL AND previous IS NOT NULL AND round(value, 1) <> round(value, 0)
ORDER BY k.id LIMIT 1
"""


@pytest.fixture(scope="module")
def room(demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return copy_demo_room(demo_settings, tmp_path_factory.mktemp("one-number"))


def _page(app_for: Callable[..., AppTest], room: Settings, page: str, **params: str) -> AppTest:
    at = app_for(room)
    at.run()
    at.switch_page(page)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def _wall_tile(db_path: str, kpi_id: int) -> None:
    """The wall column's KPI tile for one KPI, drawn by the wall's own builder."""
    from datetime import date

    from cxroom.queries.wall.wall_data import load_wall
    from cxroom.store import open_store
    from cxroom.ui.wall.kpi_tiles import kpi_metric

    month = date(2026, 10, 1)
    data = load_wall(open_store(db_path), month)
    tile = next(k for column in data.columns for k in column.kpis if k.id == kpi_id)
    kpi_metric(tile, month, key="tile")


def _metric(at: AppTest, name: str) -> tuple[str, str]:
    found = [m for m in at.metric if str(m.label).startswith(escape_markdown(name))]
    assert found, [m.label for m in at.metric]
    return str(found[0].value).replace("\\", ""), str(found[0].proto.delta).replace("\\", "")


def test_one_kpi_reads_the_same_on_the_wall_presenter_minutes_and_celebration(
    app_for: Callable[..., AppTest], room: Settings
) -> None:
    store: Store = open_store(room.db_path)
    kpi = store.fetch_dicts(KPI_WITH_A_FIX, {"oct": OCTOBER, "sep": SEPTEMBER})[0]
    value, change = fmt_kpi(kpi["value"], "%"), fmt_change(kpi["value"] - kpi["previous"], "%")
    assert value.endswith("%") and change is not None and change.endswith(" pts")

    tile = AppTest.from_function(_wall_tile, args=(str(room.db_path), int(kpi["id"])), default_timeout=30)
    tile.run()
    assert not tile.exception, tile.exception
    wall = _metric(tile, kpi["name"])
    review = rs.create_review(store, ReviewCreate(held_on=date(2026, 11, 20), title="One number"), actor=ACTOR)
    presenter = _metric(_page(app_for, room, "views/presenter.py", review=str(review), stage=kpi["slug"]), kpi["name"])
    assert wall[0] == presenter[0] == value  # the same value, the same unit
    assert wall[1] == change and presenter[1] == f"{change} vs last month"  # points, never '%'

    # The minutes quote the KPI as the finding recorded it from the presenter's evidence.
    ev = presenting.stage_evidence(
        store, int(store.fetch_value("SELECT id FROM stages WHERE slug = ?", [kpi["slug"]])), OCTOBER
    )
    assert ev is not None
    label = next(f"KPI · {k.describe()}" for k in ev.kpis if k.id == kpi["id"])
    review_capture.add_finding(
        store,
        FindingCreate(review_id=review, text="Off target again", stage_slug=kpi["slug"]),
        evidence_links=[review_capture.EvidenceLink(kind="kpi", ref_id=kpi["id"], label=label)],
        actor=ACTOR,
    )
    found = minutes_doc.minutes(store, review)
    assert found is not None
    assert f"{kpi['name']}: {value}" in minutes_doc.minutes_markdown(found).replace("\\", "")

    # The celebration's evidence prints the KPI's latest reading by the same rule.
    evidence = fix_evidence.load_evidence(store, int(kpi["fix_id"]), as_of=date(2026, 11, 20))
    series = next(s for s in evidence.kpis if s.kpi_id == kpi["id"])
    latest = series.evidence.latest
    assert latest is not None and latest.period.month == 10
    assert fmt_kpi(latest.value, "%") == value
    # The celebration card's words ('improved from an average of ... since the fix, 76.4% in Oct 2026').
    assert series.evidence.plain_summary.endswith(f", {value} in Oct 2026"), series.evidence.plain_summary

"""The company-scale generator: the sizes asked for, deterministic, set-wise."""

from __future__ import annotations

from pathlib import Path

import pytest

from cxroom import scale
from cxroom.media import MediaStore
from cxroom.settings import Settings
from cxroom.store import Store
from tests.conftest import DEMO_END_MONTH
from tests.test_demo import room_checksums

TINY = scale.Scale(
    "tiny",
    stages=9,
    moments=30,
    kpis=25,
    complaints=20_000,
    responses=5_000,
    calls=40,
    artifacts=30,
    fixes=20,
    reviews=6,
    days=400,
)


def _build(folder: Path, seed: int = 7) -> Store:
    settings = Settings(db_path=folder / "room.duckdb", media_dir=folder / "media")
    store = Store(settings.db_path)
    scale.build_scale(store, MediaStore(settings), scale="tiny", seed=seed, end_month=DEMO_END_MONTH)
    return store


@pytest.fixture(autouse=True)
def _tiny_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(scale.SCALES, "tiny", TINY)


def test_scale_room_has_the_requested_size_and_is_deterministic(tmp_path: Path) -> None:
    first = _build(tmp_path / "a")
    q = first.fetch_value
    assert q("SELECT count(*) FROM stages") == 9
    assert q("SELECT count(*) FROM moments") == 30
    assert q("SELECT count(*) FROM kpis") == 25
    demo_complaints = q("SELECT count(*) FROM complaints WHERE external_id LIKE 'LMC-%'")
    assert q("SELECT count(*) FROM complaints") == demo_complaints + 20_000
    assert q("SELECT count(*) FROM complaints WHERE stage_id IS NULL AND external_id LIKE 'SCALE-%'") == 0
    assert q("SELECT count(*) FROM calls") == 40 and q("SELECT count(*) FROM fixes") == 20
    # daily KPIs have one reading per day of the window
    assert (
        q(
            "SELECT count(DISTINCT period) FROM kpi_readings r JOIN kpis k ON k.id = r.kpi_id "
            "WHERE k.frequency = 'daily'"
        )
        == 400
    )
    # spread over the window, ending in the end month
    assert str(q("SELECT max(received_at)::DATE FROM complaints")) < "2026-11-01"
    second = _build(tmp_path / "b")
    assert room_checksums(first)["complaints"] == room_checksums(second)["complaints"]
    assert room_checksums(first)["survey_responses"] == room_checksums(second)["survey_responses"]
    first.close()
    second.close()

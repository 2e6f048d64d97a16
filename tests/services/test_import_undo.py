"""Undo restores exactly what was there before the batch: replaced KPI readings come back.

The demo room's readings are imported over (a private copy of the session's demo
room), and every reading is compared with the snapshot taken before.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from itertools import permutations
from pathlib import Path

import pytest

from cxroom.errors import InvalidInputError
from cxroom.importers.report import ImportOptions
from cxroom.services.imports import import_file, undo_batch
from cxroom.settings import Settings
from cxroom.store import Store
from tests.importers.helpers import write

Readings = dict[tuple[int, str], tuple[float, int | None]]


@pytest.fixture
def demo_copy(demo_settings: Settings, tmp_path: Path) -> Iterator[Store]:
    """A private copy of the session's demo room (the original stays read-only)."""
    target = tmp_path / "room.duckdb"
    shutil.copyfile(demo_settings.db_path, target)
    wal = Path(f"{demo_settings.db_path}.wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}.wal"))
    opened = Store(target)
    yield opened
    opened.close()


def readings(store: Store) -> Readings:
    rows = store.execute("SELECT kpi_id, period::VARCHAR, value, batch_id FROM kpi_readings")
    return {(int(k), p): (float(v), b) for k, p, v, b in rows}


def kpi_file(store: Store, path: Path, *, months: list[str], bump: float, extra_month: str | None = None) -> Path:
    """A long-form file giving every demo KPI a new value for ``months`` (and a reading for a month it lacks)."""
    names = [r[0] for r in store.execute("SELECT name FROM kpis ORDER BY id")]
    lines = ["KPI,Period,Value"]
    for i, name in enumerate(names):
        quoted = '"' + name.replace('"', '""') + '"'
        lines += [f"{quoted},{month},{bump + i}" for month in months]
        if extra_month:
            lines.append(f"{quoted},{extra_month},{bump + 0.5}")
    return write(path, "\n".join(lines) + "\n")


def test_undo_of_a_batch_that_replaced_demo_readings_restores_every_reading(demo_copy: Store, tmp_path: Path) -> None:
    before = readings(demo_copy)
    months = sorted({p for _, p in before})[-6:]
    path = kpi_file(demo_copy, tmp_path / "k.csv", months=months, bump=1000, extra_month="2019-01-01")
    report = import_file(demo_copy, kind="kpis", path=path, actor="system")
    n_kpis = len({k for k, _ in before})
    assert report.committed and report.rows_imported == n_kpis * 7
    during = readings(demo_copy)
    changed = [key for key in before if during[key] != before[key]]
    assert len(changed) == n_kpis * 6 and len(during) == len(before) + n_kpis
    removed = undo_batch(demo_copy, batch_id=report.batch_id, actor="system")
    assert removed["kpi_readings"] == n_kpis * 7 and removed["kpi_readings_restored"] == n_kpis * 6
    assert readings(demo_copy) == before  # every reading, its value and the batch it came from
    with pytest.raises(InvalidInputError, match="already undone"):
        undo_batch(demo_copy, batch_id=report.batch_id, actor="system")
    assert readings(demo_copy) == before


@pytest.mark.parametrize("order", list(permutations(range(3))))
def test_undo_of_stacked_batches_in_any_order_restores_the_state_without_them(
    demo_copy: Store, tmp_path: Path, order: tuple[int, ...]
) -> None:
    """Three batches overlap on some months; undoing them in any order steps back exactly."""
    before = readings(demo_copy)
    months = sorted({p for _, p in before})
    plans = [(months[-4:], 100.0), (months[-6:-2], 200.0), (months[-3:], 300.0)]
    batches, states = [], [before]
    for i, (chosen, bump) in enumerate(plans):
        path = kpi_file(demo_copy, tmp_path / f"k{i}.csv", months=chosen, bump=bump, extra_month=f"201{i}-06-01")
        batches.append(import_file(demo_copy, kind="kpis", path=path, actor="system").batch_id)
        states.append(readings(demo_copy))
    undone: set[int] = set()
    for step in order:
        undo_batch(demo_copy, batch_id=batches[step], actor="system")
        undone.add(step)
        # Expected: replay the batches still standing over the original readings, from the files.
        expected = dict(before)
        for i in range(len(plans)):
            if i in undone:
                continue
            expected.update({key: value for key, value in states[i + 1].items() if value[1] == batches[i]})
        # A standing batch's reading may have been shadowed by a later standing batch: replay keeps the latest.
        assert readings(demo_copy) == expected
    assert readings(demo_copy) == before


def test_undo_of_survey_and_complaint_batches_removes_only_their_rows(demo_copy: Store, tmp_path: Path) -> None:
    responses = demo_copy.execute("SELECT * FROM survey_responses ORDER BY ALL")
    complaints = demo_copy.execute("SELECT id, external_id, received_at FROM complaints ORDER BY id")
    survey = write(tmp_path / "s.csv", "id,Seat comfort\nr-1,5\nr-2,4\n")
    s = import_file(
        demo_copy,
        kind="surveys",
        path=survey,
        source="cabin",
        options=ImportOptions(period="2024-05"),
        actor="system",
    )
    c_path = write(tmp_path / "c.csv", "id,Date received,Issue\nX-1,2024-05-01,Billing\nX-2,2024-05-02,Fees\n")
    c = import_file(demo_copy, kind="complaints", path=c_path, source="new source", actor="system")
    assert (s.rows_imported, c.rows_imported) == (2, 2)
    assert undo_batch(demo_copy, batch_id=s.batch_id, actor="system")["survey_responses"] == 2
    assert undo_batch(demo_copy, batch_id=c.batch_id, actor="system")["complaints"] == 2
    assert demo_copy.execute("SELECT * FROM survey_responses ORDER BY ALL") == responses
    assert demo_copy.execute("SELECT id, external_id, received_at FROM complaints ORDER BY id") == complaints
    for batch in (s.batch_id, c.batch_id):
        with pytest.raises(InvalidInputError, match="already undone"):
            undo_batch(demo_copy, batch_id=batch, actor="system")

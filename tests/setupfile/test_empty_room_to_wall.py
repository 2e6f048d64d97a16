"""From an empty room to the wall with the public samples, in six commands run as a new
analyst would (real processes): one set-up file, three CFPB complaint exports, the call
centre's daily KPIs and the airline survey. The wall's numbers (cxroom.queries.wall) are then
checked against counts made independently: SQL over the raw complaint categories with the
file's rules, and the sample CSVs themselves read with Python's csv module."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from ruamel.yaml import YAML

from cxroom.queries.wall.wall_data import load_wall
from cxroom.store import Store
from tests.importers.helpers import CFPB_FILES, csv_rows, shared

REPO = Path(__file__).resolve().parents[2]
ROOM_FILE = REPO / "docs" / "examples" / "real-samples-room.yaml"
MONTH = date(2023, 4, 1)  # the month the three kinds of evidence share
KPI_START = date(2021, 1, 1)


def cxroom(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "cxroom", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done


def number(cell: str) -> float:
    """The sample's own notation: '94.01%' -> 94.01, '0:02:14' -> 134 seconds."""
    cell = cell.strip()
    if cell.endswith("%"):
        return float(cell[:-1])
    if ":" in cell:
        h, m, s = (int(p) for p in cell.split(":"))
        return h * 3600 + m * 60 + s
    return float(cell)


def check_wall(store: Store, kpi_file: Path, survey_file: Path) -> None:
    """The wall of April 2023 against counts made independently of the room's own reads."""
    wall = load_wall(store, MONTH)
    setup = YAML(typ="safe").load(ROOM_FILE.read_text(encoding="utf-8"))

    # -- complaints: every stage's count = the raw categories its rules name, counted in SQL
    rules = [(r["category"].lower(), r["stage"]) for r in setup["category_rules"]]
    independent = dict(
        store.execute(
            "WITH r AS (SELECT unnest(?::VARCHAR[]) AS category, unnest(?::VARCHAR[]) AS stage) "
            "SELECT r.stage, count(*) FROM complaints c JOIN r ON r.category = lower(c.category) "
            "WHERE c.received_at >= ? AND c.received_at < ? GROUP BY r.stage",
            [[c for c, _ in rules], [s for _, s in rules], MONTH, date(2023, 5, 1)],
        )
    )
    shown = {col.stage.slug: col.complaints.this_month for col in wall.columns}
    assert shown == {slug: independent.get(slug, 0) for slug in shown}
    assert (
        sum(shown.values())
        == store.fetch_value(
            "SELECT count(*) FROM complaints WHERE received_at >= ? AND received_at < ?", [MONTH, date(2023, 5, 1)]
        )
        > 400
    )
    assert wall.unassigned_this_month == 0  # the file's rules cover every category of the samples
    mapped_stages = {s for _, s in rules}
    assert all(shown[s] > 0 for s in mapped_stages), shown
    assert store.fetch_value("SELECT count(*) FROM complaints") == 438 + 399 + 59

    # -- KPIs: the tile shows the month's last daily reading, read here from the CSV itself
    header, rows = csv_rows(kpi_file, delimiter=";")
    last_day_index = (date(2023, 4, 30) - KPI_START).days + 1
    row = next(r for r in rows if int(r[0]) == last_day_index)
    tiles = {k.name: k for k in wall.column("get-help").kpis}
    assert set(tiles) == {k["name"] for k in setup["kpis"]} == set(header[1:])
    for name in header[1:]:
        assert tiles[name].value == number(row[header.index(name)]) != 0, name
    assert {t.name: t.direction for t in tiles.values()}["Abandoned Calls"] == "lower_better"

    # -- survey: CSAT = % of the rated answers (0 = not rated) that are 4 or 5
    header, rows = csv_rows(survey_file)
    stages_of = {q["text"]: q["stages"] for q in setup["survey_questions"]}
    tiles_seen = 0
    for column in wall.columns:
        for tile in column.surveys:
            ratings = [int(r[header.index(tile.text)]) for r in rows if r[header.index(tile.text)] != "0"]
            assert column.stage.slug in stages_of[tile.text]
            assert tile.n == len(ratings) > 0
            assert abs(tile.score - 100 * sum(v >= 4 for v in ratings) / len(ratings)) < 1e-9
            tiles_seen += 1
    assert tiles_seen == 14


def test_six_commands_take_an_empty_room_to_the_wall(tmp_path: Path) -> None:
    kpi_file, survey_file = shared("call_center_kpis_sample.csv"), shared("airline_survey_sample.csv")
    complaint_files = [shared(name) for name in CFPB_FILES]
    db = tmp_path / "room.duckdb"
    env = {**os.environ, "CXROOM_DB": str(db), "CXROOM_MEDIA": str(tmp_path / "media")}
    commands = [
        ["setup", "apply", str(ROOM_FILE)],
        *[["import", "complaints", str(f), "--quiet"] for f in complaint_files],
        ["import", "kpis", str(kpi_file), "--start", KPI_START.isoformat(), "--frequency", "daily", "--quiet"],
        [
            "import",
            "surveys",
            str(survey_file),
            "--source",
            "airline",
            "--period",
            "2023-04",
            "--na-values",
            "0",
            "--quiet",
        ],
    ]
    assert len(commands) <= 6 and not db.exists()  # an empty room: not even a database yet
    outputs = [cxroom(*command, env=env).stdout for command in commands]
    assert "0 changes" not in outputs[0] and "change(s) made" in outputs[0]

    store = Store(db, read_only=True)
    try:
        check_wall(store, kpi_file, survey_file)
    finally:
        store.close()

    # the same file again: nothing to change
    again = cxroom("setup", "apply", str(ROOM_FILE), env=env).stdout
    assert again.strip().endswith("0 changes: the room matches the file.")

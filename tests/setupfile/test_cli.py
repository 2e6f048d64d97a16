"""`python -m cxroom setup ...`: exit codes, the report (text and --json), problems by line on
stderr, no room made from a bad file, and a clear word when the running app holds the room."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cxroom import cli
from cxroom.store import Store, close_all
from tests.setupfile.test_apply import SMALL

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "room.duckdb"
    monkeypatch.setenv("CXROOM_DB", str(path))
    monkeypatch.setenv("CXROOM_MEDIA", str(tmp_path / "media"))
    yield path
    close_all()


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_apply_export_and_json_report(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    setup = tmp_path / "room.yaml"
    setup.write_text(SMALL, encoding="utf-8")
    code, out, _ = run(["setup", "apply", str(setup), "--dry-run", "--json"], capsys)
    report = json.loads(out)
    assert code == 0 and report["ok"] and report["dry_run"] and not report["committed"]
    assert report["changes"] == 17 and not db.exists()  # a dry run on a new room makes no database
    assert set(report["sections"]["stages"]) == {
        "created",
        "updated",
        "unchanged",
        "skipped",
        "not_in_file",
        "created_names",
        "updated_names",
        "skipped_names",
        "not_in_file_names",
    }
    code, out, _ = run(["setup", "apply", str(setup)], capsys)
    assert code == 0 and "stages             3 created, 0 updated, 0 unchanged" in out
    assert out.strip().endswith("17 change(s) made.")
    code, out, _ = run(["setup", "apply", str(setup), "--json"], capsys)
    assert code == 0 and json.loads(out)["changes"] == 0
    exported = tmp_path / "again.yaml"
    code, _, err = run(["setup", "export", str(exported)], capsys)
    assert code == 0 and f"Wrote {exported}" in err
    code, out, _ = run(["setup", "export", "-"], capsys)
    assert out == exported.read_text(encoding="utf-8") and "slug: join" in out
    code, out, _ = run(["setup", "export-rules", "-"], capsys)
    assert out.splitlines()[0] == "\ufeffsource,category,subcategory,stage,moment"


def test_a_bad_file_lists_its_problems_and_makes_no_room(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SMALL.replace("direction: lower", "direction: down").replace("slug: old", "slug: join"))
    code, out, err = run(["setup", "apply", str(bad)], capsys)
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == f"cxroom: {bad} has 1 problem(s); nothing was changed."
    assert lines[1].startswith(f"{bad}: line ") and "kpis[1].direction: must be 'higher' or 'lower'" in lines[1]
    assert not db.exists()
    code, out, _ = run(["setup", "apply", str(bad), "--json"], capsys)
    assert code == 1 and json.loads(out)["problems"][0]["path"] == "kpis[1].direction"
    code, _, err = run(["setup", "apply", str(tmp_path / "missing.yaml")], capsys)
    assert code == 1 and err.startswith("cxroom: there is no file")
    code, _, err = run(["setup", "export", str(tmp_path / "x.yaml")], capsys)
    assert code == 1 and "no room database" in err


def test_the_running_app_holds_the_room(tmp_path: Path) -> None:
    db = tmp_path / "room.duckdb"
    setup = tmp_path / "room.yaml"
    setup.write_text(SMALL, encoding="utf-8")
    holder = Store(db)  # as the app would: this process has the file open for writing
    try:
        done = subprocess.run(
            [sys.executable, "-m", "cxroom", "setup", "apply", str(setup), "--db", str(db)],
            cwd=REPO,
            env={**os.environ},
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        holder.close()
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "open in another process" in done.stderr and "Room setup page" in done.stderr

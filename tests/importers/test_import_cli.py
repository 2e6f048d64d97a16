"""`python -m cxroom import ...` / `add ...`: exit codes, --json keys, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cxroom.cli import imports as cli
from cxroom.settings import Settings
from cxroom.store import close_all
from tests.importers.helpers import cfpb, shared

REPO = Path(__file__).resolve().parents[2]
JSON_KEYS = {"batch_id", "rows_read", "rows_imported", "rows_duplicate", "rows_rejected", "errors"}


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


def test_import_json_report_and_exit_codes(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        ["import", "complaints", str(cfpb("cfpb_boa_sample.csv")), "--json", "--source", "boa"], capsys
    )
    assert code == 0
    report = json.loads(out)
    assert report.keys() >= JSON_KEYS
    assert (report["rows_read"], report["rows_imported"], report["rows_rejected"]) == (438, 438, 0)
    assert "[100%] Done" in err  # progress on stderr
    code, out, _ = run(
        ["import", "complaints", str(cfpb("cfpb_boa_sample.csv")), "--json", "--source", "boa", "--quiet"], capsys
    )
    assert code == 0 and json.loads(out)["rows_duplicate"] == 438


def test_dry_run_and_text_report(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        ["import", "complaints", str(cfpb("cfpb_narratives_sample.csv")), "--dry-run", "--quiet"], capsys
    )
    assert code == 0
    assert out.startswith("dry run: 59 rows read, 59 would import")


def test_failures_are_one_line_and_non_zero(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    for argv in (
        ["import", "complaints", str(empty)],
        ["import", "complaints", str(tmp_path / "missing.csv")],
        ["import", "kpis", str(cfpb("cfpb_boa_sample.csv"))],
        ["import", "undo", "42"],
        ["import", "complaints", str(cfpb("cfpb_boa_sample.csv")), "--mapping", str(empty)],
    ):
        code, _, err = run([*argv, "--quiet"] if argv[1] != "undo" else argv, capsys)
        lines = [ln for ln in err.splitlines() if not ln.startswith("[")]
        assert code == 1, argv
        assert len(lines) == 1 and lines[0].startswith("error: "), err
        assert "Traceback" not in err


def test_ambiguous_dates_need_date_format(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "amb.csv"
    path.write_text("id,Date received,Issue\n1,01/02/2024,A\n2,03/04/2024,B\n")
    code, _, err = run(["import", "complaints", str(path), "--quiet"], capsys)
    assert code == 1 and "--date-format" in err
    code, out, _ = run(["import", "complaints", str(path), "--quiet", "--date-format", "DD/MM/YYYY", "--json"], capsys)
    assert code == 0 and json.loads(out)["rows_imported"] == 2


def test_kpis_with_start_and_surveys_with_period(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cxroom.models import KpiCreate, StageCreate
    from cxroom.services import evidence, room
    from cxroom.store import open_store

    store = open_store(db)
    room.create_stage(store, StageCreate(slug="get-help", name="Get help"), actor="system")
    evidence.create_kpi(
        store,
        KpiCreate(stage_slug="get-help", name="Answer Rate", direction="higher_better", frequency="daily"),
        actor="system",
    )
    kpis = shared("call_center_kpis_sample.csv")
    code, out, _ = run(
        ["import", "kpis", str(kpis), "--start", "2021-01-01", "--frequency", "daily", "--json", "--quiet"], capsys
    )
    assert code == 0 and json.loads(out)["rows_imported"] == 1199
    survey = shared("airline_survey_sample.csv")
    code, out, _ = run(
        [
            "import",
            "surveys",
            str(survey),
            "--period",
            "2024-03",
            "--na-values",
            "0",
            "--json",
            "--quiet",
            "--source",
            "airline",
        ],
        capsys,
    )
    assert code == 0 and json.loads(out)["rows_imported"] == 693
    batch = json.loads(out)["batch_id"]
    code, out, _ = run(["import", "undo", str(batch), "--json"], capsys)
    assert code == 0 and json.loads(out)["removed"]["survey_responses"] > 9000


def test_register_fits_the_main_cli(db: Path) -> None:
    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    handlers = cli.register(sub, lambda p: p.add_argument("--db"))
    assert set(handlers) == {"import", "add"}
    args = parser.parse_args(["import", "complaints", "x.csv", "--db", "y"])
    assert args.command == "import" and args.import_kind == "complaints" and args.db == "y"
    code = handlers["import"](args, Settings(db_path=db, media_dir=db.parent / "media"))
    assert code == 1  # x.csv does not exist: a clean failure


def test_add_call_converts_telephony_wav(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    from cxroom.models import StageCreate
    from cxroom.services import room
    from cxroom.store import open_store

    room.create_stage(open_store(db), StageCreate(slug="get-help", name="Get help"), actor="system")
    wav = tmp_path / "call.wav"
    subprocess.run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=frequency=440:duration=3",
            "-ar",
            "8000",
            "-c:a",
            "pcm_mulaw",
            str(wav),
        ],
        check=True,
    )
    code, out, err = run(
        ["add", "call", str(wav), "--stage", "get-help", "--title", "Billing call", "--json", "--clip-start", "1"],
        capsys,
    )
    assert code == 0, err
    call_id = json.loads(out)["call_id"]
    row = open_store(db).fetch_dicts(
        "SELECT c.*, m.mime FROM calls c JOIN media m ON m.sha256 = c.media_sha256 WHERE c.id = ?", [call_id]
    )[0]
    assert row["mime"] in ("audio/ogg", "audio/mpeg")
    assert row["duration_s"] == pytest.approx(3, abs=0.2)
    code, _, err = run(["add", "call", str(cfpb("cfpb_boa_sample.csv")), "--stage", "get-help"], capsys)
    assert code == 1 and "not a recognised" in err


def test_module_entry_point_runs_without_traceback(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n")
    result = subprocess.run(
        [sys.executable, "-m", "cxroom.cli.imports", "import", "complaints", str(bad)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "PNG image" in result.stderr and "Traceback" not in result.stderr

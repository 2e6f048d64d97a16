"""`python -m cxroom`: help on every command, JSON info, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cxroom.cli import build_parser, main
from cxroom.settings import Settings

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cxroom", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_every_command_has_help() -> None:
    _parser, handlers = build_parser()
    assert {"init", "demo", "info"} <= set(handlers)
    for command in handlers:
        with pytest.raises(SystemExit) as exc:
            main([command, "--help"])
        assert exc.value.code == 0


def test_info_json_lists_tables_and_stages_in_wall_order(demo_settings: Settings) -> None:
    # the demo room is held open by this test process, so copy it for the subprocess
    copy = demo_settings.db_path.parent / "copy-for-cli.duckdb"
    from cxroom.store import open_store

    open_store(demo_settings.db_path).checkpoint()
    copy.write_bytes(demo_settings.db_path.read_bytes())
    result = run_cli("info", "--json", "--db", str(copy))
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert info["stages"] == [
        "Shop and compare",
        "Buy",
        "Get started",
        "Pay",
        "Get help",
        "Make a claim",
        "Renew or leave",
    ]
    assert info["tables"]["stages"] == 7
    assert info["tables"]["complaints"] > 10_000
    assert set(info) >= {"tables", "stages", "schema_version", "room_name"}


def test_init_then_info_on_an_empty_room(tmp_path: Path) -> None:
    db = tmp_path / "nested" / "room.duckdb"
    assert run_cli("init", "--db", str(db)).returncode == 0
    result = run_cli("info", "--json", env={"CXROOM_DB": str(db)})
    assert result.returncode == 0
    assert json.loads(result.stdout)["stages"] == []


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("frobnicate",), 2, "invalid choice"),
        (("info", "--db", "/nonexistent/room.duckdb"), 1, "no room database"),
        (("demo", "--db", "/proc/forbidden/room.duckdb"), 1, "Cannot create the folder"),
        (("demo", "--end-month", "October"), 2, "--end-month must look like"),
    ],
)
def test_expected_errors_are_one_line_without_traceback(
    args: tuple[str, ...], code: int, message: str, tmp_path: Path
) -> None:
    result = run_cli(*args, env={"CXROOM_DB": str(tmp_path / "r.duckdb")})
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_database_held_by_another_process_gives_a_clear_error(tmp_path: Path) -> None:
    db = tmp_path / "held.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,sys,time; c=duckdb.connect({str(db)!r}); print('ok', flush=True); sys.stdin.readline()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        result = run_cli("init", "--db", str(db))
        assert result.returncode == 1
        assert "open in another process" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        holder.communicate("\n", timeout=30)

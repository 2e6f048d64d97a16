"""Backup and restore: a round trip gives identical tables and media; a damaged
or partial backup is refused and leaves the room untouched."""

from __future__ import annotations

import hashlib
import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from cxroom.demo import build_demo
from cxroom.errors import DatabaseLockedError
from cxroom.media import MediaStore
from cxroom.services.backup import BackupDamagedError, backup_room, restore_room, table_checksums
from cxroom.settings import Settings
from cxroom.store import Store


def _media_hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    folder = tmp_path_factory.mktemp("backup-room")
    settings = Settings(db_path=folder / "room.duckdb", media_dir=folder / "media")
    store = Store(settings.db_path)
    build_demo(store, MediaStore(settings), end_month=date(2026, 10, 1))
    backup = folder / "backup"
    backup_room(store, settings.media_dir, backup, actor="cli")
    store.close()
    return settings, backup


def test_round_trip_restores_identical_tables_and_media(room: tuple[Settings, Path], tmp_path: Path) -> None:
    settings, backup = room
    original = Store(settings.db_path)
    before = table_checksums(original)
    original.close()
    target = Settings(db_path=tmp_path / "restored.duckdb", media_dir=tmp_path / "media")
    report = restore_room(backup, target)
    restored = Store(target.db_path)
    after = table_checksums(restored)
    restored.close()
    manifest = json.loads((backup / "manifest.json").read_text())
    assert report.tables == manifest["tables"]
    # The backup's own audit entry and data-version bump come after its snapshot, and the restore
    # adds one audit entry of its own; every other table is identical to the room it came from.
    skip = {"audit_log", "meta"}
    assert {t: v for t, v in after.items() if t not in skip} == {t: v for t, v in before.items() if t not in skip}
    assert after["audit_log"]["rows"] == manifest["tables"]["audit_log"]["rows"] + 1
    assert before["audit_log"]["rows"] == manifest["tables"]["audit_log"]["rows"] + 1
    assert _media_hashes(target.media_dir) == _media_hashes(settings.media_dir)


@pytest.mark.parametrize("damage", ["truncate_parquet", "delete_media", "drop_manifest", "bad_json"])
def test_a_damaged_backup_is_refused_and_the_room_untouched(
    room: tuple[Settings, Path], tmp_path: Path, damage: str
) -> None:
    settings, backup = room
    copy = tmp_path / "backup"
    shutil.copytree(backup, copy)
    if damage == "truncate_parquet":
        victim = next((copy / "db").glob("complaints*.parquet"))
        victim.write_bytes(victim.read_bytes()[:100])
    elif damage == "delete_media":
        files = [p for p in (copy / "media").rglob("*") if p.is_file()]
        if not files:
            pytest.skip("demo media not generated")
        files[0].unlink()
    elif damage == "drop_manifest":
        (copy / "manifest.json").unlink()
    else:
        (copy / "manifest.json").write_text("{not json", encoding="utf-8")
    current = Settings(db_path=tmp_path / "current.duckdb", media_dir=tmp_path / "current-media")
    shutil.copy2(settings.db_path, current.db_path)
    before = hashlib.sha256(current.db_path.read_bytes()).hexdigest()
    with pytest.raises(BackupDamagedError) as exc:
        restore_room(copy, current)
    assert "Nothing was restored" in str(exc.value)
    assert hashlib.sha256(current.db_path.read_bytes()).hexdigest() == before
    assert not any(p.name.startswith(".current.duckdb") for p in tmp_path.iterdir())


def test_restore_refuses_while_the_app_holds_the_database(room: tuple[Settings, Path], tmp_path: Path) -> None:
    _settings, backup = room
    current = Settings(db_path=tmp_path / "held.duckdb", media_dir=tmp_path / "m")
    held = Store(current.db_path)  # another holder of the file in this process counts too
    import subprocess
    import sys

    held.close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,sys; c=duckdb.connect({str(current.db_path)!r}); print('ok', "
            "flush=True); sys.stdin.readline()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ok"
        with pytest.raises(DatabaseLockedError):
            restore_room(backup, current)
    finally:
        holder.communicate("\n", timeout=30)


def test_backup_refuses_a_folder_that_is_not_empty(room: tuple[Settings, Path], tmp_path: Path) -> None:
    settings, backup = room
    from cxroom.errors import InvalidInputError

    store = Store(tmp_path / "x.duckdb")
    with pytest.raises(InvalidInputError):
        backup_room(store, settings.media_dir, backup, actor="cli")
    store.close()

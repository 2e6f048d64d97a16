"""Backup and restore: a round trip gives identical tables and media; a damaged
or partial backup is refused and leaves the room untouched."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
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


# -- a new machine, and files nobody vouched for ------------------------------------------------


def test_restore_into_a_folder_that_does_not_exist_yet(room: tuple[Settings, Path], tmp_path: Path) -> None:
    settings, backup = room
    target = Settings(db_path=tmp_path / "new" / "machine" / "room.duckdb", media_dir=tmp_path / "new" / "m" / "media")
    assert not (tmp_path / "new").exists()
    report = restore_room(backup, target)
    restored = Store(target.db_path)
    try:
        assert table_checksums(restored)["complaints"] == report.tables["complaints"]
        assert restored.fetch_value("SELECT count(*) FROM complaints") > 1000
    finally:
        restored.close()
    assert _media_hashes(target.media_dir) == _media_hashes(settings.media_dir)


def test_cli_round_trip_to_a_new_machine(room: tuple[Settings, Path], tmp_path: Path) -> None:
    """Back up with the CLI, move the backup elsewhere, restore it into a nested folder that does not exist."""
    settings, _backup = room

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cxroom", *args], capture_output=True, text=True, timeout=300, check=False
        )

    made = cli("backup", str(tmp_path / "made"), "--db", str(settings.db_path), "--media", str(settings.media_dir))
    assert made.returncode == 0, made.stderr
    carried = tmp_path / "usb" / "room-backup"
    carried.parent.mkdir()
    shutil.move(tmp_path / "made", carried)  # the folder the export was written to is gone
    new = tmp_path / "srv" / "rooms" / "larkfield"
    done = cli("restore", str(carried), "--db", str(new / "room.duckdb"), "--media", str(new / "media"))
    assert done.returncode == 0, done.stderr
    assert "checksums match the backup's manifest" in done.stdout and "Traceback" not in done.stderr
    original, restored = Store(settings.db_path), Store(new / "room.duckdb")
    try:
        before, after = table_checksums(original), table_checksums(restored)
    finally:
        original.close()
        restored.close()
    assert {t: v for t, v in after.items() if t not in {"audit_log", "meta"}} == {
        t: v for t, v in before.items() if t not in {"audit_log", "meta"}
    }
    assert _media_hashes(new / "media") == _media_hashes(settings.media_dir)


def _vouch(copy: Path, relative: str) -> None:
    """Rewrite the manifest as a tamperer would, so the file's checksum matches."""
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["files"][relative] = hashlib.sha256((copy / relative).read_bytes()).hexdigest()
    (copy / "manifest.json").write_text(json.dumps(manifest))


def _tamper(copy: Path, tmp_path: Path, case: str) -> str:
    """Damage the copy one way; returns the text the refusal must name."""
    media_file = next(p for p in (copy / "media").rglob("*") if p.is_file())
    media_rel = str(media_file.relative_to(copy))
    manifest = json.loads((copy / "manifest.json").read_text())
    if case == "unlisted media/evil.html":
        (copy / "media" / "evil.html").write_text("<script>alert(1)</script>")
        return "media/evil.html: not listed in its manifest"
    if case == "unlisted db/extra.parquet":
        shutil.copy(next((copy / "db").glob("users.parquet")), copy / "db" / "extra.parquet")
        return "db/extra.parquet: not listed"
    if case == "unlisted file at the top":
        (copy / "README.txt").write_text("hello")
        return "README.txt: not listed"
    if case == "listed ../x":
        (tmp_path / "x").write_text("outside")
        manifest["files"]["../x"] = hashlib.sha256(b"outside").hexdigest()
        (copy / "manifest.json").write_text(json.dumps(manifest))
        return "../x: path leaves the backup folder"
    if case == "listed absolute path":
        manifest["files"][str(tmp_path / "x")] = "0" * 64
        (copy / "manifest.json").write_text(json.dumps(manifest))
        return "path leaves the backup folder"
    if case == "listed media/evil.html":
        (copy / "media" / "evil.html").write_text("<script>alert(1)</script>")
        _vouch(copy, "media/evil.html")
        return "media/evil.html: not a file a cxroom backup holds"
    if case == "media named for other content":
        wrong = media_file.with_name(("0" * 64).replace("00", media_file.name[:2], 1) + media_file.suffix)
        media_file.rename(wrong)
        del manifest["files"][media_rel]
        (copy / "manifest.json").write_text(json.dumps(manifest))
        _vouch(copy, str(wrong.relative_to(copy)))
        return "its name is not the hash of its content"
    if case == "media as a symbolic link":
        outside = tmp_path / "outside.bin"
        shutil.copy(media_file, outside)
        media_file.unlink()
        media_file.symlink_to(outside)
        return f"{media_rel}: a symbolic link"
    if case == "load.sql writes a file":
        with (copy / "db" / "load.sql").open("a") as fh:
            fh.write(f"COPY users TO '{tmp_path / 'stolen.csv'}';\n")
        _vouch(copy, "db/load.sql")
        return "db/load.sql: COPY users TO"
    assert case == "schema.sql reads a file"
    with (copy / "db" / "schema.sql").open("a") as fh:
        fh.write("CREATE TABLE stolen AS SELECT * FROM read_text('/etc/hostname');\n")
    _vouch(copy, "db/schema.sql")
    return "db/schema.sql: CREATE TABLE stolen AS SELECT"


TAMPERING = [
    "unlisted media/evil.html",
    "unlisted db/extra.parquet",
    "unlisted file at the top",
    "listed ../x",
    "listed absolute path",
    "listed media/evil.html",
    "media named for other content",
    "media as a symbolic link",
    "load.sql writes a file",
    "schema.sql reads a file",
]


@pytest.mark.parametrize("case", TAMPERING)
def test_files_the_manifest_does_not_vouch_for_are_refused_not_copied(
    room: tuple[Settings, Path], tmp_path: Path, case: str
) -> None:
    _settings, backup = room
    copy = tmp_path / "backup"
    shutil.copytree(backup, copy)
    named = _tamper(copy, tmp_path, case)
    target = Settings(db_path=tmp_path / "new" / "room.duckdb", media_dir=tmp_path / "new" / "media")
    with pytest.raises(BackupDamagedError) as exc:
        restore_room(copy, target)
    assert named in str(exc.value) and "Nothing was restored" in str(exc.value)
    assert not (tmp_path / "new").exists(), "a refused restore created the room's folder"
    assert not (tmp_path / "stolen.csv").exists()

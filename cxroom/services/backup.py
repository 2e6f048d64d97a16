"""Backup and restore of a whole room: database and media, with a manifest of
row counts and checksums so a restore can prove it got back what was saved.

A backup folder holds:
    manifest.json   format, schema version, per-table rows + checksum, sha256 of every file
    db/             DuckDB EXPORT DATABASE (Parquet), taken inside one transaction
    media/          the content-addressed media files the room references

Restore never touches the current room until the backup has been verified and
loaded into a new file: a damaged or partial backup is refused with the room
as it was. The manifest is also the list of what a backup may hold: a file it
does not list (``media/evil.html``), a listed name outside this layout, a
symbolic link, or a database script that does more than create the tables and
load the backup's own Parquet files is refused before anything is copied.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from cxroom.errors import CxroomError, DatabaseLockedError, InvalidInputError
from cxroom.media import EXTENSIONS
from cxroom.permissions import Action
from cxroom.settings import Settings
from cxroom.store import Store, utcnow

FORMAT = "cxroom-backup"
FORMAT_VERSION = 1
TABLES_SQL = (
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' ORDER BY table_name"
)


# What a backup may hold, by name: the export's two scripts and its Parquet files, and
# content-addressed media (media/<first two hex>/<sha256>.<extension>).
_DB_FILE = re.compile(r"db/(?:schema\.sql|load\.sql|[A-Za-z0-9_]+\.parquet)")
_MEDIA_FILE = re.compile(r"media/([0-9a-f]{2})/(\1[0-9a-f]{62})\.(" + "|".join(sorted(set(EXTENSIONS.values()))) + ")")
# load.sql may only fill a table from the backup's own Parquet file of the same name.
_LOAD_LINE = re.compile(r"""COPY "?([A-Za-z0-9_]+)"? FROM '[^']*/\1\.parquet' \(FORMAT '?parquet'?\);""")
_SCHEMA_STATEMENT = re.compile(r"CREATE (?:TABLE|SEQUENCE|UNIQUE INDEX|INDEX) ", re.IGNORECASE)


class BackupDamagedError(CxroomError):
    """The backup folder is incomplete or its files do not match its manifest."""


@dataclass(frozen=True)
class BackupReport:
    folder: Path
    tables: dict[str, dict[str, Any]]
    media_files: int

    @property
    def total_rows(self) -> int:
        return sum(int(t["rows"]) for t in self.tables.values())


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _checksums(run: Any) -> dict[str, dict[str, Any]]:
    """rows and an order-independent checksum (xor of row hashes) per table."""
    result = {}
    for (table,) in run(TABLES_SQL).fetchall():
        rows, checksum = run(f'SELECT count(*), coalesce(bit_xor(hash(t)), 0) FROM "{table}" AS t').fetchone()
        result[table] = {"rows": int(rows), "checksum": str(checksum)}
    return result


def table_checksums(store: Store) -> dict[str, dict[str, Any]]:
    cur = store.cursor()
    try:
        return _checksums(lambda sql: store._run(cur, sql, None))
    finally:
        cur.close()


def backup_room(store: Store, media_dir: Path, dest: Path, *, actor: str) -> BackupReport:
    """Write a consistent backup of the room (works while the app is running, in its process)."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise InvalidInputError(f"{dest} is not empty; choose a new folder for the backup.")
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(f"Cannot create {dest}: {exc.strerror}") from exc
    with store.transaction(actor) as tx:
        tx.require(Action.BACKUP)
        # Export and checksums inside one transaction: the same snapshot.
        tx.execute(f"EXPORT DATABASE '{_sql_path(dest / 'db')}' (FORMAT parquet)")
        tables = _checksums(tx.execute)
        media_rows = tx.fetch_all("SELECT sha256, mime FROM media ORDER BY sha256")
        schema_version = tx.fetch_value("SELECT max(version) FROM schema_migrations")
        _copy_media(media_rows, media_dir, dest / "media")
        tx.audit("backup", "room", str(dest), None, {"tables": len(tables), "media": len(media_rows)})
    files = {
        str(path.relative_to(dest)): _sha256_file(path)
        for path in sorted(dest.rglob("*"))
        if path.is_file() and path.name != "manifest.json"
    }
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": utcnow().isoformat(timespec="seconds"),
        "schema_version": schema_version,
        "tables": tables,
        "files": files,
    }
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return BackupReport(dest, tables, len(media_rows))


def _sql_path(path: Path) -> str:
    text = str(path.resolve())
    if "'" in text:
        raise InvalidInputError("The backup folder's path may not contain a quote character.")
    return text


def _copy_media(rows: list[tuple[Any, ...]], source: Path, target: Path) -> None:
    for sha256, mime in rows:
        name = Path(sha256[:2]) / f"{sha256}.{EXTENSIONS[mime]}"
        origin = source / name
        if not origin.exists():
            raise InvalidInputError(f"Media file {name} is missing from {source}; the backup would be incomplete.")
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, target / name)


def verify_backup(folder: Path) -> dict[str, Any]:
    """The manifest, if every file is present and intact; otherwise BackupDamagedError."""
    folder = Path(folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.exists():
        raise BackupDamagedError(
            f"{folder} has no manifest.json; it is not a complete cxroom backup. Nothing was restored."
        )
    try:
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BackupDamagedError(f"The backup's manifest.json is damaged ({exc}). Nothing was restored.") from exc
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupDamagedError("manifest.json does not describe a cxroom backup. Nothing was restored.")
    listed = manifest["files"]
    problems = []
    for relative, expected in listed.items():
        path = folder / relative
        if Path(relative).is_absolute() or ".." in Path(relative).parts:
            problems.append(f"{relative}: path leaves the backup folder")
        elif not (_DB_FILE.fullmatch(relative) or _MEDIA_FILE.fullmatch(relative)):
            problems.append(f"{relative}: not a file a cxroom backup holds")
        elif path.is_symlink():
            problems.append(f"{relative}: a symbolic link")
        elif not path.is_file():
            problems.append(f"{relative}: missing")
        elif _sha256_file(path) != expected:
            problems.append(f"{relative}: content differs from the manifest")
        elif (match := _MEDIA_FILE.fullmatch(relative)) and match.group(2) != expected:
            problems.append(f"{relative}: its name is not the hash of its content")
    _refuse(problems, "The backup is damaged or partial")
    # A file the manifest does not list is refused, not copied or ignored: nobody vouched for it.
    unlisted = sorted(
        str(path.relative_to(folder))
        for path in folder.rglob("*")
        if (path.is_file() or path.is_symlink())
        and path != manifest_path
        and str(path.relative_to(folder)) not in listed
    )
    _refuse([f"{name}: not listed in its manifest" for name in unlisted], "The backup holds files it should not")
    _refuse(_script_problems(folder), "The backup's database scripts do more than a backup's")
    return manifest


def _refuse(problems: list[str], what: str) -> None:
    if problems:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        raise BackupDamagedError(f"{what}: {shown}. Nothing was restored.")


def _statements(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
    return [s.strip() + ";" for s in text.split(";\n") if s.strip().rstrip(";")]


def _script_problems(folder: Path) -> list[str]:
    """IMPORT DATABASE runs db/schema.sql and db/load.sql: allow only what EXPORT DATABASE writes."""
    problems = []
    for statement in _statements(folder / "db" / "schema.sql"):
        if not _SCHEMA_STATEMENT.match(statement) or re.search(r"\bAS\s+(SELECT|FROM|\()", statement, re.I):
            problems.append(f"db/schema.sql: {' '.join(statement.split())[:80]}")
    for statement in _statements(folder / "db" / "load.sql"):
        if not _LOAD_LINE.fullmatch(statement.rstrip(";").strip() + ";"):
            problems.append(f"db/load.sql: {' '.join(statement.split())[:80]}")
    return problems


def restore_room(folder: Path, settings: Settings) -> BackupReport:
    """Replace the room at settings.db_path with the backup (the app must be stopped)."""
    manifest = verify_backup(folder)
    folder = Path(folder)
    target = settings.db_path
    _refuse_if_in_use(target)
    try:  # a new machine: the room's folder may not exist yet
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InvalidInputError(
            f"Cannot create the folder {target.parent}: {exc.strerror}. Nothing was restored."
        ) from exc
    staging = target.with_name(f".{target.name}.restoring")
    staging.unlink(missing_ok=True)
    Path(f"{staging}.wal").unlink(missing_ok=True)
    try:
        con = duckdb.connect(str(staging))
        try:
            con.execute(f"IMPORT DATABASE '{_sql_path(folder / 'db')}'")
            restored = _checksums(con.execute)
        finally:
            con.close()
    except duckdb.Error as exc:
        staging.unlink(missing_ok=True)
        raise BackupDamagedError(f"The backup's database could not be loaded ({exc}). Nothing was restored.") from exc
    if restored != manifest["tables"]:
        staging.unlink(missing_ok=True)
        differing = sorted(
            t for t in set(restored) | set(manifest["tables"]) if restored.get(t) != manifest["tables"].get(t)
        )
        raise BackupDamagedError(
            f"Restored tables do not match the manifest ({', '.join(differing[:5])}). Nothing was restored."
        )
    # Media first (content-addressed, so adding files never harms the current room) ...
    # Only the files the manifest lists (verified above), never whatever else is in the folder.
    for relative in sorted(name for name in manifest["files"] if name.startswith("media/")):
        destination = settings.media_dir / Path(relative).relative_to("media")
        try:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / relative, destination)
        except OSError as exc:
            staging.unlink(missing_ok=True)
            raise InvalidInputError(
                f"Cannot copy media into {settings.media_dir}: {exc.strerror}. The database was not replaced."
            ) from exc
    # ... then swap the database in one rename; the previous file is kept beside it.
    if target.exists():
        kept = target.with_name(f"{target.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}")
        target.replace(kept)
        Path(f"{target}.wal").unlink(missing_ok=True)
    staging.replace(target)
    restored_store = Store(target)
    try:
        with restored_store.transaction("cli") as tx:
            tx.audit("restore", "room", str(folder), None, {"tables": len(restored), "from": str(folder)})
    finally:
        restored_store.close()
    return BackupReport(folder, restored, sum(1 for f in manifest["files"] if f.startswith("media/")))


def _refuse_if_in_use(target: Path) -> None:
    if not target.exists():
        return
    try:
        duckdb.connect(str(target)).close()
    except duckdb.IOException as exc:
        raise DatabaseLockedError(
            "The room's database is open in another process (probably the running app). "
            "Stop the app before restoring: a restore replaces the whole room."
        ) from exc

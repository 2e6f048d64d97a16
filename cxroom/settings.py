"""One settings object for the whole room, read from the environment once."""

from __future__ import annotations

import os
import re
from datetime import time
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from cxroom.errors import InvalidInputError

DEFAULT_DB = Path("data/cxroom.duckdb")
DEFAULT_INBOX_SETTLE_S = 5.0
DEFAULT_BACKUP_KEEP = 7


class Settings(BaseModel):
    """Where the room keeps its data, and the limits it enforces."""

    db_path: Path = Field(description="DuckDB file (CXROOM_DB)")
    media_dir: Path = Field(description="content-addressed media store (CXROOM_MEDIA)")
    max_image_bytes: int = 15 * 1024 * 1024
    max_pdf_bytes: int = 25 * 1024 * 1024
    max_audio_bytes: int = 60 * 1024 * 1024
    # None: next to the database, so one folder still holds a whole room (see the properties below).
    inbox_dir: Path | None = Field(default=None, description="folder the running room imports from (CXROOM_INBOX)")
    inbox_settle_s: float = Field(
        default=DEFAULT_INBOX_SETTLE_S,
        ge=0,
        description="a file not renamed from NAME.part is taken once unchanged this long (CXROOM_INBOX_SETTLE_SECONDS)",
    )
    backup_dir: Path | None = Field(default=None, description="scheduled backups' folder (CXROOM_BACKUP_DIR)")
    backup_time: time | None = Field(default=None, description="daily backup time, HH:MM local (CXROOM_BACKUP_TIME)")
    backup_keep: int = Field(
        default=DEFAULT_BACKUP_KEEP, ge=1, description="scheduled backups kept (CXROOM_BACKUP_KEEP)"
    )

    @property
    def inbox_path(self) -> Path:
        return self.inbox_dir if self.inbox_dir is not None else self.db_path.parent / "inbox"

    @property
    def backup_path(self) -> Path:
        return self.backup_dir if self.backup_dir is not None else self.db_path.parent / "backups"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        db_path = Path(env.get("CXROOM_DB") or DEFAULT_DB)
        # "Start your own room": active_room.txt next to the home database names the room in use
        # (see cxroom/services/rooms.py); a malformed or dangling pointer is ignored.
        pointer = db_path.parent / "active_room.txt"
        if pointer.is_file():
            named = pointer.read_text(encoding="utf-8").strip()
            chosen = db_path.parent / named
            if re.fullmatch(r"rooms/[a-z0-9]+(?:-[a-z0-9]+)*/room\.duckdb", named) and chosen.is_file():
                db_path = chosen
        # Media lives next to the database unless told otherwise, so one
        # folder holds a whole room (and a backup of it).
        media_dir = Path(env.get("CXROOM_MEDIA") or db_path.parent / "media")
        try:
            return cls._from_values(env, db_path, media_dir)
        except ValidationError as exc:
            wrong = "; ".join(f"{_ENV_NAMES.get(str(e['loc'][0]), e['loc'][0])}: {e['msg']}" for e in exc.errors())
            raise InvalidInputError(f"A setting in the environment is not valid: {wrong}.") from exc

    @classmethod
    def _from_values(cls, env: dict[str, str] | os._Environ[str], db_path: Path, media_dir: Path) -> Settings:
        return cls(
            db_path=db_path,
            media_dir=media_dir,
            inbox_dir=Path(env["CXROOM_INBOX"]) if env.get("CXROOM_INBOX") else None,
            inbox_settle_s=env.get("CXROOM_INBOX_SETTLE_SECONDS") or DEFAULT_INBOX_SETTLE_S,
            backup_dir=Path(env["CXROOM_BACKUP_DIR"]) if env.get("CXROOM_BACKUP_DIR") else None,
            backup_time=env.get("CXROOM_BACKUP_TIME") or None,
            backup_keep=env.get("CXROOM_BACKUP_KEEP") or DEFAULT_BACKUP_KEEP,
        )


_ENV_NAMES = {
    "inbox_settle_s": "CXROOM_INBOX_SETTLE_SECONDS",
    "backup_time": "CXROOM_BACKUP_TIME (HH:MM)",
    "backup_keep": "CXROOM_BACKUP_KEEP",
}

"""One settings object for the whole room, read from the environment once."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

from pydantic import BaseModel, Field

from cxroom.errors import InvalidInputError

DEFAULT_DB = Path("data/cxroom.duckdb")
# Customer data from before 2000 is almost always a mistyped year, a two-digit year read
# as the first century, or a spreadsheet's day zero (1899/1900), not a real complaint.
DEFAULT_OLDEST_IMPORT_DATE = date(2000, 1, 1)


def oldest_import_date(environ: dict[str, str] | None = None) -> date:
    """The oldest date an import stores (CXROOM_OLDEST_DATE, YYYY-MM-DD; default 2000-01-01)."""
    env = os.environ if environ is None else environ
    raw = (env.get("CXROOM_OLDEST_DATE") or "").strip()
    if not raw:
        return DEFAULT_OLDEST_IMPORT_DATE
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise InvalidInputError(f"CXROOM_OLDEST_DATE must be a date like 2000-01-01, not {raw!r}.") from exc


class Settings(BaseModel):
    """Where the room keeps its data, and the limits it enforces."""

    db_path: Path = Field(description="DuckDB file (CXROOM_DB)")
    media_dir: Path = Field(description="content-addressed media store (CXROOM_MEDIA)")
    max_image_bytes: int = 15 * 1024 * 1024
    max_pdf_bytes: int = 25 * 1024 * 1024
    max_audio_bytes: int = 60 * 1024 * 1024
    oldest_import_date: date = Field(
        default=DEFAULT_OLDEST_IMPORT_DATE, description="imports quarantine older dates (CXROOM_OLDEST_DATE)"
    )

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
        return cls(db_path=db_path, media_dir=media_dir, oldest_import_date=oldest_import_date(env))

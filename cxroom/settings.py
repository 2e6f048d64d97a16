"""One settings object for the whole room, read from the environment once."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pydantic import BaseModel, Field

DEFAULT_DB = Path("data/cxroom.duckdb")


class Settings(BaseModel):
    """Where the room keeps its data, and the limits it enforces."""

    db_path: Path = Field(description="DuckDB file (CXROOM_DB)")
    media_dir: Path = Field(description="content-addressed media store (CXROOM_MEDIA)")
    max_image_bytes: int = 15 * 1024 * 1024
    max_pdf_bytes: int = 25 * 1024 * 1024
    max_audio_bytes: int = 60 * 1024 * 1024
    # What one imported file may expand to (XLSX and Parquet are compressed; see docs/trust.md).
    max_uncompressed_bytes: int = Field(1024 * 1024 * 1024, description="CXROOM_MAX_UNCOMPRESSED_MB")
    max_import_rows: int = Field(10_000_000, description="CXROOM_MAX_IMPORT_ROWS")
    max_cell_bytes: int = Field(1024 * 1024, description="CXROOM_MAX_CELL_KB")
    preview_rows: int = Field(5_000, description="CXROOM_PREVIEW_ROWS: rows an upload preview reads")

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
        limits: dict[str, int] = {}
        for key, name, unit in _IMPORT_LIMITS:
            value = _positive(env.get(key), unit)
            if value is not None:
                limits[name] = value
        return cls(db_path=db_path, media_dir=media_dir, **limits)


# (environment variable, setting, multiplier) of the import limits
_IMPORT_LIMITS = (
    ("CXROOM_MAX_UNCOMPRESSED_MB", "max_uncompressed_bytes", 1024 * 1024),
    ("CXROOM_MAX_IMPORT_ROWS", "max_import_rows", 1),
    ("CXROOM_MAX_CELL_KB", "max_cell_bytes", 1024),
    ("CXROOM_PREVIEW_ROWS", "preview_rows", 1),
)


def _positive(raw: str | None, unit: int) -> int | None:
    """A positive number from the environment times ``unit``; None (the default) when unset or unreadable."""
    try:
        value = int(float(raw) * unit) if raw else None
    except ValueError:
        return None
    return value if value and value > 0 else None

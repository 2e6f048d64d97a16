"""The rooms a benchmark run measures: the demo room, and the medium and large
company-scale rooms of cxroom.scale, built into the run's work folder (or
reused from it when a previous run built the same room)."""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cxroom.bench.common import Say
from cxroom.store import Store

SCALES = ["demo", "medium", "large"]


@dataclass(frozen=True)
class Room:
    scale: str
    db: Path
    media: Path
    complaints: int
    survey_responses: int
    kpi_readings: int
    stages: int
    build_s: float | None  # None: reused from an earlier run

    @classmethod
    def counted(cls, scale: str, db: Path, media: Path, counts: dict[str, int], build_s: float | None) -> Room:
        """The room at ``db`` with the row counts ``_counts`` read from it."""
        return cls(
            scale,
            db,
            media,
            counts["complaints"],
            counts["survey_responses"],
            counts["kpi_readings"],
            counts["stages"],
            build_s,
        )

    def to_json(self) -> dict[str, object]:
        return {
            "complaints": self.complaints,
            "survey_responses": self.survey_responses,
            "kpi_readings": self.kpi_readings,
            "stages": self.stages,
            "build_s": self.build_s,
        }


def scales_up_to(scale: str) -> list[str]:
    """demo -> [demo]; large -> [demo, medium, large]: the growth is part of every run."""
    return SCALES[: SCALES.index(scale) + 1]


def _counts(db: Path) -> dict[str, int]:
    from cxroom.queries import room as room_queries

    store = Store(db)
    try:
        info = room_queries.room_info(store)
    finally:
        store.close()
    tables = info["tables"]
    return {
        "complaints": tables["complaints"],
        "survey_responses": tables["survey_responses"],
        "kpi_readings": tables["kpi_readings"],
        "stages": len(info["stages"]),
        "schema_version": info["schema_version"],
    }


def _write_marker(folder: Path, scale: str, end_month: date, schema_version: int) -> None:
    marker = {"scale": scale, "end_month": end_month.isoformat(), "schema_version": schema_version}
    (folder / "built.json").write_text(json.dumps(marker))


def adopt_room(workdir: Path, scale: str, *, db: Path, media: Path, end_month: date) -> Path:
    """Copy an existing room (checkpointed, not open for writing elsewhere) into ``workdir`` as the room of
    ``scale``, so that a run with ``reuse`` measures it instead of building one (tests use this)."""
    folder = workdir / scale
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copyfile(db, folder / "room.duckdb")
    if media.exists():
        shutil.copytree(media, folder / "media")
    _write_marker(folder, scale, end_month, int(_counts(folder / "room.duckdb")["schema_version"]))
    return folder


def build_room(workdir: Path, scale: str, *, end_month: date, reuse: bool, say: Say = print) -> Room:
    """The room of ``scale`` in ``workdir/scale`` (built now, or reused when ``reuse`` and it matches)."""
    from cxroom.media import MediaStore
    from cxroom.settings import Settings

    folder = workdir / scale
    db, media = folder / "room.duckdb", folder / "media"
    marker = folder / "built.json"
    wanted = {"scale": scale, "end_month": end_month.isoformat()}
    if reuse and marker.exists() and db.exists():
        try:
            known = json.loads(marker.read_text())
        except (OSError, ValueError):
            known = {}
        if all(known.get(k) == v for k, v in wanted.items()):
            counts = _counts(db)
            if counts["schema_version"] == known.get("schema_version"):
                say(f"  reusing the {scale} room in {folder}")
                return Room.counted(scale, db, media, counts, None)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    say(f"  building the {scale} room…")
    started = time.perf_counter()
    settings = Settings(db_path=db, media_dir=media)
    store = Store(db)
    try:
        if scale == "demo":
            from cxroom.demo import build_demo

            build_demo(store, MediaStore(settings), end_month=end_month)
        else:
            from cxroom.scale import build_scale

            build_scale(store, MediaStore(settings), scale=scale, end_month=end_month)
        store.checkpoint()
    finally:
        store.close()
    build_s = time.perf_counter() - started
    counts = _counts(db)
    _write_marker(folder, scale, end_month, counts["schema_version"])
    return Room.counted(scale, db, media, counts, build_s)

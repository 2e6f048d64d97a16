"""Cached reads for the Wall and the stage detail.

Every ``st.cache_data`` function is keyed on the data version (any committed
write changes it), the database path (tests run several rooms in one process)
and plain values such as an ISO month: never on a DataFrame (hashing one costs
more than the query). Media bytes are content-addressed, so they are cached by
SHA-256 in ``st.cache_resource`` (shared, never copied; callers never mutate
bytes).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from cxroom.errors import CxroomError
from cxroom.queries import stage as stage_queries
from cxroom.queries.wall.months import months_with_data
from cxroom.queries.wall.stages import StageInfo
from cxroom.queries.wall.wall_data import WallData, load_wall
from cxroom.ui import context

THUMB_PX = 480  # longest side of a thumbnail: sharp on a 4K wall, small on the wire


def db_key() -> str:
    """Part of every cache key: which room's database."""
    return str(context.settings().db_path)


@st.cache_data(show_spinner=False, max_entries=16)
def months(data_version: int, db: str) -> list[date]:
    del data_version, db  # cache key only
    return months_with_data(context.store())


@st.cache_data(show_spinner=False, max_entries=48)
def wall_data(data_version: int, db: str, month_iso: str) -> WallData:
    return load_wall(context.store(), date.fromisoformat(month_iso), months=months(data_version, db))


@st.cache_data(show_spinner=False, max_entries=64)
def stage_by_slug(data_version: int, db: str, slug: str) -> StageInfo | None:
    del data_version, db
    return stage_queries.stage_by_slug(context.store(), slug)


@st.cache_data(show_spinner=False, max_entries=64)
def complaint_options(data_version: int, db: str, stage_id: int) -> stage_queries.ComplaintOptions:
    del data_version, db
    return stage_queries.complaint_options(context.store(), stage_id)


@st.cache_data(show_spinner=False, max_entries=128)
def complaints_page(
    data_version: int, db: str, stage_id: int, filters: stage_queries.ComplaintFilter
) -> stage_queries.ComplaintPage:
    del data_version, db
    return stage_queries.complaints_page(context.store(), stage_id, filters)


@st.cache_data(show_spinner=False, max_entries=64)
def survey_comments_page(
    data_version: int, db: str, stage_id: int, filters: stage_queries.CommentFilter
) -> stage_queries.CommentPage:
    del data_version, db
    return stage_queries.survey_comments_page(context.store(), stage_id, filters)


@st.cache_data(show_spinner=False, max_entries=64)
def complaint_trend(data_version: int, db: str, stage_id: int, month_iso: str) -> pd.DataFrame:
    del data_version, db
    return stage_queries.complaint_trend(context.store(), stage_id, date.fromisoformat(month_iso))


@st.cache_data(show_spinner=False, max_entries=64)
def kpi_history(data_version: int, db: str, stage_id: int, month_iso: str) -> pd.DataFrame:
    del data_version, db
    return stage_queries.kpi_history(context.store(), stage_id, date.fromisoformat(month_iso))


@st.cache_data(show_spinner=False, max_entries=64)
def survey_trend(data_version: int, db: str, stage_id: int, month_iso: str) -> pd.DataFrame:
    del data_version, db
    return stage_queries.survey_trend(context.store(), stage_id, date.fromisoformat(month_iso))


@st.cache_data(show_spinner=False, max_entries=64)
def stage_evidence(data_version: int, db: str, stage_id: int) -> stage_queries.StageEvidence:
    del data_version, db
    return stage_queries.stage_evidence(context.store(), stage_id)


# -- media ----------------------------------------------------------------------


@st.cache_resource(show_spinner=False, max_entries=64)
def media_bytes(sha256: str, mime: str) -> bytes | None:
    """The stored file, or None when it is missing from the media folder."""
    try:
        return context.media().read(sha256, mime)
    except CxroomError:
        return None


@st.cache_resource(show_spinner=False, max_entries=256)
def thumbnail(sha256: str, mime: str) -> bytes | None:
    """A small PNG/JPEG of an image, or of a PDF's first page (when pdftoppm is there)."""
    from PIL import Image

    data = media_bytes(sha256, mime)
    if data is None:
        return None
    if mime == "application/pdf":
        data = _pdf_first_page(data)
        if data is None:
            return None
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.thumbnail((THUMB_PX, THUMB_PX))
            out = io.BytesIO()
            if img.mode in ("RGBA", "LA", "P"):
                img.save(out, format="PNG", optimize=True)
            else:
                img.convert("RGB").save(out, format="JPEG", quality=85)
            return out.getvalue()
    except Exception:  # Pillow raises many types for damaged files
        return None


@st.cache_resource(show_spinner=False, max_entries=16)
def pdf_pages(sha256: str, mime: str, max_pages: int = 8) -> tuple[bytes, ...]:
    """PNG images of a PDF's first pages (the viewer when streamlit[pdf] is not installed)."""
    data = media_bytes(sha256, mime)
    return () if data is None else _render_pdf(data, first=1, last=max_pages, scale_to=1400)


def _pdf_first_page(data: bytes) -> bytes | None:
    pages = _render_pdf(data, first=1, last=1, scale_to=THUMB_PX * 2)
    return pages[0] if pages else None


def _render_pdf(data: bytes, *, first: int, last: int, scale_to: int) -> tuple[bytes, ...]:
    """PNG pages via poppler's pdftoppm; () when it is not installed or fails."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return ()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(data)
        try:
            subprocess.run(
                [
                    tool,
                    "-png",
                    "-f",
                    str(first),
                    "-l",
                    str(last),
                    "-scale-to",
                    str(scale_to),
                    str(source),
                    str(Path(folder) / "p"),
                ],
                capture_output=True,
                timeout=60,
                check=True,
            )
        except (subprocess.SubprocessError, OSError):
            return ()
        return tuple(p.read_bytes() for p in sorted(Path(folder).glob("p*.png")))

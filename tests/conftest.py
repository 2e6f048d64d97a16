"""Fixtures shared by every test: real DuckDB files in a temporary folder, and
one demo room per test session (built by the real generator)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cxroom.demo import build_demo
from cxroom.media import MediaStore
from cxroom.settings import Settings
from cxroom.store import Store, close_all, open_store

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_REAL_DATA = REPO_ROOT.parent / "shared" / "data" / "real"
DEMO_END_MONTH = date(2026, 10, 1)


@pytest.fixture
def tmp_settings(tmp_path: Path) -> Settings:
    return Settings(db_path=tmp_path / "room.duckdb", media_dir=tmp_path / "media")


@pytest.fixture
def empty_store(tmp_settings: Settings) -> Iterator[Store]:
    store = Store(tmp_settings.db_path)
    yield store
    store.close()


@pytest.fixture(scope="session")
def demo_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A demo room on disk, built once per session. Treat it as read-only."""
    folder = tmp_path_factory.mktemp("demo-room")
    settings = Settings(db_path=folder / "room.duckdb", media_dir=folder / "media")
    store = open_store(settings.db_path)
    build_demo(store, MediaStore(settings), end_month=DEMO_END_MONTH)
    return settings


def copy_demo_room(demo_settings: Settings, folder: Path, *, media: bool = False) -> Settings:
    """A writable copy of the session's demo room in ``folder`` (its WAL too); ``media``: a copy of
    its media folder as well, for tests that add files, else the shared one, read-only."""
    target = folder / "room.duckdb"
    shutil.copyfile(demo_settings.db_path, target)
    wal = Path(f"{demo_settings.db_path}.wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}.wal"))
    if not media:
        return Settings(db_path=target, media_dir=demo_settings.media_dir)
    shutil.copytree(demo_settings.media_dir, folder / "media")
    return Settings(db_path=target, media_dir=folder / "media")


@pytest.fixture
def demo_store(demo_settings: Settings) -> Store:
    # Asked for each test: a test that ends with close_all() (CLI and inbox tests close the stores
    # their commands opened) closes this one too, and open_store then opens it again.
    return open_store(demo_settings.db_path)


@pytest.fixture(scope="session", autouse=True)
def _close_stores_at_exit() -> Iterator[None]:
    yield
    close_all()

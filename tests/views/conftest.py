"""AppTest helpers: point the app at a room and start every test with empty
Streamlit caches (they survive between tests in one process)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from cxroom.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_streamlit_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_for(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """AppTest of a script (default: app.py) running on the given room."""

    def make(settings: Settings, script: str = "app.py", timeout: float = 30) -> AppTest:
        monkeypatch.setenv("CXROOM_DB", str(settings.db_path))
        monkeypatch.setenv("CXROOM_MEDIA", str(settings.media_dir))
        return AppTest.from_file(str(REPO_ROOT / script), default_timeout=timeout)

    return make

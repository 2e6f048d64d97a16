"""The UI's handle on the room: one Store per process (shared by every
session, each call takes its own cursor) and the data version that keys every
cached query, so any committed write invalidates the caches."""

from __future__ import annotations

import streamlit as st

from cxroom.media import MediaStore
from cxroom.settings import Settings
from cxroom.store import Store, open_store


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    return Settings.from_env()


def store() -> Store:
    return open_store(settings().db_path)


def media() -> MediaStore:
    return MediaStore(settings())


def data_version() -> int:
    """Pass this to every st.cache_data function: a write changes it."""
    return store().data_version()


def forget_room() -> None:
    """After a room switch: forget the cached settings (the next call reads the
    active room again) and every cached read (some are keyed on the data
    version only, which two rooms can share)."""
    settings.clear()
    st.cache_data.clear()

"""The UI's handle on the room: one Store per process (shared by every
session, each call takes its own cursor) and the data version that keys every
cached query, so any committed write invalidates the caches."""

from __future__ import annotations

import streamlit as st

from cxroom.errors import DatabaseLockedError, StoreError
from cxroom.media import MediaStore
from cxroom.settings import Settings
from cxroom.store import Store, open_store


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    return Settings.from_env()


def store() -> Store:
    return open_store(settings().db_path)


def room_opens() -> bool:
    """Open the room's database, or show the room's own page saying why not (False).

    A second app (or a CLI command) on the same file gets DuckDB's lock error;
    left to Streamlit, a person would see only a redacted exception. Nothing
    here comes from a user: the text is the room's own, the path is shown as code.
    """
    try:
        store()
    except DatabaseLockedError as exc:
        who = f" (process id {exc.pid})" if exc.pid else ""
        st.title("The room is open in another process")
        st.error(
            f"The room's database is open in another process{who}, and only one process may open it. "
            "Close that process, or point CXROOM_DB at another file, then reload this page.",
            icon="🔒",
        )
        st.caption("The room's database file:")
        st.code(str(settings().db_path), language=None)
        return False
    except StoreError as exc:
        st.title("The room cannot open its database")
        st.error("The room's database could not be opened. The reason is below; fix it, then reload this page.")
        st.code(str(exc), language=None)
        st.caption("The room's database file:")
        st.code(str(settings().db_path), language=None)
        return False
    return True


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

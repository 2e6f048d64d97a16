"""Work that runs with the room's server process, not with a browser session.

Streamlit runs app.py only when a browser connects, so a worker started from app.py
would leave the inbox and the scheduled backups idle on a server with no screen
open (a server restarted at night, a room fed only by cron). Streamlit's st.App
(streamlit 1.67) takes an ASGI lifespan hook, which runs once when the server starts
and once when it stops: serve.py wraps app.py in st.App with the lifespan below, and
`make run` / `python -m cxroom serve` start the room through serve.py.

`streamlit run app.py` still works: app.py calls ensure_started(), which starts the
same worker on the first session (a no-op when the lifespan already did).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from cxroom.inbox import worker


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    del app
    worker.start_background()
    try:
        yield
    finally:
        worker.stop_background()


def ensure_started() -> None:
    """Start the worker from a session of a real server (never under AppTest, whose fake
    runtime runs many rooms in one test process)."""
    from streamlit.runtime import Runtime, exists

    if exists() and type(Runtime.instance()) is Runtime:
        worker.start_background()

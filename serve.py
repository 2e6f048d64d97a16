"""The room's server: app.py served by Streamlit, plus the inbox worker and the scheduled
backups, started when the server starts (see cxroom/ui/server.py for why not from app.py),
and the wall screen's plain page at /display (see cxroom/ui/display/routes.py).

    streamlit run serve.py --server.port 8501      (what `make run` does)
    python -m cxroom serve --server.port 8501      (the same)
"""

import streamlit as st
from starlette.middleware import Middleware

from cxroom.ui.display.routes import LegacyWallScreenLinks, display_routes
from cxroom.ui.server import lifespan

base_url = st.get_option("server.baseUrlPath") or ""
app = st.App(
    "app.py",
    lifespan=lifespan,
    routes=display_routes(base_url),
    middleware=[Middleware(LegacyWallScreenLinks, base_url=base_url)],
)

if __name__ == "__main__":
    app.run()

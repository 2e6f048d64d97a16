"""The room's server: app.py served by Streamlit, plus the inbox worker and the scheduled
backups, started when the server starts (see cxroom/ui/server.py for why not from app.py).

    streamlit run serve.py --server.port 8501      (what `make run` does)
    python -m cxroom serve --server.port 8501      (the same)
"""

import streamlit as st

from cxroom.ui.server import lifespan

app = st.App("app.py", lifespan=lifespan)

if __name__ == "__main__":
    app.run()

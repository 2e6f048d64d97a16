"""The frame of the Customer Room: page config, who-is-this-user, navigation
and the shared sidebar. No data access here: pages call cxroom."""

from __future__ import annotations

import streamlit as st

from cxroom.ui import context, identity, navigation, server, theme

# The favicon is a file served by this server: a :material: icon (the pages' own icons become the
# favicon otherwise) is fetched from Google's font servers, which an offline wall screen cannot reach.
st.set_page_config(page_title="Customer Room", layout="wide", page_icon=theme.FAVICON)

if not context.room_opens():  # e.g. another app already has this room's file: say so, plainly
    st.stop()

server.ensure_started()  # the inbox worker, if serve.py's server-start hook has not started it
user = identity.current_user()
st.session_state["user"] = user
page = st.navigation(navigation.navigation_for(user), expanded=True)
identity.sidebar_badge(user)
page.run()

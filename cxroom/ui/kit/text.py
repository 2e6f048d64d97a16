"""Text from people, links and files shown as text on every page.

``md`` is the only way such text enters Streamlit Markdown (``st.markdown``,
titles, captions, alerts, toasts, widget and tab labels, ``help=``, page links,
metric labels); ``plotly_text`` the only way it enters a chart's titles, axes,
legend or hover. Both are ``cxroom.textsafe``'s functions, which the Markdown
minutes use too: one implementation (the rules and why are written there).
Where formatting is not wanted at all, ``st.text`` and ``st.code`` show text as is.
"""

from __future__ import annotations

from cxroom.textsafe import escape_markdown as md
from cxroom.textsafe import escape_plotly as plotly_text
from cxroom.textsafe import plain

__all__ = ["md", "plain", "plotly_text"]

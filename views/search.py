"""Search (?q=...): everything customers said, ranked; each hit opens its stage, its
complaint, or its call at the moment of the words."""

from __future__ import annotations

from cxroom.ui.search import search_page

search_page()

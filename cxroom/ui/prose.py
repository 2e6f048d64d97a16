"""Consecutive Markdown drawn as one element.

A wall column is mostly short Markdown: section labels, lines of moments and
fixes, the silos. The browser pays per element, not per line: on the large
room 400 one-line ``st.markdown`` elements cost 0.77 s to draw, the same 400
lines as 12 elements 0.10 s (docs/benchmarks.md, "The wall in Chromium").
So a column writes its Markdown through a ``Prose``, which keeps consecutive
pieces and draws them together when something else (a metric, an image, a
container) comes next, or when the ``with`` block ends.

Pieces are Markdown: callers escape what people typed with ``cxroom.ui.kit.text.md``.
"""

from __future__ import annotations

from types import TracebackType

import streamlit as st


class Prose:
    def __init__(self) -> None:
        self._parts: list[str] = []

    def __enter__(self) -> Prose:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.flush()

    def heading(self, markdown: str) -> None:
        """A section label (an h6, styled as a small rule and caps by the theme)."""
        self._parts.append(f"###### {markdown}")

    def add(self, markdown: str) -> None:
        """A paragraph; an empty one is skipped."""
        if markdown:
            self._parts.append(markdown)

    def flush(self) -> None:
        """Draw what is kept, as one element; call before any other element."""
        if self._parts:
            st.markdown("\n\n".join(self._parts))
            self._parts.clear()

    @staticmethod
    def note(markdown: str) -> str:
        """A quiet aside (as ``st.caption`` looks), to ``add`` among other pieces."""
        return f":small[:gray[{markdown}]]"

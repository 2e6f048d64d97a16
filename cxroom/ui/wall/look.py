"""How the wall and the stage page mark states: Material icons only (``:material/...:``),
never symbol characters, which draw as empty boxes on a wall PC without their font; every
icon beside a word or a colour, so a state reads without colour too."""

from __future__ import annotations

from cxroom.insights.health import Rag

# The reliability ladder of a moment of truth: icon, word, colour.
RELIABILITY = {
    "broken": (":material/cancel:", "Broken", "red"),
    "unreliable": (":material/warning:", "Unreliable", "orange"),
    "reliable": (":material/check_circle:", "Reliable", "green"),
    "differentiating": (":material/star:", "Differentiating", "violet"),
}
MOVED = {1: " :material/arrow_upward:", -1: " :material/arrow_downward:", 0: ""}
RAG_COLOUR = {Rag.GREEN: "green", Rag.AMBER: "orange", Rag.RED: "red", Rag.NONE: "gray"}
FIX_ICON = {
    "chartered": ":material/flag:",
    "diagnosing": ":material/search:",
    "recommending": ":material/lightbulb:",
    "implementing": ":material/build:",
    "results": ":material/monitoring:",
    "celebrated": ":material/celebration:",
    "dropped": ":material/block:",
}


def reliability(state: str) -> str:
    """A moment's state as coloured Markdown: ':red[:material/cancel: Broken]'."""
    icon, word, colour = RELIABILITY.get(state, (":material/help:", state.capitalize(), "gray"))
    return f":{colour}[{icon}\u00a0{word}]"


def fix_icon(status: str) -> str:
    return FIX_ICON.get(status, ":material/circle:")

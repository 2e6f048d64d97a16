"""The Wall's look: static CSS written here, injected with ``st.html``.

Nothing from the database or the URL is ever interpolated into CSS except
values that passed a strict pattern first (a stage slug ``[a-z0-9-]`` and a
colour ``#RRGGBB``); customer text never goes near ``st.html``.

Colour is used for meaning only: the reliability ladder, red/amber/green and
the stage's own colour as a thin band on top of its column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from cxroom import fix_status

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")
FAVICON = Path(__file__).with_name("favicon.png")  # a wall of four stage columns, 128 px
DEFAULT_STAGE_COLOUR = "#4C78A8"

# The reliability ladder: icon + word + colour, so it reads without colour too.
RELIABILITY = {
    "broken": ("✖", "Broken", "red"),
    "unreliable": ("⚠", "Unreliable", "orange"),
    "reliable": ("✔", "Reliable", "green"),
    "differentiating": ("★", "Differentiating", "violet"),
}

# Icon + word of each fix status, as the fix board shows them (one definition in cxroom.fix_status).
FIX_STATUS = {s.value: (fix_status.look(s).icon, fix_status.look(s).label) for s in fix_status.ORDER}

# Shared by the wall and the stage page.
BASE_CSS = """
/* On screens wider than 1920 px the room's type grows with the width (15 px at 1920, 30 px at 3840). */
html { font-size: clamp(15px, 0.78vw, 40px); }
/* The wall page uses the whole width. */
[data-testid="stMainBlockContainer"]:has(.st-key-wall-columns) {
  padding-left: 1.5rem;
  padding-right: 1.5rem;
  padding-top: 3rem;
  max-width: 100%;
}
/* Wall: columns never squeeze below a readable width; more stages scroll sideways. */
.st-key-wall-columns [data-testid="stHorizontalBlock"] {
  flex-wrap: nowrap;
  overflow-x: auto;
  align-items: stretch;
  padding-bottom: 0.25rem;
}
.st-key-wall-columns [data-testid="stColumn"] {
  min-width: 11.5rem;
}
/* Every column as tall as the tallest. */
.st-key-wall-columns [data-testid="stColumn"] > [data-testid="stVerticalBlock"] { height: 100%; }
.st-key-wall-columns [data-testid="stLayoutWrapper"]:has(> [class*="st-key-stage-"]) { flex: 1 1 auto; display: flex; }
.st-key-wall-columns [data-testid="stLayoutWrapper"] > [class*="st-key-stage-"] { flex: 1 1 auto; }
[class*="st-key-stage-"] {
  min-height: 100%;
  border-top-width: 6px !important;
  border-radius: 0.6rem;
  gap: 0.65rem;
}
[class*="st-key-stage-"] h3 { padding: 0 0 0.1rem 0; line-height: 1.15; }
/* Section labels inside a column */
[data-testid="stMarkdownContainer"] h6 {
  text-transform: uppercase;
  letter-spacing: 0.06em;
  font-size: 0.7rem !important;
  font-weight: 700;
  opacity: 0.6;
  line-height: 1.2 !important;
  margin: 0.2rem 0 0 0 !important;
  border-top: 1px solid rgba(128, 128, 128, 0.25);
  padding: 0.55rem 0 0 0 !important;
}
/* The customer's goal, in their words: the paragraph after the column's name, in the same element */
[class*="st-key-stage-"] [data-testid="stHeadingWithActionElements"]:has(h3) + p { margin-top: -0.35rem; }
[class*="st-key-stage-"] [data-testid="stMarkdownContainer"]:has(h3) p {
  font-style: italic;
  opacity: 0.8;
  line-height: 1.35;
}
/* The stage's health: the only badge in a column */
[class*="st-key-stage-"] .stMarkdownBadge { font-size: 0.95rem !important; font-weight: 600; }
/* Verbatims and transcript excerpts: the customer's voice, as plain text. In a wall column
   every st.text is one, and carries the quote's rule itself (no container around it). */
:is([class*="st-key-voice-"], [class*="st-key-stage-"] [data-testid="stText"]) {
  border-left: 3px solid rgba(128, 128, 128, 0.45);
  padding-left: 0.6rem;
}
[class*="st-key-voice-"] { gap: 0.1rem; }
:is([class*="st-key-voice-"], [class*="st-key-stage-"]) [data-testid="stText"] {
  font-style: italic;
  line-height: 1.4;
  white-space: pre-wrap;
  font-size: 0.9rem;
}
/* Compact metrics in a column */
:is([class*="st-key-stage-"], [class*="st-key-compact-"])
  [data-testid="stMetricValue"] { font-size: 1.55rem; }
:is([class*="st-key-stage-"], [class*="st-key-compact-"])
  [data-testid="stMetricLabel"] p {
  font-size: 0.85rem;
  line-height: 1.25;
  white-space: normal;
}
:is([class*="st-key-stage-"], [class*="st-key-compact-"])
  [data-testid="stMetricDeltaDescription"] p { white-space: normal; }
/* Sparklines in one quiet colour: red and green are kept for verdicts. */
:is([class*="st-key-stage-"], [class*="st-key-compact-"])
  [data-testid="stMetricChart"] path[stroke]:not([stroke="transparent"]) {
  stroke: #7f93ab !important;
}
:is([class*="st-key-stage-"], [class*="st-key-compact-"])
  [data-testid="stMetricChart"] path[fill]:not([fill="transparent"]):not([fill="none"]) {
  fill: #9fb0c4 !important;
}
[class*="st-key-stage-"] [data-testid="stImage"] img {
  border-radius: 0.3rem;
  border: 1px solid rgba(128, 128, 128, 0.3);
}
.st-key-wall-header h1 { padding-bottom: 0; }
/* Streamlit pulls the element after a heading up by 1rem; section labels keep their space. */
[data-testid="stMarkdownContainer"]:has(h6) { margin-bottom: 0 !important; }
"""

# Wall-screen mode: no chrome, dark, type sized from the viewport so the same
# wall reads from 3 m on a 1080p screen and on a 4K one.
WALL_SCREEN_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
[data-testid="stSidebarNav"], [data-testid="stElementToolbar"], footer { display: none !important; }
/* Type scales with the screen: ~17 px on 1920x1080, ~33 px on 3840x2160. */
html { font-size: clamp(12px, min(1vw, 1.55vh), 48px); }
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] {
  background: #0d1117 !important;
  color: #e6edf3 !important;
}
.stApp p, .stApp li, .stApp label, .stApp h1, .stApp h2, .stApp h3, .stApp h6,
[data-testid="stMetricValue"], [data-testid="stMetricLabel"], [data-testid="stText"] { color: #e6edf3; }
[data-testid="stText"] span { color: inherit !important; }
[data-testid="stCaptionContainer"] p { color: #a9b4c0; }
/* Notes inside a column's Markdown (Prose.note: small and gray) read as captions do. */
[data-testid="stMarkdownContainer"] span[style*="font-size"] > .stMarkdownColoredText {
  color: #a9b4c0 !important;
  filter: none;
}
[data-testid="stMainBlockContainer"], [data-testid="stMainBlockContainer"]:has(.st-key-wall-columns) {
  padding: 0.9rem 1.1rem 0.4rem 1.1rem !important;
  max-width: 100% !important;
}
.st-key-wall-header h1 { font-size: 1.9rem; }
[class*="st-key-stage-"] {
  background: #161b22;
  border-color: #30363d !important;
  gap: 0.35rem;
  padding: 0.6rem 0.8rem !important;
}
[class*="st-key-stage-"] h3 { font-size: 1.45rem; padding: 0.15rem 0 0.25rem 0; }
[class*="st-key-stage-"] [data-testid="stMetricValue"] { font-size: 1.8rem; }
[class*="st-key-stage-"] [data-testid="stMarkdownContainer"] p { line-height: 1.3; }
[class*="st-key-stage-"] [data-testid="stMetricChart"] svg { background-color: transparent !important; }
/* Light-theme colours made bright enough for a dark background. */
.stMarkdownColoredText, [data-testid="stMetricDelta"] { filter: brightness(1.9) saturate(1.1); }
[data-testid="stMetricDelta"] { background-color: rgba(255, 255, 255, 0.05) !important; }
[data-testid="stMetricDelta"] p { color: inherit !important; }
[class*="st-key-voice-"], [class*="st-key-stage-"] [data-testid="stText"] { border-left-color: #58708c; }
:is([class*="st-key-voice-"], [class*="st-key-stage-"]) [data-testid="stText"] { font-size: 0.85rem; }
.st-key-wall-columns [data-testid="stColumn"] { min-width: 0; }
[class*="st-key-spotlight-"] [data-testid="stText"] { font-size: 1.1rem; }
[class*="st-key-fixes-"] p { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; margin-bottom: 0.15rem; }
[class*="st-key-fixes-"] p:last-child { margin-bottom: 0; }
/* Fit one screen: short sparklines, the goal and quotes clamped. */
[class*="st-key-stage-"] [data-testid="stMarkdownContainer"]:has(h3) p,
:is([class*="st-key-voice-"], [class*="st-key-stage-"]) [data-testid="stText"] span {
  display: -webkit-box;
  -webkit-box-orient: vertical;
  -webkit-line-clamp: 3;
  overflow: hidden;
}
[class*="st-key-stage-"] [data-testid="stMarkdownContainer"]:has(h3) p { -webkit-line-clamp: 2; }
/* Safety net: an unattended screen never scrolls; a wall with too much to say is cut at the bottom. */
.st-key-wall-columns {
  max-height: calc(100vh - 6.8rem);
  overflow: hidden;
}
"""

SPOTLIGHT_CSS = """
.st-key-stage-{slug} {{
  box-shadow: inset 0 0 0 3px {colour}, 0 0 2rem rgba(255, 255, 255, 0.12);
  background: #1c2330 !important;
  transition: box-shadow 1.2s ease, background 1.2s ease;
}}
"""


def stage_colour(colour: str) -> str:
    return colour if _HEX.match(colour or "") else DEFAULT_STAGE_COLOUR


def stage_colours_css(colours: Mapping[str, str]) -> str:
    """A coloured top band per stage column; slugs and colours are validated first."""
    rules = []
    for slug, colour in colours.items():
        if _SLUG.match(slug):
            rules.append(f".st-key-stage-{slug} {{ border-top-color: {stage_colour(colour)} !important; }}")
    return "\n".join(rules)


def spotlight_css(slug: str, colour: str) -> str:
    if not _SLUG.match(slug):
        return ""
    return SPOTLIGHT_CSS.format(slug=slug, colour=stage_colour(colour))


def apply(*, wall_screen: bool = False, colours: Mapping[str, str] | None = None, spotlight: str = "") -> None:
    """Inject the room's CSS (one invisible element)."""
    css = BASE_CSS
    if colours:
        css += stage_colours_css(colours)
    if wall_screen:
        css += WALL_SCREEN_CSS
    css += spotlight
    st.html(f"<style>{css}</style>")

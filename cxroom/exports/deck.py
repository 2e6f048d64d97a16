"""The deck as a model both renderers draw the same way: a 16:9 slide with a title, an
optional subtitle, text blocks on the left (or across), charts on the right, or a table.

Sizes are in inches and points and are shared by both renderers, so what fits the PDF (whose
renderer measures) fits the PPTX. Text here is plain text from people and files: renderers
escape it for their format; ``clean`` drops the control characters no format can hold.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from cxroom.textsafe import plain

SLIDE_W_IN = 13.333
SLIDE_H_IN = 7.5
MARGIN_IN = 0.5
TITLE_TOP_IN = 0.35
TITLE_H_IN = 0.85
SUBTITLE_H_IN = 0.5
BODY_TOP_IN = TITLE_TOP_IN + TITLE_H_IN + SUBTITLE_H_IN + 0.1
BODY_H_IN = SLIDE_H_IN - BODY_TOP_IN - 0.35
TEXT_W_WITH_CHARTS_IN = 7.3
CHART_W_IN = SLIDE_W_IN - 2 * MARGIN_IN - TEXT_W_WITH_CHARTS_IN - 0.3

# Projector sizes: nothing on a slide is smaller than BODY_PT.
LEADING = 1.18
TITLE_PT = 34
SUBTITLE_PT = 20
HEADING_PT = 20
BODY_PT = 18
MIN_PT = BODY_PT

# Text colours (hex RGB) with a contrast a washed-out projector keeps.
INK = "1B2430"
MUTED = "4A5563"
TONE_COLOURS = {"bad": "B42318", "warn": "9A5B00", "good": "1E7B34", "plain": INK}


@dataclass(frozen=True)
class Line:
    text: str
    tone: str = "plain"  # bad | warn | good | plain: the colour of the line


@dataclass(frozen=True)
class Block:
    heading: str
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Line, ...], ...]
    widths_in: tuple[float, ...]
    font_pt: int = BODY_PT
    padding_pt: int = 6  # above and below a row's text, together


@dataclass(frozen=True)
class Slide:
    title: str
    subtitle: str = ""
    blocks: tuple[Block, ...] = ()
    charts: tuple[bytes, ...] = ()  # PNGs, stacked on the right
    table: Table | None = None
    accent: str = "2F5D8A"  # the stage's colour as hex RGB, for the bar under the title


def body_top_in(slide: Slide) -> float:
    """Where a slide's body starts: below the subtitle, or right below the title without one."""
    return BODY_TOP_IN if slide.subtitle else TITLE_TOP_IN + TITLE_H_IN + 0.25


def body_h_in(slide: Slide) -> float:
    return BODY_H_IN + BODY_TOP_IN - body_top_in(slide)


@dataclass(frozen=True)
class Deck:
    title: str
    slides: tuple[Slide, ...]


def clean(text: object) -> str:
    """``text`` as one line of printable characters (control characters, which neither
    XML in a PPTX nor a PDF's text can hold, are dropped)."""
    return "".join(ch for ch in plain(text) if unicodedata.category(ch) not in ("Cc", "Cs", "Co"))


def clip(text: object, limit: int) -> str:
    """``text`` cleaned and cut at a word to at most ``limit`` characters, with an ellipsis."""
    value = clean(text)
    if len(value) <= limit:
        return value
    cut = value[: limit - 1].rsplit(" ", 1)[0] if " " in value[: limit - 1] else value[: limit - 1]
    return cut.rstrip(" ,.;:-") + "…"


def hex_colour(value: str | None, default: str = "2F5D8A") -> str:
    """A stage colour from the room ('#c0392b') as 6 hex digits, or ``default`` when not one."""
    digits = (value or "").strip().lstrip("#")
    if len(digits) == 6 and all(c in "0123456789abcdefABCDEF" for c in digits):
        return digits.upper()
    return default


FONT, BOLD = "DejaVuSans", "DejaVuSans-Bold"
# DejaVu Sans, which matplotlib ships: the charts and the PDF draw with it, and text is measured
# with it, so what fits the PDF fits the charts; PowerPoint's Calibri is narrower, so it fits there too.
_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def register_fonts() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(_FONTS / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(BOLD, str(_FONTS / "DejaVuSans-Bold.ttf")))


def text_width_in(text: str, font_pt: float, *, bold: bool = False) -> float:
    register_fonts()
    return float(pdfmetrics.stringWidth(text, BOLD if bold else FONT, font_pt)) / 72


def fit(text: object, width_in: float, font_pt: float, *, lines: int = 1, bold: bool = False) -> str:
    """``text`` cleaned and, when it wraps to more than ``lines`` lines of ``width_in`` at
    ``font_pt``, cut at a word with an ellipsis so that it wraps to ``lines`` (measured)."""
    words = clean(text).split(" ")
    rows: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if text_width_in(candidate, font_pt, bold=bold) <= width_in:
            current = candidate
            continue
        if current:
            rows.append(current)
        current = word
        while text_width_in(current, font_pt, bold=bold) > width_in:  # a word longer than a line
            cut = _longest_prefix(current, width_in, font_pt, bold)
            rows.append(current[:cut])
            current = current[cut:]
    if current:
        rows.append(current)
    if len(rows) <= lines:
        return " ".join(rows)
    last = rows[lines - 1]
    while last and text_width_in(last.rstrip(" ,.;:-") + "…", font_pt, bold=bold) > width_in:
        last = last[:-1]
    return " ".join([*rows[: lines - 1], last.rstrip(" ,.;:-") + "…"])


def _longest_prefix(word: str, width_in: float, font_pt: float, bold: bool) -> int:
    n = len(word)
    while n > 1 and text_width_in(word[:n], font_pt, bold=bold) > width_in:
        n -= 1
    return n


CONTENT_W_IN = SLIDE_W_IN - 2 * MARGIN_IN


def title_text(text: object) -> str:
    return fit(text, CONTENT_W_IN, TITLE_PT, bold=True)


def subtitle_text(text: object) -> str:
    return fit(text, CONTENT_W_IN, SUBTITLE_PT)


def body_line(text: object, width_in: float, *, lines: int = 2) -> str:
    """A line of a text block: at most ``lines`` wrapped lines of ``width_in`` at BODY_PT."""
    return fit(text, width_in, BODY_PT, lines=lines)

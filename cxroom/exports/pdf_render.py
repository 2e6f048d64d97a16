"""A deck as a PDF, one 16:9 page a slide, drawn with reportlab.

reportlab because it is maintained, pure Python (no browser or LibreOffice to run), embeds
TrueType fonts (DejaVu Sans, which matplotlib ships: every script a customer may write in
Latin, Greek or Cyrillic, and no missing-glyph boxes for curly quotes or dashes) and its
frames report what did not fit. Its Paragraph parses a mini-markup (<b>, <a href>, <img>),
so every text from people goes through ``html.escape`` first: text stays text.
"""

from __future__ import annotations

import html
import io

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Paragraph, TableStyle
from reportlab.platypus import Table as PdfTable

from cxroom.exports.deck import (
    BODY_H_IN,
    BODY_PT,
    BODY_TOP_IN,
    BOLD,
    CHART_W_IN,
    FONT,
    HEADING_PT,
    INK,
    LEADING,
    MARGIN_IN,
    MUTED,
    SLIDE_H_IN,
    SLIDE_W_IN,
    SUBTITLE_H_IN,
    SUBTITLE_PT,
    TEXT_W_WITH_CHARTS_IN,
    TITLE_H_IN,
    TITLE_PT,
    TITLE_TOP_IN,
    TONE_COLOURS,
    Deck,
    Line,
    Slide,
    Table,
    body_h_in,
    body_top_in,
    register_fonts,
)


def _style(size: int, colour: str, *, bold: bool = False, space_before: float = 0) -> ParagraphStyle:
    return ParagraphStyle(
        f"s{size}{colour}{bold}{space_before}",
        fontName=BOLD if bold else FONT,
        fontSize=size,
        leading=size * LEADING,
        textColor=colors.HexColor(f"#{colour}"),
        spaceBefore=space_before,
    )


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(html.escape(text, quote=False), style)


def _y(top_in: float, height_in: float) -> float:
    """reportlab measures from the bottom of the page."""
    return float((SLIDE_H_IN - top_in - height_in) * inch)


def _place(canvas: Canvas, flowables: list[Flowable], x_in: float, top_in: float, w_in: float, h_in: float) -> bool:
    """Draw ``flowables`` in a frame; False when some did not fit."""
    frame = Frame(x_in * inch, _y(top_in, h_in), w_in * inch, h_in * inch, 0, 0, 0, 0, showBoundary=0)
    pending = list(flowables)
    frame.addFromList(pending, canvas)
    return not pending


def _line_para(line: Line, size: int) -> Paragraph:
    return _para(line.text, _style(size, TONE_COLOURS[line.tone], space_before=3))


def _table(table: Table) -> PdfTable:
    header = [_para(text, _style(table.font_pt, "FFFFFF", bold=True)) for text in table.header]
    rows = [[_line_para(line, table.font_pt) for line in row] for row in table.rows]
    grid = PdfTable([header, *rows], colWidths=[w * inch for w in table.widths_in], repeatRows=0)
    grid.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2F5D8A")),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#EEF2F6")]),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), table.padding_pt / 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), table.padding_pt * 2 / 3),
            ]
        )
    )
    return grid


def _slide(canvas: Canvas, model: Slide) -> bool:
    """Draw one slide; False when some of it did not fit."""
    fits = _place(
        canvas,
        [_para(model.title, _style(TITLE_PT, INK, bold=True))],
        MARGIN_IN,
        TITLE_TOP_IN,
        SLIDE_W_IN - 2 * MARGIN_IN,
        TITLE_H_IN,
    )
    canvas.setFillColor(colors.HexColor(f"#{model.accent}"))
    canvas.rect(MARGIN_IN * inch, _y(TITLE_TOP_IN + TITLE_H_IN + 0.02, 0.08), 1.6 * inch, 0.08 * inch, 0, 1)
    if model.subtitle:
        fits &= _place(
            canvas,
            [_para(model.subtitle, _style(SUBTITLE_PT, MUTED))],
            MARGIN_IN,
            TITLE_TOP_IN + TITLE_H_IN + 0.1,
            SLIDE_W_IN - 2 * MARGIN_IN,
            SUBTITLE_H_IN,
        )
    if model.table is not None:
        fits &= _place(
            canvas, [_table(model.table)], MARGIN_IN, body_top_in(model), SLIDE_W_IN - 2 * MARGIN_IN, body_h_in(model)
        )
    if model.blocks:
        flowables: list[Flowable] = []
        for i, block in enumerate(model.blocks):
            flowables.append(_para(block.heading, _style(HEADING_PT, INK, bold=True, space_before=0 if i == 0 else 6)))
            flowables += [_line_para(line, BODY_PT) for line in block.lines]
        width = TEXT_W_WITH_CHARTS_IN if model.charts else SLIDE_W_IN - 2 * MARGIN_IN
        fits &= _place(canvas, flowables, MARGIN_IN, BODY_TOP_IN, width, BODY_H_IN)
    height = BODY_H_IN / max(1, len(model.charts))
    for i, png in enumerate(model.charts):
        canvas.drawImage(
            ImageReader(io.BytesIO(png)),
            (SLIDE_W_IN - MARGIN_IN - CHART_W_IN) * inch,
            _y(BODY_TOP_IN + i * height, height - 0.1),
            CHART_W_IN * inch,
            (height - 0.1) * inch,
            preserveAspectRatio=True,
        )
    return fits


def _draw(deck: Deck) -> tuple[bytes, list[str]]:
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(SLIDE_W_IN * inch, SLIDE_H_IN * inch), pageCompression=1)
    canvas.setTitle(deck.title)
    overflowing = []
    for model in deck.slides:
        if not _slide(canvas, model):
            overflowing.append(model.title)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue(), overflowing


def render_pdf(deck: Deck) -> bytes:
    return _draw(deck)[0]


def overflowing_slides(deck: Deck) -> list[str]:
    """The titles of the slides whose text does not fit its box (the builders keep this empty)."""
    return _draw(deck)[1]

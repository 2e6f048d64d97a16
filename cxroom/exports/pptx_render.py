"""A deck as a PowerPoint file (python-pptx): real title placeholders (the outline and
screen readers find each slide's title), text boxes with an explicit size on every run,
charts as pictures. python-pptx writes text as XML text, so nothing in it is markup."""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Inches, Pt

from cxroom.exports.deck import (
    BODY_H_IN,
    BODY_PT,
    BODY_TOP_IN,
    CHART_W_IN,
    HEADING_PT,
    INK,
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
    Slide,
    Table,
    body_h_in,
    body_top_in,
)

TITLE_ONLY_LAYOUT = 5  # in python-pptx's default template


def _rgb(hex_digits: str) -> RGBColor:
    return RGBColor(*bytes.fromhex(hex_digits))  # type: ignore[no-untyped-call]  # python-pptx leaves it untyped


def _run(paragraph, text: str, size: int, colour: str, *, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = _rgb(colour)


def _title(slide, model: Slide) -> None:  # type: ignore[no-untyped-def]
    shape = slide.shapes.title
    shape.left, shape.top = Inches(MARGIN_IN), Inches(TITLE_TOP_IN)
    shape.width, shape.height = Inches(SLIDE_W_IN - 2 * MARGIN_IN), Inches(TITLE_H_IN)
    frame = shape.text_frame
    frame.clear()
    frame.vertical_anchor = MSO_ANCHOR.BOTTOM
    paragraph = frame.paragraphs[0]
    paragraph.alignment = 1  # left
    _run(paragraph, model.title, TITLE_PT, INK, bold=True)
    bar = slide.shapes.add_shape(
        1, Inches(MARGIN_IN), Inches(TITLE_TOP_IN + TITLE_H_IN + 0.02), Inches(1.6), Inches(0.08)
    )
    bar.fill.solid()
    bar.fill.fore_color.rgb = _rgb(model.accent)
    bar.line.fill.background()
    if model.subtitle:
        box = slide.shapes.add_textbox(
            Inches(MARGIN_IN),
            Inches(TITLE_TOP_IN + TITLE_H_IN + 0.1),
            Inches(SLIDE_W_IN - 2 * MARGIN_IN),
            Inches(SUBTITLE_H_IN),
        )
        box.text_frame.word_wrap = True
        _run(box.text_frame.paragraphs[0], model.subtitle, SUBTITLE_PT, MUTED)


def _blocks(slide, model: Slide, width_in: float) -> None:  # type: ignore[no-untyped-def]
    box = slide.shapes.add_textbox(Inches(MARGIN_IN), Inches(BODY_TOP_IN), Inches(width_in), Inches(BODY_H_IN))
    frame = box.text_frame
    frame.word_wrap = True
    first = True
    for block in model.blocks:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        paragraph.space_before = Pt(0 if first else 6)
        first = False
        _run(paragraph, block.heading, HEADING_PT, INK, bold=True)
        for line in block.lines:
            paragraph = frame.add_paragraph()
            paragraph.space_before = Pt(3)
            _run(paragraph, line.text, BODY_PT, TONE_COLOURS[line.tone])


def _charts(slide, model: Slide) -> None:  # type: ignore[no-untyped-def]
    left = SLIDE_W_IN - MARGIN_IN - CHART_W_IN
    height = BODY_H_IN / max(1, len(model.charts))
    for i, png in enumerate(model.charts):
        slide.shapes.add_picture(
            io.BytesIO(png), Inches(left), Inches(BODY_TOP_IN + i * height), Inches(CHART_W_IN), Inches(height - 0.1)
        )


def _table(slide, model: Slide, table: Table) -> None:  # type: ignore[no-untyped-def]
    row_h = min(0.6, body_h_in(model) / (len(table.rows) + 1))
    shape = slide.shapes.add_table(
        len(table.rows) + 1,
        len(table.header),
        Inches(MARGIN_IN),
        Inches(body_top_in(model)),
        Inches(sum(table.widths_in)),
        Inches(row_h * (len(table.rows) + 1)),
    )
    grid = shape.table
    for j, width in enumerate(table.widths_in):
        grid.columns[j].width = Inches(width)
    for i in range(len(table.rows) + 1):
        grid.rows[i].height = Inches(row_h)
    for j, text in enumerate(table.header):
        cell = grid.cell(0, j)
        cell.text_frame.clear()
        _run(cell.text_frame.paragraphs[0], text, table.font_pt, "FFFFFF", bold=True)
    for i, row in enumerate(table.rows, start=1):
        for j, line in enumerate(row):
            cell = grid.cell(i, j)
            cell.text_frame.clear()
            cell.margin_top, cell.margin_bottom = Pt(table.padding_pt / 3), Pt(table.padding_pt * 2 / 3)
            _run(cell.text_frame.paragraphs[0], line.text, table.font_pt, TONE_COLOURS[line.tone])


def render_pptx(deck: Deck) -> bytes:
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    presentation.core_properties.title = deck.title
    layout = presentation.slide_layouts[TITLE_ONLY_LAYOUT]
    for model in deck.slides:
        slide = presentation.slides.add_slide(layout)
        _title(slide, model)
        if model.table is not None:
            _table(slide, model, model.table)
        if model.blocks:
            _blocks(slide, model, TEXT_W_WITH_CHARTS_IN if model.charts else SLIDE_W_IN - 2 * MARGIN_IN)
        if model.charts:
            _charts(slide, model)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()

"""The leaders' decks: python-pptx re-opens the PPTX, pdftoppm renders the PDF, and text
from people stays text in both."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Pt
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from cxroom.exports import charts
from cxroom.exports.build import DeckFormat, build_review_deck, build_wall_deck, render
from cxroom.exports.deck import BODY_PT, FONT, LEADING, MIN_PT, body_line, fit, register_fonts
from cxroom.exports.pdf_render import overflowing_slides
from cxroom.formatting import fmt_amount, fmt_count, fmt_count_change, month_label
from cxroom.models import StageCreate
from cxroom.queries.customer_math import load_customer_math
from cxroom.queries.wall.wall_data import load_wall
from cxroom.services import room
from cxroom.store import Store
from tests.conftest import DEMO_END_MONTH
from tests.queries.wall_rooms import HOSTILE, MONTH, small_room

TODAY = date(2026, 11, 10)
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils (pdftoppm)")


def _runs(presentation: Presentation) -> list[tuple[str, object]]:
    """Every text run of every slide, in text boxes, placeholders and table cells."""
    found = []
    for slide in presentation.slides:
        for shape in slide.shapes:
            frames = []
            if shape.has_text_frame:
                frames.append(shape.text_frame)
            if shape.has_table:
                frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
            for frame in frames:
                found += [(run.text, run.font.size) for p in frame.paragraphs for run in p.runs if run.text.strip()]
    return found


def _pages(pdf: bytes, folder: Path) -> list[Path]:
    (folder / "deck.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(folder / "deck.pdf"), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def _inked(png: Path) -> float:
    """The share of a page's pixels that are not white."""
    grey = Image.open(png).convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[245:]) / (grey.width * grey.height)


def test_the_wall_deck_reopens_with_a_slide_per_stage_titles_charts_and_projector_type(demo_store: Store) -> None:
    wall = load_wall(demo_store, DEMO_END_MONTH)
    deck = Presentation(io.BytesIO(render(build_wall_deck(demo_store, DEMO_END_MONTH, today=TODAY), DeckFormat.PPTX)))

    # The summary, customers in and out (the demo room has movements), then a slide per stage.
    assert len(deck.slides) == 2 + len(wall.columns) and len(wall.columns) >= 5
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[0] == f"The wall for {month_label(DEMO_END_MONTH)}"
    assert titles[1] == f"Customers in and out: {month_label(DEMO_END_MONTH)}"
    assert [t.split(":")[0] for t in titles[2:]] == [c.stage.name for c in wall.columns]
    for slide, column in zip(list(deck.slides)[2:], wall.columns, strict=True):
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 2, column.stage.name  # complaints trend and the worst KPI's trend
    summary = deck.slides[0].shapes
    table = next(s for s in summary if s.has_table).table
    assert len(table.rows) == 1 + len(wall.columns)
    runs = _runs(deck)
    assert len(runs) > 100
    assert all(size is not None and size >= Pt(MIN_PT) for _text, size in runs), min(s for _t, s in runs if s)


@needs_poppler
def test_the_wall_pdf_renders_one_filled_page_per_slide_and_everything_fits(demo_store: Store, tmp_path: Path) -> None:
    deck = build_wall_deck(demo_store, DEMO_END_MONTH, today=TODAY)
    pages = _pages(render(deck, DeckFormat.PDF), tmp_path)
    assert len(pages) == len(deck.slides)
    inked = [_inked(p) for p in pages]
    assert min(inked) > 0.03, inked  # titles, tables and charts: no blank page
    assert overflowing_slides(deck) == []


def _texts(slide: object) -> str:
    return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)  # type: ignore[attr-defined]


def test_the_wall_deck_carries_the_months_customer_math_as_the_read_model_gives_it(demo_store: Store) -> None:
    cm = load_customer_math(demo_store, DEMO_END_MONTH)
    m, unit = cm.this_month, cm.definitions.value_unit
    assert m is not None and cm.has_data and m.customers_out > 0
    wall = load_wall(demo_store, DEMO_END_MONTH)
    opened = Presentation(io.BytesIO(render(build_wall_deck(demo_store, DEMO_END_MONTH, today=TODAY), DeckFormat.PPTX)))
    summary, math = _texts(opened.slides[0]), _texts(opened.slides[1])
    net = fmt_count_change(m.customers_in - m.customers_out)
    value_lost = fmt_amount(m.value_out, unit)
    assert (
        f"Customers in {fmt_count(m.customers_in)} · lost {fmt_count(m.customers_out)} · net {net}" in summary
        and f"value lost {value_lost}" in summary
    ), summary
    for figure in (
        f"In {fmt_count(m.customers_in)} ({fmt_amount(m.value_in, unit)})",
        f"Lost {fmt_count(m.customers_out)} ({fmt_count(m.downgraded)} downgraded)",
        f"Net {net}",
        f"Value lost {value_lost}",
    ):
        assert figure in math, (figure, math)
    assert "In: " + cm.definitions.incoming[:40] in math and "Out: " + cm.definitions.outgoing[:40] in math
    # Losses by stage: the stage that lost most leads, with its count and value; the top reason is named.
    names = {c.stage.id: c.stage.name for c in wall.columns}
    worst = max(cm.by_stage.values(), key=lambda x: x.customers)
    assert f"{names[worst.stage_id]}: {fmt_count(worst.customers)} · {fmt_amount(worst.value, unit)}" in math
    assert cm.by_reason[0][0] in math
    assert f"of {fmt_count(m.customers_out)} lost customers" in opened.slides[1].shapes.title.text + math
    pictures = [s for s in opened.slides[1].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 2  # the 24-month trend and the losses by stage
    assert all(size >= Pt(MIN_PT) for _t, size in _runs(opened))


def test_a_room_without_movements_has_no_customer_math_in_its_deck(empty_store: Store) -> None:
    small_room(empty_store)
    deck = build_wall_deck(empty_store, MONTH, today=TODAY)
    wall = load_wall(empty_store, MONTH)
    assert len(deck.slides) == 1 + len(wall.columns)  # no "Customers in and out" slide, not a slide of zeros
    assert "Customers in" not in deck.slides[0].subtitle and "at risk" in deck.slides[0].subtitle
    assert not any(s.title.startswith("Customers in and out") for s in deck.slides)


@needs_poppler
def test_a_review_deck_has_its_agenda_findings_decisions_fixes_and_wins(demo_store: Store, tmp_path: Path) -> None:
    review_id, decision = demo_store.fetch_dicts(
        "SELECT review_id, text FROM review_decisions ORDER BY review_id DESC, id LIMIT 1"
    )[0].values()
    deck = build_review_deck(demo_store, int(review_id), today=TODAY)
    opened = Presentation(io.BytesIO(render(deck, DeckFormat.PPTX)))
    titles = [slide.shapes.title.text for slide in opened.slides]
    for section in ("Agenda", "Findings", "Decisions", "Fixes", "Wins"):
        assert any(t.startswith(section) for t in titles), (section, titles)
    decisions = next(s for s in opened.slides if s.shapes.title.text.startswith("Decisions"))
    body = " ".join(text for shape in decisions.shapes if shape.has_text_frame for text in [shape.text_frame.text])
    assert decision.split()[0] in body
    assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in opened.slides[0].shapes)
    assert all(size >= Pt(MIN_PT) for _t, size in _runs(opened))
    pages = _pages(render(deck, DeckFormat.PDF), tmp_path)
    assert len(pages) == len(deck.slides) and min(_inked(p) for p in pages) > 0.01
    assert overflowing_slides(deck) == []


@needs_poppler
def test_text_from_people_is_text_in_the_pdf_and_the_pptx(empty_store: Store, tmp_path: Path) -> None:
    small_room(empty_store)  # a hostile verbatim and a customer goal with tags and Markdown
    deck = build_wall_deck(empty_store, MONTH, today=TODAY)
    (tmp_path / "d.pdf").write_bytes(render(deck, DeckFormat.PDF))
    text = subprocess.run(["pdftotext", str(tmp_path / "d.pdf"), "-"], capture_output=True, text=True, check=True)
    flat = " ".join(text.stdout.split())
    assert "<b>please</b>" in flat  # reportlab would have made it bold and dropped the tags
    assert "<script>alert(2)</script>" in flat and "<img src=x" in flat
    opened = Presentation(io.BytesIO(render(deck, DeckFormat.PPTX)))
    texts = " ".join(t for t, _s in _runs(opened))
    assert "<b>please</b>" in texts and HOSTILE.split("**")[0].strip() in texts
    assert overflowing_slides(deck) == []


def test_sixteen_stages_fit_one_summary_slide_at_projector_size(empty_store: Store) -> None:
    for n in range(16):
        room.create_stage(
            empty_store, StageCreate(slug=f"stage-{n}", name=f"A rather long stage name {n}"), actor="system"
        )
    deck = build_wall_deck(empty_store, MONTH, today=TODAY)
    assert len(deck.slides) == 17
    assert deck.slides[0].table is not None and deck.slides[0].table.font_pt >= MIN_PT
    assert overflowing_slides(deck) == []


@pytest.mark.parametrize("lines", [1, 2, 3])
def test_fit_cuts_text_to_the_lines_reportlab_wraps_it_to(lines: int) -> None:
    register_fonts()
    long = "The customer waited " + "and waited, " * 40 + "Supercalifragilisticexpialidocious" * 4
    width_in = 4.0
    fitted = fit(long, width_in, BODY_PT, lines=lines)
    assert fitted.endswith("…") and len(fitted) < len(long)
    style = ParagraphStyle("t", fontName=FONT, fontSize=BODY_PT, leading=BODY_PT * LEADING)
    _w, height = Paragraph(fitted, style).wrap(width_in * 72, 10_000)
    assert height <= lines * BODY_PT * LEADING + 0.01
    assert body_line("short enough", 6.0) == "short enough"


def test_a_dollar_in_a_kpi_name_is_not_read_as_maths() -> None:
    assert charts._text("Cost $ per claim in $", 5.0, 18) == r"Cost \$ per claim in \$"
    png = charts.kpi_chart("Cost $x^2$ claim", [date(2026, m, 1) for m in range(1, 11)], [1.0] * 10, 2.0, (5, 2.5))
    assert png.startswith(b"\x89PNG")

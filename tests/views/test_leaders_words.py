"""What leaders read carries no ids, no ``None``, no internal names and no statistics jargon,
and fix statuses read as words: the minutes (Markdown and HTML) of every demo review, every
presenter slide of the latest one (AppTest; the method behind a verdict may sit in an expander,
which is left out), the text of the review and wall decks (python-pptx re-opens them) and every
digest mail of the month (text and HTML)."""

from __future__ import annotations

import html
import io
import re
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block, Expander, Node

from cxroom import fix_status
from cxroom.digest.run import prepare
from cxroom.exports.build import DeckFormat, build_review_deck, build_wall_deck, render
from cxroom.insights.agenda import propose_agenda
from cxroom.models import FindingCreate, FixStatus, ReviewCreate
from cxroom.permissions import SINGLE_USER_ACTOR
from cxroom.queries.reviews import agenda_facts, contents
from cxroom.queries.reviews.minutes_doc import minutes, minutes_html, minutes_markdown
from cxroom.services import review_capture as capture
from cxroom.services import reviews as rs
from cxroom.settings import Settings
from cxroom.store import Store, open_store
from cxroom.ui.reviews.state import REVIEW_TABS
from tests.conftest import DEMO_END_MONTH

TODAY = date(2026, 11, 10)
FORBIDDEN = ("None", "(fix ", "by local", "z = ", "Poisson", "p = 0", "p < 0", "#")
# A status value as the database keeps it, shown raw: '(results', 'results,' or 'in_session'.
RAW_STATUS = re.compile(
    r"\((?:" + "|".join(s.value for s in FixStatus) + r")[,)]|\b(?:in_session|too_little_data|no_change|target_met)\b"
)


def _unescaped(text: str) -> str:
    return text.replace("\\", "").replace("**", "")


def _html_text(page: str) -> str:
    """What a reader sees of an HTML page: no styles, tags or attributes (colours like #556)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<style.*?</style>", "", page)))


def _check(where: str, text: str) -> None:
    plain = _unescaped(text)
    found = [word for word in FORBIDDEN if word in plain]
    # '#' is Markdown's heading; an id would read '#12'.
    found = [w for w in found if w != "#"] + re.findall(r"#\d+", plain)
    assert not found, f"{where}: {found} in {plain[:3000]}"
    assert not RAW_STATUS.search(plain), f"{where}: a raw status {RAW_STATUS.search(plain)} in {plain[:3000]}"


def _visible(node: Node) -> Iterator[str]:
    """The text of every element outside an expander (the method behind a verdict lives in one)."""
    if isinstance(node, Expander):
        yield str(node.label)
        return
    if isinstance(node, Block):
        for child in node.children.values():
            yield from _visible(child)
        return
    for attr in ("value", "label", "body"):
        value = getattr(node, attr, None)
        if isinstance(value, str):
            yield value
    options = getattr(node, "options", None)
    if isinstance(options, list):
        yield from (str(o) for o in options)


@pytest.fixture(scope="module")
def reviews(demo_settings: Settings) -> list[int]:
    store = open_store(demo_settings.db_path)
    return [int(r["id"]) for r in store.fetch_dicts("SELECT id FROM reviews ORDER BY held_on, id")]


def test_minutes_read_in_words(demo_store: Store, reviews: list[int]) -> None:
    assert reviews, "the demo holds reviews"
    shown_statuses = 0
    for review_id in reviews:
        m = minutes(demo_store, review_id)
        assert m is not None
        _check(f"minutes {review_id} (Markdown)", minutes_markdown(m))
        _check(f"minutes {review_id} (HTML)", _html_text(minutes_html(m)))
        for p in m.presentations:
            assert f"{fix_status.word(p['status'])}, lead" in minutes_markdown(m)
            shown_statuses += 1
    assert shown_statuses, "the demo's reviews heard teams present"


def test_decks_read_in_words(demo_store: Store, reviews: list[int]) -> None:
    decks = [build_review_deck(demo_store, r, today=TODAY) for r in reviews]
    decks.append(build_wall_deck(demo_store, DEMO_END_MONTH, today=TODAY))
    for deck in decks:
        opened = Presentation(io.BytesIO(render(deck, DeckFormat.PPTX)))
        text = "\n".join(
            shape.text_frame.text for slide in opened.slides for shape in slide.shapes if shape.has_text_frame
        )
        _check(f"deck {deck.title}", text)


def test_digests_read_in_words(demo_store: Store) -> None:
    prepared = prepare(demo_store, DEMO_END_MONTH, today=TODAY, sender="Room <room@example.org>")
    assert prepared.messages
    for digest, msg in prepared.messages:
        text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        html_part = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
        _check(f"digest to {digest.recipient.email}", text + _html_text(html_part))
        for f in (*digest.open_fixes,):
            assert fix_status.word(f.status) in text


@pytest.fixture(scope="module")
def planned_room(demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, int]:
    """A private copy of the demo room with a review held 20 November 2026 and its proposed agenda
    (the stages to walk, the fixes due to present, the wins and the decisions to follow up)."""
    target = tmp_path_factory.mktemp("leaders-words") / "room.duckdb"
    shutil.copyfile(demo_settings.db_path, target)
    wal = Path(f"{demo_settings.db_path}.wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}.wal"))
    store = open_store(target)
    held = date(2026, 11, 20)
    proposal = propose_agenda(agenda_facts.agenda_inputs(store, held_on=held))
    items = [rs.AgendaItemCreate.model_validate(p, from_attributes=True) for p in proposal]
    data = ReviewCreate(held_on=held, title="Monthly room review · October 2026", attendees=["Catherine Doyle"])
    review = rs.plan_review(store, data, agenda=items, actor="system")
    # A finding typed at a single-user room: its author is "local" in the audit log.
    capture.add_finding(
        store, FindingCreate(review_id=review, text="Nobody calls back", stage_slug="claim"), actor=SINGLE_USER_ACTOR
    )
    return Settings(db_path=target, media_dir=demo_settings.media_dir), review


def test_every_presenter_slide_reads_in_words(
    app_for: Callable[..., AppTest], planned_room: tuple[Settings, int]
) -> None:
    settings, review = planned_room
    items = contents.agenda(open_store(settings.db_path), review)
    assert any(i.fix_id is not None for i in items), "the proposed agenda has a fix to present"
    slides = [{"item": str(n)} for n in range(1, len(items) + 1)] + [{"stage": "claim"}, {"listen": "1"}]
    fix_slides = 0
    for params in slides:
        at = app_for(settings)
        at.run()
        at.switch_page("views/presenter.py")
        at.query_params["review"] = str(review)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, at.exception
        text = "\n".join(_visible(at._tree))
        _check(f"presenter {params}", text)
        if "A fix team presents" in text:
            fix_slides += 1
            assert any(f" · {fix_status.word(s.value)} · lead" in text for s in FixStatus), text
    assert fix_slides, "the review has a fix team presenting"


@pytest.mark.parametrize("tab", REVIEW_TABS)
def test_every_tab_of_the_review_page_reads_in_words(
    app_for: Callable[..., AppTest], planned_room: tuple[Settings, int], tab: str
) -> None:
    settings, review = planned_room
    at = app_for(settings)
    at.run()
    at.switch_page("views/review.py")
    at.query_params["review"] = str(review)
    at.session_state["review-tab"] = tab  # only the open tab runs
    at.run()
    assert not at.exception, at.exception
    text = "\n".join(_visible(at._tree))
    _check(f"review page, {tab}", text)
    if tab == "Capture":
        assert "Nobody calls back" in _unescaped(text)  # the finding is there, without "by local"

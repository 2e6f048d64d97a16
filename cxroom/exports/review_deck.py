"""A review as a deck: a summary slide (what the review looked at, what it produced, what
changed, complaints by stage as a chart), then its agenda, findings, decisions, fixes and
wins, each on as many slides as it needs (a long list continues, it is never shrunk)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from cxroom import fix_status
from cxroom.exports import charts
from cxroom.exports.deck import (
    BODY_H_IN,
    CHART_W_IN,
    CONTENT_W_IN,
    TEXT_W_WITH_CHARTS_IN,
    Block,
    Deck,
    Line,
    Slide,
    body_line,
    clip,
    subtitle_text,
    title_text,
)
from cxroom.formatting import date_text, fmt_count, month_label
from cxroom.insights.follow_up import FollowUpState, state_of
from cxroom.queries.reviews.minutes_doc import Minutes
from cxroom.queries.wall.wall_data import WallData

ITEMS_PER_SLIDE = 7


def _wide(text: str, tone: str = "plain") -> Line:
    """An item of a list slide: at most two lines across the slide."""
    return Line(body_line(text, CONTENT_W_IN), tone)


def _list_slides(title: str, subtitle: str, lines: Sequence[Line], empty: str) -> list[Slide]:
    if not lines:
        return [Slide(title=title, subtitle=subtitle, blocks=(Block(title, (Line(empty),)),))]
    pages = [lines[i : i + ITEMS_PER_SLIDE] for i in range(0, len(lines), ITEMS_PER_SLIDE)]
    slides = []
    for n, page in enumerate(pages, start=1):
        shown = title if len(pages) == 1 else f"{title} ({n} of {len(pages)})"
        slides.append(Slide(title=shown, subtitle=subtitle, blocks=(Block(title, tuple(page)),)))
    return slides


def _due(day: date | None) -> str:
    return f", due {date_text(day)}" if day else ", no due date"


def agenda_lines(m: Minutes) -> list[Line]:
    lines = []
    for n, item in enumerate(m.agenda, start=1):
        where = f" · {item.stage_name}" if item.stage_name else ""
        lines.append(_wide(f"{n}. {item.title}{where} · {item.minutes} min"))
    return lines


def finding_lines(m: Minutes) -> list[Line]:
    return [_wide(f"{f.where}: {f.text}") for f in m.findings]


_STATE_TONE = {FollowUpState.OVERDUE: "bad", FollowUpState.OPEN: "plain", FollowUpState.DONE: "good"}


def decision_lines(m: Minutes, today: date) -> list[Line]:
    """'Overdue · the decision · owner Ann · due 3 Nov 2026': its follow-up state as of ``today``
    (cxroom.insights.follow_up, as the next review's agenda and the digest read it)."""
    lines = []
    for d in m.decisions:
        state = state_of(d.due_on, d.done_at, today)
        owner = f"owner {d.owner.strip()}" if d.owner.strip() else "no owner yet"
        when = (
            f"done {date_text(d.done_at)}"
            if d.done_at
            else (f"due {date_text(d.due_on)}" if d.due_on else "no due date")
        )
        lines.append(_wide(f"{state.word} · {d.text} · {owner} · {when}", _STATE_TONE[state]))
    return lines


def fix_lines(m: Minutes, today: date) -> list[Line]:
    lines = []
    for f in m.fixes_chartered:
        late = fix_status.is_overdue(f["status"], f["due_on"], today)
        text = f"Chartered: {f['title']} · {f['stage_name']} · led by {f['lead']} · {fix_status.word(f['status'])}"
        text += _due(f["due_on"]) + (" (overdue)" if late else "")
        lines.append(_wide(text, "bad" if late else "plain"))
    for p in m.presentations:
        text = f"Presented: {p['title']} · {p['stage_name']} · {fix_status.word(p['status'])}"
        lines.append(_wide(text))
    return lines


def summary_slide(m: Minutes, wall: WallData | None) -> Slide:
    review = m.review
    counts = (
        fmt_count(len(m.agenda), "agenda item"),
        fmt_count(len(m.findings), "finding"),
        fmt_count(len(m.decisions), "decision"),
        fmt_count(len(m.fixes_chartered), "fix", "fixes") + " chartered",
        fmt_count(len(m.wins), "win"),
    )
    blocks = [Block("In this review", tuple(Line(c) for c in counts))]
    if m.changes:
        blocks.append(
            Block("Since the last review", tuple(Line(body_line(c, TEXT_W_WITH_CHARTS_IN)) for c in m.changes[:2]))
        )
    images: tuple[bytes, ...] = ()
    if wall is not None and wall.columns:
        shown = wall.columns[:12]
        images = (
            charts.stage_bars_chart(
                [c.stage.name for c in shown],
                [c.complaints.this_month if c.complaints else 0 for c in shown],
                [c.complaints.average_12 if c.complaints else None for c in shown],
                (CHART_W_IN, BODY_H_IN - 0.1),
            ),
        )
    subtitle = f"Reviews {month_label(review.month)} · held {date_text(review.held_on)} · {review.status_label}"
    return Slide(title=title_text(review.title), subtitle=subtitle_text(subtitle), blocks=tuple(blocks), charts=images)


def review_deck(m: Minutes, wall: WallData | None, *, today: date) -> Deck:
    month = month_label(m.review.month)
    subtitle = subtitle_text(m.review.title if month in m.review.title else f"{m.review.title} · {month}")
    slides = [summary_slide(m, wall)]
    slides += _list_slides("Agenda", subtitle, agenda_lines(m), "The agenda is empty.")
    slides += _list_slides("Findings", subtitle, finding_lines(m), "No findings were recorded.")
    slides += _list_slides("Decisions", subtitle, decision_lines(m, today), "No decisions were recorded.")
    slides += _list_slides("Fixes", subtitle, fix_lines(m, today), "No fix was chartered or presented.")
    wins = [_wide(w, "good") for w in m.wins]
    slides += _list_slides("Wins", subtitle, wins, "No wins this time.")
    return Deck(clip(m.review.title, 120), tuple(slides))

"""The wall screen's screens as HTML: the wall (one page of stage columns), a stage in the
spotlight, the fix board and the celebrations.

Every text from the room (stage names, KPI names, verbatims, fix titles) goes through
``html.escape``: a verbatim that looks like markup is shown as the customer typed it.
Numbers and dates come from ``cxroom.formatting``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape
from urllib.parse import quote

from cxroom.formatting import date_text, datetime_text, fmt_count, month_label
from cxroom.privacy import mask_personal_data
from cxroom.queries.wall.fixes import FixView
from cxroom.queries.wall.wall_data import StageColumn, WallData
from cxroom.ui.display.news import News, stage_news
from cxroom.ui.display.playlist import Slot
from cxroom.ui.theme import stage_colour
from cxroom.ui.wall.voices import trim_at_word

VERBATIM_CHARS = {"wall": 150, "spotlight": 320}
BOARD_ROWS = 7
WINS_SHOWN = 6
THUMB_KINDS = ("image/", "application/pdf")


def _news_item(item: News) -> str:
    return (
        f'<li class="news {item.tone}"><span class="what">{escape(item.title)}</span>'
        f'<span class="line"><span class="num">{escape(item.value)}</span> '
        f'<span class="target">{escape(item.detail)}</span></span></li>'
    )


def _customer(col: StageColumn, token: str, where: str) -> str:
    """One artifact the customer receives (a thumbnail) and one verbatim in their words (masked)."""
    parts = []
    artifact = next((a for a in col.artifacts if a.mime.startswith(THUMB_KINDS)), None)
    if artifact is not None:
        src = f"display/thumb/{quote(artifact.sha256)}?token={quote(token)}"
        parts.append(
            f'<figure class="artifact"><img src="{escape(src)}" alt="{escape(artifact.title)}">'
            f"<figcaption>{escape(artifact.title)}</figcaption></figure>"
        )
    if col.verbatims:
        # The read model masks verbatims for the wall; masking again costs microseconds and keeps a
        # lobby screen free of personal data whatever a future read hands it.
        said = trim_at_word(mask_personal_data(col.verbatims[0].text), VERBATIM_CHARS[where])
        parts.append(f'<blockquote class="verbatim">“{escape(said)}”</blockquote>')
    else:
        parts.append('<p class="quiet">No customer comment this month.</p>')
    return f'<div class="customer">{"".join(parts)}</div>'


def _stage_head(col: StageColumn) -> str:
    band = col.health.band
    return (
        f'<h2 class="stage">{escape(col.stage.name)}</h2>'
        f'<p class="health {band.value}">{escape(band.icon)} {escape(band.word)}</p>'
    )


def _column(col: StageColumn, token: str) -> str:
    news = "".join(_news_item(n) for n in stage_news(col)) or '<li class="quiet">No KPIs or moments yet.</li>'
    return (
        f'<article class="col" data-stage="{escape(col.stage.slug)}" '
        f'style="--stage: {stage_colour(col.stage.colour)}">'
        f'{_stage_head(col)}<ol class="newslist">{news}</ol><p class="more" hidden></p>'
        f"{_customer(col, token, 'wall')}</article>"
    )


def _frame(data: WallData, slot: Slot, title: str, body: str, now: datetime) -> str:
    loaded = f"data loaded {datetime_text(data.loaded_at)}" if data.loaded_at else "no data loaded yet"
    return (
        f'<div class="screen screen-{slot.kind}" data-kind="{slot.kind}" data-index="{slot.index}">'
        f'<header class="bar"><h1>{escape(data.room_name)} · {escape(title)}</h1>'
        f'<p class="stamp">{escape(month_label(data.month))} · {escape(loaded)} · shown {now:%H:%M}</p></header>'
        f"{body}</div>"
    )


def wall_screen(data: WallData, columns: Sequence[StageColumn], slot: Slot, token: str, now: datetime) -> str:
    """One page of stage columns, split evenly across the screen's width."""
    if not columns:
        body = '<p class="empty">This room has no stages yet.</p>'
    else:
        body = (
            f'<section class="wall" style="--cols: {len(columns)}">'
            + "".join(_column(c, token) for c in columns)
            + "</section>"
        )
    title = "The wall" + (f" · page {slot.index + 1} of {slot.count}" if slot.count > 1 else "")
    return _frame(data, slot, title, body, now)


def spotlight_screen(data: WallData, col: StageColumn, slot: Slot, token: str, now: datetime) -> str:
    """One stage on the whole screen: its news worst first, the customer, its fixes."""
    news = "".join(_news_item(n) for n in stage_news(col)[:8]) or '<li class="quiet">No KPIs or moments yet.</li>'
    fixes = [f for f in col.fixes if f.status != "celebrated"]
    fix_lines = "".join(
        f"<li>{escape(f.title)} <span class='target'>{escape(_due(f, now.date()))}</span></li>" for f in fixes[:3]
    )
    goal = f'<p class="goal">{escape(col.stage.customer_goal)}</p>' if col.stage.customer_goal else ""
    body = (
        f'<section class="spot" style="--stage: {stage_colour(col.stage.colour)}">'
        f'<div class="spot-head">{_stage_head(col)}{goal}</div>'
        f'<ol class="newslist spot-news">{news}</ol>'
        f'<div class="spot-side">{_customer(col, token, "spotlight")}'
        + (f'<h3>Fix teams at work</h3><ul class="fixes">{fix_lines}</ul>' if fix_lines else "")
        + "</div></section>"
    )
    return _frame(data, slot, f"In the spotlight · stage {slot.index + 1} of {slot.count}", body, now)


def _due(fix: FixView, today: date) -> str:
    if fix.due_on is None:
        return fix.status
    late = " · overdue" if fix.overdue(today) else ""
    return f"{fix.status} · due {date_text(fix.due_on)}{late}"


def fixes_screen(data: WallData, slot: Slot, now: datetime) -> str:
    """The teams at work, the overdue ones first."""
    today = now.date()
    by_stage = {c.stage.id: c.stage.name for c in data.columns}
    active = [f for c in data.columns for f in c.fixes if f.status != "celebrated"]
    active.sort(key=lambda f: (not f.overdue(today), f.due_on or date.max))
    rows = "".join(
        f'<tr class="{"late" if f.overdue(today) else ""}"><td class="what">{escape(f.title)}</td>'
        f"<td>{escape(by_stage.get(f.stage_id, ''))}</td><td>{escape(f.lead)}</td>"
        f"<td>{escape(_due(f, today))}</td></tr>"
        for f in active[:BOARD_ROWS]
    )
    late = sum(f.overdue(today) for f in active)
    more = len(active) - BOARD_ROWS
    body = (
        f'<section class="board"><p class="summary"><span class="num">{fmt_count(len(active))}</span> fix teams at work'
        + (f' · <span class="num late">{fmt_count(late)}</span> overdue' if late else "")
        + f"</p><table><thead><tr><th>Fix</th><th>Stage</th><th>Lead</th><th>Where it stands</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        + (f'<p class="more">and {fmt_count(more)} more on the Fixes board</p>' if more > 0 else "")
        + "</section>"
    )
    return _frame(data, slot, "The fix board", body, now)


def celebrations_screen(data: WallData, slot: Slot, now: datetime) -> str:
    """Fixes celebrated lately: what the teams changed for customers."""
    by_stage = {c.stage.id: c.stage.name for c in data.columns}
    wins = [f for c in data.columns for f in c.fixes if f.status == "celebrated"]
    wins.sort(key=lambda f: f.celebrated_at or datetime.min, reverse=True)
    cards = "".join(
        f'<article class="win"><h2>{escape(f.title)}</h2><p>{escape(by_stage.get(f.stage_id, ""))}</p>'
        f"<p>Led by {escape(f.lead)}"
        + (f" · celebrated {escape(date_text(f.celebrated_at.date()))}" if f.celebrated_at else "")
        + "</p></article>"
        for f in wins[:WINS_SHOWN]
    )
    body = f'<section class="wins">{cards}</section>'
    return _frame(data, slot, "Celebrations", body, now)


def refused_page(message: str) -> str:
    """The whole page a screen without a valid link gets: the reason, and nothing of the room."""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Customer Room</title>"
        "<style>body{background:#0e1117;color:#fafafa;font:2.4vh/1.4 system-ui,sans-serif;"
        "display:grid;place-items:center;height:100vh;margin:0}main{max-width:60ch;padding:2rem}</style>"
        f"</head><body><main class='refused'><h1>Wall screen</h1><p>{escape(message)}</p></main></body></html>"
    )

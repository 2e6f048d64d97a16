"""The wall screen's wall page as HTML (one page of stage columns), the frame every screen
shares and the pieces the spotlight reuses; the spotlight, the fix board and the celebrations
are in their own modules.

Every text from the room (stage names, KPI names, verbatims, fix titles) goes through
``html.escape``: a verbatim that looks like markup is shown as the customer typed it.
Numbers and dates come from ``cxroom.formatting``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from urllib.parse import quote

from cxroom.formatting import datetime_text, month_label
from cxroom.privacy import mask_personal_data
from cxroom.queries.customer_math import CustomerMath, loss_text, month_figures
from cxroom.queries.wall.wall_data import StageColumn, WallData
from cxroom.ui.display.news import News, stage_news
from cxroom.ui.display.playlist import Slot
from cxroom.ui.theme import stage_colour
from cxroom.ui.wall.voices import trim_at_word

VERBATIM_CHARS = 150
THUMB_KINDS = ("image/", "application/pdf")


def news_item(item: News) -> str:
    return (
        f'<li class="news {item.tone}"><span class="what">{escape(item.title)}</span>'
        f'<span class="line"><span class="num">{escape(item.value)}</span> '
        f'<span class="target">{escape(item.detail)}</span></span></li>'
    )


def artifact_figure(col: StageColumn, token: str) -> str:
    """The stage's first artifact a thumbnail can be made of (a picture, a PDF), or nothing."""
    artifact = next((a for a in col.artifacts if a.mime.startswith(THUMB_KINDS)), None)
    if artifact is None:
        return ""
    src = f"display/thumb/{quote(artifact.sha256)}?token={quote(token)}"
    return (
        f'<figure class="artifact"><img src="{escape(src)}" alt="{escape(artifact.title)}">'
        f"<figcaption>{escape(artifact.title)}</figcaption></figure>"
    )


def _customer(col: StageColumn, token: str) -> str:
    """One artifact the customer receives (a thumbnail) and one verbatim in their words (masked)."""
    parts = [artifact_figure(col, token)]
    if col.verbatims:
        # The read model masks verbatims for the wall; masking again costs microseconds and keeps a
        # lobby screen free of personal data whatever a future read hands it.
        said = trim_at_word(mask_personal_data(col.verbatims[0].text), VERBATIM_CHARS)
        parts.append(f'<blockquote class="verbatim">“{escape(said)}”</blockquote>')
    else:
        parts.append('<p class="quiet">No customer comment this month.</p>')
    return f'<div class="customer">{"".join(parts)}</div>'


def stage_head(col: StageColumn) -> str:
    band = col.health.band
    return (
        f'<h2 class="stage">{escape(col.stage.name)}</h2>'
        f'<p class="health {band.value}">{escape(band.icon)} {escape(band.word)}</p>'
    )


def _lost_here(col: StageColumn) -> str:
    """'Lost here: 42 · $51.2k' when the stage lost customers this month, else nothing."""
    if col.losses is None or not col.losses.customers:
        return ""
    return f'<p class="lost">Lost here: <b>{escape(loss_text(col.losses))}</b></p>'


def math_band(cm: CustomerMath | None) -> str:
    """The month's customer math in one line of figures and one of the room's definitions; nothing
    at all for a room without movements (a row of zeros would say customers stayed put)."""
    m = None if cm is None or not cm.has_data else cm.this_month
    if cm is None or m is None:
        return ""
    d = cm.definitions
    figures = "".join(
        f'<span class="fig" data-label="{escape(f.label)}"><span class="lbl">{escape(f.label)}</span> '
        f'<span class="num">{escape(f.value)}</span>'
        + (f' <span class="aside">{escape(f.aside)}</span>' if f.aside else "")
        + "</span>"
        for f in month_figures(m, cm.definitions.value_unit)
    )
    return (
        f'<section class="cmath"><p class="figs"><span class="cm-title">Customers in and out</span>{figures}</p>'
        # Each definition gets half the line, so the outgoing one is never pushed off by a long incoming one.
        f'<p class="defs"><span>In: {escape(d.incoming)}</span>'
        f"<span>Out: {escape(d.outgoing)} · Values in {escape(d.value_unit)}.</span></p></section>"
    )


def _column(col: StageColumn, token: str) -> str:
    news = "".join(news_item(n) for n in stage_news(col)) or '<li class="quiet">No KPIs or moments yet.</li>'
    return (
        f'<article class="col" data-stage="{escape(col.stage.slug)}" '
        f'style="--stage: {stage_colour(col.stage.colour)}">'
        f'{stage_head(col)}{_lost_here(col)}<ol class="newslist">{news}</ol><p class="more" hidden></p>'
        f"{_customer(col, token)}</article>"
    )


def frame(data: WallData, slot: Slot, title: str, body: str, now: datetime) -> str:
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
        body = math_band(data.customer_math) + (
            f'<section class="wall" style="--cols: {len(columns)}">'
            + "".join(_column(c, token) for c in columns)
            + "</section>"
        )
    title = "The wall" + (f" · page {slot.index + 1} of {slot.count}" if slot.count > 1 else "")
    return frame(data, slot, title, body, now)


def refused_page(message: str) -> str:
    """The whole page a screen without a valid link gets: the reason, and nothing of the room."""
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Customer Room</title>"
        "<style>body{background:#0e1117;color:#fafafa;font:2.4vh/1.4 system-ui,sans-serif;"
        "display:grid;place-items:center;height:100vh;margin:0}main{max-width:60ch;padding:2rem}</style>"
        f"</head><body><main class='refused'><h1>Wall screen</h1><p>{escape(message)}</p></main></body></html>"
    )

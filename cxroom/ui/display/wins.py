"""The celebrations on the wall screen: each win as a card that fills its share of the screen,
with the fix's title large, its stage, its team, the KPI before and after, and the day the
room celebrated it. One win fills the screen; up to six share it evenly; more take pages
(playlist.WINS_PER_PAGE)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape

from cxroom.formatting import date_text, fmt_count, fmt_number, fmt_target, month_label
from cxroom.queries.display import Win, WinAsked, WinShift
from cxroom.queries.wall.fixes import FixView
from cxroom.queries.wall.wall_data import WallData
from cxroom.ui.display.playlist import Slot
from cxroom.ui.display.render import frame
from cxroom.ui.theme import stage_colour
from cxroom.ui.wall.wall_screen import screen_slice

TEAM_SHOWN = 6  # names on a card; the rest are counted
# Cards in a row for 1..6 wins on a page, and the card's type size (rem) for that many.
GRID = {1: (1, 1), 2: (2, 1), 3: (3, 1), 4: (2, 2), 5: (3, 2), 6: (3, 2)}
SCALE = {1: 1.8, 2: 1.35, 3: 1.1, 4: 1.05, 5: 0.8, 6: 0.8}

CSS = """
.wins{flex:1;min-height:0;display:grid;grid-template-columns:repeat(var(--cols),minmax(0,1fr));
 grid-template-rows:repeat(var(--rows),minmax(0,1fr));gap:1rem;margin-top:.6rem}
.win{--s:1;min-height:0;display:flex;flex-direction:column;justify-content:center;align-items:center;
 text-align:center;line-height:1.2;gap:calc(var(--s)*.5rem);background:#1d2a22;border-top:.5rem solid #6be39a;
 border-radius:.4rem;padding:calc(var(--s)*.8rem) 1.2rem;overflow:hidden}
.kicker{font-size:max(.875rem,calc(var(--s)*.8rem));color:#6be39a;font-weight:700;margin:0}
.win h2{font-size:max(1.55rem,calc(var(--s)*1.6rem));line-height:1.15;margin:0;overflow-wrap:anywhere}
.where .dot{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.4em}
.win .where{font-size:max(.875rem,calc(var(--s)*.95rem));margin:0;color:#dfe2e8}
.shift{margin:0}.shift .kpi{display:block;font-size:max(.875rem,calc(var(--s)*.9rem));color:#dfe2e8}
.shift .num{font-size:max(1.6rem,calc(var(--s)*2.2rem))}.shift .after{color:#6be39a}
.shift .arrow{font-size:max(1.2rem,calc(var(--s)*1.6rem));margin:0 .4rem;color:#c3c7d0}
.shift .target{display:block;font-size:max(.875rem,calc(var(--s)*.8rem))}
.team{font-size:max(.875rem,calc(var(--s)*.85rem));margin:0;color:#dfe2e8;overflow-wrap:anywhere}
"""


def celebrated(data: WallData) -> list[FixView]:
    """The wins the wall shows (celebrated lately), newest first."""
    found = [f for c in data.columns for f in c.fixes if f.status == "celebrated"]
    return sorted(found, key=lambda f: (f.celebrated_at or datetime.min, f.id), reverse=True)


def asked(fixes: list[FixView]) -> tuple[WinAsked, ...]:
    """What the win reads need of each fix (plain values: a cache key)."""
    return tuple(WinAsked(f.id, f.chartered_on, f.celebrated_at.date() if f.celebrated_at else None) for f in fixes)


def _shift(shift: WinShift) -> str:
    fmt = fmt_number
    months = f"{fmt_count(shift.n_before)}-month average before the charter → {month_label(shift.after_month)}"
    target = f" · {fmt_target(shift.target, shift.unit, shift.direction)}" if shift.target is not None else ""
    return (
        f'<p class="shift"><span class="kpi">{escape(shift.kpi)}</span>'
        f'<span class="num before">{escape(fmt(shift.before, shift.unit))}</span> <span class="arrow">→</span> '
        f'<span class="num after">{escape(fmt(shift.after, shift.unit))}</span>'
        f'<span class="target">{escape(months + target)}</span></p>'
    )


def _team(fix: FixView, win: Win | None) -> str:
    others = [(p, s) for p, s in (win.team if win else ()) if p.lower() != fix.lead.lower()]
    names = ", ".join(f"{p} ({s})" for p, s in others[:TEAM_SHOWN])
    more = len(others) - TEAM_SHOWN
    text = (
        f"Led by {fix.lead}"
        + (f" with {names}" if names else "")
        + (f" and {fmt_count(more)} more" if more > 0 else "")
    )
    return f'<p class="team">{escape(text)}</p>'


def _card(fix: FixView, stage: tuple[str, str], win: Win | None, scale: float) -> str:
    name, colour = stage
    when = f"Celebrated {date_text(fix.celebrated_at.date())}" if fix.celebrated_at else "Celebrated"
    where = name + (f" · {fix.moment_name}" if fix.moment_name else "")
    shift = _shift(win.shift) if win and win.shift else ""
    return (
        f'<article class="win box" style="--s: {scale}">'
        f'<p class="kicker">★ {escape(when)}</p><h2>{escape(fix.title)}</h2>'
        f'<p class="where"><span class="dot" style="background: {stage_colour(colour)}"></span>{escape(where)}</p>'
        f"{shift}{_team(fix, win)}</article>"
    )


def celebrations_screen(data: WallData, slot: Slot, now: datetime, wins: Mapping[int, Win]) -> str:
    """The slot's page of wins, its cards sharing the screen evenly."""
    page = screen_slice(celebrated(data), slot.index + 1, slot.count)[0]
    stages = {c.stage.id: (c.stage.name, c.stage.colour) for c in data.columns}
    cols, rows = GRID.get(len(page), (3, 2))
    scale = SCALE.get(len(page), 1.0)
    cards = "".join(_card(f, stages.get(f.stage_id, ("", "")), wins.get(f.id), scale) for f in page)
    body = f'<section class="wins" style="--cols: {cols}; --rows: {rows}">{cards}</section>'
    title = "Celebrations" + (f" · page {slot.index + 1} of {slot.count}" if slot.count > 1 else "")
    return frame(data, slot, title, body, now)

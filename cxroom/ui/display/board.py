"""The fix board on the wall screen: every team at work with its owner, stage, status in words
and due date, the overdue ones first and in red. A board longer than a page is split evenly
over as many pages as it needs (the playlist gives each its own turn), so no fix is ever cut
off or shrunk below what reads from across the room."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from cxroom import fix_status
from cxroom.formatting import date_text, fmt_count
from cxroom.queries.wall.fixes import FixView
from cxroom.queries.wall.wall_data import WallData
from cxroom.ui.display.playlist import Slot
from cxroom.ui.display.render import frame
from cxroom.ui.wall.voices import trim_at_word
from cxroom.ui.wall.wall_screen import screen_slice

ROOMY_ROWS = 7  # a page of this many fixes or fewer has room for larger type
TITLE_CHARS = 90  # two lines of the title column; a longer title ends at a word with "…"

CSS = """
.board{flex:1;min-height:0;margin-top:.6rem;display:flex;flex-direction:column}
.summary{font-size:1.3rem;line-height:1.6;margin:0 0 .3rem;flex:none}.num.late,.late td{color:#ff9a9a}
.board table{width:100%;border-collapse:collapse;table-layout:fixed;font-size:1.05rem;line-height:1.2}
.board.roomy table{font-size:1.3rem}.board.roomy td{padding:.65rem .5rem}
.board th{text-align:left;color:#c3c7d0;font-weight:600;font-size:.95rem;border-bottom:.1rem solid #3a3f4b;
 padding:.25rem .5rem}
.board td{padding:.4rem .5rem;border-bottom:.06rem solid #2a2e38;vertical-align:top;overflow-wrap:anywhere}
.board .c-fix{width:33%}.board .c-stage{width:19%}.board .c-owner{width:16%}.board .c-status{width:15%}
.board .c-due{width:17%}
.board td.fix{font-weight:700}.board td.status{overflow-wrap:normal}
.late td.due{font-weight:700}.due small{display:block;font-size:.95rem}
"""


def active_fixes(data: WallData, today: date) -> list[FixView]:
    """The teams at work, the overdue ones first, then by due date."""
    active = [f for c in data.columns for f in c.fixes if fix_status.is_active(f.status)]
    return sorted(active, key=lambda f: (not f.overdue(today), f.due_on or date.max, f.id))


def due_words(fix: FixView, today: date) -> tuple[str, str]:
    """The due date, and when the fix is overdue, by how long (else '')."""
    if fix.due_on is None:
        return "no due date", ""
    days = fix_status.days_overdue(fix.status, fix.due_on, today)
    return date_text(fix.due_on), (f"overdue by {fmt_count(days, 'day')}" if days else "")


def _row(fix: FixView, stage: str, today: date) -> str:
    due, late = due_words(fix, today)
    return (
        f'<tr class="{"late" if late else ""}"><td class="fix">{escape(trim_at_word(fix.title, TITLE_CHARS))}</td>'
        f"<td>{escape(stage)}</td><td>{escape(fix.lead)}</td>"
        f'<td class="status">{escape(fix_status.look(fix.status).label)}</td>'
        f'<td class="due">{escape(due)}' + (f"<small>{escape(late)}</small>" if late else "") + "</td></tr>"
    )


def fixes_screen(data: WallData, slot: Slot, now: datetime) -> str:
    """The slot's page of the board: its even share of the teams at work."""
    today = now.date()
    active = active_fixes(data, today)
    page = screen_slice(active, slot.index + 1, slot.count)[0]
    by_stage = {c.stage.id: c.stage.name for c in data.columns}
    late = sum(f.overdue(today) for f in active)
    rows = "".join(_row(f, by_stage.get(f.stage_id, ""), today) for f in page)
    body = (
        f'<section class="board box{" roomy" if len(page) <= ROOMY_ROWS else ""}">'
        f'<p class="summary"><span class="num">{fmt_count(len(active))}</span> '
        f"fix {'team' if len(active) == 1 else 'teams'} at work"
        + (f' · <span class="num late">{fmt_count(late)}</span> overdue' if late else " · none overdue")
        + "</p><table><colgroup><col class='c-fix'><col class='c-stage'><col class='c-owner'><col class='c-status'>"
        "<col class='c-due'></colgroup><thead><tr><th>Fix</th><th>Stage</th><th>Owner</th><th>Status</th>"
        f"<th>Due</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )
    title = "The fix board" + (f" · page {slot.index + 1} of {slot.count}" if slot.count > 1 else "")
    return frame(data, slot, title, body, now)

"""A digest as an e-mail: multipart/alternative with a plain-text part and an HTML part
that say the same. Everything from people (names, titles, decisions, categories, the room's
name) is escaped in the HTML with ``html.escape`` and made one line in headers."""

from __future__ import annotations

import html
from email.headerregistry import Address
from email.message import EmailMessage

from cxroom import fix_status
from cxroom.digest.content import Digest
from cxroom.formatting import date_text, fmt_count, month_label, times_usual
from cxroom.insights.follow_up import FollowUpState
from cxroom.textsafe import plain

Section = tuple[str, list[str], str]  # heading, lines, what to say when there are none


def subject(d: Digest) -> str:
    late = f" · {len(d.overdue_fixes)} overdue" if d.overdue_fixes else ""
    return plain(f"{d.room_name}: your digest for {month_label(d.month)}{late}")


def decision_line(d: Digest, i: int) -> str:
    """'Overdue · Billing to find where prices diverge · due 3 Nov 2026 · decided in Monthly room review · ...'
    (the state is cxroom.insights.follow_up's, as the next review's agenda shows it)."""
    item = d.decisions[i]
    due = f"due {date_text(item.due_on)}" if item.due_on else "no due date"
    return f"{item.state.word} · {item.text} · {due} · decided in {item.review_title}"


def sections(d: Digest) -> list[Section]:
    """The digest's sections in reading order, as plain text lines."""
    # Overdue decisions first, then open ones (each group in due-date order, as read).
    order = sorted(range(len(d.decisions)), key=lambda i: d.decisions[i].state is not FollowUpState.OVERDUE)
    actions = [decision_line(d, i) for i in order]
    for f in d.open_fixes:
        due = f", due {date_text(f.due_on)}" if f.due_on else ""
        actions.append(f"{f.title} · {f.stage_name} · {fix_status.word(f.status)}{due} (you are its {f.part})")
    overdue = [
        f"{f.title} · {f.stage_name} · was due {date_text(f.due_on)}, "
        f"{fmt_count(fix_status.days_overdue(f.status, f.due_on, d.today), 'day')} ago · led by {f.lead}"
        for f in d.overdue_fixes
        if f.due_on is not None
    ]
    if d.leader and d.overdue_in_room:
        verb = "is" if d.overdue_in_room == 1 else "are"
        overdue.append(f"Across the room, {fmt_count(d.overdue_in_room, 'fix', 'fixes')} {verb} overdue.")
    month = month_label(d.month)
    rises = [
        f"{r.stage_name} · {r.category}: {fmt_count(r.actual, 'complaint')} in {month}, "
        + times_usual(r.actual, r.expected)
        for r in d.rises
    ]
    wins = [f"{w.title} · {w.stage_name} · led by {w.lead}" for w in d.wins]
    where = "in the room" if d.leader else "at the stages of your fixes"
    return [
        ("Your open actions", actions, "Nothing open in your name."),
        ("Overdue fixes", overdue, "Nothing overdue."),
        (f"Unusual rises in complaints {where}", rises, f"No unusual rise in {month}."),
        ("Wins", wins, f"No fix was celebrated in {month}."),
    ]


def text_body(d: Digest) -> str:
    out = [
        f"Hello {plain(d.recipient.display_name)},",
        "",
        f"Your {month_label(d.month)} digest from {plain(d.room_name)}.",
    ]
    for heading, lines, empty in sections(d):
        out += ["", heading, "-" * len(heading)]
        out += [f"- {plain(line)}" for line in lines] or [empty]
    return "\n".join(out) + "\n"


_STYLE = "font-family:Helvetica,Arial,sans-serif;font-size:17px;line-height:1.45;color:#1B2430"


def html_body(d: Digest) -> str:
    esc = html.escape
    parts = [
        f'<html><body style="{_STYLE}">',
        f"<p>Hello {esc(plain(d.recipient.display_name))},</p>",
        f"<p>Your {esc(month_label(d.month))} digest from {esc(plain(d.room_name))}.</p>",
    ]
    for heading, lines, empty in sections(d):
        parts.append(f'<h2 style="font-size:21px;margin:22px 0 6px">{esc(heading)}</h2>')
        if lines:
            parts.append("<ul>" + "".join(f"<li>{esc(plain(line))}</li>" for line in lines) + "</ul>")
        else:
            parts.append(f'<p style="color:#4A5563">{esc(empty)}</p>')
    parts.append("</body></html>")
    return "\n".join(parts)


def message(d: Digest, *, sender: str) -> EmailMessage:
    """The digest as a multipart/alternative message (raises ValueError for an unusable address)."""
    msg = EmailMessage()
    msg["Subject"] = subject(d)
    msg["From"] = sender
    msg["To"] = Address(display_name=plain(d.recipient.display_name), addr_spec=d.recipient.email)
    msg.set_content(text_body(d))
    msg.add_alternative(html_body(d), subtype="html")
    return msg

"""The minutes of a review: gathered from its contents and the comparison
with the last review, written as Markdown and as print-ready HTML."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from cxroom import fix_status
from cxroom.formatting import date_text, datetime_text, month_label
from cxroom.insights.agenda import AgendaKind
from cxroom.insights.follow_up import FollowUp
from cxroom.queries.customer_math import month_lines
from cxroom.queries.reviews.contents import (
    AgendaItem,
    Decision,
    Finding,
    agenda,
    decisions,
    findings,
    fixes_chartered,
    presentations,
)
from cxroom.queries.reviews.follow_up import follow_up_of
from cxroom.queries.reviews.listing import Review, get_review
from cxroom.queries.reviews.since_last import Comparison, comparison
from cxroom.store import Store
from cxroom.textsafe import escape_markdown

# -- the minutes --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Minutes:
    review: Review
    agenda: tuple[AgendaItem, ...]
    findings: tuple[Finding, ...]
    decisions: tuple[Decision, ...]
    fixes_chartered: tuple[dict[str, Any], ...]
    presentations: tuple[dict[str, Any], ...]
    wins: tuple[str, ...]
    changes: tuple[str, ...]
    follow_up: tuple[FollowUp, ...] = ()
    provisional: bool = False  # the changes are the room as it stands, not a closed review's snapshot
    customer_math: tuple[str, ...] = ()  # the review month's customers in and out (none: no movements)


def minutes(
    store: Store,
    review_id: int,
    *,
    compared: Comparison | None = None,
    follow: Sequence[FollowUp] | None = None,
) -> Minutes | None:
    """The minutes of a review. ``compared`` is what changed since the last review (the closed
    review's own comparison when not given); ``follow`` the decisions of earlier reviews as they
    stand (read here when not given)."""
    review = get_review(store, review_id)
    if review is None:
        return None
    items = tuple(agenda(store, review_id))
    shown = tuple(presentations(store, review_id))
    wins = [
        line
        for item in items
        if item.kind is AgendaKind.WIN
        for line in ((item.title, *item.reasons) if item.fix_id is not None else item.reasons)
    ]
    wins += [f"{p['title']}: {p['results']}" for p in shown if p["status"] == "celebrated" and p["results"]]
    if compared is None and review.closed:
        compared = comparison(store, review_id)
    if follow is None:
        follow = follow_up_of(store, review_id, today=date.today())
    return Minutes(
        review=review,
        agenda=items,
        findings=tuple(findings(store, review_id)),
        decisions=tuple(decisions(store, review_id)),
        fixes_chartered=tuple(fixes_chartered(store, review_id)),
        presentations=shown,
        wins=tuple(wins),
        changes=tuple(compared.headline()) if compared else (),
        follow_up=tuple(follow),
        provisional=compared is not None and not review.closed,
        customer_math=month_lines(store, review.month),
    )


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return datetime_text(value)
    if isinstance(value, date):
        return date_text(value)
    return ""


def _decision_text(d: Decision) -> tuple[str, str]:
    """(the decision, '(owner: Ann, due 3 Nov 2026)')."""
    due = f", due {_when(d.due_on)}" if d.due_on else ", no due date"
    done = f", done {_when(d.done_at)}" if d.done_at else ""
    return d.text, f"(owner: {d.owner}{due}{done})"


def _changes_heading(m: Minutes) -> str:
    return (
        "Since the last review (so far: the room as it stands, final when the review closes)"
        if m.provisional
        else "Since the last review"
    )


MATH_HEADING = "## Customers in and out"
NO_CHANGES = "No comparison yet: this is the first review, or no earlier review was closed."


def _status_text(review: Review) -> str:
    return f"Closed on {_when(review.closed_at)}" if review.closed_at else review.status_label


def minutes_markdown(m: Minutes) -> str:
    r = m.review
    e = escape_markdown
    out = [
        f"# Minutes: {e(r.title)}",
        "",
        f"- **Held on:** {_when(r.held_on)} ({e(r.kind)} review of {month_label(r.month)} data)",
        f"- **Status:** {_status_text(r)}",
        f"- **Attendees:** {', '.join(e(a) for a in r.attendees) or 'none recorded'}",
        "",
        "## Agenda",
        "",
    ]
    out += [f"{i.position}. {e(i.title)} ({i.minutes} min)" for i in m.agenda] or ["No agenda."]
    out += ["", "## Decisions from earlier reviews", ""]
    out += [f"- {e(f.line())}" for f in m.follow_up] or ["Nothing to follow up."]
    out += ["", "## Findings", ""]
    for f in m.findings:
        out.append(f"- **{e(f.where)}:** {e(f.text)}")
        if f.evidence:
            out.append(f"  - Evidence: {e(f.evidence)}")
        if f.fix_titles:
            out.append(f"  - Fix chartered: {', '.join(e(t) for t in f.fix_titles)}")
    if not m.findings:
        out.append("No findings recorded.")
    out += ["", "## Decisions", ""]
    for d in m.decisions:
        text, who = _decision_text(d)
        out.append(f"- {e(text)} {e(who)}")
    if not m.decisions:
        out.append("No decisions recorded.")
    out += ["", "## Fixes chartered in this review", ""]
    for x in m.fixes_chartered:
        due = f", due {_when(x['due_on'])}" if x["due_on"] else ""
        out.append(
            f"- **{e(x['title'])}** at {e(x['stage_name'])}: lead {e(x['lead'])}, sponsor {e(x['sponsor'])}{due}"
        )
        out.append(f"  - Problem: {e(x['problem'])}")
        out.append(f"  - Team: {', '.join(e(p) for p in x['members'])}")
    if not m.fixes_chartered:
        out.append("No fixes chartered.")
    out += ["", "## Results presented", ""]
    for p in m.presentations:
        out.append(f"- **{e(p['title'])}** ({e(fix_status.word(p['status']))}, lead {e(p['lead'])})")
        if p["results"]:
            out.append(f"  - Results: {e(p['results'])}")
    if not m.presentations:
        out.append("No fix team presented.")
    out += ["", "## Wins", ""]
    out += [f"- {e(w)}" for w in m.wins] or ["No wins this time."]
    if m.customer_math:
        out += ["", MATH_HEADING, ""]
        out += [f"- {e(line)}" for line in m.customer_math]
    out += ["", f"## {_changes_heading(m)}", ""]
    out += [f"- {e(c)}" for c in m.changes] or [NO_CHANGES]
    return "\n".join(out) + "\n"


_PRINT_CSS = """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 46rem; margin: 2rem auto; color: #1b2430;
       line-height: 1.45; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin-bottom: .2rem; } h2 { font-size: 1.2rem; border-bottom: 1px solid #ccd;
     padding-bottom: .2rem; margin-top: 1.6rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; } dt { font-weight: bold; }
li { margin-bottom: .35rem; } .muted { color: #556; font-size: .92rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } li { break-inside: avoid; } }
@page { margin: 18mm; }
"""


def minutes_html(m: Minutes) -> str:
    """Print-ready, self-contained HTML. Every piece of user text is escaped."""
    r = m.review

    def e(value: Any) -> str:
        return html.escape(str(value or ""), quote=True)

    def items(lines: list[str], empty: str) -> str:
        if not lines:
            return f"<p class='muted'>{e(empty)}</p>"
        return "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"

    findings_html = []
    for f in m.findings:
        extra = f"<br><span class='muted'>Evidence: {e(f.evidence)}</span>" if f.evidence else ""
        if f.fix_titles:
            extra += f"<br><span class='muted'>Fix chartered: {e(', '.join(f.fix_titles))}</span>"
        findings_html.append(f"<strong>{e(f.where)}:</strong> {e(f.text)}{extra}")
    decisions_html = [
        f"{e(text)} <span class='muted'>{e(who)}</span>" for text, who in (_decision_text(d) for d in m.decisions)
    ]
    fixes_html = [
        f"<strong>{e(x['title'])}</strong> at {e(x['stage_name'])}: lead {e(x['lead'])}, sponsor {e(x['sponsor'])}"
        + (f", due {e(_when(x['due_on']))}" if x["due_on"] else "")
        + f"<br><span class='muted'>Problem: {e(x['problem'])}</span>"
        + f"<br><span class='muted'>Team: {e(', '.join(x['members']))}</span>"
        for x in m.fixes_chartered
    ]
    presented_html = [
        f"<strong>{e(p['title'])}</strong> ({e(fix_status.word(p['status']))}, lead {e(p['lead'])})"
        + (f"<br><span class='muted'>Results: {e(p['results'])}</span>" if p["results"] else "")
        for p in m.presentations
    ]
    math_html = (
        f"<h2>Customers in and out</h2>\n{items([e(x) for x in m.customer_math], '')}\n" if m.customer_math else ""
    )
    agenda_html = "".join(f"<li>{e(i.title)} <span class='muted'>({i.minutes} min)</span></li>" for i in m.agenda)
    body = f"""
<h1>Minutes: {e(r.title)}</h1>
<dl>
<dt>Held on</dt><dd>{e(_when(r.held_on))} ({e(r.kind)} review of {e(month_label(r.month))} data)</dd>
<dt>Status</dt><dd>{e(_status_text(r))}</dd>
<dt>Attendees</dt><dd>{e(", ".join(r.attendees)) or "none recorded"}</dd>
</dl>
<h2>Agenda</h2>
{"<ol>" + agenda_html + "</ol>" if m.agenda else "<p class='muted'>No agenda.</p>"}
<h2>Decisions from earlier reviews</h2>
{items([e(f.line()) for f in m.follow_up], "Nothing to follow up.")}
<h2>Findings</h2>
{items(findings_html, "No findings recorded.")}
<h2>Decisions</h2>
{items(decisions_html, "No decisions recorded.")}
<h2>Fixes chartered in this review</h2>
{items(fixes_html, "No fixes chartered.")}
<h2>Results presented</h2>
{items(presented_html, "No fix team presented.")}
<h2>Wins</h2>
{items([e(w) for w in m.wins], "No wins this time.")}
{math_html}<h2>{e(_changes_heading(m))}</h2>
{items([e(c) for c in m.changes], NO_CHANGES)}
"""
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>Minutes: {e(r.title)}</title><style>{_PRINT_CSS}</style></head><body>{body}</body></html>\n"
    )

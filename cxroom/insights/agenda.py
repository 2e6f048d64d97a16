"""Propose a review's agenda from the data: pure function on plain facts
(cxroom.insights.agenda_facts; cxroom.queries.reviews gathers them).

Three sections, in this order:

1. **Where we are letting customers down**: one item per stage that shows a
   real signal, worst first: KPIs off target, complaint categories that rose
   *unusually* against their own history (cxroom.insights.early_warning, not
   just "went up"), survey scores that fell, moments of truth still broken.
2. **Fixes due to present**: active fix teams with results to show,
   recommendations awaiting a decision, or past their due date; results first,
   then decisions, then the longest overdue, at most MAX_FIX_ITEMS, the rest
   named in one item.
3. **Wins to celebrate**: fixes celebrated since the last review (the latest
   MAX_WIN_ITEMS, the rest in one item), moments that climbed the reliability
   ladder, KPIs back on target.

The facilitator then reorders, adds and removes items.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from cxroom import fix_status
from cxroom.formatting import date_text, month_label
from cxroom.insights import follow_up
from cxroom.insights.agenda_facts import AgendaInputs, FixFacts, StageFacts
from cxroom.insights.early_warning import RiseCheck
from cxroom.insights.health import Rag

__all__ = [
    "AgendaKind",
    "AgendaSection",
    "ProposedItem",
    "next_month",
    "propose_agenda",
    "review_month",
    "stage_signals",
]

MAX_STAGE_ITEMS = 6
# A monthly session has time for a few fix teams and a few wins; the rest are named in one
# item pointing at the fix board (a large room has hundreds of fixes, many past due).
MAX_FIX_ITEMS = 5
MAX_WIN_ITEMS = 5
MORE_NAMED = 8  # fixes named in the "and more" item
MIN_STAGE_SCORE = 2  # one KPI near its target alone does not put a stage on the agenda
STAGE_MINUTES = 8
FIX_MINUTES = 10
WIN_MINUTES = 3
FOLLOW_UP_MINUTES = 5
THEME_SCORE = 2  # a new or rising theme alone puts its stage on the agenda (MIN_STAGE_SCORE)
RELIABILITY_LADDER = ("broken", "unreliable", "reliable", "differentiating")


class AgendaKind(StrEnum):
    STAGE = "stage"  # walk one stage of the wall
    FIX = "fix"  # a fix team presents
    WIN = "win"  # celebrate
    NOTE = "note"  # anything else the facilitator adds


class AgendaSection(StrEnum):
    LETTING_DOWN = "letting_down"
    FIXES_DUE = "fixes_due"
    WINS = "wins"
    OTHER = "other"

    @property
    def heading(self) -> str:
        return {
            "letting_down": "Where we are letting customers down",
            "fixes_due": "Fixes due to present",
            "wins": "Wins to celebrate",
            "other": "Other business",
        }[self.value]


def review_month(held_on: date) -> date:
    """The month of data a review looks at: the last full month before it is held."""
    first = held_on.replace(day=1)
    return date(first.year - 1, 12, 1) if first.month == 1 else date(first.year, first.month - 1, 1)


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


@dataclass(frozen=True)
class ProposedItem:
    kind: AgendaKind
    section: AgendaSection
    title: str
    reasons: tuple[str, ...] = ()
    stage_id: int | None = None
    moment_id: int | None = None
    fix_id: int | None = None
    minutes: int = 5
    score: int = 0


@dataclass(frozen=True)
class StageSignals:
    """What is wrong at one stage, with a score to rank stages by."""

    stage: StageFacts
    reasons: tuple[str, ...] = ()
    score: int = 0
    moment_id: int | None = None
    rising: tuple[tuple[str, RiseCheck], ...] = field(default_factory=tuple)


# -- the rules ---------------------------------------------------------------------


def _rank(state: str) -> int:
    return RELIABILITY_LADDER.index(state) if state in RELIABILITY_LADDER else 0


def stage_signals(inputs: AgendaInputs) -> list[StageSignals]:
    """Every stage with its reasons to be on the agenda (score 0: none)."""
    result = []
    for stage in inputs.stages:
        reasons: list[str] = []
        score = 0
        moments: list[int] = []
        for kpi in (k for k in inputs.kpis if k.stage_id == stage.id):
            rag = kpi.rag
            if rag is Rag.RED:
                reasons.append(f"KPI off target · {kpi.describe()}")
                score += 4 if kpi.key_moment else 3
            elif rag is Rag.AMBER:
                reasons.append(f"KPI near its target · {kpi.describe()}")
                score += 1
            else:
                continue
            if kpi.moment_id is not None:
                moments.append(kpi.moment_id)
        rising = []
        for series in (c for c in inputs.categories if c.stage_id == stage.id):
            check = series.check()
            if check.unusual:
                rising.append((series.category, check))
        for category, check in sorted(rising, key=lambda pair: -(pair[1].z or 0.0)):
            reasons.append(f"Complaints rose unusually · {category}: {check.in_words()}")
            score += 3
        for survey in (s for s in inputs.surveys if stage.id in s.stage_ids and s.fell):
            reasons.append(f"Survey score fell · {survey.describe()}")
            score += 2
        for theme in (t for t in inputs.themes if t.stage_id == stage.id):
            mark = "New theme in what customers say" if theme.signal == "new" else "Theme rising"
            reasons.append(f"{mark} · {theme.describe()}")
            score += THEME_SCORE
        for loss in (x for x in inputs.losses if x.stage_id == stage.id and x.rose):
            reasons.append(f"More customers lost · {loss.describe()}")
            score += 3
        for moment in (m for m in inputs.moments if m.stage_id == stage.id and m.state == "broken"):
            if moment.state_before == "broken":
                since = f" since {month_label(moment.state_since)}" if moment.state_since else ""
                reasons.append(f"Moment of truth still broken{since} · {moment.name}")
                score += 3 if moment.is_key else 2
            else:
                reasons.append(f"Moment of truth broke since the last review · {moment.name}")
                score += 4
            moments.insert(0, moment.id)
        result.append(StageSignals(stage, tuple(reasons), score, moments[0] if moments else None, tuple(rising)))
    return result


def _stage_items(inputs: AgendaInputs) -> list[ProposedItem]:
    signals = [s for s in stage_signals(inputs) if s.score >= MIN_STAGE_SCORE]
    signals.sort(key=lambda s: (-s.score, s.stage.position, s.stage.id))
    return [
        ProposedItem(
            kind=AgendaKind.STAGE,
            section=AgendaSection.LETTING_DOWN,
            title=s.stage.name,
            reasons=s.reasons,
            stage_id=s.stage.id,
            moment_id=s.moment_id,
            minutes=STAGE_MINUTES,
            score=s.score,
        )
        for s in signals[:MAX_STAGE_ITEMS]
    ]


def _fix_urgency(fix: FixFacts, held_on: date) -> tuple[int, int, int]:
    """Sort key, most urgent first: results to show, then a decision to take, then days overdue."""
    overdue = fix_status.days_overdue(fix.status, fix.due_on, held_on)
    return ({"results": 0, "recommending": 1}.get(fix.status, 2), -overdue, fix.id)


def _and_more(section: AgendaSection, what: str, titles: Sequence[str]) -> ProposedItem:
    """One item for what did not fit: how many, and the first few by name."""
    named = [f"· {title}" for title in titles[:MORE_NAMED]]
    if len(titles) > MORE_NAMED:
        named.append(f"… and {len(titles) - MORE_NAMED} more on the fix board")
    return ProposedItem(
        kind=AgendaKind.NOTE,
        section=section,
        title=f"{len(titles):,} more {what}",
        reasons=tuple(named),
        minutes=2,
    )


def _fix_items(inputs: AgendaInputs) -> list[ProposedItem]:
    items = []
    for fix in sorted(inputs.fixes, key=lambda f: _fix_urgency(f, inputs.held_on)):
        if not fix_status.is_active(fix.status) or fix.presented_in_this_review:
            continue
        reasons = []
        if fix.status == "results":
            reasons.append("Results to present: did the fix work?")
        if fix.status == "recommending":
            reasons.append("Recommendations ready: leadership to decide")
        if fix.due_on is not None and fix_status.is_due_by(fix.status, fix.due_on, inputs.held_on):
            # A team with results past due is late too, but nothing is in its way: the room's decision is.
            reasons.append(
                f"Due {date_text(fix.due_on)}: accept the results, or send the team back?"
                if fix.status == "results"
                else f"Due {date_text(fix.due_on)}, still {fix.status}: what is in the way?"
            )
        if not reasons:
            continue
        items.append(
            ProposedItem(
                kind=AgendaKind.FIX,
                section=AgendaSection.FIXES_DUE,
                title=f"Fix team: {fix.title}",
                reasons=(f"Lead: {fix.lead}", *reasons),
                stage_id=fix.stage_id,
                moment_id=fix.moment_id,
                fix_id=fix.id,
                minutes=FIX_MINUTES,
            )
        )
    if len(items) > MAX_FIX_ITEMS:
        rest = [item.title.removeprefix("Fix team: ") for item in items[MAX_FIX_ITEMS:]]
        items = [*items[:MAX_FIX_ITEMS], _and_more(AgendaSection.FIXES_DUE, "fixes due or overdue", rest)]
    return items


def _win_items(inputs: AgendaInputs) -> list[ProposedItem]:
    items = []
    celebrated = sorted(
        ((f.celebrated_at, f) for f in inputs.fixes if f.status == "celebrated" and f.celebrated_at is not None),
        key=lambda pair: (pair[0], pair[1].id),
        reverse=True,  # the latest first
    )
    wins = [(at, fix) for at, fix in celebrated if at > inputs.since]
    for at, fix in wins[:MAX_WIN_ITEMS]:
        items.append(
            ProposedItem(
                kind=AgendaKind.WIN,
                section=AgendaSection.WINS,
                title=f"Win: {fix.title}",
                reasons=(f"Celebrated on {date_text(at)}; team led by {fix.lead}",),
                stage_id=fix.stage_id,
                moment_id=fix.moment_id,
                fix_id=fix.id,
                minutes=WIN_MINUTES,
            )
        )
    if len(wins) > MAX_WIN_ITEMS:
        items.append(_and_more(AgendaSection.WINS, "fixes celebrated", [fix.title for _, fix in wins[MAX_WIN_ITEMS:]]))
    reasons = []
    for moment in inputs.moments:
        if _rank(moment.state) > _rank(moment.state_before):
            reasons.append(f"Moment of truth climbed · {moment.name}: from {moment.state_before} to {moment.state}")
    for kpi in inputs.kpis:
        if kpi.rag is Rag.GREEN and kpi.previous_rag in (Rag.RED, Rag.AMBER):
            reasons.append(f"Back on target · {kpi.describe()}")
    if reasons:
        items.append(
            ProposedItem(
                kind=AgendaKind.WIN,
                section=AgendaSection.WINS,
                title="Wins to celebrate",
                reasons=tuple(reasons),
                minutes=WIN_MINUTES,
            )
        )
    return items


def _follow_up_items(inputs: AgendaInputs) -> list[ProposedItem]:
    """One item, first on the agenda: the decisions of earlier reviews, overdue first, as they
    stand on the day of the review (the review page and the presenter show them live)."""
    items = follow_up.follow_up(inputs.decisions, on=inputs.held_on, since=inputs.since)
    if not items:
        return []
    return [
        ProposedItem(
            kind=AgendaKind.NOTE,
            section=AgendaSection.OTHER,
            title=follow_up.FOLLOW_UP_TITLE,
            reasons=(follow_up.summary(items).capitalize(), *(f.line() for f in items[:MORE_NAMED])),
            minutes=FOLLOW_UP_MINUTES,
        )
    ]


def propose_agenda(inputs: AgendaInputs) -> list[ProposedItem]:
    """The proposed agenda, in order: the follow-up of earlier decisions, letting customers down,
    fixes due, wins."""
    return [*_follow_up_items(inputs), *_stage_items(inputs), *_fix_items(inputs), *_win_items(inputs)]

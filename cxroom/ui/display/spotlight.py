"""One stage on the whole wall screen: its news worst first with targets, a year of its worst
KPI and of its complaints, the artifact its customers receive, their words (masked) and the
fix teams at work on it with owner and due date."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from cxroom import fix_status
from cxroom.formatting import fmt_count, fmt_number, fmt_pct, fmt_target
from cxroom.privacy import mask_personal_data
from cxroom.queries.wall.wall_data import StageColumn, WallData
from cxroom.ui.display.board import due_words
from cxroom.ui.display.news import stage_news, worst_kpi
from cxroom.ui.display.playlist import Slot
from cxroom.ui.display.render import artifact_figure, frame, news_item, stage_head
from cxroom.ui.display.trend import trend_figure
from cxroom.ui.theme import stage_colour
from cxroom.ui.wall.voices import trim_at_word

NEWS_SHOWN = 6  # three rows of two; the page's script drops the last ones if a long name needs room
VOICES_SHOWN = 3
VOICE_CHARS = 180
FIXES_SHOWN = 3

CSS = """
.spot{flex:1;min-height:0;display:grid;grid-template-columns:minmax(0,1.3fr) minmax(0,1fr);
 grid-template-rows:auto minmax(0,1fr);gap:.5rem 1.4rem;margin-top:.5rem;border-top:.5rem solid var(--stage);
 padding-top:.5rem}
.spot-head{grid-column:1/3;display:flex;align-items:baseline;gap:1.2rem;flex-wrap:wrap}
.spot-head .stage{font-size:2.4rem}.spot-head .health{font-size:1.4rem;margin:0}
.goal{font-size:1.1rem;margin:0;color:#dfe2e8;flex:1 1 20rem}
.spot-main,.spot-side{min-height:0;min-width:0;display:flex;flex-direction:column;gap:.6rem;overflow:hidden}
.spot-news{display:grid;grid-template-columns:1fr 1fr;gap:0 1rem;align-content:start;flex:none}
.spot .news{margin-bottom:.45rem}
.spot .what{font-size:1.05rem}.spot .target{font-size:1rem}.spot .num{font-size:2.4rem}
.trends{flex:1 1 auto;display:grid;grid-template-columns:1fr 1fr;gap:.8rem}
.spot .artifact{flex:1 1 8rem;min-height:6rem;display:flex;flex-direction:column}
.spot .artifact img{flex:1;min-height:0;height:auto;width:100%;max-width:100%;object-position:center top;
 background:none}
.spot figcaption{font-size:1rem}
.spot h3{font-size:1.1rem;margin:0 0 .2rem;color:#c3c7d0;font-weight:600}
.voices,.fixes{list-style:none;margin:0;padding:0;flex:none}
.voice{font-size:1.1rem;font-style:italic;margin:0 0 .35rem;overflow-wrap:anywhere}
.fixline{margin:0 0 .35rem;font-size:1.05rem;overflow-wrap:anywhere}
.fixline b{display:block}.fixline span{color:#c3c7d0}.fixline.late span{color:#ff9a9a;font-weight:700}
"""


def _trends(col: StageColumn) -> str:
    """A year of the stage's worst KPI (against its target) and of its complaints."""
    charts = []
    worst = worst_kpi(col)
    if worst is not None:
        kpi, tone = worst
        charts.append(
            trend_figure(
                kpi.name,
                kpi.months,
                kpi.values,
                fmt=lambda v, unit=kpi.unit: fmt_number(v, unit),
                note=fmt_target(kpi.target, kpi.unit, kpi.direction),
                tone=tone,
                target=kpi.target,
            )
        )
    summary = col.complaints
    if summary is not None and any(summary.counts):
        rise = fmt_pct(summary.change_vs_average)
        charts.append(
            trend_figure(
                "Complaints a month",
                summary.months,
                [float(n) for n in summary.counts],
                fmt=lambda v: fmt_count(round(v)),
                note=f"{rise} on a usual month" if rise else "no usual month yet",
            )
        )
    return f'<div class="trends">{"".join(charts)}</div>' if charts else ""


def _voices(col: StageColumn) -> str:
    """Up to three things customers said this month: complaints, then survey comments (masked);
    the same words twice (one customer writing again) show once."""
    said = list(dict.fromkeys([v.text for v in col.verbatims] + [c.text for c in col.survey_comments]))
    # The read model masks both; masking again keeps a lobby screen free of personal data
    # whatever a future read hands it.
    items = "".join(
        f'<li class="voice drop">“{escape(trim_at_word(mask_personal_data(text), VOICE_CHARS))}”</li>'
        for text in said[:VOICES_SHOWN]
    )
    if not items:
        return '<p class="quiet">No customer comment this month.</p>'
    return f'<h3>In the customer\'s words</h3><ul class="voices">{items}</ul>'


def _fixes(col: StageColumn, today: date) -> str:
    active = [f for f in col.fixes if fix_status.is_active(f.status)]
    if not active:
        return '<p class="quiet">No fix team at work on this stage.</p>'
    lines = []
    for fix in active[:FIXES_SHOWN]:
        due, late = due_words(fix, today)
        where = " · ".join(x for x in (fix.lead, fix_status.look(fix.status).label, f"due {due}", late) if x)
        lines.append(
            f'<li class="fixline drop{" late" if late else ""}"><b>{escape(fix.title)}</b>'
            f"<span>{escape(where)}</span></li>"
        )
    more = len(active) - FIXES_SHOWN
    tail = f'<p class="more">and {fmt_count(more)} more on the fix board</p>' if more > 0 else ""
    return f'<h3>Fix teams at work</h3><ul class="fixes">{"".join(lines)}</ul>{tail}'


def spotlight_screen(data: WallData, col: StageColumn, slot: Slot, token: str, now: datetime) -> str:
    """The stage on the whole screen: news and trends on the left, the customer and the fixes
    on the right."""
    news = "".join(news_item(n) for n in stage_news(col)[:NEWS_SHOWN]) or (
        '<li class="quiet">No KPIs or moments yet.</li>'
    )
    goal = f'<p class="goal">{escape(col.stage.customer_goal)}</p>' if col.stage.customer_goal else ""
    body = (
        f'<section class="spot" style="--stage: {stage_colour(col.stage.colour)}">'
        f'<div class="spot-head">{stage_head(col)}{goal}</div>'
        f'<div class="spot-main box"><ol class="newslist spot-news">{news}</ol>'
        f'<p class="more" hidden></p>{_trends(col)}</div>'
        f'<div class="spot-side box fit">{artifact_figure(col, token)}{_voices(col)}{_fixes(col, now.date())}</div>'
        "</section>"
    )
    return frame(data, slot, f"In the spotlight · stage {slot.index + 1} of {slot.count}", body, now)

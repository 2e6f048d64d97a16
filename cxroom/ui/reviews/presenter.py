"""Presenter mode for the room's screen: its style, the slide the URL names,
the bar with the timer and previous/next, the slide itself and the jump list."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from cxroom.insights.agenda import AgendaKind
from cxroom.insights.follow_up import FOLLOW_UP_TITLE
from cxroom.queries.reviews import contents, listing
from cxroom.ui import navigation
from cxroom.ui.kit.text import md
from cxroom.ui.reviews.follow_up import follow_up_panel
from cxroom.ui.reviews.reads import (
    cached_choices,
    cached_fix,
    cached_fix_evidence,
    cached_stage_evidence,
    db_key,
    version,
)
from cxroom.ui.reviews.stage_slide import stage_slide
from cxroom.ui.reviews.state import REVIEW_PAGE
from cxroom.ui.reviews.teams import fix_presentation_view, present_button

# -- presenter mode -----------------------------------------------------------------------------------------

# Static CSS only: nothing from the database or the URL is interpolated here.
PRESENTER_CSS = """
<style>
/* The room's type grows with the screen: 15 px (the theme's base) at 1920 wide, 30 px on a
   3840 x 2160 screen, so a slide that fits 1080p fills a 4K screen the same way. */
html { font-size: clamp(15px, 0.782vw, 40px); }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1.2rem 2.6rem 2rem 2.6rem; }
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] [data-testid="stMarkdownContainer"] li { font-size: 1.45rem; line-height: 1.35; }
[data-testid="stMain"] h1 { font-size: 3.1rem; padding-top: 0; }
[data-testid="stMain"] h2 { font-size: 2.2rem; }
[data-testid="stMain"] h3 { font-size: 1.7rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] p { font-size: 1.15rem; }
[data-testid="stMain"] [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
  font-size: 2.9rem; font-weight: 600; line-height: 1.1;
}
[data-testid="stMain"] [data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1.25rem; }
[data-testid="stMain"] [data-testid="stMetricDelta"] [data-testid="stMarkdownContainer"] p { font-size: 1.15rem; }
[data-testid="stMain"] blockquote p { font-size: 1.45rem; font-style: italic; }
[data-testid="stMain"] [data-testid="stTable"] td, [data-testid="stMain"] [data-testid="stTable"] th {
  font-size: 1.2rem;
}
.st-key-presenter-bar p { font-size: 1.2rem !important; }
/* A stage slide fits 1080p whole: thumbnails no taller than the complaints chart, their titles and
   the verbatims' sources on one line (the stage page has them in full). */
.st-key-presenter-slide h1 { padding-bottom: 0.1rem; }
.st-key-presenter-artifacts [data-testid="stImage"] img { max-height: 10rem; object-fit: contain; }
.st-key-presenter-artifacts [data-testid="stCaptionContainer"] p,
.st-key-presenter-slide [data-testid="stCaptionContainer"] p {
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
}
</style>
"""


def presenter_style() -> None:
    st.markdown(PRESENTER_CSS, unsafe_allow_html=True)  # constant CSS, no user text


def timer_key(review_id: int, slide: str) -> str:
    return f"presenter-timer:{review_id}:{slide}"


TIMER_HTML = """
<div style="font: 600 30px 'Source Sans Pro', 'Source Sans 3', 'Segoe UI', sans-serif; color: #1B2430;
            text-align: center; padding-top: 4px;">
  <span id="elapsed">%(start)s</span><span style="font-weight: 400"> of %(minutes)d min</span>
</div>
<script>
const base = %(elapsed)d, limit = %(limit)d, loaded = Date.now();
function tick() {
  const s = base + Math.floor((Date.now() - loaded) / 1000);
  const el = document.getElementById("elapsed");
  el.textContent = String(Math.floor(s / 60)).padStart(2, "0") + ":" + String(s %% 60).padStart(2, "0");
  el.style.color = s > limit ? "#C62828" : (s > 0.75 * limit ? "#B45309" : "#1B2430");
}
tick();
setInterval(tick, 1000);
</script>
"""


def presenter_timer(key: str, minutes: int) -> None:
    """Time spent on this slide against its time box. The browser counts the
    seconds (a fragment rerunning every second would fight the URL of the
    slide): the server only says where to start counting from. Only numbers
    go into the page."""
    started = float(st.session_state.setdefault(key, time.time()))
    elapsed = max(0, int(time.time() - started))
    html_text = TIMER_HTML % {
        "start": f"{elapsed // 60:02d}:{elapsed % 60:02d}",
        "minutes": int(minutes),
        "elapsed": elapsed,
        "limit": int(minutes) * 60,
    }
    st.iframe(html_text, height=52)


def list_slide(title: str, reasons: Sequence[str]) -> None:
    st.markdown(f"# {md(title)}")
    if reasons:
        st.markdown("\n".join(f"- {md(r)}" for r in reasons))


def slide_label(item: contents.AgendaItem) -> str:
    return f"{item.position}. {item.title}"


@dataclass(frozen=True)
class Slide:
    """What the room's screen shows: an agenda item, or a stage of the wall."""

    key: str
    item: contents.AgendaItem | None
    stage_id: int | None
    stage_slug: str | None
    number: int | None  # 1-based place in the agenda
    total: int
    minutes: int


def presenter_slide(review: listing.Review, items: Sequence[contents.AgendaItem]) -> Slide:
    """The slide named by the URL (?item=<n> or ?stage=<slug>)."""
    choices = cached_choices(version(), db_key())
    stage = st.query_params.get("stage")
    if stage:
        if stage in choices.stage_ids:
            return Slide(f"stage-{stage}", None, choices.stage_ids[stage], stage, None, len(items), 8)
        st.error(f"There is no stage {md(stage)} on the wall; showing the agenda instead.")
    raw = str(st.query_params.get("item", "1"))
    if not raw.isdigit():
        st.error(f"item={md(raw)} is not an agenda item number; showing the first item.")
        raw = "1"
    if not items:
        return Slide("empty", None, None, None, None, 0, 5)
    number = min(max(int(raw), 1), len(items))
    item = items[number - 1]
    return Slide(f"item-{item.id}", item, item.stage_id, item.stage_slug, number, len(items), item.minutes)


def _go(review_id: int, *, item: int | None = None, stage: str | None = None) -> None:
    st.query_params.clear()
    st.query_params["review"] = str(review_id)
    if stage is not None:
        st.query_params["stage"] = stage
    else:
        st.query_params["item"] = str(item or 1)


def _forget(key: str) -> None:
    st.session_state.pop(key, None)


def _jump(review_id: int, key: str) -> None:
    target = str(st.session_state.get(key) or "")
    kind, _, value = target.partition(":")
    if kind == "stage":
        _go(review_id, stage=value)
    elif kind == "item" and value.isdigit():
        _go(review_id, item=int(value))


def presenter_bar(review: listing.Review, items: Sequence[contents.AgendaItem], slide: Slide) -> None:
    choices = cached_choices(version(), db_key())
    if slide.key == "empty":
        where = "No agenda yet"
        prev_args, next_args, has_prev, has_next = {}, {}, False, False
    elif slide.number is not None:
        where = f"Item {slide.number} of {slide.total}"
        if slide.item is not None:
            where += " · Follow-up" if slide.item.title == FOLLOW_UP_TITLE else f" · {slide.item.section.heading}"
        prev_args: dict[str, Any] = {"item": slide.number - 1}
        next_args: dict[str, Any] = {"item": slide.number + 1}
        has_prev, has_next = slide.number > 1, slide.number < slide.total
    else:
        slugs = [slug for slug, _ in choices.stages]
        at = slugs.index(slide.stage_slug) if slide.stage_slug in slugs else 0
        where = f"Walking the wall · stage {at + 1} of {len(slugs)}"
        prev_args = {"stage": slugs[at - 1]} if at > 0 else {}
        next_args = {"stage": slugs[at + 1]} if at + 1 < len(slugs) else {}
        has_prev, has_next = bool(prev_args), bool(next_args)
    with st.container(key="presenter-bar"):
        c1, c2, c3, c4 = st.columns([0.5, 0.24, 0.13, 0.13], vertical_alignment="center")
        c1.markdown(f"**{md(review.title)}** · {where}")
        with c2:
            if slide.key != "empty":
                presenter_timer(timer_key(review.id, slide.key), slide.minutes)
        buttons = (
            (c3, "Previous", ":material/arrow_back:", "presenter-prev", "secondary", has_prev, prev_args),
            (c4, "Next", ":material/arrow_forward:", "presenter-next", "primary", has_next, next_args),
        )
        for col, label, icon, key, kind, enabled, target in buttons:
            col.button(
                label,
                icon=icon,
                key=key,
                type=kind,
                disabled=not enabled,
                on_click=_go,
                args=(review.id,),
                kwargs=target,
                width="stretch",
            )


def render_slide(review: listing.Review, slide: Slide) -> None:
    item = slide.item
    if item is None and slide.stage_id is None:
        st.info("This review has no agenda yet: propose one on the review page.")
        return
    if item is None or (item.kind is AgendaKind.STAGE and item.stage_id is not None):
        stage_id = slide.stage_id if item is None else item.stage_id
        assert stage_id is not None
        ev = cached_stage_evidence(
            version(), db_key(), stage_id, review.month.isoformat(), None if item is None else item.moment_id
        )
        if ev is None:
            st.error("That stage no longer exists.")
            return
        stage_slide(ev, reasons=() if item is None else item.reasons, key=f"slide-{slide.key}")
        return
    if item.fix_id is not None:
        fix = cached_fix(version(), db_key(), item.fix_id)
        if fix is None:
            st.error("That fix no longer exists.")
            return
        kicker = ":material/celebration: A win to celebrate" if item.kind is AgendaKind.WIN else "A fix team presents"
        fix_presentation_view(
            fix,
            cached_fix_evidence(version(), db_key(), item.fix_id),
            large=True,
            kicker=kicker,
            reasons=[r for r in item.reasons if not r.startswith("Lead: ")],
        )
        present_button(review, fix, key=f"presenter-present-{fix.id}")
        return
    if item.title == FOLLOW_UP_TITLE:
        st.markdown(f"# {md(item.title)}")
        follow_up_panel(review.id, key="presenter-follow-up", heading=False)
        return
    list_slide((":material/celebration: " if item.kind is AgendaKind.WIN else "") + item.title, item.reasons)


def presenter_footer(review: listing.Review, items: Sequence[contents.AgendaItem], slide: Slide) -> None:
    choices = cached_choices(version(), db_key())
    st.divider()
    options = [f"item:{i.position}" for i in items] + [f"stage:{slug}" for slug, _ in choices.stages]
    labels = {f"item:{i.position}": slide_label(i) for i in items}
    labels.update({f"stage:{slug}": f"Wall · {name}" for slug, name in choices.stages})
    current = f"item:{slide.number}" if slide.number is not None else f"stage:{slide.stage_slug}"
    key = f"presenter-jump-{slide.key}"
    c1, c2 = st.columns([0.6, 0.4], vertical_alignment="bottom")
    c1.selectbox(
        "Go to",
        options=options,
        index=options.index(current) if current in options else 0,
        format_func=labels.__getitem__,
        key=key,
        on_change=_jump,
        args=(review.id, key),
    )
    with c2:
        navigation.page_link(
            REVIEW_PAGE, label="Back to the review", icon=":material/undo:", query_params={"review": str(review.id)}
        )
        st.button(
            "Restart the timer",
            key="presenter-timer-reset",
            on_click=_forget,
            args=(timer_key(review.id, slide.key),),
        )

"""The fix page's read-only panels: the picker and deep link, the header, the
problem and story, the team and the timeline."""

from __future__ import annotations

import streamlit as st

from cxroom import fix_status
from cxroom.queries import fixes as fix_queries
from cxroom.ui import navigation
from cxroom.ui.fixes.common import (
    BASIS,
    DUE_ICON,
    FIXES_PAGE,
    OVERDUE_ICON,
    RELIABILITY,
    REVIEW_PAGE,
    as_date,
    due_text,
    status_badge,
    status_label,
    today,
    when,
)
from cxroom.ui.fixes.reads import choices
from cxroom.ui.kit.text import md


def fix_id_from_url() -> int | None:
    raw = st.query_params.get("fix")
    if raw is None or raw == "":
        return None
    try:
        value = int(str(raw))
    except ValueError:
        st.error(f"'{md(raw)}' is not a fix number; open a fix from the board.")
        return None
    return value if value > 0 else None


def fix_picker(*, key: str) -> int | None:
    items = choices()
    if not items:
        st.info("No fix has been chartered yet. Charter one on the Fixes page.")
        navigation.page_link(FIXES_PAGE, label="Go to the fix board", icon=":material/view_kanban:")
        return None
    labels = {i: f"{t} ({status_label(s)})" for i, t, s in items}  # leaders never see an id
    chosen = st.selectbox("Open a fix", [None, *labels], format_func=lambda i: "—" if i is None else labels[i], key=key)
    if chosen is not None:
        st.query_params["fix"] = str(chosen)
        st.rerun()
    return None


def fix_header(d: fix_queries.FixDetail) -> None:
    fix = d.fix
    navigation.page_link(FIXES_PAGE, label="All fixes", icon=":material/arrow_back:")
    st.title(md(fix["title"]), anchor=False)
    where = md(fix["stage"]) + (f" · moment of truth: **{md(fix['moment'])}**" if fix.get("moment") else "")
    if fix.get("reliability"):
        icon, word = RELIABILITY[str(fix["reliability"])]
        where += f" · {icon} {word}"
    st.markdown(where)
    row = st.container(horizontal=True, gap="small")
    with row:
        look = fix_status.look(str(fix["status"]))
        st.badge(look.label, color=look.colour, icon=look.material)  # type: ignore[arg-type]
        if fix_status.is_active(str(fix["status"])):
            due, due_colour = due_text(as_date(fix["due_on"]), str(fix["status"]), today_=today())
            icon = OVERDUE_ICON if due_colour == "red" else DUE_ICON
            st.badge(due, color=due_colour, icon=icon)  # type: ignore[arg-type]
        silos = fix_queries.silo_names(d.members)
        st.badge(f"{len(d.members)} people · {len(silos)} silos", color="gray")
    cols = st.columns(4)
    cols[0].markdown(f"**Sponsor**  \n{md(fix['sponsor'])}")
    cols[1].markdown(f"**Lead**  \n{md(fix['lead'])}")
    with cols[2]:
        st.markdown(f"**Chartered**  \n{when(fix['chartered_on'])}")
        if fix.get("chartered_review"):
            review_link(int(fix["chartered_review_id"]), f"at {fix['chartered_review']}")
    with cols[3]:
        st.markdown("**Presented at**")
        for p in d.presentations:
            review_link(int(p["review_id"]), str(p["title"]))
        if not d.presentations:
            st.markdown("not yet")
    if d.celebration is not None:
        c = d.celebration
        icon, word = BASIS.get(str(c["basis"]), BASIS["legacy"])
        text = str(c["override_reason"] if c["basis"] == "override" else c["evidence"])
        st.success(
            f"**Celebrated {when(c['celebrated_at'])}** by {md(c['celebrated_by'])} · {word}: {md(text)}",
            icon=icon,
        )


def problem(d: fix_queries.FixDetail) -> None:
    st.markdown("##### The problem")
    st.text(str(d.fix["problem"]))


def review_link(review_id: int, title: str) -> None:
    """A link to the review's page for those who may open it; its title as text for everyone else."""
    navigation.page_link(
        REVIEW_PAGE,
        label=md(title),
        query_params={"review": str(review_id)},
        icon=":material/groups:",
        text_otherwise=True,
    )


def story(d: fix_queries.FixDetail) -> None:
    fix = d.fix
    st.markdown("### What the team found and did")
    for field, title, empty in (
        ("findings", "Findings", "The team has not written its findings yet."),
        ("recommendations", "Recommendations", "No recommendations yet."),
        ("results", "Results", "No results reported yet."),
    ):
        st.markdown(f"##### {title}")
        text = str(fix[field] or "").strip()
        if text:
            st.text(text)
        else:
            st.caption(empty)


def team_panel(d: fix_queries.FixDetail) -> None:
    st.markdown("##### Team")
    lead = str(d.fix["lead"]).casefold()
    for silo in fix_queries.silo_names(d.members):
        people = [m["person"] for m in d.members if m["silo"] == silo]
        names = ", ".join(f"{md(p)} (lead)" if str(p).casefold() == lead else md(p) for p in people)
        st.markdown(f"**{md(silo)}** — {names}")


def timeline(d: fix_queries.FixDetail) -> None:
    st.markdown("##### Timeline")
    if not d.timeline:
        st.caption("No updates yet.")
        return
    for row in d.timeline:
        change = ""
        if row["to_status"]:
            change = (
                f" · {status_badge(str(row['from_status']))} → {status_badge(str(row['to_status']))}"
                if row["from_status"]
                else f" · {status_badge(str(row['to_status']))}"
            )
        st.markdown(f"**{when(row['happened_at'])}** · {md(row['author'])}{change}")
        if row["note"]:
            st.text(str(row["note"]))

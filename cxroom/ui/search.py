"""Search everything said: the search page (one box, ranked hits, each opening its stage,
its complaint or its call at the moment of the words), and the block on the stage page
that shows what a hit opened (?complaint=ID, or ?call=ID&at=SECONDS).

Masked for everyone by default; a role that may see personal data can ask to search the
texts as imported (cxroom/queries/search.py says why masked search reads masked text only)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from cxroom.permissions import may_see_personal_data
from cxroom.queries import search as search_queries
from cxroom.queries.stage import StageEvidence
from cxroom.ui import cache, context
from cxroom.ui.kit.actor import acting_role
from cxroom.ui.kit.format import clip_time, date_text, fmt_count
from cxroom.ui.kit.text import md
from cxroom.ui.wall.state import STAGE_PAGE

SEARCH_PAGE = "views/search.py"
KINDS = {
    "complaint": (":material/report:", "Complaint"),
    "comment": (":material/rate_review:", "Survey comment"),
    "call": (":material/headphones:", "Call"),
    "artifact": (":material/description:", "Artifact"),
}
CONTEXT_S = 20  # transcript seconds shown around a hit's moment


@st.cache_data(show_spinner=False, max_entries=64)
def cached_search(data_version: int, db: str, text: str, masked: bool, limit: int) -> search_queries.SearchResult:
    del data_version, db  # cache key only
    return search_queries.search(context.store(), text, masked=masked, limit=limit)


def hit_params(hit: search_queries.Hit) -> dict[str, str]:
    """The stage page's query for a hit: its stage and month, and the complaint or call moment."""
    params = {"stage": hit.stage_slug}
    if hit.happened_at is not None:
        params["month"] = hit.happened_at.strftime("%Y-%m")
    if hit.kind == "complaint":
        params["complaint"] = hit.ref
    elif hit.kind == "call":
        params.update(call=hit.ref, at=str(int(hit.at_s or 0)))
    return params


def _hit(hit: search_queries.Hit, n: int) -> None:
    icon, label = KINDS.get(hit.kind, (":material/chat:", hit.kind))
    where = f"at {clip_time(hit.at_s)}" if hit.kind == "call" and hit.at_s is not None else ""
    when = date_text(hit.happened_at) if hit.happened_at else ""
    times = f"said {fmt_count(hit.times)} times" if hit.times > 1 else ""
    with st.container(border=True, key=f"search-hit-{n}"):
        left, right = st.columns([5, 2], vertical_alignment="center")
        with left:
            st.markdown(
                f"{icon} **{label}** · {md(hit.stage_name)}  \n" + md(" · ".join(p for p in (when, where, times) if p))
            )
            st.text(hit.snippet)
        with right:
            opens = {"complaint": "Open the complaint", "call": f"Play from {clip_time(hit.at_s or 0)}"}
            st.page_link(
                STAGE_PAGE,
                label=opens.get(hit.kind, "Open the stage"),
                icon=":material/open_in_new:",
                query_params=hit_params(hit),
            )


def search_page(*, limit: int = 50) -> None:
    st.title(":material/manage_search: Search what customers said", anchor=False)
    st.caption("Complaints, survey comments, call transcripts and artifact captions, best match first.")
    asked = st.query_params.get("q", "")
    text = st.text_input(
        "Search",
        value=asked,
        placeholder="a word or a phrase, e.g. rating tier",
        key="search-q",
        label_visibility="collapsed",
    )
    as_imported = may_see_personal_data(acting_role()) and st.checkbox(
        "Search personal data as imported",
        key="search-raw",
        help="Masked by default, as the room shows customers' words. Your role may read them as imported.",
    )
    if text != asked:
        st.query_params["q"] = text  # a search is a link people can share
    if not text.strip():
        st.info("Type a word or a phrase to search everything customers said.")
        return
    result = cached_search(context.data_version(), cache.db_key(), text, not as_imported, limit)
    if not result.terms:
        st.info("Nothing to search for in that: use letters or digits.")
        return
    if not result.hits:
        st.info(md(f"Nothing said matches “{' '.join(result.terms)}”."))
        return
    shown = (
        fmt_count(result.total)
        if result.total <= len(result.hits)
        else (f"the best {fmt_count(len(result.hits))} of {fmt_count(result.total)}")
    )
    st.markdown(
        md(f"{shown} hits · {fmt_count(result.texts)} texts said it")
        + ("" if result.masked else " · **personal data shown as imported**")
    )
    for n, hit in enumerate(result.hits):
        _hit(hit, n)


def _int_param(name: str) -> int | None:
    raw = st.query_params.get(name)
    return int(raw) if raw and raw.isdigit() and len(raw) < 19 else None


def opened_hit(evidence: StageEvidence, stage_id: int, *, key: str) -> None:
    """On the stage page: the complaint or the call moment a search hit opened, above the tabs."""
    call_id, complaint_id = _int_param("call"), _int_param("complaint")
    if call_id is not None:
        call = next((c for c in evidence.calls if c.id == call_id), None)
        if call is None:
            st.warning("That call is not on this stage.", icon=":material/warning:")
            return
        at = min(_int_param("at") or 0, int(call.duration_s))
        with st.container(border=True, key=f"{key}-opened-call"):
            st.markdown(f":material/headphones: **{md(call.title)}** · from {clip_time(at)}")
            data = cache.media_bytes(call.sha256, call.mime)
            if data is not None:
                st.audio(data, format=call.mime, start_time=at)
            near = [s for s in call.transcript if s.end >= at - CONTEXT_S and s.start <= at + CONTEXT_S]
            # The hit's segment starts in this second (links carry whole seconds), else holds it.
            hit = next((s for s in near if int(s.start) == at), None) or next(
                (s for s in near if s.start <= at < s.end), None
            )
            # A no-break space keeps the lines aligned (leading spaces of a text block are dropped).
            lines = [f"{'▶' if s is hit else chr(0xA0)} {clip_time(s.start)}  {s.speaker}: {s.text}" for s in near]
            if lines:
                st.text("\n".join(lines))
    elif complaint_id is not None:
        found = search_queries.complaint(context.store(), complaint_id, stage_id)
        if found is None:
            st.warning("That complaint is not on this stage.", icon=":material/warning:")
            return
        with st.container(border=True, key=f"{key}-opened-complaint"):
            meta: list[Any] = [date_text(found.received_at), found.source, found.channel, found.category]
            st.markdown(f":material/report: **Complaint #{found.id}** · " + md(" · ".join(str(m) for m in meta if m)))
            st.text(found.text)

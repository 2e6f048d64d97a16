"""Search everything customers said: complaint verbatims, survey comments, call
transcripts (segment by segment, so a hit opens the call at that moment) and artifact
captions, ranked with BM25 computed in DuckDB.

Plain SQL over the texts, not DuckDB's ``fts`` extension: the extension ships for duckdb
1.5.5 only (the room runs 2.0), and its index is rebuilt whole, never updated, so every
import would wait for a rebuild over millions of texts. A scan with ``contains`` reads
the imported rows as they are, and is measured at 2M complaints in docs/benchmarks.md.

Masked by default: the search reads ``verbatim_masked``, ``comment_masked`` and the
transcript as the masker leaves it, so a term never matches the original text behind a
mask (searching the original would let a viewer find a card number digit by digit).
Only a role that may see personal data, asking for it, searches the texts as imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cxroom.privacy import MAY_HOLD_IDENTIFIER, mask_personal_data
from cxroom.store import Store

__all__ = ["MAX_TERMS", "ComplaintShown", "Hit", "SearchResult", "complaint", "query_terms", "search", "snippet"]

MAX_TERMS = 8
DEFAULT_LIMIT = 50
SNIPPET_CHARS = 220
BM25_K1 = 1.2
BM25_B = 0.75
_WORD = re.compile(r"\w+", re.UNICODE)

# Every call's transcript segments, as stored. Segments that hold neither a digit nor an @
# cannot hold an identifier (cxroom/privacy.py) and are their own masked text; only the
# others are masked in Python, on this read.
SEGMENTS = """
WITH seg AS (
    SELECT c.id AS call_id, c.stage_id, c.recorded_at, unnest(c.transcript::JSON[]) AS s
    FROM calls c JOIN stages st ON st.id = c.stage_id AND NOT st.archived
    WHERE c.transcript IS NOT NULL AND json_type(c.transcript) = 'ARRAY'
)
SELECT call_id, stage_id, recorded_at, try_cast(s->>'start' AS DOUBLE) AS start_s,
       coalesce(s->>'speaker', '') AS speaker, s->>'text' AS text,
       regexp_matches(coalesce(s->>'text', ''), $may_hold) AS may_hold
FROM seg
WHERE s->>'text' IS NOT NULL
"""

# {complaint}, {comment}: the text column read (masked, or as imported); {match}: one
# contains() per term, OR-ed, built from fixed fragments; every value typed is bound.
SEARCH = """
WITH docs AS (
    SELECT 'complaint' AS kind, c.id::VARCHAR AS ref, c.stage_id, c.received_at AS happened_at,
           NULL::DOUBLE AS at_s, c.{complaint} AS text
    FROM complaints c
    WHERE c.stage_id IS NOT NULL
    UNION ALL
    SELECT 'comment', r.response_id, arg_min(qs.stage_id, st.position), min(r.answered_at), NULL, any_value(r.{comment})
    FROM survey_responses r
    JOIN survey_question_stages qs ON qs.question_id = r.question_id
    JOIN stages st ON st.id = qs.stage_id
    WHERE r.{comment} IS NOT NULL
    GROUP BY r.response_id
    UNION ALL
    SELECT 'call', call_id::VARCHAR, stage_id, recorded_at, start_s,
           CASE WHEN speaker = '' THEN text ELSE speaker || ': ' || text END
    FROM (SELECT unnest($seg_call) AS call_id, unnest($seg_stage) AS stage_id, unnest($seg_when) AS recorded_at,
                 unnest($seg_start) AS start_s, unnest($seg_speaker) AS speaker, unnest($seg_text) AS text)
    UNION ALL
    SELECT 'artifact', a.id::VARCHAR, a.stage_id, a.issued_on::TIMESTAMP, NULL,
           a.title || ' — ' || a.caption
    FROM artifacts a
), found AS (
    SELECT d.*, lower(d.text) AS lt FROM docs d
    WHERE d.text IS NOT NULL AND ({match})
), counted AS (
    SELECT *, list_transform($terms, lambda t: (length(lt) - length(replace(lt, t, ''))) // length(t)) AS tf,
           length(lt) AS len
    FROM found
), stats AS (
    SELECT avg(len) AS avg_len FROM counted
), idf AS (
    -- BM25's idf of each term, from how many of the matching texts hold it.
    SELECT list(ln(1 + ($n - df + 0.5) / (df + 0.5)) ORDER BY i) AS idf
    FROM (SELECT i, count(*) FILTER (WHERE tf[i] > 0) AS df FROM counted, range(1, len($terms) + 1) r(i) GROUP BY i)
), scored AS (
    SELECT c.kind, c.ref, c.stage_id, c.happened_at, c.at_s, c.text,
           len(list_filter(c.tf, lambda x: x > 0)) AS coverage,
           list_sum(list_transform(range(1, len($terms) + 1), lambda i:
               idf.idf[i] * c.tf[i] * ($k1 + 1) / (c.tf[i] + $k1 * (1 - $b + $b * c.len / stats.avg_len)))) AS bm25,
           regexp_matches(c.lt, $phrase) AS phrase
    FROM counted c, stats, idf
), said AS (
    -- The same words said many times (a templated complaint) are one hit, the newest, with its count
    -- (partitioned on a 64-bit hash of the text: no sort of the texts themselves).
    SELECT *, count(*) OVER (PARTITION BY kind, stage_id, hash(text)) AS times,
           row_number() OVER (PARTITION BY kind, stage_id, hash(text) ORDER BY happened_at DESC NULLS LAST, ref) AS nth
    FROM scored
)
SELECT sc.kind, sc.ref, sc.stage_id, st.slug AS stage_slug, st.name AS stage_name, sc.happened_at, sc.at_s,
       sc.text, sc.coverage, sc.phrase, sc.bm25, sc.times, count(*) OVER () AS total, sum(sc.times) OVER () AS texts
FROM said sc JOIN stages st ON st.id = sc.stage_id AND NOT st.archived
WHERE sc.nth = 1
ORDER BY sc.phrase DESC, sc.coverage DESC, sc.bm25 DESC, sc.happened_at DESC NULLS LAST, sc.kind, sc.ref
LIMIT $limit
"""


# How many texts there are (BM25's N), counted on the tables: the union above is read once.
TEXT_COUNT = """
SELECT (SELECT count({complaint}) FROM complaints WHERE stage_id IS NOT NULL)
     + (SELECT count(DISTINCT response_id) FROM survey_responses WHERE {comment} IS NOT NULL)
     + (SELECT count(*) FROM artifacts)
"""


@dataclass(frozen=True)
class Hit:
    kind: str  # complaint, comment, call, artifact
    ref: str  # the complaint's, call's or artifact's id, or the survey response's id
    stage_id: int
    stage_slug: str
    stage_name: str
    happened_at: datetime | None
    at_s: float | None  # a transcript hit: the moment its segment starts
    snippet: str  # the words around the first match, as the reader may see them
    score: float
    all_terms: bool
    phrase: bool
    times: int  # how many texts of its kind and stage say exactly this


@dataclass(frozen=True)
class SearchResult:
    query: str
    terms: tuple[str, ...]
    hits: tuple[Hit, ...]
    total: int  # distinct hits
    texts: int  # texts that matched (a templated complaint counts each time it was said)
    masked: bool


def query_terms(text: str) -> tuple[str, ...]:
    """The words of a query, lower-cased, each once, at most MAX_TERMS."""
    seen: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word not in seen:
            seen.append(word)
    return tuple(seen[:MAX_TERMS])


def _segments(store: Store, masked: bool) -> dict[str, list[Any]]:
    cols: dict[str, list[Any]] = {k: [] for k in ("call", "stage", "when", "start", "speaker", "text")}
    for call_id, stage_id, when, start, speaker, text, may_hold in store.execute(
        SEGMENTS, {"may_hold": MAY_HOLD_IDENTIFIER}
    ):
        cols["call"].append(int(call_id))
        cols["stage"].append(int(stage_id))
        cols["when"].append(when)
        cols["start"].append(float(start or 0.0))
        cols["speaker"].append(speaker)
        cols["text"].append(mask_personal_data(text) if masked and may_hold else text)
    return cols


def snippet(text: str, terms: tuple[str, ...], limit: int = SNIPPET_CHARS) -> str:
    """The part of ``text`` around its first matching term, cut at words."""
    flat = " ".join(text.split())
    low = flat.lower()
    hits = [p for p in (low.find(t) for t in terms) if p >= 0]
    first = min(hits) if hits else 0
    start = max(0, first - limit // 3)
    if start:
        start = flat.find(" ", start) + 1 or start
    out = flat[start : start + limit]
    if start + limit < len(flat):
        out = out.rsplit(" ", 1)[0] + " …"
    return ("… " if start else "") + out


def search(store: Store, text: str, *, masked: bool = True, limit: int = DEFAULT_LIMIT) -> SearchResult:
    """The best ``limit`` hits for ``text``: those holding the exact phrase first, then those
    holding every word, then by BM25; each with the total number of texts that matched."""
    terms = query_terms(text)
    if not terms:
        return SearchResult(text, terms, (), 0, 0, masked)
    seg = _segments(store, masked)
    match = " OR ".join(f"contains(lower(d.text), $t{i})" for i in range(len(terms)))
    columns = {
        "complaint": "verbatim_masked" if masked else "verbatim",
        "comment": "comment_masked" if masked else "comment",
    }
    texts = int(store.fetch_value(TEXT_COUNT.format(**columns)) or 0) + len(seg["text"])
    sql = SEARCH.format(match=match, **columns)
    params: dict[str, Any] = {f"t{i}": t for i, t in enumerate(terms)}
    params.update(
        terms=list(terms),
        n=max(texts, 1),
        # The words in order, whatever stands between them ("rating-tier", "POL-2024").
        phrase=r"\W+".join(re.escape(t) for t in terms),
        k1=BM25_K1,
        b=BM25_B,
        limit=int(limit),
        seg_call=seg["call"],
        seg_stage=seg["stage"],
        seg_when=seg["when"],
        seg_start=seg["start"],
        seg_speaker=seg["speaker"],
        seg_text=seg["text"],
    )
    rows = store.fetch_dicts(sql, params)
    hits = tuple(
        Hit(
            kind=r["kind"],
            ref=str(r["ref"]),
            stage_id=int(r["stage_id"]),
            stage_slug=r["stage_slug"],
            stage_name=r["stage_name"],
            happened_at=r["happened_at"],
            at_s=r["at_s"],
            snippet=snippet(r["text"], terms),
            score=float(r["bm25"] or 0.0),
            all_terms=int(r["coverage"]) == len(terms),
            phrase=bool(r["phrase"]),
            times=int(r["times"]),
        )
        for r in rows
    )
    total, texts = (int(rows[0]["total"]), int(rows[0]["texts"])) if rows else (0, 0)
    return SearchResult(text, terms, hits, total, texts, masked)


# One complaint a search hit opens on its stage's page (masked unless asked otherwise).
COMPLAINT = """
SELECT c.id, c.received_at, c.source, c.channel, c.category, c.verbatim_masked, c.verbatim
FROM complaints c
WHERE c.id = ? AND c.stage_id = ?
"""


@dataclass(frozen=True)
class ComplaintShown:
    id: int
    received_at: datetime
    source: str
    channel: str
    category: str
    text: str


def complaint(store: Store, complaint_id: int, stage_id: int, *, masked: bool = True) -> ComplaintShown | None:
    """One complaint of the stage; its text masked (a row stored without its masked text is
    masked here) unless ``masked`` is False."""
    row = store.fetch_one(COMPLAINT, [complaint_id, stage_id])
    if row is None:
        return None
    text = (row[5] if row[5] is not None else mask_personal_data(row[6] or "")) if masked else (row[6] or "")
    return ComplaintShown(int(row[0]), row[1], row[2], row[3], row[4], text)

"""Reads for mapping complaint categories in bulk: every (source, category,
sub-category) no rule maps yet, with its complaint count and a suggested stage
and moment, and the reason for the suggestion.

The complaints are aggregated in DuckDB (one GROUP BY over the unmapped rows),
and only one page of groups (a few hundred) is then matched against the rules,
the other sources and the words of the stages and moments, so the cost of the
suggestions does not grow with the number of complaints.

Where a suggestion comes from, in this order (the first that has one wins):

1. ``rule``: a rule already in the room for the same category, under another
   sub-category or for another source (a rule for this source first, then a
   category-wide one).
2. ``source``: the same category in another source, where its complaints are
   already on a stage (the stage holding most of them).
3. ``words``: words shared between the category and sub-category and the names
   and descriptions of the stages and moments of truth: 2 points per word
   shared with a name, 1 per word shared with a description or customer goal;
   the highest score wins (a stage on its own beats one of its moments on a
   tie, so a moment is suggested only when its own words add to the score), at
   least ``MIN_WORD_SCORE`` points.

The word match is a plain token overlap, not a library's: the texts are a
category label against a few dozen short stage and moment texts, and a person
accepts each suggestion seeing the words that made it. A TF-IDF or embedding
model would rank better on long texts but could not say in one line why it
suggests a stage, and NLTK/spaCy stop-word lists need data downloads the room
cannot make offline. Plural "s" is stripped (claims -> claim), and a word that
begins another counts as shared ("pay" and "payment", "renew" and "renewal"):
a crude stemmer, but one a person can check by eye.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from cxroom.store import Store

# Words that carry no meaning for a stage: English function words, and the words
# every complaint label uses ("problem with", "issue", "other").
STOP_WORDS = sorted(
    {
        "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been", "before",
        "being", "but", "by", "can", "could", "did", "do", "does", "for", "from", "get", "getting", "got",
        "had", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "no", "not",
        "of", "on", "one", "or", "our", "out", "over", "so", "than", "that", "the", "their", "them", "then",
        "there", "they", "this", "to", "up", "us", "was", "we", "were", "what", "when", "where", "which",
        "while", "who", "why", "will", "with", "without", "would", "you", "your",
        "issue", "issues", "problem", "problems", "other", "trouble", "unable", "etc",
    }
)  # fmt: skip
MIN_WORD_SCORE = 2

# A text's words: lower case, split on anything that is not a letter or digit, a plural "s"
# stripped (not from "ss": "process" stays), at least 3 characters, stop words out.
_WORDS = """
SELECT DISTINCT {keys}, word FROM (
    SELECT {keys}, regexp_replace(token, '^(\\pL{{2,}}[^s])s$', '\\1') AS word
    FROM (SELECT {keys}, unnest(regexp_split_to_array(lower({text}), '[^\\pL\\pN]+')) AS token FROM {table})
) WHERE length(word) >= 3 AND word NOT IN (SELECT word FROM stop)
"""

UNMAPPED_TOTALS_SQL = """
SELECT count(*) AS groups, coalesce(sum(n), 0) AS complaints
FROM (
    SELECT count(*) AS n FROM complaints
    WHERE stage_id IS NULL AND ($source IS NULL OR source = $source)
    GROUP BY source, category, subcategory
)
"""

SUGGESTIONS_SQL = (
    """
WITH page AS (
    SELECT source, category, subcategory, count(*) AS complaints
    FROM complaints
    WHERE stage_id IS NULL AND ($source IS NULL OR source = $source)
    GROUP BY source, category, subcategory
    ORDER BY complaints DESC, source, category, subcategory
    LIMIT $limit OFFSET $offset
),
stop AS (SELECT unnest($stop_words::VARCHAR[]) AS word),
by_rule AS (
    SELECT p.source, p.category, p.subcategory, r.stage_id, r.moment_id,
           r.source AS rule_source, r.category AS rule_category, r.subcategory AS rule_subcategory
    FROM page p JOIN category_rules r ON lower(r.category) = lower(p.category)
    QUALIFY row_number() OVER (
        PARTITION BY p.source, p.category, p.subcategory
        ORDER BY (r.source = p.source) DESC NULLS LAST, r.subcategory IS NULL DESC, r.id
    ) = 1
),
mapped_elsewhere AS (
    SELECT source, lower(category) AS cat, stage_id, moment_id, count(*) AS n
    FROM complaints
    WHERE stage_id IS NOT NULL AND lower(category) IN (SELECT lower(category) FROM page)
    GROUP BY ALL
),
by_source AS (
    SELECT p.source, p.category, p.subcategory, e.stage_id, e.moment_id,
           e.source AS other_source, e.n AS other_complaints
    FROM page p JOIN mapped_elsewhere e ON e.cat = lower(p.category) AND e.source <> p.source
    QUALIFY row_number() OVER (
        PARTITION BY p.source, p.category, p.subcategory ORDER BY e.n DESC, e.source, e.stage_id, e.moment_id
    ) = 1
),
page_texts AS (SELECT source, category, subcategory, category || ' ' || subcategory AS text FROM page),
page_words AS ("""
    + _WORDS.format(keys="source, category, subcategory", text="text", table="page_texts")
    + """),
targets AS (
    SELECT s.id AS stage_id, NULL::BIGINT AS moment_id, s.position, -1 AS moment_position,
           s.name AS strong, s.customer_goal || ' ' || s.description AS weak
    FROM stages s WHERE NOT s.archived
    UNION ALL
    SELECT s.id, m.id, s.position, m.position, s.name || ' ' || m.name, m.description
    FROM moments m JOIN stages s ON s.id = m.stage_id WHERE NOT s.archived
),
strong_words AS ("""
    + _WORDS.format(keys="stage_id, moment_id", text="strong", table="targets")
    + """),
weak_words AS ("""
    + _WORDS.format(keys="stage_id, moment_id", text="weak", table="targets")
    + """),
target_words AS (
    SELECT stage_id, moment_id, word, max(weight) AS weight
    FROM (SELECT *, 2 AS weight FROM strong_words UNION ALL SELECT *, 1 AS weight FROM weak_words)
    GROUP BY ALL
),
-- Each word of a target counts once, however many words of the category it begins or ends
-- ("report" and "reporting" against "report": 1 word shared, not 2).
matches AS (
    SELECT pw.source, pw.category, pw.subcategory, tw.stage_id, tw.moment_id, tw.word AS target_word,
           max(tw.weight) AS weight, min(pw.word) AS word
    FROM page_words pw JOIN target_words tw
      ON starts_with(pw.word, tw.word) OR starts_with(tw.word, pw.word)
    GROUP BY ALL
),
by_words AS (
    SELECT x.source, x.category, x.subcategory, x.stage_id, x.moment_id,
           sum(x.weight) AS score, list(x.word ORDER BY x.weight DESC, x.word) AS shared_words
    FROM matches x
    JOIN targets t ON t.stage_id = x.stage_id AND t.moment_id IS NOT DISTINCT FROM x.moment_id
    GROUP BY x.source, x.category, x.subcategory, x.stage_id, x.moment_id, t.position, t.moment_position
    HAVING sum(x.weight) >= $min_score
    QUALIFY row_number() OVER (
        PARTITION BY x.source, x.category, x.subcategory
        ORDER BY score DESC, x.moment_id IS NULL DESC, t.position, t.moment_position
    ) = 1
),
suggested AS (
    SELECT p.source, p.category, p.subcategory, p.complaints,
           CASE WHEN a.stage_id IS NOT NULL THEN 'rule' WHEN b.stage_id IS NOT NULL THEN 'source'
                WHEN w.stage_id IS NOT NULL THEN 'words' END AS basis,
           coalesce(a.stage_id, b.stage_id, w.stage_id) AS stage_id,
           CASE WHEN a.stage_id IS NOT NULL THEN a.moment_id WHEN b.stage_id IS NOT NULL THEN b.moment_id
                ELSE w.moment_id END AS moment_id,
           a.rule_source, a.rule_category, a.rule_subcategory, b.other_source, b.other_complaints,
           w.score, w.shared_words
    FROM page p
    LEFT JOIN by_rule a USING (source, category, subcategory)
    LEFT JOIN by_source b USING (source, category, subcategory)
    LEFT JOIN by_words w USING (source, category, subcategory)
)
SELECT g.source, g.category, g.subcategory, g.complaints, g.basis,
       s.slug AS stage_slug, s.name AS stage, m.name AS moment,
       g.rule_source, g.rule_category, g.rule_subcategory, g.other_source, g.other_complaints,
       g.score, g.shared_words
FROM suggested g
LEFT JOIN stages s ON s.id = g.stage_id
LEFT JOIN moments m ON m.id = g.moment_id
ORDER BY g.complaints DESC, g.source, g.category, g.subcategory
"""
)

STAGES_SQL = "SELECT slug, name FROM stages WHERE NOT archived ORDER BY position"

MOMENTS_SQL = """
SELECT s.slug AS stage_slug, s.name AS stage, m.name AS moment
FROM moments m JOIN stages s ON s.id = m.stage_id
WHERE NOT s.archived
ORDER BY s.position, m.position, m.id
"""

RULES_SQL = """
SELECT r.id, r.version, r.source, r.category, r.subcategory, s.slug AS stage_slug, s.name AS stage,
       m.name AS moment
FROM category_rules r
JOIN stages s ON s.id = r.stage_id
LEFT JOIN moments m ON m.id = r.moment_id
ORDER BY s.position, lower(r.category), r.subcategory NULLS FIRST, r.source NULLS FIRST, r.id
"""

# How many complaints each rule decides, by the same precedence as the rules are
# applied (most specific wins): one aggregation of the complaints by (source,
# category, sub-category), then the best rule per group.
RULE_COUNTS_SQL = """
WITH keys AS (
    SELECT source, lower(category) AS cat, lower(subcategory) AS sub, count(*) AS n
    FROM complaints GROUP BY ALL
),
ranked AS (
    SELECT k.n, r.id,
           row_number() OVER (
               PARTITION BY k.source, k.cat, k.sub
               ORDER BY (r.source IS NOT NULL)::INT * 2 + (r.subcategory IS NOT NULL)::INT DESC, r.id
           ) AS rank
    FROM keys k JOIN category_rules r
      ON lower(r.category) = k.cat
     AND (r.subcategory IS NULL OR lower(r.subcategory) = k.sub)
     AND (r.source IS NULL OR r.source = k.source)
)
SELECT id, sum(n) AS complaints FROM ranked WHERE rank = 1 GROUP BY id
"""

SOURCES_SQL = "SELECT DISTINCT source FROM complaints WHERE stage_id IS NULL ORDER BY source"


def _reason(row: dict[str, Any]) -> str:
    """One line saying why this stage is suggested."""
    if row["basis"] == "rule":
        where = f"source '{row['rule_source']}'" if row["rule_source"] is not None else "every source"
        sub = f" › '{row['rule_subcategory']}'" if row["rule_subcategory"] else ""
        return f"A rule maps '{row['rule_category']}'{sub} from {where} to {row['stage']}."
    if row["basis"] == "source":
        n = int(row["other_complaints"])
        plural = "s" if n != 1 else ""
        return f"{n:,} '{row['category']}' complaint{plural} from '{row['other_source']}' are on {row['stage']}."
    if row["basis"] == "words":
        target = f"{row['stage']} › {row['moment']}" if row["moment"] else str(row["stage"])
        words = ", ".join(f"'{w}'" for w in row["shared_words"])
        return f"Shares {words} with {target} (score {int(row['score'])})."
    return "No rule, other source or shared word points to a stage."


_COLUMNS = ("source", "category", "subcategory", "complaints", "basis", "stage_slug", "stage", "moment", "reason")


def unmapped_with_suggestions(
    store: Store, *, source: str | None = None, limit: int = 200, offset: int = 0
) -> pd.DataFrame:
    """One page of unmapped (source, category, subcategory) groups, most complaints first, with
    columns complaints, basis (rule/source/words/None), stage_slug, stage, moment and reason."""
    frame = store.fetch_df(
        SUGGESTIONS_SQL,
        {
            "source": source,
            "limit": int(limit),
            "offset": int(offset),
            "stop_words": STOP_WORDS,
            "min_score": MIN_WORD_SCORE,
        },
    )
    frame = frame.astype("object").where(frame.notna(), None)
    frame["complaints"] = frame["complaints"].astype("int64")
    frame["reason"] = pd.Series([_reason(r) for r in frame.to_dict("records")], index=frame.index, dtype="object")
    return frame[[*_COLUMNS]]


def unmapped_totals(store: Store, *, source: str | None = None) -> tuple[int, int]:
    """(groups, complaints) not yet on a stage, for paging."""
    row = store.fetch_one(UNMAPPED_TOTALS_SQL, {"source": source})
    return (int(row[0]), int(row[1])) if row else (0, 0)


def unmapped_sources(store: Store) -> list[str]:
    return [r[0] for r in store.execute(SOURCES_SQL)]


def stage_choices(store: Store) -> list[tuple[str, str]]:
    """(slug, name) of the stages on the wall, in wall order."""
    return [(r[0], r[1]) for r in store.execute(STAGES_SQL)]


def moment_choices(store: Store) -> pd.DataFrame:
    """stage_slug, stage, moment of every moment of truth on the wall."""
    return store.fetch_df(MOMENTS_SQL)


def rules(store: Store) -> pd.DataFrame:
    """Every rule with its stage and moment, and how many complaints it decides (most specific wins)."""
    frame = store.fetch_df(RULES_SQL)
    counts = store.fetch_df(RULE_COUNTS_SQL)
    frame = frame.merge(counts, on="id", how="left")
    frame["complaints"] = frame["complaints"].fillna(0).astype("int64")
    return frame

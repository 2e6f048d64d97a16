"""Themes and search at scale, in a process of its own:
``python bench/words_worker.py CONFIG.json OUT.json``, started by ``python -m cxroom bench``
(cxroom/bench/words.py). It lives outside the cxroom package because it rewrites the texts
of its copy of the room with SQL of its own.

The scale room's verbatims are five templates (cheap to generate, but a theme build would
only ever see five texts). Here every complaint of a copy of the room gets a text of its
own: three clauses drawn by hash from pools that depend on the stage, a number of days and
an amount, so nearly every text is distinct, as in a real export. Then:

- ``themes_full_s``: ``build_themes(full=True)`` over every stage and month;
- ``themes_month_s``: the incremental build after the newest month of every stage is
  forgotten (what runs after a month's import: it reads that month and the one before);
- ``search_*_s``: ``queries.search.search`` (masked), median of ``repeat`` runs, for a rare
  phrase, a common word and three words.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cxroom.bench.common import median
from cxroom.store import Store

TOPICS = [
    ["the online quote kept changing", "the price on the website was wrong", "the quote tool crashed again"],
    ["the direct debit failed", "my first bill has a fee nobody mentioned", "the refund has not arrived"],
    ["my claim has no adjuster", "the repair shop is still waiting for payment", "the claim was denied"],
    ["the renewal price went up", "loyal customers pay more than new ones", "cancelling took four calls"],
    ["the phone line kept me on hold", "the chat agent closed my case", "nobody called me back"],
    ["the welcome pack is confusing", "the ID card went to my old address", "the app will not log me in"],
]
REASONS = [
    "and I had to explain everything twice",
    "even though I sent every document",
    "and the letter did not say why",
    "which is the third time this year",
    "and the agent could not see my notes",
    "while the website said it was done",
]
ASKS = [
    "Please fix this before my renewal.",
    "I want someone senior to call me.",
    "I am thinking of leaving.",
    "Explain the charge in writing.",
    "Refund the difference now.",
    "Stop sending me the same letter.",
]

TEXTS_SQL = """
UPDATE complaints SET verbatim = t.text, verbatim_masked = t.text
FROM (
    SELECT id,
           list_element(list_element($topics, (1 + (stage_id + hash(id, 1) % 2) % len($topics))::INT),
                        (1 + hash(id, 2) % 3)::INT)
           || ' ' || list_element($reasons, (1 + hash(id, 3) % len($reasons))::INT)
           || ' after ' || (2 + hash(id, 4) % 60)::VARCHAR || ' days, about $'
           || (10 + hash(id, 5) % 900)::VARCHAR || '.' || lpad((hash(id, 6) % 100)::VARCHAR, 2, '0') || '. '
           || list_element($asks, (1 + hash(id, 7) % len($asks))::INT) AS text
    FROM complaints WHERE stage_id IS NOT NULL
) t
WHERE complaints.id = t.id
"""

FORGET_LAST_MONTH = """
WITH last AS (SELECT stage_id, max(month) AS month FROM theme_built_months GROUP BY stage_id)
DELETE FROM theme_months WHERE (theme_id, month) IN (
    SELECT t.id, l.month FROM themes t JOIN last l ON l.stage_id = t.stage_id)
"""
FORGET_BUILT = """
DELETE FROM theme_built_months WHERE (stage_id, month) IN (
    SELECT stage_id, max(month) FROM theme_built_months GROUP BY stage_id)
"""

SEARCHES = {"search_rare_s": "rating tier", "search_common_s": "refund", "search_words_s": "adjuster claim denied"}


def main(cfg_path: str, out_path: str) -> None:
    from cxroom.queries.search import search
    from cxroom.services.themes import build_themes

    cfg: dict[str, Any] = json.loads(Path(cfg_path).read_text())
    work = Path(cfg["workdir"])
    db = work / "words.duckdb"
    shutil.copyfile(cfg["db"], db)
    store = Store(db)
    out: dict[str, Any] = {}
    started = time.perf_counter()
    with store.transaction("system") as tx:
        tx.execute(TEXTS_SQL, {"topics": TOPICS, "reasons": REASONS, "asks": ASKS})
    store.checkpoint()
    out["texts_s"] = time.perf_counter() - started
    row = store.fetch_one("SELECT count(*), count(DISTINCT verbatim_masked) FROM complaints")
    out["complaints"], out["distinct_texts"] = int(row[0]), int(row[1])

    # CPU time beside wall time: on a shared machine the wall time also counts other work.
    started, cpu = time.perf_counter(), time.process_time()
    full = build_themes(store, full=True, actor="system")
    out["themes_full_s"] = time.perf_counter() - started
    out["themes_full_cpu_s"] = time.process_time() - cpu
    out["themes_full"] = full.to_json()

    with store.transaction("system") as tx:
        tx.execute(FORGET_LAST_MONTH)
        tx.execute(FORGET_BUILT)
    started, cpu = time.perf_counter(), time.process_time()
    month = build_themes(store, actor="system")
    out["themes_month_s"] = time.perf_counter() - started
    out["themes_month_cpu_s"] = time.process_time() - cpu
    out["themes_month"] = month.to_json()

    for key, text in SEARCHES.items():
        samples = []
        for _ in range(int(cfg.get("repeat", 3))):
            started = time.perf_counter()
            result = search(store, text, masked=True)
            samples.append(time.perf_counter() - started)
        out[key] = median(samples)
        out[key.replace("_s", "_hits")] = result.total
        out[key.replace("_s", "_samples")] = samples
    store.close()
    db.unlink(missing_ok=True)
    Path(out_path).write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])

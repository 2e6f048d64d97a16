"""What customers said, from a terminal.

- `python -m cxroom search TEXT [--json]`: complaints, survey comments, call transcripts and
  artifact captions, ranked; masked as the room shows them unless ``--as-imported`` is asked
  for (the CLI runs as the room's owner, who may read them).
- `python -m cxroom themes build [--full]`: the themes of every stage (new months only, or
  fitted again)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

from cxroom.formatting import clip_time, date_text, fmt_count
from cxroom.settings import Settings

Handler = Callable[[argparse.Namespace, Settings], int]


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from cxroom.queries.search import search
    from cxroom.store import open_store

    result = search(open_store(settings.db_path), " ".join(args.text), masked=not args.as_imported, limit=args.limit)
    if args.json:
        print(json.dumps(result_json(result), indent=2, default=str, ensure_ascii=False))
        return 0
    if not result.terms:
        print("Nothing to search for: give a word or a phrase.", file=sys.stderr)
        return 2
    shown = fmt_count(result.total)
    if result.total > len(result.hits):
        shown = f"{fmt_count(len(result.hits))} of {shown}"
    print(f"{shown} hit(s) for “{' '.join(result.terms)}” ({'masked' if result.masked else 'as imported'} text)")
    for hit in result.hits:
        where = f"{hit.kind} {hit.ref}" + (f" at {clip_time(hit.at_s)}" if hit.at_s is not None else "")
        when = date_text(hit.happened_at) if hit.happened_at else ""
        times = f" ×{fmt_count(hit.times)}" if hit.times > 1 else ""
        print(f"- [{hit.stage_name}] {where} {when}{times}\n    {hit.snippet}")
    return 0


def result_json(result: Any) -> dict[str, Any]:
    return {
        "query": result.query,
        "terms": list(result.terms),
        "masked": result.masked,
        "total": result.total,
        "texts": result.texts,
        "hits": [
            {
                "kind": h.kind,
                "ref": h.ref,
                "stage": h.stage_slug,
                "stage_name": h.stage_name,
                "happened_at": h.happened_at,
                "at_s": h.at_s,
                "snippet": h.snippet,
                "score": round(h.score, 4),
                "all_terms": h.all_terms,
                "phrase": h.phrase,
                "times": h.times,
            }
            for h in result.hits
        ],
    }


def cmd_themes(args: argparse.Namespace, settings: Settings) -> int:
    from cxroom.services.themes import build_themes
    from cxroom.store import open_store

    report = build_themes(open_store(settings.db_path), full=args.full, actor="cli")
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
        return 0
    what = "Full build" if report.full else "Incremental build"
    print(
        f"{what}: {report.stages} stage(s), {report.stages_fitted} fitted, {report.themes} theme(s), "
        f"{report.months} month(s) counted, {fmt_count(report.texts)} distinct text(s) read."
    )
    for note in report.notes:
        print(f"  {note}")
    return 0


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> dict[str, Handler]:
    p = sub.add_parser("search", help="search complaints, survey comments, call transcripts and artifact captions")
    common(p)
    p.add_argument("text", nargs="+", help="words or a phrase")
    p.add_argument("--json", action="store_true", help="print JSON: query, terms, total, hits")
    p.add_argument("--limit", type=int, default=20, help="hits shown (default 20)")
    p.add_argument("--as-imported", action="store_true", help="search the texts as imported, not masked")
    p = sub.add_parser("themes", help="themes of complaints and survey comments per stage")
    common(p)
    p.add_argument("action", choices=["build"])
    p.add_argument("--full", action="store_true", help="fit every stage again (default: count new months only)")
    p.add_argument("--json", action="store_true", help="print the build report as JSON")
    return {"search": cmd_search, "themes": cmd_themes}

"""Reads of themes: each stage's themes as the room shows them (named, merged, with their
monthly trend, examples and whether they are new or rising). What a build reads is in
cxroom/services/theme_texts.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cxroom.insights.agenda_facts import ThemeFacts
from cxroom.insights.themes import HISTORY_MONTHS, trend_signal
from cxroom.queries.wall.months import add_months
from cxroom.store import Store

__all__ = [
    "BUILT_MONTHS",
    "ThemeView",
    "stage_themes",
    "theme_facts",
]

TREND_MONTHS = 12

THEMED_STAGES = (
    "SELECT DISTINCT t.stage_id, s.position FROM themes t JOIN stages s ON s.id = t.stage_id AND NOT s.archived "
    "ORDER BY s.position, t.stage_id"
)
BUILT_MONTHS = "SELECT month FROM theme_built_months WHERE stage_id = ? ORDER BY month"

# A theme merged into another counts there: ``root`` is the theme its texts are shown under.
THEMES = "SELECT id, stage_id, top_terms, name, pinned, merged_into, version FROM themes WHERE stage_id = ? ORDER BY id"
THEME_MONTHS = """
SELECT coalesce(t.merged_into, t.id) AS root, m.month, sum(m.n) AS n
FROM theme_months m JOIN themes t ON t.id = m.theme_id
WHERE t.stage_id = $stage AND m.month > $from AND m.month <= $month
GROUP BY ALL
"""
THEME_EXAMPLES = """
SELECT coalesce(t.merged_into, t.id) AS root, e.kind, e.text
FROM theme_examples e JOIN themes t ON t.id = e.theme_id
WHERE t.stage_id = ?
ORDER BY root, e.weight DESC, e.theme_id, e.rank
"""


@dataclass(frozen=True)
class ThemeView:
    id: int
    stage_id: int
    top_terms: tuple[str, ...]
    name: str | None
    pinned: bool
    version: int
    merged: tuple[int, ...]
    series: tuple[int, ...]  # texts per month, oldest first, ending with the month shown
    months: tuple[date, ...]
    examples: tuple[tuple[str, str], ...]  # (kind, masked text)
    signal: str | None  # 'new', 'rising' or None

    @property
    def title(self) -> str:
        return self.name or " · ".join(self.top_terms[:4])

    @property
    def total(self) -> int:
        return sum(self.series)


def stage_themes(store: Store, stage_id: int, month: date, *, months: int = TREND_MONTHS) -> list[ThemeView]:
    """The stage's themes (merged ones inside the theme they joined), pinned first, then the
    most said in the last ``months`` months up to ``month``."""
    first = add_months(month, -months)
    axis = tuple(add_months(month, -i) for i in range(months - 1, -1, -1))
    rows = store.fetch_dicts(THEMES, [stage_id])
    counts: dict[int, dict[date, int]] = {}
    for root, m, n in store.execute(THEME_MONTHS, {"stage": stage_id, "from": first, "month": month}):
        counts.setdefault(int(root), {})[m] = int(n)
    examples: dict[int, list[tuple[str, str]]] = {}
    for root, kind, text in store.execute(THEME_EXAMPLES, [stage_id]):
        examples.setdefault(int(root), []).append((kind, text))
    built = [m for m in (r[0] for r in store.execute(BUILT_MONTHS, [stage_id])) if first < m <= month]
    since = min(built) if built else month
    out = []
    for r in rows:
        if r["merged_into"] is not None:
            continue
        by_month = counts.get(int(r["id"]), {})
        out.append(
            ThemeView(
                id=int(r["id"]),
                stage_id=int(r["stage_id"]),
                top_terms=tuple(r["top_terms"]),
                name=r["name"],
                pinned=bool(r["pinned"]),
                version=int(r["version"]),
                merged=tuple(int(x["id"]) for x in rows if x["merged_into"] == r["id"]),
                series=tuple(by_month.get(m, 0) for m in axis),
                months=axis,
                examples=tuple(examples.get(int(r["id"]), [])[:3]),
                signal=trend_signal([by_month.get(m, 0) for m in axis if m >= since]),
            )
        )
    out.sort(key=lambda t: (not t.pinned, -sum(t.series), t.id))
    return out


def theme_facts(store: Store, month: date) -> tuple[ThemeFacts, ...]:
    """The themes that are new or rising in ``month``, every stage's (the agenda proposes them)."""
    found = []
    for stage_id in (int(r[0]) for r in store.execute(THEMED_STAGES)):
        for theme in stage_themes(store, stage_id, month):
            if theme.signal:
                history = theme.series[-1 - HISTORY_MONTHS : -1]
                before = sum(history) / len(history) if history else 0.0
                found.append(ThemeFacts(stage_id, theme.title, theme.signal, theme.series[-1], before))
    return tuple(found)

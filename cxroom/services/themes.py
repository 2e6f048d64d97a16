"""Building themes and the facilitators' edits of them (rename, merge, pin).

A build reads each stage's masked texts, fits or reuses the stage's model
(cxroom/insights/themes.py) and writes the counts per theme and month. The texts are read
and the model fitted outside any transaction (a full build of a large room takes minutes
and must not hold the room's write lock); each stage's results are then written in one
short transaction.

- *Full* (``full=True``, or a stage without a model): fit on the stage's distinct texts
  (a seeded sample of at most FIT_TEXTS), count every month. The names, pins and merges
  facilitators gave carry over to the new theme that shares most top terms with the old.
- *Incremental* (the default, after every import): place only the months not counted yet, or
  whose number of texts changed since (an import undone), and the last counted month again,
  in the stored model's themes.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from cxroom.errors import CxroomError, InvalidInputError
from cxroom.insights.themes import MIN_TEXTS, SEED, ThemeModel, carry_over, fit_themes
from cxroom.permissions import Action
from cxroom.services import _lookup
from cxroom.services import theme_texts as theme_queries
from cxroom.store import Store, Tx, utcnow

__all__ = ["BuildReport", "after_import", "build_themes", "merge_themes", "pin_theme", "rename_theme"]

FIT_TEXTS = 20_000  # NMF on more distinct texts finds the same themes, slower
EXAMPLES = 3
EXAMPLE_CHARS = 600
ASSIGN_CHUNK = 50_000  # texts placed at once (bounds the memory of the TF-IDF matrix)
REFIT_SHARE = 0.2  # new months with this share of their texts in no theme refit the stage
KNOWN_WORDS = 0.5  # ... a text counting as in no theme when the model knows fewer of its words
_SHAPE = re.compile(r"[\d.,$£€]+")
OLD_THEMES = "SELECT id, top_terms, name, pinned, merged_into FROM themes WHERE stage_id = ? ORDER BY slot"


@dataclass
class BuildReport:
    full: bool
    stages: int = 0
    stages_fitted: int = 0
    themes: int = 0
    months: int = 0
    texts: int = 0
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("full", "stages", "stages_fitted", "themes", "months", "texts", "notes")}


def build_themes(
    store: Store, *, full: bool = False, actor: str = "system", stage_ids: Sequence[int] | None = None
) -> BuildReport:
    """Build the themes of every stage (or of ``stage_ids``); see the module's docstring."""
    with store.transaction(actor) as tx:  # refuse early, before minutes of work
        tx.require(Action.IMPORT)
    report = BuildReport(full=full)
    months: dict[int, dict[date, int]] | None = None
    for stage_id in stage_ids if stage_ids is not None else theme_queries.stages_to_theme(store):
        report.stages += 1
        stored = None if full else theme_queries.model_for(store, stage_id)
        if stored is None:
            _fit_stage(store, stage_id, report, actor)
        else:
            months = theme_queries.text_months(store) if months is None else months
            _count_new_months(store, stage_id, stored, months.get(stage_id, {}), report, actor)
    return report


def _texts_by_distinct(rows: list[dict[str, Any]]) -> tuple[list[str], list[str], dict[int, dict[date, int]]]:
    """Distinct texts (sorted), their kind, and each one's count per month."""
    index: dict[str, int] = {}
    kinds: list[str] = []
    months: dict[int, dict[date, int]] = defaultdict(dict)
    for r in rows:
        i = index.setdefault(r["text"], len(index))
        if i == len(kinds):
            kinds.append(r["kind"])
        months[i][r["month"]] = months[i].get(r["month"], 0) + int(r["n"])
    return list(index), kinds, months


def _fit_sample(texts: list[str], months: dict[int, dict[date, int]]) -> list[str]:
    """The texts as said (a text said 400 times weighs 400 times), at most FIT_TEXTS of them:
    a seeded draw in proportion to how often each was said when there are more."""
    said = np.array([sum(months[i].values()) for i in range(len(texts))], dtype=np.float64)
    if said.sum() <= FIT_TEXTS:
        return [t for i, t in enumerate(texts) for _ in range(int(said[i]))]
    picks = np.sort(np.random.default_rng(SEED).choice(len(texts), FIT_TEXTS, replace=True, p=said / said.sum()))
    return [texts[i] for i in picks]


def _assign(model: ThemeModel, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    slots, weights = [], []
    for first in range(0, len(texts), ASSIGN_CHUNK):
        s, w = model.assign(texts[first : first + ASSIGN_CHUNK])
        slots.append(s)
        weights.append(w)
    if not slots:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(slots), np.concatenate(weights)


def _month_counts(slots: np.ndarray, months: dict[int, dict[date, int]]) -> dict[tuple[int, date], int]:
    counts: dict[tuple[int, date], int] = defaultdict(int)
    for i, slot in enumerate(slots.tolist()):
        if slot < 0:
            continue
        for month, n in months[i].items():
            counts[(slot, month)] += n
    return counts


def _fit_stage(store: Store, stage_id: int, report: BuildReport, actor: str) -> None:
    rows = theme_queries.stage_texts(store, stage_id)
    texts, kinds, months = _texts_by_distinct(rows)
    model = fit_themes(_fit_sample(texts, months)) if len(texts) >= MIN_TEXTS else None
    all_months = sorted({m for per in months.values() for m in per})
    old = store.fetch_dicts(OLD_THEMES, [stage_id])
    if model is None:
        if texts:
            report.notes.append(f"stage #{stage_id}: {len(texts)} distinct text(s), too few to tell themes apart")
        if old:
            with store.transaction(actor) as tx:
                _clear_stage(tx, stage_id)
                tx.audit("build_themes", "stage", stage_id, {"themes": len(old)}, {"themes": 0, "texts": len(texts)})
        return
    slots, weights = _assign(model, texts)
    # NMF may find more themes than the texts hold (a few templated complaints): a theme no
    # text falls in is left out, and the kept ones are numbered again.
    used = sorted({int(s) for s in slots.tolist() if s >= 0})
    model = ThemeModel(model.vocabulary, model.idf, model.components[used])
    renumber = np.full(max(used, default=0) + 2, -1)
    renumber[used] = np.arange(len(used))
    slots = renumber[slots]
    with store.transaction(actor) as tx:
        _clear_stage(tx, stage_id)
        ids = _write_model(tx, stage_id, model, texts_fitted=min(FIT_TEXTS, len(rows)), old=old)
        _write_examples(tx, ids, texts, kinds, slots, weights)
        _write_counts(tx, stage_id, ids, _month_counts(slots, months), all_months, months)
        tx.audit(
            "build_themes",
            "stage",
            stage_id,
            {"themes": len(old)},
            {"themes": len(ids), "texts": len(texts), "months": len(all_months), "full": True},
        )
    report.stages_fitted += 1
    report.themes += len(ids)
    report.months += len(all_months)
    report.texts += len(texts)


def _count_new_months(
    store: Store,
    stage_id: int,
    stored: tuple[ThemeModel, list[int], dict[date, int]],
    have: dict[date, int],
    report: BuildReport,
    actor: str,
) -> None:
    model, ids, built = stored
    changed = {m for m in set(have) | set(built) if have.get(m, 0) != built.get(m)}
    todo = sorted(changed | ({max(built)} if built else set()))
    if not todo:
        return
    texts, _, months = _texts_by_distinct(theme_queries.stage_texts(store, stage_id, todo))
    slots, _ = _assign(model, texts)
    strange = (slots < 0) | (model.known_share(texts) < KNOWN_WORDS)
    unknown = sum(sum(months[i].values()) for i in np.flatnonzero(strange).tolist())
    said = sum(sum(per.values()) for per in months.values())
    if unknown >= max(MIN_TEXTS, REFIT_SHARE * said):
        # Customers speak of something the model has no words for: only a new fit can make it a
        # theme (and the agenda can then propose it as new).
        report.notes.append(f"stage #{stage_id}: {unknown} new text(s) in no theme, fitted again")
        _fit_stage(store, stage_id, report, actor)
        return
    with store.transaction(actor) as tx:
        tx.execute(
            "DELETE FROM theme_months WHERE month IN (SELECT unnest(?::DATE[])) AND theme_id IN "
            "(SELECT id FROM themes WHERE stage_id = ?)",
            [todo, stage_id],
        )
        _write_counts(tx, stage_id, ids, _month_counts(slots, months), todo, months)
        tx.audit("build_themes", "stage", stage_id, None, {"months": [m.isoformat() for m in todo], "full": False})
    report.months += len(todo)
    report.texts += len(texts)


def _clear_stage(tx: Tx, stage_id: int) -> None:
    themes = "(SELECT id FROM themes WHERE stage_id = ?)"
    tx.execute(f"DELETE FROM theme_examples WHERE theme_id IN {themes}", [stage_id])
    tx.execute(f"DELETE FROM theme_months WHERE theme_id IN {themes}", [stage_id])
    tx.execute("DELETE FROM themes WHERE stage_id = ?", [stage_id])
    tx.execute("DELETE FROM theme_built_months WHERE stage_id = ?", [stage_id])
    tx.execute("DELETE FROM theme_models WHERE stage_id = ?", [stage_id])


def _write_model(
    tx: Tx, stage_id: int, model: ThemeModel, *, texts_fitted: int, old: list[dict[str, Any]]
) -> list[int]:
    tx.execute(
        "INSERT INTO theme_models VALUES (?, ?, ?, ?, ?)",
        [stage_id, utcnow(), texts_fitted, json.dumps(list(model.vocabulary)), json.dumps(model.idf.round(6).tolist())],
    )
    terms = [model.top_terms(slot) for slot in range(model.themes)]
    continues = carry_over([list(o["top_terms"]) for o in old], terms)
    ids = []
    for slot in range(model.themes):
        before = old[continues[slot]] if slot in continues else {}
        ids.append(
            int(
                tx.fetch_value(
                    "INSERT INTO themes (stage_id, slot, top_terms, weights, name, pinned) "
                    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                    [
                        stage_id,
                        slot,
                        terms[slot],
                        json.dumps(model.components[slot].round(6).tolist()),
                        before.get("name"),
                        bool(before.get("pinned", False)),
                    ],
                )
            )
        )
    # A merge carries over when both of its themes found their successor.
    new_id_of_old = {old[o]["id"]: ids[n] for n, o in continues.items()}
    for o in old:
        if o["merged_into"] is not None and o["id"] in new_id_of_old and o["merged_into"] in new_id_of_old:
            tx.execute(
                "UPDATE themes SET merged_into = ? WHERE id = ?",
                [new_id_of_old[o["merged_into"]], new_id_of_old[o["id"]]],
            )
    return ids


def _write_examples(
    tx: Tx, ids: list[int], texts: list[str], kinds: list[str], slots: np.ndarray, weights: np.ndarray
) -> None:
    """The texts with the highest weight in each theme (short ones first among equals)."""
    for slot, theme_id in enumerate(ids):
        members = np.flatnonzero(slots == slot)
        order = sorted(members.tolist(), key=lambda i: (-round(float(weights[i]), 4), len(texts[i]), i))
        chosen: list[int] = []
        shapes: set[str] = set()
        for i in order:  # one example per wording: the same sentence with another amount adds nothing
            shape = _SHAPE.sub("#", texts[i].lower())
            if shape not in shapes:
                shapes.add(shape)
                chosen.append(i)
            if len(chosen) == EXAMPLES:
                break
        for rank, i in enumerate(chosen, start=1):
            text = texts[i] if len(texts[i]) <= EXAMPLE_CHARS else texts[i][:EXAMPLE_CHARS].rsplit(" ", 1)[0] + " …"
            tx.execute(
                "INSERT INTO theme_examples VALUES (?, ?, ?, ?, ?)", [theme_id, rank, kinds[i], text, float(weights[i])]
            )


def _write_counts(
    tx: Tx,
    stage_id: int,
    ids: list[int],
    counts: dict[tuple[int, date], int],
    months_done: Sequence[date],
    months: dict[int, dict[date, int]],
) -> None:
    # One INSERT of three lists, not executemany: DuckDB runs executemany a statement per row.
    keys = sorted(counts)
    tx.execute(
        "INSERT INTO theme_months SELECT unnest(?::BIGINT[]), unnest(?::DATE[]), unnest(?::BIGINT[])",
        [[ids[slot] for slot, _ in keys], [month for _, month in keys], [counts[k] for k in keys]],
    )
    texts_per_month: dict[date, int] = defaultdict(int)
    for per in months.values():
        for month, n in per.items():
            texts_per_month[month] += n
    done = sorted(set(months_done))
    tx.execute(
        "DELETE FROM theme_built_months WHERE stage_id = ? AND month IN (SELECT unnest(?::DATE[]))", [stage_id, done]
    )
    tx.execute(
        "INSERT INTO theme_built_months SELECT ?, unnest(?::DATE[]), unnest(?::BIGINT[])",
        [stage_id, done, [texts_per_month.get(m, 0) for m in done]],
    )


# -- the facilitators' edits --------------------------------------------------------------


def _theme(tx: Tx, theme_id: int) -> dict[str, Any]:
    return _lookup.row(tx, "themes", theme_id)


def rename_theme(store: Store, theme_id: int, name: str, *, expected_version: int, actor: str) -> None:
    """Give a theme a name leaders recognise (empty: named by its top terms again)."""
    clean = " ".join(name.split())
    if len(clean) > 80:
        raise InvalidInputError("A theme's name is at most 80 characters.")
    with store.transaction(actor) as tx:
        tx.require(Action.EVIDENCE_EDIT)
        before = _theme(tx, theme_id)
        tx.update_versioned("themes", theme_id, expected_version, {"name": clean or None})
        tx.audit("rename", "theme", theme_id, _public(before), _public(_theme(tx, theme_id)))


def pin_theme(store: Store, theme_id: int, pinned: bool, *, expected_version: int, actor: str) -> None:
    """Keep a theme first on its stage (or let it take its place by volume again)."""
    with store.transaction(actor) as tx:
        tx.require(Action.EVIDENCE_EDIT)
        before = _theme(tx, theme_id)
        tx.update_versioned("themes", theme_id, expected_version, {"pinned": bool(pinned)})
        tx.audit("pin" if pinned else "unpin", "theme", theme_id, _public(before), _public(_theme(tx, theme_id)))


def merge_themes(store: Store, theme_id: int, into_id: int, *, actor: str) -> None:
    """Count theme ``theme_id`` (and the themes merged into it) under ``into_id`` of the same stage."""
    if theme_id == into_id:
        raise InvalidInputError("A theme cannot be merged into itself.")
    with store.transaction(actor) as tx:
        tx.require(Action.EVIDENCE_EDIT)
        source, target = _theme(tx, theme_id), _theme(tx, into_id)
        if source["stage_id"] != target["stage_id"]:
            raise InvalidInputError("Themes of different stages cannot be merged.")
        if target["merged_into"] is not None:
            raise InvalidInputError(
                f"Theme #{into_id} is itself merged into #{target['merged_into']}; merge into that."
            )
        tx.execute(
            "UPDATE themes SET merged_into = ?, version = version + 1 WHERE id = ? OR merged_into = ?",
            [into_id, theme_id, theme_id],
        )
        tx.audit("merge", "theme", theme_id, _public(source), {"merged_into": into_id})


def _public(row: dict[str, Any]) -> dict[str, Any]:
    """A theme's row for the audit log, without its vocabulary-long weights."""
    return {k: v for k, v in row.items() if k != "weights"}


# Imports whose texts themes are built from.
THEMED_KINDS = frozenset({"complaints", "surveys"})


def after_import(store: Store, *, kind: str, committed: bool, actor: str) -> BuildReport | None:
    """Count the new months of an import that brought texts (complaints, survey comments) in
    the stages' themes. The import has committed: a failure here is reported, never raised,
    and the next import or `python -m cxroom themes build` counts those months."""
    if not committed or kind not in THEMED_KINDS:
        return None
    try:
        return build_themes(store, actor=actor)
    except CxroomError as exc:
        report = BuildReport(full=False)
        report.notes.append(f"themes were not updated: {exc}")
        return report

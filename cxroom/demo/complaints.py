"""The demo's 24 months of complaints: volumes with trend and seasonality, verbatims, category rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from cxroom import demo_content as content
from cxroom.demo.calendar import DEMO_ACTOR
from cxroom.models import CategoryRuleCreate
from cxroom.services import bulk, evidence
from cxroom.store import Store

_SEASONS = {
    "flat": [1.0] * 12,
    "winter": [1.35, 1.3, 1.15, 1.0, 0.9, 0.85, 0.85, 0.85, 0.9, 1.0, 1.15, 1.3],
    "renewal": [1.45, 1.1, 1.0, 0.95, 0.9, 0.9, 0.9, 0.95, 1.3, 1.05, 0.95, 1.0],
}
# Complaint categories whose volume changed because of a fix: the month index
# (0-based within the 24) from which the improvement starts.
_FIX_STARTS = {"Adjuster did not call back": 15}
_CHANNELS = {"Call centre": "phone", "E-mail": "email", "Web form": "web", "Social": "social", "Regulator": "letter"}


def _fill(template: str, rng: np.random.Generator) -> str:
    return template.format(
        amount=f"${rng.integers(80, 900)}.{rng.integers(0, 100):02d}",
        date=f"{rng.integers(1, 29)} {['March', 'April', 'May', 'June', 'July', 'August'][rng.integers(0, 6)]}",
        email=f"{['sam', 'jo', 'alex', 'kim', 'lee'][rng.integers(0, 5)]}.{rng.integers(10, 99)}@example.com",
        phone=f"555-{rng.integers(200, 999)}-{rng.integers(1000, 9999)}",
        policy=f"LM-{rng.integers(10000, 99999)}",
        pct=int(rng.integers(12, 31)),
    )


def build_complaints(store: Store, months: list[date], rng: np.random.Generator) -> int:
    names = [name for name, _ in content.SOURCES]
    weights = np.array([w for _, w in content.SOURCES])
    weights = weights / weights.sum()
    rows: list[pd.DataFrame] = []
    n_months = len(months)
    for category, _stage, _moment, base, trend, season, templates in content.COMPLAINT_CATEGORIES:
        for index, month in enumerate(months):
            t = index / (n_months - 1)
            if category in _FIX_STARTS:
                start = _FIX_STARTS[category]
                level = 1.0 if index < start else 1.0 + (trend - 1.0) * min((index - start) / 4.0, 1.0)
            else:
                # Accelerating trends read as "getting worse lately" on the wall.
                level = 1.0 + (trend - 1.0) * t**2
            expected = base * level * _SEASONS[season][month.month - 1]
            n = int(rng.poisson(expected))
            if n == 0:
                continue
            sources = rng.choice(len(names), size=n, p=weights)
            days = rng.integers(0, 28, n)
            minutes = rng.integers(8 * 60, 20 * 60, n)
            has_text = rng.random(n) < 0.35
            verbatims = [_fill(templates[rng.integers(0, len(templates))], rng) if flag else None for flag in has_text]
            severity = np.where(
                np.array([names[s] == "Regulator" for s in sources]),
                "high",
                np.where(rng.random(n) < 0.02, "critical", "normal"),
            )
            rows.append(
                pd.DataFrame(
                    {
                        "source": [names[s] for s in sources],
                        "received_at": [
                            datetime(month.year, month.month, 1 + int(d)) + timedelta(minutes=int(m))
                            for d, m in zip(days, minutes, strict=True)
                        ],
                        "channel": [_CHANNELS[names[s]] for s in sources],
                        "category": category,
                        "subcategory": "",
                        "verbatim": verbatims,
                        "severity": severity,
                    }
                )
            )
    frame = pd.concat(rows, ignore_index=True).sort_values(["received_at", "category"], kind="stable")
    frame["external_id"] = [f"LMC-{i:07d}" for i in range(1, len(frame) + 1)]
    with store.transaction(DEMO_ACTOR) as tx:
        for source in names:
            part = frame[frame["source"] == source]
            batch = bulk.open_batch(tx, kind="demo", source=source, file_name="demo")
            bulk.insert_complaints(tx, part, batch)
            bulk.close_batch(tx, batch, rows_read=len(part), rows_imported=len(part))
    for category, stage, moment, *_ in content.COMPLAINT_CATEGORIES:
        if stage is not None:
            evidence.create_category_rule(
                store, CategoryRuleCreate(category=category, stage_slug=stage, moment_name=moment), actor=DEMO_ACTOR
            )
    return len(frame)

"""A realistic churn export, written by seeded code: a CRM's customer events over several
months (ids, DD/MM/YYYY dates, annual revenue with thousands separators, reasons, channels,
segments) with a month-end active-customer count on each month's last row, and the dirty rows
such exports carry. It returns what it wrote, so tests compare with the truth, not the importer."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

HEADER = [
    "Event ID",
    "Event date",
    "Customer ID",
    "Event type",
    "Annual revenue (USD)",
    "Churn reason",
    "Channel",
    "Segment",
    "Active customers",
]
WORDS = {"new": "Acquired", "won_back": "Won back", "upgraded": "Upgrade", "downgraded": "Downgrade", "lost": "Churned"}
REASONS = [
    "Renewal price increase",
    "Claim payment delay",
    "Long wait on phone",
    "Bill higher than quoted",
    "Moved abroad",
]
# The dirty rows and the column their reason names.
DIRTY = [
    (["", "Acquired", "1,200"], "Customer ID"),  # no customer id
    (["C-9001", "Vanished", "800"], "Event type"),  # a movement no one agreed on
    (["C-9002", "Churned", "twelve hundred"], "Annual revenue (USD)"),  # not a number
    (["C-9003", "Churned", "-450"], "Annual revenue (USD)"),  # negative value
]


@dataclass
class Truth:
    counts: dict[tuple[date, str], int] = field(default_factory=dict)  # (month, movement) -> customers
    values: dict[tuple[date, str], float] = field(default_factory=dict)
    active_end: dict[date, int] = field(default_factory=dict)
    good_rows: int = 0
    dirty_rows: int = 0
    bad_date_rows: int = 0
    customer_ids: list[str] = field(default_factory=list)


def write_churn_export(path: Path, *, months: int = 6, start: date = date(2025, 1, 1), seed: int = 3) -> Truth:
    rng = random.Random(seed)
    truth = Truth()
    active = {f"C-{i:05d}": rng.choice([900.0, 1200.0, 2400.0, 15000.0]) for i in range(1, 401)}
    gone: dict[str, float] = {}
    next_id, event = 401, 0
    rows: list[list[str]] = []
    month = start
    for _ in range(months):
        days = [month + timedelta(days=d) for d in range(28)]
        events: list[tuple[date, str, str, float, str]] = []
        for _ in range(rng.randint(15, 30)):
            cid = f"C-{next_id:05d}"
            next_id += 1
            active[cid] = rng.choice([900.0, 1200.0, 2400.0])
            events.append((rng.choice(days), cid, "new", active[cid], ""))
        for cid in rng.sample(sorted(gone), min(len(gone), rng.randint(0, 4))):
            active[cid] = gone.pop(cid)
            events.append((rng.choice(days), cid, "won_back", active[cid], ""))
        for cid in rng.sample(sorted(active), rng.randint(10, 25)):
            if cid in {e[1] for e in events}:
                continue
            events.append((rng.choice(days), cid, "lost", active[cid], rng.choice(REASONS)))
            gone[cid] = active.pop(cid)
        for cid in rng.sample(sorted(active), 5):
            if cid in {e[1] for e in events}:
                continue
            kind = rng.choice(["upgraded", "downgraded"])
            change = 300.0
            events.append((rng.choice(days), cid, kind, change, rng.choice(REASONS) if kind == "downgraded" else ""))
        events.sort()
        for i, (day, cid, kind, value, reason) in enumerate(events):
            event += 1
            last = i == len(events) - 1
            rows.append(
                [
                    f"EV{event:06d}",
                    day.strftime("%d/%m/%Y"),
                    cid,
                    WORDS[kind],
                    f"{value:,.2f}",
                    reason,
                    rng.choice(["Phone", "Web", "Broker"]),
                    rng.choice(["Home", "Motor", "Business"]),
                    str(len(active)) if last else "",
                ]
            )
            key = (month, kind)
            truth.counts[key] = truth.counts.get(key, 0) + 1
            truth.values[key] = truth.values.get(key, 0.0) + value
            truth.customer_ids.append(cid)
        truth.active_end[month] = len(active)
        truth.good_rows += len(events)
        month = (month + timedelta(days=32)).replace(day=1)
    for (cid, word, value), _col in DIRTY:
        event += 1
        rows.append([f"EV{event:06d}", "15/02/2025", cid, word, value, "Other", "Web", "Home", ""])
        truth.dirty_rows += 1
    event += 1
    rows.append([f"EV{event:06d}", "31/02/2025", "C-9004", "Churned", "900", "Other", "Web", "Home", ""])
    truth.bad_date_rows = 1
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return truth

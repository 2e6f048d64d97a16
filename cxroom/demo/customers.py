"""The demo's customer math: two years of customers coming and going at Larkfield Mutual, an
insurer of about 120,000 households, that follow its complaints. Each month a stage loses
customers in proportion to its complaints that month (so losses rise where complaints rise,
Get help most of all), with the reasons its complaint categories name; a sixth of the losses are
life events that no stage caused (moved abroad, sold the car). The room's definitions are
recorded, and leaders' calls to lost customers are logged for the last six months."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from cxroom.demo.calendar import DEMO_ACTOR
from cxroom.migrations.customer_math import customer_key
from cxroom.queries import customer_math as q
from cxroom.services import customer_math as service
from cxroom.services.customer_math_load import load_movements, room_secret
from cxroom.store import Store

START_ACTIVE = 118_000
LOSS_PER_COMPLAINT = 0.9  # lost customers per complaint on the stage, the same month
LIFE_EVENTS = ["Moved abroad", "Sold the car", "Deceased"]
CHANNELS = ["Phone", "Web", "Broker"]
SEGMENTS = ["Home", "Motor", "Home & Motor"]
CALLERS = ["Dana Whitfield (CEO)", "Marcus Osei (COO)", "Priya Raman (CX)", "Tom Beck (Claims)"]
SAID = {
    "pay": "The first bill was higher than the quote and nobody could tell me why. I went elsewhere.",
    "get-help": "I called four times about the same thing. In the end it was easier to leave.",
    "claim": "The adjuster never called back. After two weeks without news I cancelled.",
    "renew": "The renewal went up by a fifth with no explanation. The new insurer explained theirs.",
    "get-started": "My ID card never came, I was driving uninsured as far as I knew.",
    "buy": "The documents were wrong twice. I did not trust you with a claim after that.",
    "shop": "Your quote changed when I phoned. I bought the one that didn't.",
}
DEFINITIONS = service.Definitions(
    incoming="A household whose first policy starts in the month (new), or who returns within 24 months "
    "of leaving (won back). Quotes and policies that never start do not count.",
    outgoing="A household whose last policy ends in the month and is not renewed within 30 days (lost); "
    "a household that keeps a policy but drops cover or a policy (downgraded). Value: annual premium.",
    value_unit="$",
)


def build_customers(store: Store, months: list[date], rng: np.random.Generator) -> int:
    complaints: dict[tuple[str, date], dict[str, int]] = defaultdict(dict)
    for r in q.complaints_by_stage_month(store):
        complaints[(r["slug"], r["month"])][r["category"]] = int(r["n"])
    secret = room_secret(store)
    rows: list[tuple[object, ...]] = []
    base: list[tuple[date, int]] = []
    active = START_ACTIVE
    next_customer = 1
    lost_ids: list[int] = []
    for month in months:
        events: list[tuple[int, str, float, str]] = []
        for (_slug, m), categories in complaints.items():
            if m != month:
                continue
            for category, n in categories.items():
                for _ in range(int(rng.poisson(n * LOSS_PER_COMPLAINT))):
                    events.append((int(rng.integers(1, START_ACTIVE)), "lost", _premium(rng), category))
                for _ in range(int(rng.poisson(n * 0.15))):
                    events.append((int(rng.integers(1, START_ACTIVE)), "downgraded", _premium(rng) * 0.3, category))
        for _ in range(int(rng.poisson(len(events) * 0.2))):
            events.append((int(rng.integers(1, START_ACTIVE)), "lost", _premium(rng), str(rng.choice(LIFE_EVENTS))))
        lost = sum(1 for e in events if e[1] == "lost")
        n_new = int(rng.poisson(lost * 0.93))
        for _ in range(n_new):
            events.append((START_ACTIVE + next_customer, "new", _premium(rng), ""))
            next_customer += 1
        for _ in range(int(rng.poisson(40))):
            if lost_ids:
                events.append((lost_ids[int(rng.integers(0, len(lost_ids)))], "won_back", _premium(rng), ""))
        for _ in range(int(rng.poisson(260))):
            events.append((int(rng.integers(1, START_ACTIVE)), "upgraded", _premium(rng) * 0.25, ""))
        ins = sum(1 for e in events if e[1] in ("new", "won_back"))
        active += ins - lost
        base.append((month, active))
        lost_ids.extend(e[0] for e in events if e[1] == "lost")
        for cid, movement, value, reason in events:
            day = datetime(month.year, month.month, 1) + timedelta(days=int(rng.integers(0, 28)))
            rows.append((cid, day, movement, round(value, 2), reason))
    frame = pd.DataFrame(rows, columns=["cid", "moved_at", "movement", "value", "reason"])
    frame["customer_key"] = [customer_key(secret, f"LM-{cid:07d}") for cid in frame["cid"]]
    frame["external_id"] = [f"LMM-{i:07d}" for i in range(1, len(frame) + 1)]
    frame["channel"] = rng.choice(CHANNELS, len(frame))
    frame["segment"] = rng.choice(SEGMENTS, len(frame))
    load_movements(
        store,
        frame,
        pd.DataFrame(base, columns=["month", "active_customers"]),
        source="Policy admin system",
        actor=DEMO_ACTOR,
    )
    service.set_definitions(store, DEFINITIONS, actor=DEMO_ACTOR)
    _log_calls(store, months[-6:], rng)
    return len(frame)


def _premium(rng: np.random.Generator) -> float:
    return float(rng.choice([640.0, 880.0, 1150.0, 1720.0]) * rng.uniform(0.85, 1.15))


def _log_calls(store: Store, months: list[date], rng: np.random.Generator) -> None:
    """Leaders call a dozen lost customers a month, most where the losses are."""
    for month in months:
        lost = [r for r in q.lost_this_month(store, month) if r["stage"] is not None]
        for r in [lost[int(i)] for i in rng.choice(len(lost), size=min(len(lost), 8 + int(rng.integers(0, 8))))]:
            slug = str(r["stage_slug"])
            service.log_lost_call(
                store,
                service.LostCallCreate(
                    called_at=r["moved_at"] + timedelta(days=int(rng.integers(2, 12))),
                    called_by=str(rng.choice(CALLERS)),
                    customer_said=SAID.get(slug, "I had simply had enough."),
                    reason=str(r["reason"]),
                    movement_id=int(r["id"]),
                ),
                actor=DEMO_ACTOR,
            )

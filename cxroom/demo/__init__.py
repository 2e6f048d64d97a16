"""The deterministic demo room: Larkfield Mutual, a fictional insurer.

Same seed and end month give the same room, row for row. The story it tells:
- Get help is visibly getting worse (repeat contacts climbing month on month);
- Make a claim improved after a fix team took adjuster call-backs from ~61 %
  to ~89 %, and the room celebrated it;
- Pay and Renew carry broken moments of truth (first bill, renewal notice);
- 24 months of complaints with winter and renewal seasonality.
All writes go through the services, so the demo exercises the real paths.

Each part of the story lives in its own module; this package builds them in a fixed order,
drawing from one random generator, so the order of the calls below is part of the determinism.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np

from cxroom import demo_content as content
from cxroom.demo.calendar import DEMO_ACTOR, MONTHS, last_complete_month, month_starts
from cxroom.demo.calls_artifacts import add_media
from cxroom.demo.complaints import build_complaints
from cxroom.demo.customers import build_customers
from cxroom.demo.fix_teams import charter_fixes
from cxroom.demo.kpis_surveys import build_kpis, build_surveys
from cxroom.demo.reviews_findings import close_reviews, hold_reviews
from cxroom.demo.stages_moments import TRANSITIONS, build_structure
from cxroom.errors import InvalidInputError
from cxroom.media import MediaStore
from cxroom.permissions import Role
from cxroom.queries import room as room_queries
from cxroom.services import room, trust
from cxroom.store import Store

__all__ = [
    "DEMO_ACTOR",
    "MONTHS",
    "TRANSITIONS",
    "DemoSummary",
    "build_demo",
    "last_complete_month",
    "month_starts",
]


@dataclass(frozen=True)
class DemoSummary:
    end_month: date
    complaints: int
    survey_responses: int
    kpi_readings: int
    calls: int
    artifacts: int


def build_demo(
    store: Store,
    media: MediaStore,
    *,
    seed: int = 7,
    end_month: date | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Fill an empty room with the demo. Refuses a room that already has stages."""
    if not room_queries.stages(store, include_archived=True).empty:
        raise InvalidInputError("This room already has stages; the demo is built only into an empty room.")
    say = progress or (lambda _msg: None)
    end = (end_month or last_complete_month()).replace(day=1)
    months = month_starts(end)
    rng = np.random.default_rng(seed)

    say("people, stages, moments and silos")
    for email, name, role in content.USERS:
        trust.set_user_role(store, email=email, display_name=name, role=Role(role), actor=DEMO_ACTOR)
    build_structure(store, months)
    say("KPIs and readings")
    readings = build_kpis(store, months, rng)
    say("survey questions and responses")
    responses = build_surveys(store, months, rng)
    say("complaints")
    complaints = build_complaints(store, months, rng)
    say("artifacts and calls")
    artifacts, calls = add_media(store, media)
    say("reviews and fixes")
    review_ids, review_months = hold_reviews(store, months)
    charter_fixes(store, months, review_ids, review_months)
    close_reviews(store, review_ids, review_months)
    room.set_room_name(store, content.ROOM_NAME, actor=DEMO_ACTOR)
    say("customer movements")
    build_customers(store, months, np.random.default_rng(seed + 16))  # its own draws: the rest stays as it was
    store.checkpoint()
    return DemoSummary(end, complaints, responses, readings, calls, artifacts)

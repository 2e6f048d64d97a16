"""The demo room's structure: stages, silos, accountability and moments of truth.

Also the moments whose reliability changed during the two years (TRANSITIONS).
"""

from __future__ import annotations

from datetime import date

from cxroom import demo_content as content
from cxroom.demo.calendar import DEMO_ACTOR, at
from cxroom.models import MomentCreate, Reliability, ReliabilityChange, SiloCreate, SiloRole, StageCreate
from cxroom.services import accountability, room
from cxroom.store import Store

# Moments whose state changed during the two years: (stage, moment, earlier
# state, months before the end month when it changed, why).
TRANSITIONS = [
    (
        "buy",
        "Documents arrive within 24 hours",
        "reliable",
        14,
        "Same-day e-mailed documents went live; customers now mention it unprompted.",
    ),
    (
        "get-started",
        "ID card arrives before cover starts",
        "unreliable",
        2,
        "Review: 1 in 6 new customers drove without an ID card; mail vendor change.",
    ),
    (
        "claim",
        "Adjuster calls back within 24 hours",
        "broken",
        1,
        "Fix team proved call-backs within 24h rose from 61% to 89%; celebrated.",
    ),
]


def build_structure(store: Store, months: list[date]) -> None:
    for position, (slug, name, goal, description, colour) in enumerate(content.STAGES):
        room.create_stage(
            store,
            StageCreate(
                slug=slug, name=name, customer_goal=goal, description=description, position=position, colour=colour
            ),
            actor=DEMO_ACTOR,
        )
    for name, description in content.SILOS:
        room.create_silo(store, SiloCreate(name=name, description=description), actor=DEMO_ACTOR)
    for slug, silo, role in content.ACCOUNTABILITY:
        accountability.set_stage_silo(store, stage_slug=slug, silo_name=silo, role=SiloRole(role), actor=DEMO_ACTOR)
    earlier = {(stage, moment): (state, ago, why) for stage, moment, state, ago, why in TRANSITIONS}
    for slug, name, description, flags, state, key, silo in content.MOMENTS:
        first_state = earlier.get((slug, name), (state,))[0]
        moment_id = room.create_moment(
            store,
            MomentCreate(
                stage_slug=slug,
                name=name,
                description=description,
                drives_revenue=flags[0],
                forms_relationship=flags[1],
                rescues_at_risk=flags[2],
                grows_wallet=flags[3],
                reliability=Reliability(first_state),
                is_key=key,
            ),
            actor=DEMO_ACTOR,
            when=at(months[0]),
        )
        accountability.set_moment_silo(
            store, moment_id=moment_id, silo_name=silo, role=SiloRole.OWNER, actor=DEMO_ACTOR
        )
        if (slug, name) in earlier:
            _, ago, why = earlier[(slug, name)]
            room.change_reliability(
                store,
                ReliabilityChange(moment_id=moment_id, to_state=Reliability(state), reason=why, expected_version=1),
                actor=content.FACILITATOR_EMAIL,
                when=at(months[-1 - ago], 8, 11),
            )

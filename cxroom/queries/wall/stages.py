"""The stages of the wall and what names them: each stage, its moments of truth
(with their reliability at the start and end of the month) and its accountable silos."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cxroom.insights.health import LADDER

STAGES = """
SELECT id, slug, name, customer_goal, description, colour, position
FROM stages
WHERE NOT archived
ORDER BY position, id
"""

# A moment's state at the end of the month and at its start, from its history
# (the current state when it has no history).
MOMENTS = """
WITH hist AS (
    SELECT moment_id,
           arg_max(to_state, changed_at) FILTER (WHERE changed_at < $next) AS state_at_end,
           arg_max(to_state, changed_at) FILTER (WHERE changed_at < $month) AS state_at_start
    FROM moment_state_history
    GROUP BY moment_id
)
SELECT m.id, m.stage_id, m.name, m.description, m.is_key,
       coalesce(h.state_at_end, m.reliability) AS state,
       coalesce(h.state_at_start, h.state_at_end, m.reliability) AS previous_state
FROM moments m
JOIN stages s ON s.id = m.stage_id AND NOT s.archived
LEFT JOIN hist h ON h.moment_id = m.id
ORDER BY s.position, m.position, m.id
"""

SILOS = """
SELECT ss.stage_id, si.name, ss.role
FROM stage_silos ss
JOIN silos si ON si.id = ss.silo_id
ORDER BY ss.stage_id, ss.role = 'owner' DESC, si.name
"""


@dataclass(frozen=True)
class StageInfo:
    id: int
    slug: str
    name: str
    customer_goal: str
    description: str
    colour: str
    position: int


@dataclass(frozen=True)
class MomentView:
    id: int
    stage_id: int
    name: str
    description: str
    is_key: bool
    state: str
    previous_state: str

    @property
    def moved(self) -> int:
        """+1 moved up the ladder during the month, -1 down, 0 unchanged."""
        before, after = LADDER.index(self.previous_state), LADDER.index(self.state)
        return (after > before) - (after < before)


@dataclass(frozen=True)
class SiloView:
    name: str
    role: str


def stage_info(row: dict[str, Any]) -> StageInfo:
    return StageInfo(
        id=int(row["id"]),
        slug=row["slug"],
        name=row["name"],
        customer_goal=row["customer_goal"],
        description=row["description"],
        colour=row["colour"],
        position=int(row["position"]),
    )


def moment_from_row(row: dict[str, Any]) -> MomentView:
    return MomentView(
        id=int(row["id"]),
        stage_id=int(row["stage_id"]),
        name=row["name"],
        description=row["description"],
        is_key=bool(row["is_key"]),
        state=row["state"],
        previous_state=row["previous_state"],
    )

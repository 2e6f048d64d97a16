"""Which screen a wall-screen link shows now: the playlist's slots in turn, on the server's clock.

The clock decides, not the browser: every screen of a multi-screen wall changes at the same
moment, and a screen that was offline picks up where the room is, not where it stopped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cxroom.models import DisplayPlaylist

# Columns one wall page shows at most: at 1080p each is then ~300 px wide, room for a KPI's name,
# its value at 36+ px and its target at 20+ px. More stages page through on the playlist's timer.
MAX_COLUMNS_PER_PAGE = 6
# Fixes on one page of the fix board (each with room for a two-line title and its due date), and
# wins on one page of the celebrations; more take further pages, split evenly.
FIXES_PER_PAGE = 8
WINS_PER_PAGE = 6

Kind = Literal["wall", "spotlight", "fixes", "celebrations"]


@dataclass(frozen=True)
class Slot:
    kind: Kind
    seconds: int
    index: int = 0  # the wall's page, or the stage in the spotlight
    count: int = 1  # how many pages (stages) this kind has


def page_count(columns: int, per_page: int = MAX_COLUMNS_PER_PAGE) -> int:
    return max(1, math.ceil(columns / per_page))


def slots(playlist: DisplayPlaylist, *, stages: int, fixes: int, celebrations: int) -> list[Slot]:
    """The playlist in order: each wall page, each stage's spotlight, each page of the fix board
    (``fixes``: teams at work), each page of the celebrations (``celebrations``: wins). A screen
    with nothing to show (no fixes, no wins) is left out; each page shows for the screen's seconds."""
    pages = page_count(stages)
    found = [Slot("wall", playlist.wall_s, i, pages) for i in range(pages)]
    if playlist.spotlight_s:
        found += [Slot("spotlight", playlist.spotlight_s, i, stages) for i in range(stages)]
    boards: tuple[tuple[Kind, int, int, int], ...] = (
        ("fixes", playlist.fixes_s, fixes, FIXES_PER_PAGE),
        ("celebrations", playlist.celebrations_s, celebrations, WINS_PER_PAGE),
    )
    for kind, seconds, count, per_page in boards:
        if seconds and count:
            n = page_count(count, per_page)
            found += [Slot(kind, seconds, i, n) for i in range(n)]
    return found


def slot_at(found: Sequence[Slot], now: float) -> tuple[Slot, float]:
    """The slot showing at ``now`` (seconds since the epoch) and the seconds until it ends."""
    cycle = sum(s.seconds for s in found)
    at = now % cycle
    for slot in found:
        if at < slot.seconds:
            return slot, slot.seconds - at
        at -= slot.seconds
    return found[-1], 0.0  # pragma: no cover - float rounding at the very end of a cycle

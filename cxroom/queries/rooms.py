"""What each room file is (its name, whether it is the demo, how many stages),
for the room switcher. Reads another room's file briefly and read-only, so
the app does not keep rooms it is not using open (and locked)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cxroom.errors import CxroomError
from cxroom.store import Store, open_store

FACTS = """
SELECT (SELECT value FROM meta WHERE key = 'room_name') AS name,
       (SELECT count(*) FROM import_batches WHERE kind = 'demo') > 0 AS is_demo,
       (SELECT count(*) FROM stages WHERE NOT archived) AS stages
"""


@dataclass(frozen=True)
class RoomFacts:
    name: str
    is_demo: bool
    stages: int
    readable: bool = True


def _facts_of(store: Store) -> RoomFacts:
    row = store.fetch_dicts(FACTS)[0]
    return RoomFacts(name=str(row["name"] or "Customer Room"), is_demo=bool(row["is_demo"]), stages=int(row["stages"]))


def room_facts(path: Path, *, current: Store | None = None) -> RoomFacts:
    """The facts of the room at ``path``; ``readable=False`` when another process holds it."""
    if current is not None and current.path.resolve() == Path(path).resolve():
        return _facts_of(current)
    try:
        peek = Store(path, read_only=True)
    except CxroomError:
        # Already open read-write in this process (DuckDB then refuses a
        # read-only connection), or locked by another process.
        try:
            return _facts_of(open_store(path))
        except CxroomError:
            return RoomFacts(name=Path(path).parent.name, is_demo=False, stages=0, readable=False)
    try:
        return _facts_of(peek)
    except CxroomError:
        return RoomFacts(name=Path(path).parent.name, is_demo=False, stages=0, readable=False)
    finally:
        peek.close()

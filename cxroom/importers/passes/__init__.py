"""One import pass per kind of listening file (complaints, KPIs, surveys).

Each pass is handed the open transaction, the staged file and the resolved mapping by
cxroom.services.imports, runs its staging SQL through that transaction's execute
chokepoint and fills the report; it never opens a transaction or checks a permission.
``PASSES`` holds the pass of every importable kind of cxroom.evidence_kinds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cxroom import evidence_kinds
from cxroom.errors import InvalidInputError
from cxroom.importers.passes import complaints, kpis, movements, surveys

# run(tx, staged, mapping, report, batch_id, progress, window); each pass types its own mapping.
ImportPass = Callable[..., Any]

PASSES: dict[str, ImportPass] = evidence_kinds.attach(
    "import pass",
    {"complaints": complaints.run, "kpis": kpis.run, "surveys": surveys.run, "movements": movements.run},
    needed=lambda kind: kind.importable,
)


def for_kind(kind: str) -> ImportPass:
    """The pass that imports a file of ``kind``; a clear refusal for any other kind."""
    if kind not in PASSES:
        *others, last = PASSES
        names = f"{', '.join(others)} or {last}" if others else last
        raise InvalidInputError(f"Unknown import kind {kind!r}; use {names}.")
    return PASSES[kind]

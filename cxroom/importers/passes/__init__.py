"""One import pass per kind of listening file (complaints, KPIs, surveys).

Each pass is handed the open transaction, the staged file and the resolved mapping by
cxroom.services.imports, runs its staging SQL through that transaction's execute
chokepoint and fills the report; it never opens a transaction or checks a permission.
``PASSES`` holds the pass of every importable kind of cxroom.evidence_kinds, each in
the module named after its kind.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from cxroom import evidence_kinds
from cxroom.errors import InvalidInputError

# run(tx, staged, mapping, report, batch_id, progress, window); each pass types its own mapping.
ImportPass = Callable[..., Any]


def _pass_of(key: str) -> ImportPass:
    """The ``run`` of the pass module named after the kind (cxroom.importers.passes.<key>):
    the registry's entry is the pass's entry, so a new importable kind is its module and
    nothing here. A kind without its module fails when this package is imported."""
    try:
        module = import_module(f"{__name__}.{key}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{key}":
            raise
        raise LookupError(f"Evidence kinds: no import pass for {key} (a module {__name__}.{key}).") from exc
    return module.run  # type: ignore[no-any-return]


PASSES: dict[str, ImportPass] = evidence_kinds.attach(
    "import pass",
    {kind.key: _pass_of(kind.key) for kind in evidence_kinds.importable()},
    needed=lambda kind: kind.importable,
)


def for_kind(kind: str) -> ImportPass:
    """The pass that imports a file of ``kind``; a clear refusal for any other kind."""
    if kind not in PASSES:
        *others, last = PASSES
        names = f"{', '.join(others)} or {last}" if others else last
        raise InvalidInputError(f"Unknown import kind {kind!r}; use {names}.")
    return PASSES[kind]

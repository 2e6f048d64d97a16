"""The set-up file's ``customer_math`` section: the room's agreed definitions of customers in and
out and the unit of value, exported when the room has recorded them and applied when the file
gives them (a file without the section leaves the room's definitions as they are)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cxroom.queries import customer_math as q
from cxroom.queries.setup_file import Reader
from cxroom.services import customer_math as service
from cxroom.setupfile.model import CustomerMathEntry
from cxroom.setupfile.report import Section
from cxroom.store import Store


def export(store: Store) -> dict[str, Any]:
    d = q.definitions(store)
    if not d.recorded:
        return {}
    return {"customer_math": {"incoming": d.incoming, "outgoing": d.outgoing, "value_unit": d.value_unit}}


def apply(entry: CustomerMathEntry | None, sec: Section, call: Callable[..., Any], tx: Reader) -> None:
    """``call(loc, service, *args)`` runs the write in the apply's transaction ``tx`` as the acting user."""
    if entry is None:
        return
    wanted = service.Definitions(**entry.model_dump())
    d = q.definitions(tx)
    current = service.Definitions(incoming=d.incoming, outgoing=d.outgoing, value_unit=d.value_unit)
    if d.recorded and current == wanted:
        sec.unchanged += 1
        return
    call(("customer_math",), service.set_definitions, wanted)
    sec.updated.append("incoming and outgoing customers, value unit")

"""Moving a stage along the wall, or a moment of truth within its stage, by one place."""

from __future__ import annotations

from cxroom.services import room
from cxroom.setup_models import NewOrder, VersionedRef
from cxroom.store import Store
from cxroom.ui.setup.messages import attempt


def move_in_order(
    store: Store,
    actor: str,
    order: list[tuple[int, int]],
    index: int,
    offset: int,
    where: str,
    stage_id: int | None = None,
) -> None:
    """Swap one item with its neighbour, from the order (id, version) the person saw."""
    target = index + offset
    if not 0 <= target < len(order):
        return
    items = list(order)
    items[index], items[target] = items[target], items[index]
    new = NewOrder(items=[VersionedRef(id=i, expected_version=v) for i, v in items])
    if stage_id is None:
        attempt(where, lambda: room.reorder_stages(store, new, actor=actor), "New order saved.")
    else:
        attempt(where, lambda: room.reorder_moments(store, stage_id, new, actor=actor), "New order saved.")

"""Moving a stage along the wall, or a moment of truth within its stage, by one place."""

from __future__ import annotations

from streamlit.delta_generator import DeltaGenerator

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


def move_buttons(
    columns: tuple[DeltaGenerator, DeltaGenerator],
    store: Store,
    actor: str,
    order: list[tuple[int, int]],
    index: int,
    where: str,
    *,
    keys: tuple[str, str],
    icons: tuple[str, str],
    helps: tuple[str, str],
    stage_id: int | None = None,
) -> None:
    """The two buttons that move item ``index`` of ``order`` back or on by one place
    (each disabled at its end of the order)."""
    for column, offset, key, icon, help_text in zip(columns, (-1, 1), keys, icons, helps, strict=True):
        column.button(
            icon,
            key=key,
            help=help_text,
            disabled=not 0 <= index + offset < len(order),
            on_click=move_in_order,
            args=(store, actor, order, index, offset, where, stage_id),
        )

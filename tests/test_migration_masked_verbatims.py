"""Migration 0007 and its Python step: complaints stored before it get their
masked verbatim on upgrade; the room's inserts fill it from then on."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from cxroom.migrations import steps
from cxroom.privacy import mask_personal_data
from cxroom.store import Store
from tests.queries.wall_rooms import add_complaints

OLD_ROWS = [
    "card 4111 1111 1111 1111 charged twice",
    "card 4111 1111 1111 1111 charged twice",  # the same text twice: masked once, stored twice
    "mail me at kim@example.com",
    "no digits at all, nothing to mask",
    "refund of $84.50 on 12/03/2026",
    None,
    "",
]


def _old_room(path: Path) -> None:
    store = Store(path, migrate_to=5)
    assert store.schema_version() == 5
    with store.transaction("system") as tx:
        for n, text in enumerate(OLD_ROWS):
            tx.execute(
                "INSERT INTO complaints (source, external_id, received_at, category, verbatim) VALUES (?, ?, ?, ?, ?)",
                ["old", f"O-{n}", datetime(2026, 10, 1), "Billing", text],
            )
    store.close()


def test_upgrading_a_room_masks_every_stored_verbatim(tmp_path: Path) -> None:
    _old_room(tmp_path / "room.duckdb")
    store = Store(tmp_path / "room.duckdb")  # applies 0007
    assert store.schema_version() >= 7
    rows = store.fetch_dicts("SELECT verbatim, verbatim_masked FROM complaints ORDER BY external_id")
    assert [r["verbatim_masked"] for r in rows] == [None if t is None else mask_personal_data(t) for t in OLD_ROWS]
    assert rows[0]["verbatim_masked"] == "card [card] charged twice"
    store.close()


def test_filling_in_chunks_gives_the_same_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(steps, "CHUNK_ROWS", 7)
    store = Store(tmp_path / "room.duckdb")
    texts = [f"call {n:03d} 555 {n:04d} or mail u{n}@example.org" for n in range(60)] + ["plain words"] * 5
    with store.transaction("system") as tx:
        for n, text in enumerate(texts):
            tx.execute(
                "INSERT INTO complaints (source, external_id, received_at, category, verbatim) VALUES (?, ?, ?, ?, ?)",
                ["sql", f"S-{n}", datetime(2026, 10, 1), "Billing", text],
            )
        assert steps.fill_masked_verbatims(tx) == len(texts)
        assert steps.fill_masked_verbatims(tx) == 0  # nothing left to do
    rows = store.fetch_dicts("SELECT verbatim, verbatim_masked FROM complaints")
    assert all(r["verbatim_masked"] == mask_personal_data(r["verbatim"]) for r in rows)
    assert not any("@" in r["verbatim_masked"] for r in rows)
    store.close()


def test_bulk_inserts_fill_the_masked_text(empty_store: Store) -> None:
    add_complaints(
        empty_store,
        [
            (datetime(2026, 10, 2), "Billing", "IBAN GB82 WEST 1234 5698 7654 32 refused"),
            (datetime(2026, 10, 3), "Billing", None),
        ],
    )
    rows = empty_store.fetch_dicts("SELECT verbatim, verbatim_masked FROM complaints ORDER BY received_at")
    assert [r["verbatim_masked"] for r in rows] == ["IBAN [iban] refused", None]

"""Masked stays masked: a role that sees masked text searches, filters, sorts and
exports the masked text only. Complaints come in through the real importer (a CSV
file on disk) into a real DuckDB file; the masked text is stored at import."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from cxroom.models import CategoryRuleCreate, StageCreate
from cxroom.privacy import mask_personal_data
from cxroom.queries import stage as stage_queries
from cxroom.queries.reviews import presenting
from cxroom.services import evidence, room
from cxroom.services.imports import import_file
from cxroom.store import Store

# Each identifier's digits (or name) appear nowhere else in the file.
CARD = "4111 1111 1111 1111"
IDENTIFIED = [
    f"They charged my card {CARD} twice.",
    "Call me on +44 20 7946 0958 after six.",
    "Write to jörg.müller73@beispiel.de, not the old address.",
    "My IBAN GB82 WEST 1234 5698 7654 32 was refused.",
    "NI number QQ 12 34 56 C is on the form.",
    "SSN 536-90-4417 was printed on the letter!",
    "Policy POL-2024-008815 renewal went up.",
]
PLAIN = [
    "Waited 48 minutes on hold on 12/03/2026.",
    "The refund of $84.50 never came.",
    "Nobody called me back.",
]
# Searches an attacker would try: digits and names found only inside identifiers.
PROBES = [
    "4111",
    "1111 1111",
    "7946",
    "0958",
    "müller73",
    "beispiel",
    "WEST 1234",
    "5698",
    "12 34 56",
    "536-90",
    "4417",
    "008815",
    "POL-2024",
]


def _write_csv(folder: Path, texts: list[str], first_day: int = 1) -> Path:
    path = folder / "complaints.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date received", "Complaint ID", "Issue", "Consumer complaint narrative"])
        for n, text in enumerate(texts):
            writer.writerow([f"2026-10-{first_day + n % 28:02d}", f"T-{first_day}-{n:04d}", "Billing", text])
    return path


@pytest.fixture
def masked_room(empty_store: Store, tmp_path: Path) -> tuple[Store, int]:
    stage_id = room.create_stage(empty_store, StageCreate(slug="pay", name="Pay"), actor="system")
    evidence.create_category_rule(empty_store, CategoryRuleCreate(category="Billing", stage_slug="pay"), actor="system")
    report = import_file(
        empty_store, kind="complaints", path=_write_csv(tmp_path, IDENTIFIED + PLAIN), source="web", actor="system"
    )
    assert report.rows_imported == len(IDENTIFIED + PLAIN)
    return empty_store, stage_id


def _search(store: Store, stage_id: int, text: str, *, raw: bool = False) -> stage_queries.ComplaintPage:
    return stage_queries.complaints_page(
        store, stage_id, stage_queries.ComplaintFilter(search=text, limit=500, show_personal_data=raw)
    )


def test_the_importer_stores_the_masked_text_of_every_row(masked_room: tuple[Store, int]) -> None:
    store, _ = masked_room
    rows = store.fetch_dicts("SELECT verbatim, verbatim_masked FROM complaints")
    assert len(rows) == len(IDENTIFIED + PLAIN)
    for row in rows:
        assert row["verbatim_masked"] == mask_personal_data(row["verbatim"])
    assert sum(r["verbatim_masked"] != r["verbatim"] for r in rows) == len(IDENTIFIED)


@pytest.mark.parametrize("probe", PROBES)
def test_a_masked_search_never_finds_what_the_mask_hides(masked_room: tuple[Store, int], probe: str) -> None:
    store, stage_id = masked_room
    assert _search(store, stage_id, probe).total == 0
    # ...while a role that sees the text as imported finds it.
    found = _search(store, stage_id, probe, raw=True)
    assert found.total == 1 and probe.lower() in found.rows["verbatim"].iloc[0].lower()


def test_guessing_a_card_number_digit_by_digit_learns_nothing(masked_room: tuple[Store, int]) -> None:
    store, stage_id = masked_room
    known = CARD[:-1]
    masked_hits = [_search(store, stage_id, known + digit).total for digit in "0123456789"]
    raw_hits = [_search(store, stage_id, known + digit, raw=True).total for digit in "0123456789"]
    assert masked_hits == [0] * 10
    assert raw_hits == [0, 1, 0, 0, 0, 0, 0, 0, 0, 0]  # what the unmasked search would have told


def test_masked_search_finds_the_masked_words_and_the_labels(masked_room: tuple[Store, int]) -> None:
    store, stage_id = masked_room
    assert _search(store, stage_id, "charged my card").total == 1
    assert _search(store, stage_id, "[card]").total == 1
    assert _search(store, stage_id, "[national id]").total == 2  # the NI number and the SSN
    assert _search(store, stage_id, "$84.50").total == 1  # money is not masked, so it is found


def test_rows_sort_and_export_hold_masked_text_only(masked_room: tuple[Store, int]) -> None:
    """What the table ships to the browser is what its sort and CSV download use."""
    store, stage_id = masked_room
    page = stage_queries.complaints_page(store, stage_id, stage_queries.ComplaintFilter(limit=500))
    assert page.total == len(IDENTIFIED + PLAIN)
    exported = page.rows.sort_values("verbatim").to_csv(index=False)
    for probe in PROBES:
        assert probe.lower() not in exported.lower(), probe
    assert CARD not in exported and "[card]" in exported
    raw = stage_queries.complaints_page(
        store, stage_id, stage_queries.ComplaintFilter(limit=500, show_personal_data=True)
    ).rows.to_csv(index=False)
    assert CARD in raw


def test_a_row_whose_masked_text_is_missing_is_shown_masked_and_not_searched(masked_room: tuple[Store, int]) -> None:
    """A row written by SQL outside the room's inserts (no masked text yet)."""
    store, stage_id = masked_room
    with store.transaction("system") as tx:
        tx.execute(
            "INSERT INTO complaints (source, external_id, received_at, category, verbatim, stage_id) "
            "VALUES ('sql', 'S-1', '2026-10-30', 'Billing', 'card 5500 0000 0000 0004 lost', ?)",
            [stage_id],
        )
    assert _search(store, stage_id, "5500").total == 0
    page = stage_queries.complaints_page(store, stage_id, stage_queries.ComplaintFilter(search="lost"))
    assert page.total == 0  # not searchable until masked: never by its original text
    rows = stage_queries.complaints_page(store, stage_id, stage_queries.ComplaintFilter(limit=500)).rows
    assert "card [card] lost" in set(rows["verbatim"])


def test_presenter_verbatims_are_masked_and_read_once(masked_room: tuple[Store, int], tmp_path: Path) -> None:
    store, stage_id = masked_room
    # Two complaints that differ only in the card number read the same once masked.
    more = tmp_path / "more"
    more.mkdir()
    twice = ["Charged twice on 5500 0000 0000 0004.", "Charged twice on 4012 8888 8888 1881."]
    import_file(store, kind="complaints", path=_write_csv(more, twice, first_day=29), source="phone", actor="system")
    shown = presenting.stage_evidence(store, stage_id, date(2026, 10, 1))
    assert shown is not None
    texts = [v.text for v in shown.verbatims]
    assert texts[0] == "Charged twice on [card]."
    assert texts.count("Charged twice on [card].") == 1
    assert len(texts) == presenting.VERBATIMS_SHOWN and texts[1] != texts[0]

"""Search everything said: a phrase from a demo call's transcript opens the call at its
moment, a complaint's phrase finds the complaint, and a masked search never matches the
original text behind a mask (complaints imported through the real importer, a transcript
and a survey comment holding identifiers). Expected hits are worked out from the stored
rows with Python, not from the search's own numbers."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cxroom.models import CategoryRuleCreate
from cxroom.privacy import mask_personal_data
from cxroom.queries.search import query_terms, search, snippet
from cxroom.services import evidence
from cxroom.services.imports import import_file
from cxroom.settings import Settings
from cxroom.store import Store, open_store

REPO = Path(__file__).resolve().parents[2]
CARD = "4111 1111 1111 1111"
IDENTIFIED = [
    f"They charged my card {CARD} twice for the renewal.",
    "Call me on +44 20 7946 0958 about the renewal.",
    "Write to jörg.müller73@beispiel.de about the renewal.",
    "Policy POL-2024-008815 renewal went up.",
]
PROBES = ["4111", "1111 1111", "7946", "0958", "müller73", "beispiel", "008815", "POL-2024"]
TRANSCRIPT_SECRET = "my card is 5500 0000 0000 0004 and my phone 07700 900461"


@pytest.fixture
def room(demo_settings: Settings, tmp_path: Path) -> Iterator[Store]:
    open_store(demo_settings.db_path).checkpoint()
    target = tmp_path / "room.duckdb"
    shutil.copyfile(demo_settings.db_path, target)
    store = Store(target)
    yield store
    store.close()


def _transcript_moments(store: Store, phrase: str) -> set[tuple[str, float]]:
    found = set()
    for call_id, raw in store.execute("SELECT id, transcript FROM calls WHERE transcript IS NOT NULL"):
        for seg in json.loads(raw):
            if phrase in str(seg.get("text", "")).lower():
                found.add((str(call_id), float(seg["start"])))
    return found


def test_a_phrase_said_in_a_demo_call_opens_the_call_at_that_moment(room: Store) -> None:
    expected = _transcript_moments(room, "rating tier")
    assert expected, "the demo call says 'rating tier'"
    result = search(room, "Rating  tier")
    calls = {(h.ref, h.at_s) for h in result.hits if h.kind == "call"}
    assert calls == expected
    slug = room.fetch_value(
        "SELECT s.slug FROM calls c JOIN stages s ON s.id = c.stage_id WHERE c.id = ?", [int(next(iter(expected))[0])]
    )
    assert all(h.stage_slug == slug for h in result.hits if h.kind == "call")
    # Texts holding the phrase come before texts holding only one of its words.
    flags = [h.phrase for h in result.hits]
    assert flags == sorted(flags, reverse=True) and flags[0]
    assert all("rating tier" in h.snippet.lower() for h in result.hits if h.kind == "call")


def test_a_complaint_phrase_finds_the_complaint_once_with_how_often_it_was_said(room: Store) -> None:
    phrase = "admin charge on my first bill"
    rows = room.execute(
        "SELECT stage_id, verbatim_masked, count(*), max(received_at) FROM complaints "
        "WHERE contains(lower(verbatim_masked), ?) GROUP BY ALL",
        [phrase],
    )
    assert len(rows) == 1
    stage_id, text, times, newest = rows[0]
    result = search(room, phrase)
    top = result.hits[0]
    assert (top.kind, top.stage_id, top.times, top.phrase) == ("complaint", stage_id, times, True)
    assert top.happened_at == newest and top.snippet == text
    assert room.fetch_value("SELECT verbatim_masked FROM complaints WHERE id = ?", [int(top.ref)]) == text


def test_artifact_captions_and_survey_comments_are_searched(room: Store) -> None:
    title, caption = room.fetch_one("SELECT title, caption FROM artifacts ORDER BY id LIMIT 1")
    words = " ".join(caption.split()[:4])
    assert any(h.kind == "artifact" for h in search(room, words).hits)
    with room.transaction("system") as tx:
        tx.execute(
            "UPDATE survey_responses SET comment = 'The zebra crossing form was confusing', "
            "comment_masked = 'The zebra crossing form was confusing' WHERE response_id = "
            "(SELECT min(response_id) FROM survey_responses)"
        )
    hits = search(room, "zebra crossing").hits
    assert [h.kind for h in hits] == ["comment"] and hits[0].phrase
    del title


def _identified_csv(folder: Path) -> Path:
    path = folder / "identified.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date received", "Complaint ID", "Issue", "Consumer complaint narrative"])
        for n, text in enumerate(IDENTIFIED):
            writer.writerow([f"2026-10-{n + 1:02d}", f"ID-{n}", "Identified", text])
    return path


@pytest.fixture
def identified(room: Store, tmp_path: Path) -> Store:
    evidence.create_category_rule(room, CategoryRuleCreate(category="Identified", stage_slug="pay"), actor="system")
    report = import_file(room, kind="complaints", path=_identified_csv(tmp_path), actor="system")
    assert report.rows_imported == len(IDENTIFIED)
    call_id, raw = room.fetch_one("SELECT id, transcript FROM calls WHERE transcript IS NOT NULL ORDER BY id LIMIT 1")
    segments = json.loads(raw)
    segments.append({"start": 99.0, "end": 104.0, "speaker": "customer", "text": TRANSCRIPT_SECRET})
    with room.transaction("system") as tx:
        tx.execute("UPDATE calls SET transcript = ? WHERE id = ?", [json.dumps(segments), call_id])
    return room


@pytest.mark.parametrize("probe", [*PROBES, "5500 0000", "0004", "07700", "900461"])
def test_a_masked_search_never_matches_the_text_behind_a_mask(identified: Store, probe: str) -> None:
    masked = search(identified, probe, limit=500)
    for hit in masked.hits:
        assert probe.lower() not in hit.snippet.lower()
    assert not [h for h in masked.hits if h.kind in ("complaint", "call") and h.phrase]
    raw = search(identified, probe, masked=False, limit=500)
    assert any(h.phrase for h in raw.hits), "searching as imported finds it"


def test_a_masked_search_finds_the_words_around_the_mask_and_the_label(identified: Store) -> None:
    hits = search(identified, "charged my card").hits
    assert hits[0].kind == "complaint" and hits[0].snippet == mask_personal_data(IDENTIFIED[0])
    assert "[card]" in hits[0].snippet and CARD not in hits[0].snippet
    said = [h for h in search(identified, "my card is").hits if h.kind == "call"]
    assert said and said[0].at_s == 99.0 and said[0].snippet == "customer: " + mask_personal_data(TRANSCRIPT_SECRET)


def test_query_terms_and_snippets() -> None:
    assert query_terms("Rating, TIER rating!") == ("rating", "tier")
    assert query_terms("  ,; ") == ()
    long = "word " * 100 + "the rating tier moved " + "tail " * 100
    cut = snippet(long, ("rating",))
    assert "rating tier" in cut and cut.startswith("… ") and cut.endswith(" …") and len(cut) < 240


def test_the_cli_prints_hits_as_json(room: Store, tmp_path: Path) -> None:
    room.checkpoint()
    copy = tmp_path / "cli.duckdb"
    shutil.copyfile(room.path, copy)
    done = subprocess.run(
        [sys.executable, "-m", "cxroom", "search", "rating", "tier", "--json", "--db", str(copy)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["terms"] == ["rating", "tier"] and out["masked"] is True
    calls = {(h["ref"], h["at_s"]) for h in out["hits"] if h["kind"] == "call"}
    assert calls == _transcript_moments(room, "rating tier")
    empty = subprocess.run(
        [sys.executable, "-m", "cxroom", "search", "?!", "--db", str(copy)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert empty.returncode == 2 and "give a word" in empty.stderr

"""Reads of the room review against the demo room: the facts the agenda is
proposed from, a stage's evidence, a fix's presentation, the comparison of two
snapshots, and minutes that keep user text inert."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from cxroom.models import FindingCreate, ReviewCreate
from cxroom.queries.reviews import agenda_facts, listing, minutes_doc, months, presenting, since_last
from cxroom.services import review_capture as capture
from cxroom.services import reviews as rs
from cxroom.settings import Settings
from cxroom.store import Store

OCTOBER = date(2026, 10, 1)


def _ids(store: Store) -> dict[str, int]:
    rows = store.fetch_dicts("SELECT id, title FROM reviews")
    return {r["title"].split("· ")[1]: int(r["id"]) for r in rows}


@pytest.fixture(scope="module")
def copy(demo_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("reviews-queries")
    target = folder / "room.duckdb"
    shutil.copyfile(demo_settings.db_path, target)
    wal = Path(f"{demo_settings.db_path}.wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}.wal"))
    opened = Store(target)
    yield opened
    opened.close()


def test_list_reviews_counts_what_each_review_holds(demo_store: Store) -> None:
    reviews = listing.list_reviews(demo_store)
    assert list(reviews["status"]) == ["planned", "closed", "closed"]  # newest first
    for row in reviews.itertuples():
        assert row.findings == demo_store.fetch_value(
            "SELECT count(*) FROM review_findings WHERE review_id = ?", [row.id]
        )
        assert row.has_snapshot == (row.status == "closed")


def test_a_review_looks_at_the_month_before_it_is_held_or_the_last_month_with_data(demo_store: Store) -> None:
    assert listing.data_month(demo_store, date(2026, 11, 8)) == OCTOBER
    assert listing.data_month(demo_store, date(2026, 10, 8)) == date(2026, 9, 1)
    # Held in January 2027: December is not loaded yet, so October is the latest data.
    assert listing.data_month(demo_store, date(2027, 1, 12)) == OCTOBER


def test_agenda_inputs_are_dense_monthly_series_aggregated_in_duckdb(demo_store: Store) -> None:
    ids = _ids(demo_store)
    inputs = agenda_facts.agenda_inputs(demo_store, held_on=date(2026, 11, 8), review_id=ids["October 2026"])
    assert inputs.month == OCTOBER
    assert inputs.since == datetime(2026, 10, 8)  # the September review
    assert {len(c.counts) for c in inputs.categories} == {months.HISTORY_MONTHS + 1}
    series = next(c for c in inputs.categories if c.category == "Repeat contact - issue unresolved")
    assert series.counts[-1] == demo_store.fetch_value(
        "SELECT count(*) FROM complaints WHERE category = ? AND received_at >= ? AND received_at < ?",
        ["Repeat contact - issue unresolved", OCTOBER, date(2026, 11, 1)],
    )
    kpi = next(k for k in inputs.kpis if k.name == "ID cards in hand before cover starts")
    assert kpi.value == demo_store.fetch_value(
        "SELECT value FROM kpi_readings r JOIN kpis k ON k.id = r.kpi_id WHERE k.name = ? AND period = ?",
        [kpi.name, OCTOBER],
    )
    assert {m.state for m in inputs.moments} <= {"broken", "unreliable", "reliable", "differentiating"}


def test_stage_evidence_for_presenter_mode(demo_store: Store) -> None:
    stage = int(demo_store.fetch_value("SELECT id FROM stages WHERE slug = 'get-help'"))
    ev = presenting.stage_evidence(demo_store, stage, OCTOBER)
    assert ev is not None and ev.name == "Get help"
    assert len(ev.complaints_monthly) == presenting.TREND_MONTHS
    assert int(ev.complaints_monthly["complaints"].iloc[-1]) == demo_store.fetch_value(
        "SELECT count(*) FROM complaints WHERE stage_id = ? AND received_at >= ? AND received_at < ?",
        [stage, OCTOBER, date(2026, 11, 1)],
    )
    assert 0 < len(ev.verbatims) <= presenting.VERBATIMS_SHOWN
    assert len({v.text for v in ev.verbatims}) == len(ev.verbatims)  # no repeats
    assert ev.kpis and all(k.stage_id == stage for k in ev.kpis)
    if ev.calls:  # demo media present
        call = ev.calls[0]
        assert 0 <= call.clip_start_s < call.clip_end_s <= call.duration_s + 1
        assert call.mime.startswith("audio/")
    assert presenting.stage_evidence(demo_store, 999_999, OCTOBER) is None


def test_fix_presentation(demo_store: Store) -> None:
    fix_id = int(demo_store.fetch_value("SELECT id FROM fixes WHERE title LIKE 'Call back every new claim%'"))
    fix = presenting.fix_presentation(demo_store, fix_id)
    assert fix is not None
    assert fix.status == "celebrated" and fix.results
    assert len({silo for _, silo in fix.members}) >= 2
    assert fix.presented_in  # presented in the September review
    assert presenting.fix_presentation(demo_store, 999_999) is None


def test_since_the_last_review_compares_two_snapshots(demo_store: Store) -> None:
    ids = _ids(demo_store)
    assert since_last.comparison(demo_store, ids["August 2026"]) is None  # the first snapshot
    assert since_last.comparison(demo_store, ids["October 2026"]) is None  # not closed yet
    found = since_last.comparison(demo_store, ids["September 2026"])
    assert found is not None
    assert (found.month, found.previous_month) == (date(2026, 9, 1), date(2026, 8, 1))
    moved = found.moment_changes.set_index("moment")
    assert moved.loc["Adjuster calls back within 24 hours", "before"] == "broken"
    assert moved.loc["Adjuster calls back within 24 hours", "direction"] == "up"
    totals = found.complaints_by_stage
    assert int(totals["now"].sum()) == found.counts["complaints"]
    assert int(totals["before"].sum()) == found.previous_counts["complaints"]
    assert set(found.kpi_crossings["change"]) <= {"onto target", "off target"}
    assert any(line.startswith("Moments of truth: 1 climbed") for line in found.headline())


def test_closing_a_review_shows_what_changed_including_a_fix_chartered_in_it(copy: Store) -> None:
    ids = _ids(copy)
    review_id = ids["October 2026"]
    review = listing.get_review(copy, review_id)
    assert review is not None
    rs.close_review(copy, review_id, expected_version=review.version, actor="system", when=datetime(2026, 11, 8, 12))
    found = since_last.comparison(copy, review_id)
    assert found is not None and found.previous_id == ids["September 2026"]
    chartered = found.fix_changes[found.fix_changes["change"] == "chartered"]["title"].tolist()
    assert "Instant digital ID card" in chartered  # chartered after the September review closed


def test_minutes_keep_user_text_inert(copy: Store) -> None:
    review_id = rs.plan_review(
        copy,
        ReviewCreate(held_on=date(2026, 11, 30), title="Minutes <b>test</b>", attendees=["Ann <ann@x.y>"]),
        agenda=(),
        actor="system",
    )
    nasty = "<script>alert(1)</script> ![pixel](http://evil.example/p.png) [click](javascript:alert(1)) $x$"
    capture.add_finding(copy, FindingCreate(review_id=review_id, text=nasty, stage_slug="pay"), actor="system")
    minutes = minutes_doc.minutes(copy, review_id)
    assert minutes is not None
    html = minutes_doc.minutes_html(minutes)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>test</b>" not in html and "Minutes &lt;b&gt;test&lt;/b&gt;" in html
    assert "&lt;ann@x.y&gt;" in html
    markdown = minutes_doc.minutes_markdown(minutes)
    assert "![pixel](" not in markdown and "\\!\\[pixel\\]" in markdown
    assert "[click](" not in markdown
    assert "\\<script\\>" in markdown and "\\$x\\$" in markdown
    assert "## Findings" in markdown and "Pay" in markdown


def test_minutes_markdown_leaves_no_bare_link_emoji_icon_or_directive(copy: Store) -> None:
    """The Markdown minutes are read in Streamlit and on GitHub: both find bare links, e-mails and
    :codes: in the parsed text, where backslash escapes are already gone."""
    from tests.hostile_text import PAYLOADS, as_read
    from tests.test_textsafe import REWRITES

    hostile = [PAYLOADS[n] for n in ("bare_url", "bare_www", "bare_email", "emoji", "material_icon", "colour")]
    review_id = rs.plan_review(
        copy,
        ReviewCreate(held_on=date(2026, 12, 1), title=PAYLOADS["image_and_link"], attendees=hostile[:2]),
        agenda=(),
        actor="system",
    )
    for text in hostile:
        capture.add_finding(copy, FindingCreate(review_id=review_id, text=text, stage_slug="pay"), actor="system")
    minutes = minutes_doc.minutes(copy, review_id)
    assert minutes is not None
    markdown = minutes_doc.minutes_markdown(minutes)
    parsed = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", markdown)  # what the parser hands to the rewrites
    for feature, pattern in REWRITES.items():
        assert not pattern.search(parsed), feature
    assert not re.search(r"(?<!\\)\[[^\]]*\]\(", markdown)  # no link or image syntax left live
    read = as_read(markdown)
    for text in hostile:  # and every line still reads as typed
        assert text in read
    assert f"# Minutes: {PAYLOADS['image_and_link']}" in read


def test_minutes_carry_the_review_months_customers_in_and_out(copy: Store, empty_store: Store) -> None:
    from cxroom.formatting import fmt_amount, fmt_count
    from cxroom.queries.customer_math import load_customer_math
    from cxroom.textsafe import escape_markdown

    review_id = rs.plan_review(
        copy, ReviewCreate(held_on=date(2026, 11, 12), title="Customer math minutes"), agenda=(), actor="system"
    )
    minutes = minutes_doc.minutes(copy, review_id)
    assert minutes is not None
    cm = load_customer_math(copy, minutes.review.month)
    m, unit = cm.this_month, cm.definitions.value_unit
    assert m is not None and m.customers_out > 0
    first = minutes.customer_math[0]
    assert first.startswith(f"In {fmt_count(m.customers_in)} ({fmt_amount(m.value_in, unit)})"), first
    assert f"Lost {fmt_count(m.customers_out)} ({fmt_count(m.downgraded)} downgraded)" in first
    assert f"Value lost {fmt_amount(m.value_out, unit)}" in first
    names = {int(r["id"]): r["name"] for r in copy.fetch_dicts("SELECT id, name FROM stages")}
    worst = max(cm.by_stage.values(), key=lambda x: x.customers)
    assert minutes.customer_math[1].startswith(f"Lost at {names[worst.stage_id]}: {fmt_count(worst.customers)}")
    assert sum(line.startswith("Lost at ") for line in minutes.customer_math) == sum(
        1 for x in cm.by_stage.values() if x.customers
    )
    assert any(line.startswith("We called ") for line in minutes.customer_math)
    markdown = minutes_doc.minutes_markdown(minutes)
    section = markdown.split("## Customers in and out\n", 1)[1].split("\n## ", 1)[0]
    # Escaped as every line of the minutes is ('$' would start maths in Streamlit).
    assert escape_markdown(f"Lost {fmt_count(m.customers_out)}") in section and "\\$" in section
    assert escape_markdown(cm.definitions.incoming) in section
    html = minutes_doc.minutes_html(minutes)
    assert "<h2>Customers in and out</h2>" in html and f"Lost {fmt_count(m.customers_out)}" in html

    # A room without movements has no such section (not a row of zeros).
    empty_id = rs.plan_review(
        empty_store, ReviewCreate(held_on=date(2026, 11, 12), title="Quiet"), agenda=(), actor="system"
    )
    quiet = minutes_doc.minutes(empty_store, empty_id)
    assert quiet is not None and quiet.customer_math == ()
    assert "Customers in and out" not in minutes_doc.minutes_markdown(quiet)
    assert "Customers in and out" not in minutes_doc.minutes_html(quiet)

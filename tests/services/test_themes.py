"""Themes built from real rows: the demo room, and the real CFPB narratives and Olist
comments imported through the real importers. Top terms and examples are checked against
the stage's own masked texts read by independent SQL and Python, never against the
build's own numbers; counts per month against a count of the rows."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from cxroom.errors import ConflictError, InvalidInputError, PermissionDeniedError
from cxroom.insights.themes import clean_text
from cxroom.models import CategoryRuleCreate, QuestionKind, SurveyQuestionCreate
from cxroom.permissions import Role
from cxroom.queries.themes import stage_themes
from cxroom.services import evidence, trust
from cxroom.services.imports import import_file
from cxroom.services.themes import build_themes, merge_themes, pin_theme, rename_theme
from cxroom.settings import Settings
from cxroom.store import Store
from tests.importers.helpers import add_stages, cfpb, csv_rows, shared

DEMO_MONTH = date(2026, 10, 1)


@pytest.fixture
def demo_copy(demo_settings: Settings, tmp_path: Path) -> Store:
    """The session's demo room, copied: a build writes."""
    from cxroom.store import open_store

    source = open_store(demo_settings.db_path)
    source.checkpoint()
    target = tmp_path / "room.duckdb"
    shutil.copyfile(demo_settings.db_path, target)
    store = Store(target)
    yield store
    store.close()


def _words(texts: list[str]) -> set[str]:
    return {w.lower() for t in texts for w in re.findall(r"[^\W\d_]{3,}", clean_text(t))}


def _stage_texts(store: Store, stage_id: int) -> list[str]:
    return [
        r[0]
        for r in store.execute(
            "SELECT verbatim_masked FROM complaints WHERE stage_id = ? AND verbatim_masked IS NOT NULL", [stage_id]
        )
    ]


def test_demo_themes_come_from_each_stages_own_texts_and_count_every_text(demo_copy: Store) -> None:
    report = build_themes(demo_copy, full=True)
    assert report.stages == 7 and report.stages_fitted >= 4
    stages = demo_copy.execute("SELECT id, slug FROM stages ORDER BY position")
    themed = 0
    for stage_id, slug in stages:
        texts = _stage_texts(demo_copy, stage_id)
        themes = stage_themes(demo_copy, stage_id, DEMO_MONTH, months=36)
        if not themes:
            assert len(set(texts)) < 12, slug
            continue
        themed += 1
        own = _words(texts)
        for theme in themes:
            assert theme.top_terms and set(theme.top_terms) <= own, (slug, theme.top_terms)
            assert 1 <= len(theme.examples) <= 3
            assert all(text in set(texts) for _, text in theme.examples)
        # Every text of the stage falls in one theme: the counts add up to the rows.
        counted = demo_copy.fetch_value(
            "SELECT sum(n) FROM theme_months m JOIN themes t ON t.id = m.theme_id WHERE t.stage_id = ?", [stage_id]
        )
        assert counted == len(texts), slug
    assert themed >= 4
    # Templated complaints that differ only in a date or an amount are one theme.
    pay = demo_copy.fetch_value("SELECT id FROM stages WHERE slug = 'get-started'")
    started = [t for t in stage_themes(demo_copy, pay, DEMO_MONTH) if "legally" in t.top_terms]
    assert len(started) == 1


def _complaints_csv(folder: Path, month: str, texts: list[str], issue: str = "Billing") -> Path:
    path = folder / f"complaints-{month}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Date received", "Complaint ID", "Issue", "Consumer complaint narrative"])
        for n, text in enumerate(texts):
            writer.writerow([f"{month}-{1 + n % 27:02d}", f"{month}-{n:04d}", issue, text])
    return path


def test_an_import_counts_its_new_month_in_the_stored_themes(demo_copy: Store, tmp_path: Path) -> None:
    build_themes(demo_copy, full=True)
    pay = int(demo_copy.fetch_value("SELECT id FROM stages WHERE slug = 'pay'"))
    before = {t.id: t.top_terms for t in stage_themes(demo_copy, pay, DEMO_MONTH)}
    evidence.create_category_rule(demo_copy, CategoryRuleCreate(category="Billing", stage_slug="pay"), actor="system")
    new = ["Why is there an admin charge on my bill? Nobody mentioned it."] * 9 + ["Refund still waiting weeks."] * 3
    import_file(demo_copy, kind="complaints", path=_complaints_csv(tmp_path, "2026-11", new), actor="system")
    report = build_themes(demo_copy)  # what every import runs
    assert report.stages_fitted == 0  # no stage fitted again: the stored model placed the month
    after = stage_themes(demo_copy, pay, date(2026, 11, 1))
    assert {t.id: t.top_terms for t in after} == before
    admin = next(t for t in after if "admin" in t.top_terms)
    refund = next(t for t in after if "refund" in t.top_terms)
    assert admin.series[-1] == 9 and refund.series[-1] == 3
    months = demo_copy.execute(
        "SELECT after->>'months' FROM audit_log WHERE action = 'build_themes' AND entity_id = ? "
        "ORDER BY id DESC LIMIT 1",
        [str(pay)],
    )
    # The new month and the last one counted, no other.
    assert json.loads(months[0][0]) == ["2026-10-01", "2026-11-01"]


def test_rename_pin_and_merge_are_audited_checked_and_survive_a_full_build(demo_copy: Store) -> None:
    build_themes(demo_copy, full=True)
    claim = int(demo_copy.fetch_value("SELECT id FROM stages WHERE slug = 'claim'"))
    first, second, *_ = stage_themes(demo_copy, claim, DEMO_MONTH)
    trust.set_user_role(demo_copy, email="vic@example.com", display_name="Vic", role=Role.VIEWER, actor="system")
    trust.set_user_role(demo_copy, email="fay@example.com", display_name="Fay", role=Role.FACILITATOR, actor="system")
    with pytest.raises(PermissionDeniedError):
        rename_theme(demo_copy, first.id, "Payouts", expected_version=first.version, actor="vic@example.com")
    rename_theme(demo_copy, first.id, "  Slow   payouts ", expected_version=first.version, actor="fay@example.com")
    with pytest.raises(ConflictError):
        pin_theme(demo_copy, first.id, True, expected_version=first.version, actor="fay@example.com")
    pin_theme(demo_copy, second.id, True, expected_version=second.version, actor="fay@example.com")
    themes = stage_themes(demo_copy, claim, DEMO_MONTH)
    assert themes[0].id == second.id and themes[0].pinned  # pinned first
    assert next(t for t in themes if t.id == first.id).title == "Slow payouts"
    # Merge: the first theme's texts count under the second, month by month.
    merge_themes(demo_copy, first.id, second.id, actor="fay@example.com")
    merged = stage_themes(demo_copy, claim, DEMO_MONTH)
    assert first.id not in {t.id for t in merged}
    target = next(t for t in merged if t.id == second.id)
    assert target.series == tuple(a + b for a, b in zip(first.series, second.series, strict=True))
    assert target.merged == (first.id,)
    with pytest.raises(InvalidInputError):
        merge_themes(demo_copy, second.id, second.id, actor="fay@example.com")
    actions = [
        r[0]
        for r in demo_copy.execute(
            "SELECT action FROM audit_log WHERE entity = 'theme' AND actor = 'fay@example.com' ORDER BY id"
        )
    ]
    assert actions == ["rename", "pin", "merge"]
    # A full build fits again; the name, the pin and the merge follow the themes' top terms.
    build_themes(demo_copy, full=True)
    again = stage_themes(demo_copy, claim, DEMO_MONTH)
    assert again[0].pinned and set(again[0].top_terms) & set(second.top_terms)
    assert any(len(t.merged) == 1 for t in again)
    assert all(t.id not in (first.id, second.id) for t in again)  # new rows, the old ones replaced
    named = demo_copy.execute("SELECT name FROM themes WHERE stage_id = ? AND name IS NOT NULL", [claim])
    assert named == [("Slow payouts",)]


def test_real_cfpb_narratives_make_themes_of_their_own_words(empty_store: Store) -> None:
    add_stages(empty_store)
    header, rows = csv_rows(cfpb("cfpb_narratives_sample.csv"))
    issue, text = header.index("Issue"), header.index("Consumer complaint narrative")
    for category in sorted({r[issue] for r in rows}):
        evidence.create_category_rule(
            empty_store, CategoryRuleCreate(category=category, stage_slug="get-help"), actor="system"
        )
    report = import_file(empty_store, kind="complaints", path=cfpb("cfpb_narratives_sample.csv"), actor="system")
    assert report.committed
    build_themes(empty_store, full=True)
    stage = int(empty_store.fetch_value("SELECT id FROM stages WHERE slug = 'get-help'"))
    themes = stage_themes(empty_store, stage, date(2019, 12, 1), months=24)
    narratives = [r[text] for r in rows if r[text]]
    own = _words(narratives)
    assert len(themes) >= 2
    for theme in themes:
        assert set(theme.top_terms) <= own
        assert "xxxx" not in theme.top_terms
    terms = {t for theme in themes for t in theme.top_terms}
    assert terms & {"debt", "credit", "report", "account", "loan", "payment", "payments"}
    # Every narrative is read; the few whose words the model does not know fall in no theme.
    said = sum(1 for r in rows if r[text].strip())
    assert empty_store.fetch_value("SELECT sum(texts) FROM theme_built_months WHERE stage_id = ?", [stage]) == said
    assert said * 0.8 <= sum(t.total for t in themes) <= said


def test_real_olist_comments_make_themes_in_portuguese(empty_store: Store) -> None:
    path = shared("olist_reviews_sample.csv")
    add_stages(empty_store)
    evidence.create_question(
        empty_store,
        SurveyQuestionCreate(survey="olist", text="review_score", kind=QuestionKind.CSAT, stage_slugs=["buy"]),
        actor="system",
    )
    report = import_file(empty_store, kind="surveys", path=path, source="olist", actor="system")
    assert report.comments_imported == 241
    build_themes(empty_store, full=True)
    stage = int(empty_store.fetch_value("SELECT id FROM stages WHERE slug = 'buy'"))
    themes = stage_themes(empty_store, stage, date(2018, 8, 1), months=36)
    header, rows = csv_rows(path)
    title, message = header.index("review_comment_title"), header.index("review_comment_message")
    own = _words([f"{r[title]} {r[message]}" for r in rows])
    assert len(themes) >= 3
    terms = {t for theme in themes for t in theme.top_terms}
    assert terms <= own
    assert terms & {"produto", "entrega", "prazo", "recomendo"}
    assert not terms & {"que", "para", "com", "não"}  # function words name nothing
    assert all(kind == "comment" for theme in themes for kind, _ in theme.examples)


def test_a_new_subject_in_a_new_month_becomes_a_new_theme_the_agenda_proposes(demo_copy: Store, tmp_path: Path) -> None:
    from cxroom.insights.agenda import propose_agenda
    from cxroom.queries.reviews.agenda_facts import agenda_inputs

    build_themes(demo_copy, full=True)
    pay = int(demo_copy.fetch_value("SELECT id FROM stages WHERE slug = 'pay'"))
    evidence.create_category_rule(demo_copy, CategoryRuleCreate(category="Billing", stage_slug="pay"), actor="system")
    new = [f"The mobile wallet rejects my {w} every time and the wallet app freezes." for w in ("visa", "debit")] * 15
    import_file(demo_copy, kind="complaints", path=_complaints_csv(tmp_path, "2026-11", new), actor="system")
    report = build_themes(demo_copy)
    assert report.stages_fitted == 1 and any("fitted again" in n for n in report.notes)
    themes = stage_themes(demo_copy, pay, date(2026, 11, 1))
    wallet = next(t for t in themes if "wallet" in t.top_terms)
    assert wallet.signal == "new" and wallet.series[-1] == len(new) and sum(wallet.series[:-1]) == 0
    agenda = propose_agenda(agenda_inputs(demo_copy, held_on=date(2026, 12, 10)))
    item = next(i for i in agenda if i.stage_id == pay)
    assert any(r.startswith("New theme in what customers say") and wallet.title in r for r in item.reasons)


def test_after_an_import_themes_are_counted_and_a_refusal_is_reported_not_raised(demo_copy: Store) -> None:
    from cxroom.services.themes import after_import

    assert after_import(demo_copy, kind="kpis", committed=True, actor="system") is None
    assert after_import(demo_copy, kind="complaints", committed=False, actor="system") is None
    report = after_import(demo_copy, kind="complaints", committed=True, actor="system")
    assert report is not None and report.stages_fitted >= 4
    assert demo_copy.fetch_value("SELECT count(*) FROM themes") == report.themes
    trust.set_user_role(demo_copy, email="vic@example.com", display_name="Vic", role=Role.VIEWER, actor="system")
    refused = after_import(demo_copy, kind="surveys", committed=True, actor="vic@example.com")
    assert refused is not None and refused.notes and "themes were not updated" in refused.notes[0]


def test_an_import_undone_is_uncounted_by_the_next_incremental_build(demo_copy: Store, tmp_path: Path) -> None:
    from cxroom.services.imports import undo_batch

    build_themes(demo_copy, full=True)
    pay = int(demo_copy.fetch_value("SELECT id FROM stages WHERE slug = 'pay'"))
    evidence.create_category_rule(demo_copy, CategoryRuleCreate(category="Billing", stage_slug="pay"), actor="system")
    old = ["Why is there an admin charge on my bill? Nobody mentioned it."] * 7  # into a month counted long ago
    report = import_file(demo_copy, kind="complaints", path=_complaints_csv(tmp_path, "2026-03", old), actor="system")
    build_themes(demo_copy)
    march = date(2026, 3, 1)
    admin = next(t for t in stage_themes(demo_copy, pay, DEMO_MONTH) if "admin" in t.top_terms)
    with_import = admin.series[admin.months.index(march)]
    undo_batch(demo_copy, batch_id=report.batch_id, actor="system")
    build_themes(demo_copy)
    admin = next(t for t in stage_themes(demo_copy, pay, DEMO_MONTH) if t.id == admin.id)
    assert admin.series[admin.months.index(march)] == with_import - len(old)
    expected = demo_copy.fetch_value(
        "SELECT count(*) FROM complaints WHERE stage_id = ? AND date_trunc('month', received_at) = ? "
        "AND verbatim_masked IS NOT NULL",
        [pay, march],
    )
    counted = demo_copy.fetch_value(
        "SELECT sum(n) FROM theme_months m JOIN themes t ON t.id = m.theme_id WHERE t.stage_id = ? AND m.month = ?",
        [pay, march],
    )
    assert counted == expected

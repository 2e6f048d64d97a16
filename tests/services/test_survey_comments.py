"""Survey comments: open-text answer columns imported as the response's comment,
masked at import like complaint verbatims, shown on the wall and searched on the
stage page on the masked text. Counts are compared with Python's csv module
reading the same file, never with the importer's own numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cxroom.errors import InvalidInputError
from cxroom.importers.mapping import suggest_survey_comments
from cxroom.importers.sniff import ImportFileError
from cxroom.models import QuestionKind, SurveyQuestionCreate
from cxroom.privacy import mask_personal_data
from cxroom.queries import stage as stage_queries
from cxroom.queries.wall.months import months_with_data
from cxroom.queries.wall.wall_data import load_wall
from cxroom.services import evidence
from cxroom.services.imports import import_file, preview_file, undo_batch
from cxroom.store import Store
from tests.importers.helpers import add_stages, csv_rows, shared, write

OLIST = "olist_reviews_sample.csv"


@pytest.fixture
def room_store(empty_store: Store) -> Store:
    return add_stages(empty_store)


def _link(store: Store, survey: str, text: str, slug: str = "buy", kind: QuestionKind = QuestionKind.CSAT) -> int:
    return evidence.create_question(
        store, SurveyQuestionCreate(survey=survey, text=text, kind=kind, stage_slugs=[slug]), actor="system"
    )


def _comments_by_response(store: Store) -> dict[str, tuple[str, str]]:
    rows = store.execute(
        "SELECT DISTINCT response_id, comment, comment_masked FROM survey_responses WHERE comment IS NOT NULL"
    )
    out = {str(r[0]): (r[1], r[2]) for r in rows}
    assert len(out) == len(rows), "one comment per response"
    return out


# -- the real Olist sample ------------------------------------------------------------


def test_olist_review_texts_are_imported_as_masked_comments(room_store: Store) -> None:
    path = shared(OLIST)
    header, rows = csv_rows(path)
    rid, title, message = (header.index(h) for h in ("review_id", "review_comment_title", "review_comment_message"))
    expected = {
        r[rid]: "\n".join(t for t in (r[title].strip(), r[message].strip()) if t)
        for r in rows
        if r[title].strip() or r[message].strip()
    }
    assert len(expected) == 241  # SOURCES.md: 64 titles, 235 messages, some rows with both
    _link(room_store, "olist", "review_score")
    report = import_file(room_store, kind="surveys", path=path, source="olist", actor="system")
    assert report.committed and report.rows_imported == len(rows) == 547 and report.rows_rejected == 0
    assert report.mapping["comments"] == ["review_comment_title", "review_comment_message"]
    assert report.mapping["response_id"] == "review_id"
    assert report.comments_imported == len(expected)
    assert report.to_json()["comments_imported"] == len(expected)
    assert any(f"{len(expected)} response(s) with a comment" in n for n in report.notes)
    stored = _comments_by_response(room_store)
    assert {k: v[0] for k, v in stored.items()} == expected
    # Masked at import with the room's masker, text by text.
    assert all(masked == mask_personal_data(raw) for raw, masked in stored.values())
    # The answers span 2016-2018 and every month with one opens on the wall.
    months = months_with_data(room_store)
    assert months[-1] == date(2016, 10, 1) and months[0] == date(2018, 8, 1)


def test_olist_comments_on_the_wall_and_the_stage_page_match_sql(room_store: Store) -> None:
    path = shared(OLIST)
    _link(room_store, "olist", "review_score", slug="get-help")
    import_file(room_store, kind="surveys", path=path, source="olist", actor="system")
    stage_id = int(room_store.fetch_value("SELECT id FROM stages WHERE slug = 'get-help'"))
    month = date(2018, 3, 1)
    newest = room_store.execute(
        "SELECT DISTINCT response_id, answered_at, comment_masked FROM survey_responses WHERE comment IS NOT NULL "
        "AND answered_at >= ? AND answered_at < ? ORDER BY answered_at DESC, response_id LIMIT 2",
        [month, date(2018, 4, 1)],
    )
    assert len(newest) == 2
    data = load_wall(room_store, month)
    column = data.column("get-help")
    assert column is not None
    assert [(c.answered_at, c.text) for c in column.survey_comments] == [(r[1], r[2]) for r in newest]
    assert all(not c.survey_comments for c in data.columns if c.stage.slug != "get-help")
    # The stage page: every comment of the month, then a search (Portuguese, with accents).
    everything = stage_queries.survey_comments_page(
        room_store, stage_id, stage_queries.CommentFilter(since=month, until=date(2018, 4, 1), limit=500)
    )
    in_month = room_store.fetch_value(
        "SELECT count(DISTINCT response_id) FROM survey_responses WHERE comment IS NOT NULL "
        "AND answered_at >= ? AND answered_at < ?",
        [month, date(2018, 4, 1)],
    )
    assert everything.total == len(everything.rows) == in_month > 2
    found = stage_queries.survey_comments_page(room_store, stage_id, stage_queries.CommentFilter(search="prazo"))
    expected = room_store.fetch_value(
        "SELECT count(DISTINCT response_id) FROM survey_responses WHERE comment_masked ILIKE '%prazo%'"
    )
    assert found.total == expected > 10
    assert all("prazo" in c.lower() for c in found.rows["comment"])


# -- the class of files: headers, masking, empties, long form, mappings -------------------


@pytest.mark.parametrize(
    ("headers", "skip", "expected"),
    [
        (["id", "date", "NPS", "Comment"], {"NPS", "id", "date"}, ["Comment"]),
        (["Respondent", "When", "CSAT", "Feedback", "Verbatim"], {"CSAT"}, ["Feedback", "Verbatim"]),
        (["id", "score", "Open answer", "Additional comments"], {"score"}, ["Open answer", "Additional comments"]),
        (["id", "Why did you give this score?", "NPS"], {"NPS"}, ["Why did you give this score?"]),
        # A numeric "feedback score" is a rating, not a comment; unrelated text columns are left alone.
        (["id", "Feedback score", "Customer Type", "Class", "satisfaction"], {"Feedback score"}, []),
    ],
)
def test_comment_headers_are_recognised(headers: list[str], skip: set[str], expected: list[str]) -> None:
    assert suggest_survey_comments(headers, skip) == expected


def test_comments_with_personal_data_are_masked_and_empty_cells_are_no_comment(
    room_store: Store, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "pulse.csv",
        "Response ID,Date,Score,Feedback\n"
        "A1,2024-05-02,5,Great service — mail me at ana.silva@example.com\n"
        'A2,2024-05-03,2,"Card 4111 1111 1111 1111 was charged twice,\nplease call +44 20 7946 0958"\n'
        "A3,2024-05-04,4,   \n"
        "A4,2024-05-05,3,N/A\n"
        "A5,2024-05-06,1,<img src=x onerror=alert(1)> **slow**\n",
    )
    _link(room_store, "pulse", "Score")
    report = import_file(room_store, kind="surveys", path=path, source="pulse", actor="system")
    assert report.rows_imported == 5 and report.comments_imported == 3
    stored = _comments_by_response(room_store)
    assert set(stored) == {"A1", "A2", "A5"}
    assert stored["A2"][0] == "Card 4111 1111 1111 1111 was charged twice,\nplease call +44 20 7946 0958"
    for raw, masked in stored.values():
        assert masked == mask_personal_data(raw)
    assert "ana.silva@example.com" not in stored["A1"][1] and "4111 1111 1111 1111" not in stored["A2"][1]
    assert stored["A5"][1] == "<img src=x onerror=alert(1)> **slow**"  # stored as text; shown as text
    stage_id = int(room_store.fetch_value("SELECT id FROM stages WHERE slug = 'buy'"))
    # Masked search reads the masked text: the card number and the e-mail address are not found...
    for secret in ("4111", "ana.silva", "example.com"):
        masked_hits = stage_queries.survey_comments_page(
            room_store, stage_id, stage_queries.CommentFilter(search=secret)
        )
        assert masked_hits.total == 0, secret
        # ...and a role that may see personal data finds them.
        open_hits = stage_queries.survey_comments_page(
            room_store, stage_id, stage_queries.CommentFilter(search=secret, show_personal_data=True)
        )
        assert open_hits.total == 1, secret
    # Undo takes the comments out with their answers.
    undo_batch(room_store, batch_id=int(report.batch_id or 0), actor="system")
    assert room_store.fetch_value("SELECT count(*) FROM survey_responses WHERE comment IS NOT NULL") == 0


def test_long_form_files_and_explicit_mappings_carry_comments(room_store: Store, tmp_path: Path) -> None:
    path = write(
        tmp_path / "long.csv",
        "respondent,date,question,score,remarks\n"
        "R1,2024-06-01,How easy was it?,5,Easy enough\n"
        "R1,2024-06-01,Was it quick?,4,Easy enough\n"
        "R2,2024-06-02,How easy was it?,2,\n",
    )
    report = import_file(room_store, kind="surveys", path=path, source="long", actor="system")
    assert report.mapping["layout"] == "long" and report.mapping["comments"] == ["remarks"]
    assert report.rows_imported == 3
    assert report.comments_imported == 1  # responses, not rows: R1's two answers carry one comment
    assert _comments_by_response(room_store) == {"R1": ("Easy enough", "Easy enough")}
    # A mapping file may name one comment column as a plain string.
    wide = write(tmp_path / "wide.csv", "id,date,csat,notes typed by agent\nW1,2024-06-03,4,Kept me waiting\n")
    mapping = {
        "survey": "wide",
        "response_id": "id",
        "answered_at": "date",
        "questions": {"csat": "csat"},
        "comments": "notes typed by agent",
    }
    report = import_file(room_store, kind="surveys", path=wide, mapping=mapping, source="wide", actor="system")
    assert report.comments_imported == 1
    assert _comments_by_response(room_store)["W1"] == ("Kept me waiting", "Kept me waiting")
    # A comment column the file does not have is named, and nothing is imported.
    mapping["comments"] = ["Comment"]
    with pytest.raises(ImportFileError, match="'Comment'"):
        import_file(room_store, kind="surveys", path=wide, mapping=mapping, source="wide2", actor="system")
    mapping["comments"] = [f"c{i}" for i in range(11)]
    with pytest.raises(InvalidInputError, match="comments"):
        import_file(room_store, kind="surveys", path=wide, mapping=mapping, source="wide3", actor="system")


def test_the_preview_proposes_the_comment_columns(room_store: Store) -> None:
    preview = preview_file(room_store, kind="surveys", path=shared(OLIST), source="olist")
    assert preview.suggested["comments"] == ["review_comment_title", "review_comment_message"]
    assert preview.suggested["answered_at"] == "review_answer_timestamp"
    assert list(preview.suggested["questions"]) == ["review_score"]

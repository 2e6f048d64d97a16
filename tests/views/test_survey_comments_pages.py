"""Survey comments on the pages: the stage page's survey tiles show the month's newest
comments masked and as plain text (the wall has one line per question); the stage page lists them, and a viewer's
search reads the masked text only while a facilitator may ask for personal data."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cxroom.models import QuestionKind, StageCreate, SurveyQuestionCreate
from cxroom.permissions import Role
from cxroom.services import evidence, room
from cxroom.services.imports import import_file
from cxroom.settings import Settings
from cxroom.store import Store
from cxroom.ui import identity

CARD = "4111 1111 1111 1111"
HOSTILE = "<img src=x onerror=alert(1)> **loud** [link](http://example.com)"
ANSWERS = [
    ("R1", "2026-09-20", 5, "Older comment from September"),
    ("R2", "2026-10-02", 2, f"They charged my card {CARD} twice."),
    ("R3", "2026-10-05", 4, ""),
    ("R4", "2026-10-09", 1, "Write to jörg.müller73@beispiel.de please."),
    ("R5", "2026-10-12", 3, HOSTILE),
]


@pytest.fixture
def comment_settings(tmp_path: Path) -> Settings:
    settings = Settings(db_path=tmp_path / "room.duckdb", media_dir=tmp_path / "media")
    store = Store(settings.db_path)
    room.create_stage(store, StageCreate(slug="pay", name="Pay"), actor="system")
    evidence.create_question(
        store,
        SurveyQuestionCreate(survey="pulse", text="Score", kind=QuestionKind.CSAT, stage_slugs=["pay"]),
        actor="system",
    )
    path = tmp_path / "pulse.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Response ID", "Date", "Score", "Comment"])
        writer.writerows(ANSWERS)
    report = import_file(store, kind="surveys", path=path, source="pulse", actor="system")
    assert report.rows_imported == 5 and report.comments_imported == 4
    store.close()
    return settings


def _open(app_for: Callable[..., AppTest], settings: Settings, page: str | None = None) -> AppTest:
    at = app_for(settings)
    if page:
        at.switch_page(page)
        at.query_params.update({"stage": "pay", "month": "2026-10"})
    else:
        at.query_params["month"] = "2026-10"
    at.run()
    assert not at.exception
    return at


def test_the_stage_page_shows_the_months_two_newest_comments_masked(
    app_for: Callable[..., AppTest], comment_settings: Settings
) -> None:
    wall = _open(app_for, comment_settings)
    assert not any("— pulse ·" in str(t.value) for t in wall.text)  # the wall: the score, not the comments
    at = _open(app_for, comment_settings, "views/stage.py")
    texts = [str(t.value) for t in at.text]
    comments = [t for t in texts if t.endswith(("— pulse · 12 Oct", "— pulse · 9 Oct"))]
    # Newest first: R5 (hostile, shown as plain text), then R4 (e-mail masked); nothing from September.
    assert comments == [f"“{HOSTILE}”\n— pulse · 12 Oct", "“Write to [email] please.”\n— pulse · 9 Oct"]
    assert not any("müller73" in t or CARD in t or "September" in t for t in texts)
    for md in at.markdown:
        assert "<img" not in md.value and "](http" not in md.value


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FACILITATOR])
def test_the_stage_page_lists_and_searches_comments(
    role: Role, app_for: Callable[..., AppTest], comment_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(identity, "current_user", lambda: identity.User("p@x.y", "P", role, "header"))
    at = _open(app_for, comment_settings, "views/stage.py")
    table = next(d for d in at.dataframe if "comment" in d.value.columns)
    assert list(table.value["response_id"]) == ["R5", "R4", "R2"]  # October's, newest first
    shown = "\n".join(table.value["comment"])
    assert "[card]" in shown and "[email]" in shown and CARD not in shown and "müller73" not in shown

    def search(text: str) -> str:
        at.text_input(key="sd-surveys-comments-search").set_value(text).run()
        assert not at.exception
        return next(m.value for m in at.markdown if "comments match" in m.value)

    for probe in ("4111", "müller73", "beispiel"):
        assert "**0** comments match" in search(probe), probe
    assert "**1** comments match" in search("[card]")
    assert "**0** comments match" in search("September")  # another month
    at.selectbox(key="sd-surveys-comments-period").set_value("All time").run()
    assert "**1** comments match" in next(m.value for m in at.markdown if "comments match" in m.value)
    boxes = [c for c in at.checkbox if c.key == "sd-surveys-comments-unmasked"]
    if role is Role.VIEWER:
        assert boxes == []
        return
    boxes[0].check().run()
    assert "**1** comments match" in search("müller73")
    table = next(d for d in at.dataframe if "comment" in d.value.columns)
    assert list(table.value["comment"]) == ["Write to jörg.müller73@beispiel.de please."]

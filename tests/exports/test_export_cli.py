"""`python -m cxroom export wall|review`: files that open, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation

from cxroom.cli import main
from cxroom.settings import Settings
from cxroom.store import close_all


def test_export_wall_and_review_write_files_that_open(demo_settings: Settings, tmp_path: Path) -> None:
    close_all()
    db = str(demo_settings.db_path)
    deck, pdf = tmp_path / "wall.pptx", tmp_path / "review.pdf"
    try:
        assert main(["export", "wall", "--db", db, "--month", "2026-10", "--format", "pptx", "--out", str(deck)]) == 0
        assert main(["export", "review", "1", "--db", db, "--format", "pdf", "--out", str(pdf)]) == 0
    finally:
        close_all()
    assert len(Presentation(str(deck)).slides) > 5
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_export_refuses_a_bad_month_and_a_missing_review(
    demo_settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    close_all()
    db = str(demo_settings.db_path)
    out = tmp_path / "x.pdf"
    with pytest.raises(SystemExit) as usage:
        main(["export", "wall", "--db", db, "--month", "October", "--format", "pdf", "--out", str(out)])
    assert usage.value.code == 2
    try:
        assert main(["export", "review", "999", "--db", db, "--format", "pdf", "--out", str(out)]) == 1
    finally:
        close_all()
    assert "There is no review 999." in capsys.readouterr().err
    assert not out.exists()

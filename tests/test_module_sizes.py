"""Module size limits: no module in cxroom/ over 400 lines, no view over 100.

A module past 400 lines has usually grown a second job, and a view past 100 lines is
doing a page's work instead of laying out its blocks. Pure data is the exception,
named here with the reason, so that a new exception is a visible decision.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_MODULE_LINES = 400
MAX_VIEW_LINES = 100

# Modules allowed over the limit, with why.
EXEMPT_MODULES = {
    "cxroom/demo_content.py": "pure data: the demo room's people, stages, moments, KPIs and complaint texts",
}


def line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def oversized(root: Path, pattern: str, limit: int, exempt: dict[str, str] | None = None) -> dict[str, int]:
    """Files under ``root`` matching ``pattern`` with more than ``limit`` lines, by path relative to ``root``."""
    exempt = exempt or {}
    found = {}
    for path in sorted(root.glob(pattern)):
        name = path.relative_to(root).as_posix()
        if name in exempt:
            continue
        lines = line_count(path)
        if lines > limit:
            found[name] = lines
    return found


def test_no_module_in_cxroom_is_over_400_lines() -> None:
    too_long = oversized(ROOT, "cxroom/**/*.py", MAX_MODULE_LINES, EXEMPT_MODULES)
    assert too_long == {}, f"modules over {MAX_MODULE_LINES} lines (split them): {too_long}"


def test_no_view_is_over_100_lines() -> None:
    too_long = oversized(ROOT, "views/*.py", MAX_VIEW_LINES)
    assert too_long == {}, f"views over {MAX_VIEW_LINES} lines (move blocks into cxroom/ui): {too_long}"


def test_the_pure_data_exception_is_still_a_module_of_this_project() -> None:
    # An exception for a file that was renamed or removed would silently exempt nothing
    # and hide that the list is stale.
    assert (ROOT / "cxroom/demo_content.py").is_file()


def test_the_check_finds_every_module_over_the_limit_and_only_those(tmp_path: Path) -> None:
    package = tmp_path / "cxroom" / "sub"
    package.mkdir(parents=True)
    (package / "at_limit.py").write_text("x = 1\n" * 400)
    (package / "one_over.py").write_text("x = 1\n" * 401)
    (tmp_path / "cxroom" / "big_data.py").write_text("x = 1\n" * 900)
    (tmp_path / "cxroom" / "long_text.py").write_text('"""\n' + "line\n" * 450 + '"""\n')
    found = oversized(tmp_path, "cxroom/**/*.py", 400, {"cxroom/big_data.py": "pure data"})
    assert found == {"cxroom/sub/one_over.py": 401, "cxroom/long_text.py": 452}


@pytest.mark.parametrize(("lines", "over"), [(100, False), (101, True)])
def test_the_view_limit_is_inclusive(tmp_path: Path, lines: int, over: bool) -> None:
    views = tmp_path / "views"
    views.mkdir()
    (views / "page.py").write_text("x = 1\n" * lines)
    assert bool(oversized(tmp_path, "views/*.py", 100)) is over

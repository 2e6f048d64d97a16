"""The layering of DESIGN.md §2 holds: pages -> cxroom.ui -> queries/services
-> store -> duckdb, and the core never imports Streamlit."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CORE_EXEMPT = {"ui"}  # cxroom/ui is the only part allowed to import streamlit/plotly
SQL = re.compile(
    r"\b(SELECT\s+.+\s+FROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+TABLE)\b", re.IGNORECASE | re.DOTALL
)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def test_views_and_app_hold_no_sql_and_no_duckdb() -> None:
    files = [REPO_ROOT / "app.py", *sorted((REPO_ROOT / "views").glob("*.py"))]
    assert len(files) > 1
    for path in files:
        imports = _imports(path)
        assert not any(i == "duckdb" or i.startswith("duckdb.") for i in imports), path
        assert not any(i.startswith("cxroom.store") for i in imports), f"{path} must go through cxroom.ui"
        assert not [s for s in _strings(path) if SQL.search(s)], f"SQL in {path}"


def test_the_core_does_not_import_streamlit_or_plotly() -> None:
    for path in sorted((REPO_ROOT / "cxroom").rglob("*.py")):
        if path.relative_to(REPO_ROOT / "cxroom").parts[0] in CORE_EXEMPT:
            continue
        bad = {i for i in _imports(path) if i.split(".")[0] in {"streamlit", "plotly"}}
        assert not bad, f"{path} imports {bad}"


def test_sql_lives_only_in_queries_services_store_and_migrations() -> None:
    # importers/ builds the set-wise staging SQL of an import (read_csv, typed casts, rejection reasons);
    # it runs only inside a service's transaction, through the store's execute chokepoint.
    # survey_sql.py holds the survey score expression that queries and services both compute
    # (they may not import each other), so the wall, the agenda and a review's snapshot agree.
    allowed = {"queries", "services", "migrations", "store.py", "importers", "survey_sql.py"}
    for path in sorted((REPO_ROOT / "cxroom").rglob("*.py")):
        part = path.relative_to(REPO_ROOT / "cxroom").parts[0]
        if part in allowed:
            continue
        hits = [s[:60] for s in _strings(path) if SQL.search(s)]
        assert not hits, f"SQL outside queries/services in {path}: {hits}"


def test_import_linter_contracts_hold() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint)], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "broken" in result.stdout.lower() and "0 broken" in result.stdout.lower()

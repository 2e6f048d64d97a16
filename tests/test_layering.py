"""The layering of DESIGN.md §2 holds: pages -> cxroom.ui -> queries/services
-> store -> duckdb, and the core never imports Streamlit."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
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


def _top_level_names(package: Path) -> set[str]:
    """Every module and package directly inside ``package`` (what a new one would add)."""
    modules = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    packages = {p.name for p in package.iterdir() if (p / "__init__.py").is_file()}
    return modules | packages


def _layered_names(contracts: list[dict[str, object]], root: str) -> set[str]:
    """The top-level names of ``root`` that some layers contract places in a layer."""
    placed: set[str] = set()
    for contract in contracts:
        if contract.get("type") != "layers":
            continue
        containers = contract.get("containers") or [""]
        for layer in contract["layers"]:  # type: ignore[union-attr]
            for part in re.split(r"[|:]", str(layer)):
                for container in containers:  # type: ignore[union-attr]
                    name = f"{container}.{part.strip()}" if container else part.strip()
                    if name.startswith(f"{root}."):
                        placed.add(name.split(".")[1])
    return placed


def _contract_problems(contracts: list[dict[str, object]], names: set[str], root: str = "cxroom") -> list[str]:
    problems = [f"{c['name']!r} ignores imports" for c in contracts if c.get("ignore_imports")]
    problems += [f"{root}.{n} is in no layer" for n in sorted(names - _layered_names(contracts, root))]
    return problems


def _contracts() -> list[dict[str, object]]:
    with (REPO_ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["importlinter"]["contracts"]


def test_the_contracts_place_every_module_of_cxroom_and_ignore_no_import() -> None:
    names = _top_level_names(REPO_ROOT / "cxroom")
    assert {"cli", "ui", "services", "queries", "store", "models", "migrations"} <= names
    assert _contract_problems(_contracts(), names) == []


def test_the_contract_check_finds_a_new_package_and_an_ignored_import() -> None:
    # The check above must be able to fail: a package added beside the others, a layer listed in
    # full or relative to a container, and an ignore_imports anywhere.
    layered = {"name": "layers", "type": "layers", "containers": ["cxroom"], "layers": ["cli | ui", "store"]}
    full_names = {"name": "full", "type": "layers", "layers": ["cxroom.cli", "cxroom.ui : cxroom.store"]}
    forbidden = {"name": "forbidden", "type": "forbidden", "source_modules": ["cxroom.reports"]}
    ignoring = {**full_names, "name": "ignoring", "ignore_imports": ["cxroom.cli -> cxroom.**"]}
    names = {"cli", "ui", "store"}
    assert _contract_problems([layered], names) == []
    assert _contract_problems([full_names], names) == []
    assert _contract_problems([layered], names | {"reports"}) == ["cxroom.reports is in no layer"]
    assert _contract_problems([layered, forbidden], names | {"reports"}) == ["cxroom.reports is in no layer"]
    assert _contract_problems([layered, ignoring], names) == ["'ignoring' ignores imports"]
    assert "__main__" in _top_level_names(REPO_ROOT / "cxroom")  # modules count, not only packages

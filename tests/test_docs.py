"""The README documents every setting the code reads and every CLI command."""

from __future__ import annotations

import re
from pathlib import Path

from cxroom.cli import build_parser

REPO = Path(__file__).resolve().parent.parent


def test_every_environment_setting_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    used = set()
    for path in [REPO / "app.py", *(REPO / "cxroom").rglob("*.py"), *(REPO / "views").glob("*.py")]:
        used |= set(re.findall(r"CXROOM_[A-Z_]+", path.read_text(encoding="utf-8")))
    assert used, "the code reads no CXROOM_ settings?"
    missing = sorted(name for name in used if f"`{name}`" not in readme)
    assert missing == []


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    _parser, handlers = build_parser()
    missing = sorted(
        cmd
        for cmd in handlers
        if f"python -m cxroom {cmd}" not in readme
        and not re.search(rf"python -m cxroom [a-z|-]*\b{re.escape(cmd)}\b", readme)
    )
    assert missing == []

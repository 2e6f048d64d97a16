"""Helpers for the Listening tests: the real samples, and a room with stages."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cxroom.models import KpiCreate, StageCreate
from cxroom.services import evidence, room
from cxroom.store import Store

TESTS = Path(__file__).resolve().parents[1]
FIXTURES = TESTS / "fixtures" / "real"
SHARED_REAL = TESTS.parent.parent / "shared" / "data" / "real"

CFPB_FILES = ["cfpb_boa_sample.csv", "cfpb_original_format_sample.csv", "cfpb_narratives_sample.csv"]
STAGES = ["shop", "buy", "get-started", "pay", "get-help", "claim", "renew"]
CALL_CENTRE_KPIS = {
    "Incoming Calls": "higher_better",
    "Answered Calls": "higher_better",
    "Answer Rate": "higher_better",
    "Abandoned Calls": "lower_better",
    "Answer Speed (AVG)": "lower_better",
    "Talk Duration (AVG)": "lower_better",
    "Waiting Time (AVG)": "lower_better",
    "Service Level (20 Seconds)": "higher_better",
}


def cfpb(name: str) -> Path:
    """A CFPB sample (copied into the repo: US public data)."""
    return FIXTURES / name


def shared(name: str) -> Path:
    """A non-CFPB real sample from ../shared; skips the test when it is absent."""
    path = SHARED_REAL / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def csv_rows(path: Path, delimiter: str = ",", encoding: str = "utf-8-sig") -> tuple[list[str], list[list[str]]]:
    """Header and data rows by Python's csv module: the independent reading the tests compare with."""
    with path.open(encoding=encoding, newline="") as fh:
        rows = list(csv.reader(fh, delimiter=delimiter))
    return rows[0], [r for r in rows[1:] if r]


def add_stages(store: Store) -> Store:
    """The seven insurer stages."""
    for slug in STAGES:
        room.create_stage(store, StageCreate(slug=slug, name=slug.replace("-", " ").title()), actor="system")
    return store


def add_call_centre_kpis(store: Store) -> Store:
    """The call-centre KPIs (daily, under get-help)."""
    for name, direction in CALL_CENTRE_KPIS.items():
        evidence.create_kpi(
            store, KpiCreate(stage_slug="get-help", name=name, direction=direction, frequency="daily"), actor="system"
        )
    return store


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path

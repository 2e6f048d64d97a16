"""A complaint file fed through the inbox also updates the stages' themes, after its report is
written: whoever waits for the report (the CLI beside the app) is not kept waiting for them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from cxroom.inbox.layout import InboxLayout
from cxroom.inbox.worker import InboxWorker
from cxroom.models import CategoryRuleCreate
from cxroom.queries.themes import stage_themes
from cxroom.services import evidence
from cxroom.services.themes import build_themes
from cxroom.settings import Settings
from cxroom.store import Store, close_all, open_store
from tests.inbox.helpers import drop
from tests.inbox.test_inbox_worker import run_until_idle
from tests.services.test_themes import _complaints_csv


@pytest.fixture
def demo_room(demo_settings: Settings, tmp_path: Path) -> Iterator[Settings]:
    """The session's demo room copied, with its themes built and a rule that sends 'Billing' to Pay."""
    open_store(demo_settings.db_path).checkpoint()
    room = Settings(db_path=tmp_path / "room.duckdb", media_dir=tmp_path / "media", inbox_settle_s=0.3)
    shutil.copyfile(demo_settings.db_path, room.db_path)
    store = Store(room.db_path)
    build_themes(store, full=True)
    evidence.create_category_rule(store, CategoryRuleCreate(category="Billing", stage_slug="pay"), actor="system")
    store.close()
    yield room
    close_all()


def test_an_inbox_import_counts_its_month_in_the_themes_after_its_report(demo_room: Settings, tmp_path: Path) -> None:
    texts = [f"The mobile wallet rejects my {w} card every time and the wallet app freezes." for w in ("visa", "debit")]
    source = _complaints_csv(tmp_path, "2026-11", texts * 15)
    layout = InboxLayout(demo_room.inbox_path)
    drop(layout, "complaints", source, options={"source": "Wallet feed"})
    run_until_idle(InboxWorker(lambda: demo_room, poll_s=0))

    [report_path] = [p for p in layout.done("complaints").iterdir() if p.name.endswith(".report.json")]
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["committed"] is True and report["rows_imported"] == 30
    store = open_store(demo_room.db_path)
    pay = int(store.fetch_value("SELECT id FROM stages WHERE slug = 'pay'"))
    wallet = [t for t in stage_themes(store, pay, date(2026, 11, 1)) if "wallet" in t.top_terms]
    assert wallet, "the inbox import's month was not counted in Pay's themes"
    assert wallet[0].series[-1] == 30

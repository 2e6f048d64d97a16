"""Rooms for the wall-screen browser tests: the demo room (7 stages) grown to 10 and 12 stages
with long names, off-target KPIs, broken key moments, an artifact each, a verbatim that
holds personal data and markup, three fix teams at work (one overdue, long titles) and one
win (a KPI from a year at ~84% to 99.2% against a 95% target) per added stage."""

from __future__ import annotations

import io
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
from PIL import Image
from queries.wall_rooms import HOSTILE, add_complaints

from cxroom.demo import build_demo
from cxroom.media import MediaStore
from cxroom.models import (
    CategoryRuleCreate,
    Direction,
    FixCreate,
    FixMember,
    FixStatus,
    KpiCreate,
    MomentCreate,
    Reliability,
    StageCreate,
)
from cxroom.services import evidence, evidence_files, fixes, room, trust
from cxroom.settings import Settings
from cxroom.store import Store
from tests.browser.conftest import copy_db

ACTOR = "cli"
# The start of a wall-screen measure (JavaScript): every visible character (text nodes of shown
# elements inside the viewport) counted in ``chars``, those of 20 px or more at 1080p (scaled
# with the screen's height) in ``large``.
COUNT_CHARACTERS = """
  const vw = innerWidth, vh = innerHeight;
  let chars = 0, large = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent.replace(/\\s/g, '');
    const el = walker.currentNode.parentElement;
    if (!text || el.closest('[hidden]')) continue;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height || r.bottom < 0 || r.top > vh) continue;
    chars += text.length;
    if (parseFloat(getComputedStyle(el).fontSize) >= 20 * vh / 1080) large += text.length;
  }
"""
END = date(2026, 10, 1)
PERSONAL = "Still no refund. Call me on 07700 900123 or mail jane.doe@example.com"
LONG_NAMES = [
    "Move house and take the policy along",
    "Add a young driver to the family policy",
    "Travel abroad with full cover",
    "Upgrade cover after a life event",
    "Complain and get it put right",
]


def _png(colour: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), colour).save(out, format="PNG")
    return out.getvalue()


TEAM = [("Anna-Louise Fitzgerald-Montgomery", "Claims"), ("Oliver Grant", "Digital"), ("Aisha Rahman", "Billing")]
FIX_TITLES = [
    "Tell every customer, in plain words and on the same day, what happens next with their request",
    "One owner per request from the first call to the last letter",
    "Stop asking for documents we already hold",
]


def _fix(store: Store, slug: str, title: str, kpi: str, chartered: date, due: date) -> int:
    return fixes.charter_fix(
        store,
        FixCreate(
            title=title,
            problem="Customers wait and chase us; nobody owns the request end to end.",
            stage_slug=slug,
            sponsor="Paul Hart",
            lead=TEAM[0][0],
            members=[FixMember(person=p, silo_name=s) for p, s in TEAM],
            chartered_on=chartered,
            due_on=due,
            kpi_names=[kpi],
        ),
        actor=ACTOR,
    )


def _fixes(store: Store, slug: str, name: str, n: int, kpi: str) -> None:
    """Three teams at work (the first overdue) and a win on ``kpi``, celebrated in October."""
    today = date.today()
    for k, title in enumerate(FIX_TITLES):
        _fix(
            store, slug, f"{title} ({n + 1})", kpi, date(2026, 6, 1), today + timedelta(days=-12 if k == 0 else 40 * k)
        )
    win = _fix(store, slug, f"Confirm {name.lower()} the same day", kpi, date(2026, 8, 15), date(2026, 10, 15))
    for version, status in enumerate(["diagnosing", "implementing", "results", "celebrated"], start=1):
        fixes.move_fix(
            store,
            win,
            to_status=FixStatus(status),
            note=f"Moved to {status}.",
            expected_version=version,
            actor=ACTOR,
            when=datetime(2026, 10, 20, 10, version),
            fields={"results": "Confirmed the same day for 99% of requests."} if status == "results" else None,
        )


def _grow(store: Store, media: MediaStore, extra: int) -> None:
    for n, name in enumerate(LONG_NAMES[:extra]):
        slug = f"extra-{n + 1}"
        room.create_stage(store, StageCreate(slug=slug, name=name, customer_goal="Make it easy."), actor=ACTOR)
        room.create_moment(
            store,
            MomentCreate(
                stage_slug=slug, name=f"{name}: confirmed the same day", reliability=Reliability.BROKEN, is_key=True
            ),
            actor=ACTOR,
        )
        for k, (value, target) in enumerate([(41.5, 75.0), (88.0, 85.0), (62.0, 65.0), (97.2, 95.0)]):
            kpi = evidence.create_kpi(
                store,
                KpiCreate(
                    stage_slug=slug,
                    name=f"Requests for {name.lower()} completed within five working days ({k + 1})",
                    unit="%",
                    direction=Direction.HIGHER_BETTER,
                    target=target,
                    warning=target - 5,
                ),
                actor=ACTOR,
            )
            periods, values = [date(2026, 9, 1), END], [value + 2, value]
            if k == 3:  # a year around 84% before the win's charter in August
                periods = [date(2025, 8 + m, 1) if m < 5 else date(2026, m - 4, 1) for m in range(13)] + periods
                values = [83.0 + (m % 4) for m in range(13)] + values
            frame = pd.DataFrame({"kpi_id": kpi, "period": periods, "value": values})
            with store.transaction(ACTOR) as tx:
                evidence.upsert_kpi_readings(tx, frame, None)
        _fixes(store, slug, name, n, f"Requests for {name.lower()} completed within five working days (4)")
        evidence_files.add_artifact_file(
            store,
            media,
            data=_png(["#c94", "#49c", "#9c4", "#c49", "#4c9"][n]),
            original_name=f"{slug}.png",
            stage_slug=slug,
            title=f"Letter: {name}",
            kind="letter",
            actor=ACTOR,
        )
        category = f"Extra category {n + 1}"
        evidence.create_category_rule(store, CategoryRuleCreate(category=category, stage_slug=slug), actor=ACTOR)
        add_complaints(store, [(datetime(2026, 10, 20 + n, 9), category, f"About {name.lower()}: nobody called back.")])


def build_rooms(folder: Path, sizes: tuple[int, ...] = (7, 10, 12)) -> dict[int, tuple[Settings, str]]:
    """Rooms of ``sizes`` stages (7 to 12), each with a display link: {stages: (settings, token)}."""
    base = Settings(db_path=folder / "base.duckdb", media_dir=folder / "media")
    store = Store(base.db_path)
    build_demo(store, MediaStore(base), end_month=END)
    # The newest verbatim of the Pay stage holds a phone number, an e-mail address and markup.
    add_complaints(store, [(datetime(2026, 10, 31, 23, 0), "Refund delay", f"{PERSONAL} {HOSTILE}")])
    store.close()
    rooms: dict[int, tuple[Settings, str]] = {}
    for stages in sizes:
        settings = Settings(
            db_path=copy_db(base.db_path, folder / f"room{stages}.duckdb"), media_dir=folder / f"media{stages}"
        )
        shutil.copytree(base.media_dir, settings.media_dir)
        store = Store(settings.db_path)
        _grow(store, MediaStore(settings), stages - 7)
        token = trust.create_display_token(store, label=f"Screen of {stages}", actor=ACTOR)
        store.close()
        rooms[stages] = (settings, token)
    return rooms

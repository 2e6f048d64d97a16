"""Rooms for the wall-screen browser tests: the demo room (7 stages) grown to 10 and 12 stages
with long names, off-target KPIs, broken key moments, an artifact each and a verbatim that
holds personal data and markup."""

from __future__ import annotations

import io
import shutil
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from PIL import Image
from queries.wall_rooms import HOSTILE, add_complaints

from cxroom.demo import build_demo
from cxroom.media import MediaStore
from cxroom.models import CategoryRuleCreate, Direction, KpiCreate, MomentCreate, Reliability, StageCreate
from cxroom.services import evidence, evidence_files, room, trust
from cxroom.settings import Settings
from cxroom.store import Store
from tests.browser.conftest import copy_db

ACTOR = "cli"
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
            frame = pd.DataFrame({"kpi_id": kpi, "period": [date(2026, 9, 1), END], "value": [value + 2, value]})
            with store.transaction(ACTOR) as tx:
                evidence.upsert_kpi_readings(tx, frame, None)
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


def build_rooms(folder: Path) -> dict[int, tuple[Settings, str]]:
    """Rooms of 7, 10 and 12 stages, each with a display link: {stages: (settings, token)}."""
    base = Settings(db_path=folder / "base.duckdb", media_dir=folder / "media")
    store = Store(base.db_path)
    build_demo(store, MediaStore(base), end_month=END)
    # The newest verbatim of the Pay stage holds a phone number, an e-mail address and markup.
    add_complaints(store, [(datetime(2026, 10, 31, 23, 0), "Refund delay", f"{PERSONAL} {HOSTILE}")])
    store.close()
    rooms: dict[int, tuple[Settings, str]] = {}
    for stages in (7, 10, 12):
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

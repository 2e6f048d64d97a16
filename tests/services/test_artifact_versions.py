"""Artifact versions on a private copy of the demo room: a new version names the one it
replaces and the fix that changed it; the wall, the wall screen's thumbnails, the stage
gallery and the presenter show the current version only; the CLI links versions too."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from cxroom.cli import main as cli_main
from cxroom.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from cxroom.media import MediaStore
from cxroom.queries import artifact_versions as q
from cxroom.queries.reviews import presenting
from cxroom.queries.stage import stage_evidence
from cxroom.queries.wall.wall_data import load_wall
from cxroom.services import curation
from cxroom.services.evidence_files import add_artifact_file
from cxroom.settings import Settings
from cxroom.store import Store

FACILITATOR = "leila.mansour@larkfield.example"
VIEWER = "someone@elsewhere.example"
ENVELOPE, PURCHASE = 6, 2  # demo: 'Policy pack envelope (mailed 8 days ...)' on the Buy stage
SAME_DAY_FIX = 2  # demo: 'Same-day policy documents', celebrated
MONTH = date(2026, 10, 1)


def _png(colour: tuple[int, int, int]) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (80, 50), colour).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def room(demo_settings: Settings, tmp_path: Path) -> Iterator[tuple[Store, MediaStore, Settings]]:
    shutil.copyfile(demo_settings.db_path, tmp_path / "room.duckdb")
    wal = Path(f"{demo_settings.db_path}.wal")
    if wal.exists():
        shutil.copyfile(wal, tmp_path / "room.duckdb.wal")
    shutil.copytree(demo_settings.media_dir, tmp_path / "media")
    settings = Settings(db_path=tmp_path / "room.duckdb", media_dir=tmp_path / "media")
    store = Store(settings.db_path)
    yield store, MediaStore(settings), settings
    store.close()


def _add(store: Store, media: MediaStore, colour: tuple[int, int, int], **kw: object) -> int:
    return add_artifact_file(
        store,
        media,
        data=_png(colour),
        original_name="pack.png",
        stage_slug=str(kw.pop("stage", "buy")),
        title=str(kw.pop("title", "Policy pack e-mailed the same day")),
        kind="email",
        actor=str(kw.pop("actor", FACILITATOR)),
        **kw,  # type: ignore[arg-type]
    )


def _wall_artifact_ids(store: Store, stage_id: int) -> list[int]:
    wall = load_wall(store, MONTH)
    return [a.id for a in next(c for c in wall.columns if c.stage.id == stage_id).artifacts]


def test_a_version_chain_with_its_fix_and_the_wall_shows_the_current_one(
    room: tuple[Store, MediaStore, Settings],
) -> None:
    store, media, _ = room
    assert ENVELOPE in _wall_artifact_ids(store, PURCHASE)
    v2 = _add(store, media, (10, 120, 60), replaces_id=ENVELOPE, fix_id=SAME_DAY_FIX, version_label="v2")
    v3 = _add(store, media, (200, 120, 60), title="Policy pack, plain words", replaces_id=v2, version_label="v3")
    assert q.chain(store, v3) == [ENVELOPE, v2, v3]
    # The wall (and the wall screen, which reads load_wall), the stage gallery and the presenter: v3 only.
    on_wall = _wall_artifact_ids(store, PURCHASE)
    assert v3 in on_wall and v2 not in on_wall and ENVELOPE not in on_wall
    assert on_wall.index(v3) == 2  # where the envelope hung (third on the Buy stage)
    gallery = [a.id for a in stage_evidence(store, PURCHASE).artifacts]
    assert v3 in gallery and {ENVELOPE, v2}.isdisjoint(gallery)
    shown = presenting.stage_evidence(store, PURCHASE, MONTH)
    assert (
        shown is not None
        and {a.id for a in shown.artifacts} >= {v3}
        and ENVELOPE not in {a.id for a in shown.artifacts}
    )
    # Before and after: per stage (latest first) and per fix.
    changes = q.stage_changes(store, PURCHASE)
    assert [(c.before.artifact_id, c.after.artifact_id) for c in changes] == [(v2, v3), (ENVELOPE, v2)]
    assert changes[0].after_is_current and not changes[1].after_is_current
    [by_fix] = q.fix_changes(store, SAME_DAY_FIX)
    assert (by_fix.before.artifact_id, by_fix.after.artifact_id) == (ENVELOPE, v2)
    assert by_fix.fix_title == "Same-day policy documents" and by_fix.after.version_label == "v2"
    assert by_fix.before.title.startswith("Policy pack envelope") and by_fix.before.sha256 != by_fix.after.sha256
    audit = store.execute("SELECT entity_id, after FROM audit_log WHERE action = 'link_version' ORDER BY id")
    assert [int(e) for e, _ in audit] == [v2, v3]
    assert json.loads(audit[0][1]) == {"replaces_id": ENVELOPE, "fix_id": SAME_DAY_FIX}


def test_removing_a_version_keeps_one_current(room: tuple[Store, MediaStore, Settings]) -> None:
    store, media, _ = room
    v2 = _add(store, media, (1, 2, 3), replaces_id=ENVELOPE)
    v3 = _add(store, media, (3, 2, 1), replaces_id=v2)
    curation.remove_artifact(store, v2, expected_version=1, actor=FACILITATOR)  # the middle one
    assert q.chain(store, v3) == [ENVELOPE, v3]
    on_wall = _wall_artifact_ids(store, PURCHASE)
    assert v3 in on_wall and ENVELOPE not in on_wall
    curation.remove_artifact(store, v3, expected_version=1, actor=FACILITATOR)  # the current one
    assert ENVELOPE in _wall_artifact_ids(store, PURCHASE)
    assert q.stage_changes(store, PURCHASE) == []


def test_bad_links_are_refused_and_nothing_is_added(room: tuple[Store, MediaStore, Settings]) -> None:
    store, media, settings = room
    count = store.fetch_value("SELECT count(*) FROM artifacts")
    files = sorted(p.name for p in settings.media_dir.rglob("*") if p.is_file())
    cases: list[tuple[dict[str, object], type[Exception], str]] = [
        ({"replaces_id": 999}, NotFoundError, "no artifact #999"),
        ({"replaces_id": 1}, InvalidInputError, "stage of the one it replaces"),  # artifact 1 is on Shop
        ({"replaces_id": ENVELOPE, "fix_id": 999}, NotFoundError, "no fix #999"),
        ({"fix_id": SAME_DAY_FIX}, InvalidInputError, "which artifact this new version replaces"),
        ({"replaces_id": ENVELOPE, "actor": VIEWER}, PermissionDeniedError, "may not"),
    ]
    for kw, error, message in cases:
        with pytest.raises(error, match=message):
            _add(store, media, (9, 9, 9), **kw)
    assert store.fetch_value("SELECT count(*) FROM artifacts") == count
    assert sorted(p.name for p in settings.media_dir.rglob("*") if p.is_file()) == files
    _add(store, media, (9, 9, 9), replaces_id=ENVELOPE)
    with pytest.raises(ConflictError, match="already replaced"):
        _add(store, media, (8, 8, 8), replaces_id=ENVELOPE)


def test_the_cli_adds_a_version_with_replaces_and_fix(
    room: tuple[Store, MediaStore, Settings], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store, _, settings = room
    store.close()
    image = tmp_path / "pack-v2.png"
    image.write_bytes(_png((0, 90, 200)))
    common = ["add", "artifact", str(image), "--db", str(settings.db_path), "--media", str(settings.media_dir)]
    code = cli_main([*common, "--stage", "buy", "--replaces", str(ENVELOPE), "--fix", str(SAME_DAY_FIX), "--json"])
    assert code == 0
    new_id = json.loads(capsys.readouterr().out)["artifact_id"]
    assert cli_main([*common, "--stage", "buy", "--replaces", str(ENVELOPE)]) == 1
    assert "already replaced" in capsys.readouterr().err
    again = Store(settings.db_path)
    try:
        [change] = q.fix_changes(again, SAME_DAY_FIX)
        assert (change.before.artifact_id, change.after.artifact_id) == (ENVELOPE, new_id)
    finally:
        again.close()

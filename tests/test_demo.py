"""The demo room: believable, complete, and the same every time."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cxroom.demo import build_demo
from cxroom.errors import InvalidInputError
from cxroom.media import MediaStore
from cxroom.settings import Settings
from cxroom.store import Store
from tests.conftest import DEMO_END_MONTH

# Columns stamped with the wall-clock time of the build, not part of the room's content.
_CLOCK_COLUMNS = {"created_at", "applied_at", "started_at", "finished_at", "happened_at", "updated_at"}
_SKIP_TABLES = {"audit_log", "schema_migrations"}
# Each room draws its own secret for hashing customer ids (so two rooms never share a customer's
# hash): the secret and the hashes differ between two builds of the same demo, by design.
_PER_ROOM_SECRET = {("customer_movements", "customer_key")}
_ROWS = {"meta": "WHERE key <> 'customer_id_key'"}


def room_checksums(store: Store) -> dict[str, tuple[int, str]]:
    sums = {}
    for table in store.table_names():
        if table in _SKIP_TABLES:
            continue
        columns = [
            r[0]
            for r in store.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
                [table],
            )
            if (r[0] not in _CLOCK_COLUMNS or table == "fix_updates") and (table, r[0]) not in _PER_ROOM_SECRET
        ]
        if table == "import_batches":
            columns = [c for c in columns if c not in _CLOCK_COLUMNS]
        rows = store.execute(f"SELECT {', '.join(columns)} FROM {table} {_ROWS.get(table, '')} ORDER BY ALL")
        sums[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return sums


def test_same_seed_gives_the_same_room(demo_store: Store, tmp_path: Path) -> None:
    settings = Settings(db_path=tmp_path / "again.duckdb", media_dir=tmp_path / "media")
    again = Store(settings.db_path)
    build_demo(again, MediaStore(settings), end_month=DEMO_END_MONTH)
    assert room_checksums(again) == room_checksums(demo_store)
    other = Store(tmp_path / "other.duckdb")
    build_demo(other, MediaStore(settings), seed=8, end_month=DEMO_END_MONTH)
    assert room_checksums(other)["complaints"] != room_checksums(demo_store)["complaints"]
    again.close()
    other.close()


def test_demo_refuses_a_room_that_is_not_empty(demo_store: Store, demo_settings: Settings) -> None:
    with pytest.raises(InvalidInputError):
        build_demo(demo_store, MediaStore(demo_settings))


def test_demo_room_has_the_shape_of_a_real_room(demo_store: Store) -> None:
    q = demo_store.fetch_value
    assert 6 <= q("SELECT count(*) FROM stages") <= 8
    assert 12 <= q("SELECT count(*) FROM moments") <= 20
    assert q("SELECT count(DISTINCT reliability) FROM moments") == 4
    assert q("SELECT count(*) FROM moments WHERE name ILIKE '%third contact%'") == 1
    assert q("SELECT count(*) FROM silos") >= 8
    assert q("SELECT count(*) FROM reviews") == 3
    assert q("SELECT count(*) FROM review_findings") >= 3 and q("SELECT count(*) FROM review_decisions") >= 3
    statuses = {r[0] for r in demo_store.execute("SELECT DISTINCT status FROM fixes")}
    assert statuses == {"chartered", "diagnosing", "recommending", "implementing", "results", "celebrated", "dropped"}
    # every fix is cross-functional
    assert (
        q(
            "SELECT max(n) FROM (SELECT fix_id, count(DISTINCT silo_id) n FROM fix_members GROUP BY 1 "
            "HAVING count(DISTINCT silo_id) < 2)"
        )
        is None
    )
    months = q("SELECT count(DISTINCT date_trunc('month', received_at)) FROM complaints")
    assert months == 24
    assert 10_000 <= q("SELECT count(*) FROM complaints") <= 99_999
    kinds = {r[0] for r in demo_store.execute("SELECT DISTINCT kind FROM survey_questions")}
    assert kinds == {"nps", "csat", "ces"}


def test_one_stage_is_visibly_getting_worse(demo_store: Store) -> None:
    per_stage = demo_store.fetch_df(
        """
        SELECT s.slug,
               count(*) FILTER (WHERE c.received_at >= DATE '2026-05-01') / 6.0 AS recent,
               count(*) FILTER (WHERE c.received_at < DATE '2025-05-01') / 6.0 AS early
        FROM complaints c JOIN stages s ON s.id = c.stage_id
        WHERE c.received_at >= DATE '2024-11-01'
          AND (c.received_at < DATE '2025-05-01' OR c.received_at >= DATE '2026-05-01')
        GROUP BY s.slug
        """
    ).set_index("slug")
    growth = per_stage["recent"] / per_stage["early"]
    assert growth.idxmax() == "get-help"
    assert growth["get-help"] > 1.3


def test_a_kpi_improves_after_a_celebrated_fix(demo_store: Store) -> None:
    row = demo_store.fetch_one(
        """
        SELECT k.name, fk.baseline, (SELECT value FROM kpi_readings r WHERE r.kpi_id = k.id
                                     ORDER BY period DESC LIMIT 1) AS latest, k.target
        FROM fixes f JOIN fix_kpis fk ON fk.fix_id = f.id JOIN kpis k ON k.id = fk.kpi_id
        WHERE f.status = 'celebrated' AND k.name = 'Adjuster call-back within 24h'
        """
    )
    assert row is not None
    _name, baseline, latest, _target = row
    assert baseline < 70 and latest > 84 and latest > baseline + 15


@pytest.mark.skipif(
    not (Path(__file__).resolve().parent.parent / "data/demo/manifest.json").exists(), reason="demo media not generated"
)
def test_demo_has_artifacts_and_real_calls(demo_store: Store, demo_settings: Settings) -> None:
    q = demo_store.fetch_value
    assert q("SELECT count(*) FROM artifacts") >= 20
    assert (
        q("SELECT count(*) FROM artifacts a JOIN media m ON m.sha256 = a.media_sha256 WHERE m.mime = 'application/pdf'")
        >= 2
    )
    assert q("SELECT count(*) FROM calls") >= 8
    assert q("SELECT count(*) FROM calls WHERE transcript IS NULL OR clip_end_s <= clip_start_s") == 0
    media = MediaStore(demo_settings)
    for sha, mime, duration in demo_store.execute(
        "SELECT m.sha256, m.mime, c.duration_s FROM calls c JOIN media m ON m.sha256 = c.media_sha256"
    ):
        assert mime == "audio/ogg" and duration > 10
        assert media.read(sha, mime)[:4] == b"OggS"

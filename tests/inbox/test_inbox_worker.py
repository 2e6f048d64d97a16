"""The inbox worker in this process on a real room: files dropped in each folder are imported
once, broken ones land in failed/ with their report, a .part is never read, and files left in
processing/ by a crash are finished exactly once."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from cxroom.inbox.layout import JOB_SUFFIX, KINDS, InboxLayout, stamped_name, write_json_atomically
from cxroom.inbox.worker import InboxWorker
from cxroom.services.imports import import_file
from cxroom.settings import Settings
from cxroom.store import Store, close_all, open_store, utcnow
from tests.importers.helpers import cfpb, csv_rows
from tests.inbox.helpers import drop, reports, room_with_stages

BOA = cfpb("cfpb_boa_sample.csv")


@pytest.fixture
def room(tmp_path: Path) -> Settings:
    settings = room_with_stages(tmp_path, inbox_settle_s=0.3)
    yield settings
    close_all()


def run_until_idle(worker: InboxWorker, timeout: float = 60) -> None:
    """Poll until no complete file waits and processing/ is empty (a file needs two looks, and a
    file written in place also the settle time)."""
    layout = InboxLayout(worker.settings().inbox_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        worked = worker.poll_once()
        processing = [layout.processing(k) for k in KINDS if layout.processing(k).exists()]
        busy = layout.queued() or any(any(folder.iterdir()) for folder in processing)
        if not worked and not busy:
            return
        time.sleep(0.05)
    raise AssertionError("the inbox did not empty")


def complaints(room: Settings) -> int:
    return int(open_store(room.db_path).fetch_value("SELECT count(*) FROM complaints"))


def test_a_dropped_file_is_imported_once_with_its_report_and_audit(room: Settings) -> None:
    worker = InboxWorker(lambda: room, poll_s=0)
    layout = InboxLayout(room.inbox_path)
    drop(layout, "complaints", BOA, options={"source": "CFPB Bank of America"})
    run_until_idle(worker)
    _header, rows = csv_rows(BOA)
    assert complaints(room) == len(rows)
    [report] = reports(layout, "done")
    assert report["rows_imported"] == len(rows) and report["committed"] is True
    assert report["source"] == "CFPB Bank of America" and report["file_name"] == BOA.name
    assert report["inbox"]["outcome"] == "done"
    # the file, its job (with the options it was imported with) and the report are together in done/
    names = sorted(p.name.split("_", 1)[1] for p in layout.done("complaints").iterdir())
    assert names == [BOA.name, BOA.name + JOB_SUFFIX, BOA.name + ".report.json"]
    assert list(layout.drop("complaints").iterdir()) == []
    store = open_store(room.db_path)
    assert store.fetch_value("SELECT created_by FROM import_batches") == "inbox"
    assert store.fetch_value("SELECT count(*) FROM audit_log WHERE actor = 'inbox' AND action = 'import'") == 1


def test_the_same_file_dropped_again_gives_duplicates_only(room: Settings) -> None:
    worker = InboxWorker(lambda: room, poll_s=0)
    layout = InboxLayout(room.inbox_path)
    for _ in range(2):
        drop(layout, "complaints", BOA)
        run_until_idle(worker)
    _header, rows = csv_rows(BOA)
    assert complaints(room) == len(rows)
    done = sorted(reports(layout, "done"), key=lambda r: r["batch_id"])
    assert [(r["rows_imported"], r["rows_duplicate"]) for r in done] == [(len(rows), 0), (0, len(rows))]


@pytest.mark.parametrize(
    ("kind", "content", "options", "message"),
    [
        ("kpis", "nothing,here\n1,2\n", None, "no period column"),
        ("complaints", "", None, "empty"),
        ("complaints", "id,Date received,Issue\n1,2024-01-01,A\n", {"delimiter": ";", "colour": "red"}, "colour"),
        ("complaints", "id,Date received,Issue\n1,2024-01-01,A\n", "{not json", "not valid JSON"),
        ("calls", "this is not audio", {"stage": "pay"}, "audio"),
        ("artifacts", "%PDF-1.4 not really", {"kind": "poster", "stage": "pay"}, "kind"),
    ],
    ids=["kpis-no-columns", "empty-file", "unknown-option", "sidecar-not-json", "call-not-audio", "artifact-bad-kind"],
)
def test_a_broken_file_lands_in_failed_with_its_report(
    room: Settings, tmp_path: Path, kind: str, content: str, options: object, message: str
) -> None:
    worker = InboxWorker(lambda: room, poll_s=0)
    layout = InboxLayout(room.inbox_path)
    source = tmp_path / ("broken.wav" if kind == "calls" else "broken.pdf" if kind == "artifacts" else "broken.csv")
    source.write_text(content, encoding="utf-8")
    if isinstance(options, str):
        layout.drop(kind).mkdir(parents=True, exist_ok=True)
        (layout.drop(kind) / f"{source.name}.json").write_text(options, encoding="utf-8")
        options = None
    drop(layout, kind, source, options=options)  # type: ignore[arg-type]
    run_until_idle(worker)
    [report] = reports(layout, "failed")
    assert message.lower() in report["error"].lower(), report["error"]
    assert report["inbox"]["outcome"] == "failed" and report["inbox"]["kind"] == kind
    assert any(p.name.endswith("_" + source.name) for p in layout.failed(kind).iterdir())
    store = open_store(room.db_path)
    assert store.fetch_value("SELECT count(*) FROM import_batches") == 0
    assert store.fetch_value("SELECT count(*) FROM audit_log WHERE actor = 'inbox' AND action = 'inbox_failed'") == 1
    status = json.loads(layout.status_file.read_text(encoding="utf-8"))
    assert status["last_error"]["file"] == source.name


def test_a_part_file_is_never_read_and_a_file_written_in_place_waits_to_settle(room: Settings) -> None:
    worker = InboxWorker(lambda: room, poll_s=0)
    layout = InboxLayout(room.inbox_path)
    layout.ensure()
    half = BOA.read_bytes()[: len(BOA.read_bytes()) // 2]
    part = layout.drop("complaints") / "boa.csv.part"
    part.write_bytes(half)  # half a file, as an upload in progress leaves it
    in_place = layout.drop("complaints") / "growing.csv"
    in_place.write_bytes(half)
    for _ in range(5):
        worker.poll_once()
    assert part.read_bytes() == half, "the .part file was touched"
    assert in_place.exists(), "a file still being written (modified < settle time ago) was taken"
    assert complaints(room) == 0
    # The writer finishes both: the .part is renamed, the in-place file stops changing.
    with in_place.open("ab") as fh:
        fh.write(BOA.read_bytes()[len(half) :])
    part.write_bytes(BOA.read_bytes())
    os.replace(part, layout.drop("complaints") / "boa.csv")
    os.utime(in_place, (in_place.stat().st_atime, in_place.stat().st_mtime - 5))  # quiet for longer than settle
    run_until_idle(worker)
    _header, rows = csv_rows(BOA)
    done = reports(layout, "done")
    assert sorted(r["file_name"] for r in done) == ["boa.csv", "growing.csv"]
    assert all(r["rows_read"] == len(rows) for r in done), "a file was read before it was complete"


def test_options_come_from_the_sidecar_over_the_folder_defaults(room: Settings, tmp_path: Path) -> None:
    worker = InboxWorker(lambda: room, poll_s=0)
    layout = InboxLayout(room.inbox_path)
    layout.ensure()
    (layout.drop("complaints") / "defaults.json").write_text(
        json.dumps({"source": "Folder default", "options": {"delimiter": ";"}}), encoding="utf-8"
    )
    semi = tmp_path / "semi.csv"
    semi.write_text("id;Date received;Issue\n1;2024-01-02;Late refund\n2;2024-01-03;Rude agent\n", encoding="utf-8")
    drop(layout, "complaints", semi)
    comma = tmp_path / "comma.csv"
    comma.write_text("id,Date received,Issue\n7,2024-02-02,Late refund\n", encoding="utf-8")
    drop(layout, "complaints", comma, options={"source": "Own source", "options": {"delimiter": ","}})
    run_until_idle(worker)
    got = {r["file_name"]: (r["source"], r["delimiter"], r["rows_imported"]) for r in reports(layout, "done")}
    assert got == {"semi.csv": ("Folder default", ";", 2), "comma.csv": ("Own source", ",", 1)}


def _leave_in_processing(layout: InboxLayout, kind: str, source: Path, claimed_at: object) -> str:
    """The state a crash leaves: the job written and the file moved to processing/."""
    name = stamped_name(claimed_at, source.name)  # type: ignore[arg-type]
    job = {"kind": kind, "name": source.name, "claimed_at": claimed_at.isoformat(), "job": {}}  # type: ignore[attr-defined]
    write_json_atomically(layout.processing(kind) / (name + JOB_SUFFIX), job)
    shutil.copyfile(source, layout.processing(kind) / name)
    return name


def test_a_file_left_in_processing_before_its_commit_is_imported_once(room: Settings) -> None:
    layout = InboxLayout(room.inbox_path)
    layout.ensure()
    _leave_in_processing(layout, "complaints", BOA, utcnow())
    run_until_idle(InboxWorker(lambda: room, poll_s=0))
    _header, rows = csv_rows(BOA)
    assert complaints(room) == len(rows)
    [report] = reports(layout, "done")
    assert report["rows_imported"] == len(rows)
    assert any("after a restart" in n for n in report["notes"])
    assert list(layout.processing("complaints").iterdir()) == []


def test_a_file_whose_import_committed_before_the_crash_is_not_imported_again(room: Settings) -> None:
    layout = InboxLayout(room.inbox_path)
    layout.ensure()
    store = open_store(room.db_path)
    earlier = import_file(store, kind="complaints", path=BOA, actor="inbox")  # the same file, dropped before
    claimed_at = utcnow()
    _leave_in_processing(layout, "complaints", BOA, claimed_at)
    # ... and this claim's import committed (duplicates only) just before the process died:
    committed = import_file(store, kind="complaints", path=BOA, actor="inbox")
    run_until_idle(InboxWorker(lambda: room, poll_s=0))
    assert store.fetch_value("SELECT count(*) FROM import_batches") == 2, "the file was imported a second time"
    [report] = reports(layout, "done")
    assert report["batch_id"] == committed.batch_id != earlier.batch_id
    assert any("recovered after a restart" in n for n in report["notes"])


def test_the_worker_follows_the_settings_to_another_room(room: Settings, tmp_path: Path) -> None:
    other = room_with_stages(tmp_path / "other", inbox_settle_s=0.3)
    current = {"room": room}
    worker = InboxWorker(lambda: current["room"], poll_s=0)
    current["room"] = other
    drop(InboxLayout(other.inbox_path), "complaints", BOA)
    run_until_idle(worker)
    assert complaints(other) > 0 and complaints(room) == 0
    assert Store is not None


def test_the_status_counts_values_skipped_apart_from_rows(room: Settings, tmp_path: Path) -> None:
    worker = InboxWorker(lambda: room, poll_s=0)
    layout = InboxLayout(room.inbox_path)
    survey = tmp_path / "cabin.csv"
    survey.write_text("id,Seat comfort,Food\n1,5,4\n2,x,4\n3,x,9\n", encoding="utf-8")
    mapping = {
        "survey": "cabin",
        "response_id": "id",
        "fixed_period": "2024-05",
        "questions": {"Seat comfort": "csat", "Food": "csat"},
    }
    drop(layout, "surveys", survey, options={"source": "cabin", "mapping": mapping})
    run_until_idle(worker)
    status = json.loads(layout.status_file.read_text(encoding="utf-8"))
    assert status["last_done"]["rows_imported"] == 2
    assert (status["last_done"]["rows_rejected"], status["last_done"]["values_rejected"]) == (1, 1)

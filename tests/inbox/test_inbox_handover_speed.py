"""How fast a hand-over is seen: a file its writer renamed from NAME.part is claimed at the
worker's first look, an idle worker notices a new file within a fraction of its poll interval,
and the CLI sees the report soon after it is written. A file written in place still waits."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cxroom.cli import handover as client
from cxroom.inbox.layout import InboxLayout, SettleWatch, write_json_atomically
from cxroom.inbox.state import read_status
from cxroom.inbox.worker import InboxWorker
from cxroom.settings import Settings
from cxroom.store import close_all, open_store
from tests.importers.helpers import cfpb, csv_rows
from tests.inbox.helpers import reports, room_with_stages, wait_for

BOA = cfpb("cfpb_boa_sample.csv")


@pytest.fixture
def room(tmp_path: Path) -> Iterator[Settings]:
    # A settle time far longer than any test here: nothing may be taken by waiting it out.
    settings = room_with_stages(tmp_path, inbox_settle_s=60)
    yield settings
    close_all()


def complaints(room: Settings) -> int:
    return int(open_store(room.db_path).fetch_value("SELECT count(*) FROM complaints"))


def test_the_cli_hand_over_is_claimed_at_the_first_look(room: Settings) -> None:
    worker = InboxWorker(lambda: room, poll_s=0)
    layout = InboxLayout(room.inbox_path)
    worker.poll_once()  # idle: nothing there yet
    name = client.queue_file(layout, "complaints", BOA, {"source": "CFPB"})
    assert worker.poll_once() is True, "a renamed .part waited for a second look"
    [report] = reports(layout, "done")
    assert report["inbox"]["dropped_as"] == name
    assert complaints(room) == len(csv_rows(BOA)[1])


@pytest.mark.parametrize("future_s", [0, 3600], ids=["mtime-now", "mtime-ahead-of-the-clock"])
def test_a_part_seen_being_written_then_renamed_is_claimed_at_the_next_look(room: Settings, future_s: int) -> None:
    """Even when the rename leaves no trace in the timestamps (same clock tick, or a writer whose
    clock runs ahead), the .part seen at one look and the file at the next are a rename."""
    worker = InboxWorker(lambda: room, poll_s=0)
    layout = InboxLayout(room.inbox_path)
    layout.ensure()
    part = layout.drop("complaints") / "boa.csv.part"
    shutil.copyfile(BOA, part)
    stamp = time.time_ns() + future_s * 1_000_000_000
    os.utime(part, ns=(stamp, stamp))
    assert worker.poll_once() is False  # the .part is never read
    os.replace(part, layout.drop("complaints") / "boa.csv")
    if future_s:
        st = (layout.drop("complaints") / "boa.csv").stat()
        assert st.st_ctime_ns < st.st_mtime_ns  # the timestamps alone do not tell a rename
    assert worker.poll_once() is True
    assert [r["file_name"] for r in reports(layout, "done")] == ["boa.csv"]


@pytest.mark.parametrize("how", ["written-in-place", "mtime-ahead-no-part-seen", "empty-renamed"])
def test_files_not_known_to_be_renamed_whole_are_not_taken_at_first_sight(room: Settings, how: str) -> None:
    worker = InboxWorker(lambda: room, poll_s=0)
    layout = InboxLayout(room.inbox_path)
    layout.ensure()
    target = layout.drop("complaints") / "boa.csv"
    if how == "written-in-place":
        target.write_bytes(BOA.read_bytes()[:2000])  # a writer still busy: ctime == mtime
    elif how == "mtime-ahead-no-part-seen":
        target.write_bytes(BOA.read_bytes())
        stamp = time.time_ns() + 3600 * 1_000_000_000
        os.utime(target, ns=(stamp, stamp))
    else:
        part = target.with_name("boa.csv.part")
        part.write_bytes(b"")
        old = time.time_ns() - 5_000_000_000
        os.utime(part, ns=(old, old))
        os.replace(part, target)
    assert worker.poll_once() is False
    if how == "empty-renamed":
        # renamed, but empty: taken at the second look, unchanged, as before (and it fails as empty)
        assert worker.poll_once() is True
        assert "empty" in reports(layout, "failed")[0]["error"].lower()
        return
    for _ in range(2):
        assert worker.poll_once() is False
    assert target.exists() and complaints(room) == 0


def test_settle_watch_forgets_a_rename_once_the_file_is_gone(tmp_path: Path) -> None:
    watch = SettleWatch(settle_s=60)
    part, name = tmp_path / "a.csv.part", tmp_path / "a.csv"
    watch.look(set(), {part})
    watch.look({name}, set())
    name.write_text("x,y\n1,2\n")
    stamp = time.time_ns() + 10**12
    os.utime(name, ns=(stamp, stamp))
    assert watch.ready(name) is True
    watch.look(set(), set())  # taken away
    name2 = tmp_path / "a.csv"  # the same name, now written in place
    assert watch.ready(name2) is False


def test_an_idle_worker_sees_a_new_file_long_before_its_next_full_poll(room: Settings) -> None:
    layout = InboxLayout(room.inbox_path)
    stop = threading.Event()
    worker = InboxWorker(lambda: room, poll_s=10)  # full polls ten seconds apart
    thread = threading.Thread(target=worker.run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_for(lambda: read_status(layout).get("room"), 30, "the worker's first poll")
        time.sleep(0.3)
        started = time.monotonic()
        name = client.queue_file(layout, "complaints", BOA, {"source": "CFPB"})
        found = client.wait_for_report(layout, "complaints", name, timeout=30)
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        thread.join(30)
    assert found is not None and found[0] == "done", found
    assert found[1]["rows_imported"] == len(csv_rows(BOA)[1])
    assert elapsed < 5, f"the idle worker took {elapsed:.2f} s to take and import a renamed file"


def test_the_cli_sees_the_report_soon_after_it_is_written(tmp_path: Path) -> None:
    layout = InboxLayout(tmp_path / "inbox")
    layout.ensure()
    delays = []
    for n in range(10):
        written: dict[str, float] = {}

        def write_later(n: int = n, written: dict[str, float] = written) -> None:
            time.sleep(0.3 + 0.023 * n)  # at different points of the waiter's poll
            # another file's report first: only the wanted name counts
            write_json_atomically(layout.done("complaints") / f"20261201T00000000000{n}Z_other.csv.report.json", {})
            write_json_atomically(
                layout.done("complaints") / f"20261201T00000000010{n}Z_cli-{n}-boa.csv.report.json", {"n": n}
            )
            written["at"] = time.monotonic()

        threading.Thread(target=write_later, daemon=True).start()
        found = client.wait_for_report(layout, "complaints", f"cli-{n}-boa.csv", timeout=10)
        delays.append(time.monotonic() - written["at"])
        assert found is not None and found[0] == "done" and found[1] == {"n": n}
    # a 0.2 s poll averages 0.1 s late; the short poll a few hundredths
    assert sum(delays) / len(delays) < 0.06, delays

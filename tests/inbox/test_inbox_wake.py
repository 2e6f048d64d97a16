"""FolderWake: a waiter wakes when a file is created in, renamed into or taken from a watched
folder, not while a file grows, and falls back to plain time-outs where it cannot watch."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from cxroom.inbox.wake import FolderWake


def _later(seconds: float, action: object) -> None:
    def run() -> None:
        time.sleep(seconds)
        action()  # type: ignore[operator]

    threading.Thread(target=run, daemon=True).start()


def test_a_rename_into_a_watched_folder_wakes_the_waiter_at_once(tmp_path: Path) -> None:
    drop, other = tmp_path / "drop", tmp_path / "other"
    drop.mkdir()
    other.mkdir()
    (other / "a.csv.part").write_text("x\n")
    with FolderWake([drop]) as wake:
        assert wake.active
        _later(0.2, lambda: os.replace(other / "a.csv.part", drop / "a.csv"))
        started = time.monotonic()
        assert wake.wait(10) is True
        assert time.monotonic() - started < 2  # the event, not the ten-second time-out
        assert (drop / "a.csv").exists()


def test_a_file_growing_wakes_nobody_but_its_rename_and_removal_do(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    part = drop / "b.csv.part"
    with FolderWake([drop]) as wake:
        part.write_text("header\n")
        assert wake.wait(5) is True  # created
        time.sleep(0.2)
        wake.wait(0)  # forget anything the creation still sent
        with part.open("a") as fh:
            for _ in range(20):
                fh.write("1,2,3\n" * 1000)
                fh.flush()
        assert wake.wait(0.5) is False
        os.replace(part, drop / "b.csv")
        assert wake.wait(5) is True
        (drop / "b.csv").unlink()
        assert wake.wait(5) is True


def test_a_folder_that_cannot_be_watched_falls_back_to_time_outs(tmp_path: Path) -> None:
    with FolderWake([tmp_path / "not-there"]) as wake:
        assert not wake.active
        started = time.monotonic()
        assert wake.wait(0.3) is False
        assert time.monotonic() - started >= 0.25

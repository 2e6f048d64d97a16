"""Shared browser-test helpers: a real app server on a free port, and a
headless system Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
IDLE = "[data-testid=stApp][data-test-script-state=notRunning]"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def copy_db(source: Path, target: Path) -> Path:
    """Copy a DuckDB file and its write-ahead log, if any: the app process locks its own copy."""
    shutil.copyfile(source, target)
    wal = Path(f"{source}.wal")
    if wal.exists():
        shutil.copyfile(wal, Path(f"{target}.wal"))
    return target


class AppServer:
    """`streamlit run app.py` on ``db`` (media in ``media``, by default next to it) with extra
    environment. It keeps its port across ``stop()`` and ``start()``, so a page left open
    reconnects to the same URL; ``stop()`` also releases the database for the test to read."""

    def __init__(
        self, db: Path, *, media: Path | None = None, port: int | None = None, script: str = "app.py", **env: str
    ) -> None:
        self.script = script  # "serve.py": the room's server with its inbox worker started at server start
        self.db = db
        self.media = media if media is not None else db.parent / "media"
        self.port = port if port is not None else free_port()
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> AppServer:
        """Start the app and wait until it listens on its port."""
        assert self.proc is None, "the app is already running"
        env = {**os.environ, "CXROOM_DB": str(self.db), "CXROOM_MEDIA": str(self.media), **self.env}
        command = [sys.executable, "-m", "streamlit", "run", self.script, "--server.headless", "true"]
        command += ["--server.port", str(self.port), "--browser.gatherUsageStats", "false"]
        self.proc = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + timeout
        while time.time() < deadline and self.proc.poll() is None:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        pytest.fail("streamlit did not start")

    def stop(self) -> None:
        """Terminate the app (kill it if it lingers) and wait for it to exit; safe to repeat."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


@contextmanager
def app_server(db: Path, *, media: Path | None = None, **env: str) -> Iterator[str]:
    """`streamlit run app.py` on ``db`` with extra environment; yields the base URL."""
    with AppServer(db, media=media, **env) as server:
        yield server.url


@pytest.fixture(scope="module")
def chromium_args() -> list[str]:
    """Command-line switches of the module's Chromium; a test module may override this fixture."""
    return CHROMIUM_ARGS


@pytest.fixture(scope="module")
def chromium(chromium_args: list[str]) -> Iterator[Callable[..., Any]]:
    """new_page(width, height, **options) on one headless Chromium per module; screenshots go to ARTIFACTS."""
    if not CHROMIUM.exists():
        pytest.skip("needs the system Chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=chromium_args)

        def new_page(width: int = 1920, height: int = 1080, **options: Any) -> Any:
            return browser.new_page(viewport={"width": width, "height": height}, **options)

        try:
            yield new_page
        finally:
            browser.close()

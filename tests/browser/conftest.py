"""Shared browser-test helpers: a real app server on a free port, and a
headless system Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parents[2]
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


@contextmanager
def app_server(db: Path, **env: str) -> Iterator[str]:
    """`streamlit run app.py` on ``db`` with extra environment; yields the base URL."""
    port = free_port()
    full_env = {**os.environ, "CXROOM_DB": str(db), "CXROOM_MEDIA": str(db.parent / "media"), **env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port)],
        cwd=REPO,
        env=full_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("streamlit did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Callable[..., Any]]:
    """new_page(width, height) on one headless Chromium per module."""
    if not CHROMIUM.exists():
        pytest.skip("needs the system Chromium at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)

        def new_page(width: int = 1920, height: int = 1080) -> Any:
            return browser.new_page(viewport={"width": width, "height": height})

        yield new_page
        browser.close()

"""The length of a recording as ffprobe reads it: one call, shared by the media store
(which checks an upload) and the audio conversion (which checks what it wrote)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def duration(path: Path | str) -> float | None:
    """Duration in seconds (None when ffprobe is missing or cannot tell)."""
    if shutil.which("ffprobe") is None:
        return None
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    try:
        return float(result.stdout.strip())
    except ValueError:
        return None

"""Make call recordings playable in a browser.

Telephony systems export 8 kHz mu-law (or A-law) WAV, which Chrome does not
play. On import such files are converted with ffmpeg to OGG Opus (MP3 when
ffmpeg lacks libopus); PCM WAV, OGG, MP3, FLAC and M4A are kept as they are.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cxroom import ffprobe
from cxroom.errors import MediaRejectedError

# WAVE format tags a browser plays as they are: PCM and IEEE float.
_PLAYABLE_WAV_TAGS = {1, 3}
_FFMPEG_TIMEOUT_S = 600


@dataclass(frozen=True)
class WavFormat:
    format_tag: int
    channels: int
    sample_rate: int
    bits_per_sample: int

    @property
    def name(self) -> str:
        return {1: "PCM", 3: "float", 6: "A-law", 7: "mu-law", 0xFFFE: "extensible"}.get(self.format_tag, "other")


def wav_format(data: bytes) -> WavFormat | None:
    """The 'fmt ' chunk of a RIFF/WAVE file, or None if it is not one."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    pos = 12
    while pos + 8 <= len(data):
        chunk_id, size = data[pos : pos + 4], struct.unpack_from("<I", data, pos + 4)[0]
        if chunk_id == b"fmt " and pos + 24 <= len(data):
            tag, channels, rate = struct.unpack_from("<HHI", data, pos + 8)
            bits = struct.unpack_from("<H", data, pos + 22)[0]
            if tag == 0xFFFE and size >= 40 and pos + 8 + 26 <= len(data):
                tag = struct.unpack_from("<H", data, pos + 8 + 24)[0]  # the sub-format's tag
            return WavFormat(tag, channels, rate, bits)
        pos += 8 + size + (size & 1)
    return None


def needs_conversion(data: bytes) -> bool:
    """True for WAV files a browser may not play (mu-law, A-law, ADPCM, ...)."""
    fmt = wav_format(data)
    return fmt is not None and fmt.format_tag not in _PLAYABLE_WAV_TAGS


def _ffmpeg_encoders() -> str:
    result = subprocess.run(
        ["ffmpeg", "-hide_banner", "-encoders"], capture_output=True, text=True, timeout=60, check=False
    )
    return result.stdout


def to_browser_audio(data: bytes) -> tuple[bytes, str]:
    """(converted bytes, mime): OGG Opus, or MP3 if this ffmpeg has no Opus encoder."""
    if shutil.which("ffmpeg") is None:
        raise MediaRejectedError(
            "This recording is telephony audio (e.g. 8 kHz mu-law WAV) that browsers cannot play, and ffmpeg "
            "is not installed to convert it. Install ffmpeg (apt-get install ffmpeg) or convert it to MP3/OGG."
        )
    encoders = _ffmpeg_encoders()
    if "libopus" in encoders:
        args, suffix, mime = ["-c:a", "libopus", "-b:a", "32k", "-ar", "48000"], ".ogg", "audio/ogg"
    elif "libmp3lame" in encoders:
        args, suffix, mime = ["-c:a", "libmp3lame", "-b:a", "64k"], ".mp3", "audio/mpeg"
    else:
        args, suffix, mime = ["-c:a", "libvorbis", "-q:a", "4"], ".ogg", "audio/ogg"
    with tempfile.TemporaryDirectory(prefix="cxroom-audio-") as tmp:
        src, dst = Path(tmp) / "in.wav", Path(tmp) / f"out{suffix}"
        src.write_bytes(data)
        result = subprocess.run(
            [
                "ffmpeg",
                "-hide_banner",
                "-loglevel",
                "error",
                "-nostdin",
                "-y",
                "-i",
                str(src),
                "-vn",
                "-ac",
                "1",
                *args,
                str(dst),
            ],
            capture_output=True,
            text=True,
            timeout=_FFMPEG_TIMEOUT_S,
            check=False,
        )
        if result.returncode != 0 or not dst.exists() or dst.stat().st_size == 0:
            reason = (result.stderr or "no output").strip().splitlines()[-1:] or ["unknown error"]
            raise MediaRejectedError(f"The recording could not be converted for the browser: {reason[0]}")
        return dst.read_bytes(), mime


def probe_duration(data: bytes) -> float | None:
    """Duration in seconds by ffprobe (None when ffprobe is missing or cannot tell)."""
    if shutil.which("ffprobe") is None:
        return None
    with tempfile.NamedTemporaryFile(prefix="cxroom-probe-") as fh:
        fh.write(data)
        fh.flush()
        return ffprobe.duration(fh.name)


def normalise(data: bytes) -> tuple[bytes, bool]:
    """(bytes to store, converted?): telephony WAV becomes browser-playable audio."""
    if needs_conversion(data):
        converted, _mime = to_browser_audio(data)
        return converted, True
    return data, False

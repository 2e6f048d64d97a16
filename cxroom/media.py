"""Content-addressed media store for artifacts (images, PDFs) and call audio.

Files are saved under their SHA-256, never under a name a user supplied, so a
name like ``../../etc/passwd`` is harmless and identical bytes are stored once.
The type is sniffed from the bytes: an extension or a browser's MIME type
proves nothing.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

from cxroom.errors import MediaRejectedError
from cxroom.settings import Settings

# Images larger than this many pixels are refused: a tiny PNG can decompress
# to gigabytes (a "decompression bomb").
MAX_IMAGE_PIXELS = 40_000_000

EXTENSIONS = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "audio/wav": "wav",
    "audio/flac": "flac",
    "audio/mp4": "m4a",
}


@dataclass(frozen=True)
class StoredMedia:
    sha256: str
    mime: str
    size_bytes: int
    path: Path
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None

    @property
    def family(self) -> str:
        return self.mime.split("/")[0] if not self.mime.endswith("pdf") else "pdf"


def sniff_mime(data: bytes) -> str | None:
    """The media type the bytes really are, or None if we do not accept it."""
    head = data[:16]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "audio/wav"
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "application/pdf"
    if head[:4] == b"OggS":
        return "audio/ogg"
    if head[:4] == b"fLaC":
        return "audio/flac"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and (head[1] & 0xE0) == 0xE0):
        return "audio/mpeg"
    if data[4:8] == b"ftyp" and data[8:11] in (b"M4A", b"mp4", b"iso"):
        return "audio/mp4"
    return None


def family_of(mime: str) -> str:
    if mime == "application/pdf":
        return "pdf"
    return mime.split("/")[0]


def _limit_for(settings: Settings, family: str) -> int:
    return {
        "image": settings.max_image_bytes,
        "pdf": settings.max_pdf_bytes,
        "audio": settings.max_audio_bytes,
    }[family]


def _image_size(data: bytes) -> tuple[int, int]:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as img:
            width, height = img.size
            if width * height > MAX_IMAGE_PIXELS:
                raise MediaRejectedError(
                    f"The image is {width}x{height} pixels, more than the {MAX_IMAGE_PIXELS:,} allowed "
                    "(it could be a decompression bomb). Resize it and upload again."
                )
            img.verify()
            return width, height
    except MediaRejectedError:
        raise
    except Exception as exc:  # Pillow raises many types for damaged files
        raise MediaRejectedError(f"The image cannot be read ({exc}).") from exc


def _ogg_duration(data: bytes) -> float | None:
    """Duration of an Ogg Opus/Vorbis stream from its last page's granule position."""
    last = data.rfind(b"OggS")
    if last < 0 or len(data) < last + 14:
        return None
    granule = struct.unpack_from("<q", data, last + 6)[0]
    if data.find(b"OpusHead") != -1:
        pre_skip = struct.unpack_from("<H", data, data.find(b"OpusHead") + 10)[0]
        return max(granule - pre_skip, 0) / 48_000.0
    vorbis = data.find(b"\x01vorbis")
    if vorbis != -1:
        rate = struct.unpack_from("<I", data, vorbis + 12)[0]
        return granule / rate if rate else None
    return None


def _ffprobe_duration(path: Path) -> float | None:
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


def audio_duration(data: bytes, mime: str, path: Path | None = None) -> float | None:
    if mime == "audio/ogg":
        found = _ogg_duration(data)
        if found:
            return found
    if mime == "audio/wav":
        try:
            with wave.open(io.BytesIO(data)) as wav:
                return wav.getnframes() / float(wav.getframerate())
        except (wave.Error, EOFError):
            pass  # compressed WAV (e.g. mu-law): ffprobe below knows it
    return _ffprobe_duration(path) if path is not None else None


class MediaStore:
    """Files on disk under media_dir/<first two hex>/<sha256>.<ext>."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.media_dir

    def path_for(self, sha256: str, mime: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise MediaRejectedError("That is not a media reference of this room.")
        return self.root / sha256[:2] / f"{sha256}.{EXTENSIONS[mime]}"

    def put(self, data: bytes, *, allowed: set[str], original_name: str = "") -> StoredMedia:
        """Validate and save bytes; ``allowed`` is a set of families: image, pdf, audio."""
        if not data:
            raise MediaRejectedError(f"The file {original_name!r} is empty.")
        mime = sniff_mime(data)
        if mime is None:
            raise MediaRejectedError(
                f"The file {original_name!r} is not a recognised image, PDF or audio file "
                "(its content was checked, not its name)."
            )
        family = family_of(mime)
        if family not in allowed:
            raise MediaRejectedError(
                f"The file {original_name!r} is {mime}, but only {', '.join(sorted(allowed))} is accepted here."
            )
        limit = _limit_for(self.settings, family)
        if len(data) > limit:
            raise MediaRejectedError(
                f"The file {original_name!r} is {len(data) / 1e6:.1f} MB; "
                f"the limit for {family} is {limit / 1e6:.0f} MB."
            )
        width = height = None
        if family == "image":
            width, height = _image_size(data)
        sha256 = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha256, mime)
        if not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(path.suffix + ".part")
                tmp.write_bytes(data)
                tmp.replace(path)  # atomic: a reader never sees half a file
            except OSError as exc:
                raise MediaRejectedError(f"Cannot save media in {self.root}: {exc.strerror}") from exc
        duration = audio_duration(data, mime, path) if family == "audio" else None
        return StoredMedia(sha256, mime, len(data), path, duration, width, height)

    def read(self, sha256: str, mime: str) -> bytes:
        path = self.path_for(sha256, mime)
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise MediaRejectedError(f"The media file {sha256[:12]}… is missing from {self.root}.") from exc

"""Content-addressed media store for artifacts (images, PDFs) and call audio.

Files are saved under their SHA-256, never under a name a user supplied, so a
name like ``../../etc/passwd`` is harmless and identical bytes are stored once.
The type is sniffed from the bytes: an extension or a browser's MIME type
proves nothing, and neither do magic bytes alone. Every file is then read by a
real parser for its type (Pillow decodes images, pypdf parses PDFs, ffmpeg
decodes audio from start to end), so a file that merely *starts* like a PDF or
an MP3 frame is refused.

Checking and writing are separate steps (``check`` then ``save``): services
check first, then save inside the database transaction that references the
file, so a refused or failed write leaves no file behind (see
cxroom/services/media_tx.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import struct
import subprocess
import tempfile
import wave
from dataclasses import dataclass, field
from pathlib import Path

from cxroom import ffprobe
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


# Timeout of one ffmpeg decode check (a 60 MB recording decodes in a few seconds).
_DECODE_TIMEOUT_S = 300


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


@dataclass(frozen=True)
class CheckedMedia:
    """Bytes that passed every check and are not on disk yet; ``media`` says where they will live."""

    data: bytes = field(repr=False)
    media: StoredMedia


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
            img.verify()  # checksums and chunk structure
        # verify() leaves the image unusable; decode every pixel from a fresh open, so
        # a valid header followed by junk is refused.
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            return width, height
    except MediaRejectedError:
        raise
    except Exception as exc:  # Pillow raises many types for damaged files
        raise MediaRejectedError(f"The image cannot be read ({exc}).") from exc


def _check_pdf(data: bytes) -> None:
    """Parse the PDF with pypdf: a header followed by something else (HTML, say) is refused."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    if not data.startswith(b"%PDF-"):
        raise MediaRejectedError("The PDF does not start with a PDF header.")
    end = data.rfind(b"%%EOF")
    # A PDF ends with %%EOF (incremental updates append and end with another one); pypdf
    # ignores what follows, so a valid PDF with a web page appended would otherwise pass.
    if end < 0 or data[end + 5 :].strip(b" \t\r\n\f\x00"):
        raise MediaRejectedError("The PDF has content after its end marker (%%EOF); save it again as a plain PDF.")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise MediaRejectedError("The PDF is password-protected, so the room cannot show it; save it without one.")
        pages = reader.pages
        if len(pages) == 0:
            raise MediaRejectedError("The PDF has no pages.")
        for page in pages:
            _ = page.mediabox  # every page object must resolve
    except MediaRejectedError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise MediaRejectedError(f"The PDF cannot be read ({type(exc).__name__}: {exc}).") from exc


def _ogg_pages_chain(data: bytes) -> bool:
    """Without ffmpeg: do the Ogg pages follow one another to the last byte?"""
    pos = 0
    while pos < len(data):
        if data[pos : pos + 4] != b"OggS" or pos + 27 > len(data):
            return False
        segments = data[pos + 26]
        if pos + 27 + segments > len(data):
            return False
        pos += 27 + segments + sum(data[pos + 27 : pos + 27 + segments])
    return pos == len(data)


def _wav_frames_complete(data: bytes) -> bool:
    """Without ffmpeg: does a PCM WAV hold every frame its header announces?"""
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            frames = wav.getnframes()
            return frames > 0 and len(wav.readframes(frames)) == frames * wav.getsampwidth() * wav.getnchannels()
    except (wave.Error, EOFError):
        return False


def check_audio_decodes(data: bytes, mime: str) -> None:
    """Decode the whole recording with ffmpeg; any decoding error refuses it.

    Without ffmpeg, PCM WAV and Ogg are checked by their structure in Python and
    other formats are refused: their content could not be verified.
    """
    if shutil.which("ffmpeg") is None:
        if mime == "audio/wav" and _wav_frames_complete(data):
            return
        if mime == "audio/ogg" and _ogg_pages_chain(data) and _ogg_duration(data):
            return
        raise MediaRejectedError(
            f"The recording ({mime}) cannot be verified because ffmpeg is not installed "
            "(apt-get install ffmpeg); PCM WAV and Ogg are checked without it."
        )
    with tempfile.TemporaryDirectory(prefix="cxroom-check-") as tmp:
        src = Path(tmp) / "in"
        src.write_bytes(data)
        try:
            result = subprocess.run(
                [
                    "ffmpeg",
                    "-hide_banner",
                    "-nostdin",
                    "-v",
                    "error",
                    "-xerror",
                    "-i",
                    str(src),
                    "-map",
                    "0:a:0",
                    "-f",
                    "null",
                    "-",
                ],
                capture_output=True,
                text=True,
                timeout=_DECODE_TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise MediaRejectedError("The recording took too long to decode; it was not stored.") from exc
    if result.returncode != 0:
        lines = [ln for ln in result.stderr.replace(str(src), "input").splitlines() if ln.strip()]
        reason = lines[-1] if lines else f"ffmpeg exit code {result.returncode}"
        raise MediaRejectedError(f"The recording does not decode as audio ({reason}).")


def _ogg_duration(data: bytes) -> float | None:
    """Duration of an Ogg Opus/Vorbis stream from its last page's granule position."""
    last = data.rfind(b"OggS")
    if last < 0 or len(data) < last + 14:
        return None
    granule: int = struct.unpack_from("<q", data, last + 6)[0]
    if data.find(b"OpusHead") != -1:
        pre_skip: int = struct.unpack_from("<H", data, data.find(b"OpusHead") + 10)[0]
        return max(granule - pre_skip, 0) / 48_000.0
    vorbis = data.find(b"\x01vorbis")
    if vorbis != -1:
        rate: int = struct.unpack_from("<I", data, vorbis + 12)[0]
        return granule / rate if rate else None
    return None


def audio_duration(data: bytes, mime: str, path: Path | None = None) -> float | None:
    if mime == "audio/ogg":
        found = _ogg_duration(data)
        if found:
            return found
    if mime == "audio/wav":
        try:
            with wave.open(io.BytesIO(data), "rb") as wav:
                return wav.getnframes() / float(wav.getframerate())
        except (wave.Error, EOFError):
            pass  # compressed WAV (e.g. mu-law): ffprobe below knows it
    return ffprobe.duration(path) if path is not None else None


class MediaStore:
    """Files on disk under media_dir/<first two hex>/<sha256>.<ext>."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root = settings.media_dir

    def path_for(self, sha256: str, mime: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise MediaRejectedError("That is not a media reference of this room.")
        return self.root / sha256[:2] / f"{sha256}.{EXTENSIONS[mime]}"

    def screen(self, data: bytes, *, allowed: set[str], original_name: str = "") -> str:
        """Type and size from the bytes as uploaded, at once (before any conversion); returns the MIME type."""
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
                f"the limit for {family} is {limit / 1e6:.3g} MB."
            )
        return mime

    def check(self, data: bytes, *, allowed: set[str], original_name: str = "") -> CheckedMedia:
        """Every check, and nothing written: type, size, then the file's structure by a real parser."""
        mime = self.screen(data, allowed=allowed, original_name=original_name)
        family = family_of(mime)
        width = height = None
        duration = None
        try:
            if family == "image":
                width, height = _image_size(data)
            elif family == "pdf":
                _check_pdf(data)
            else:
                check_audio_decodes(data, mime)
        except MediaRejectedError as exc:
            raise MediaRejectedError(f"The file {original_name!r} was refused: {exc}") from exc
        sha256 = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha256, mime)
        if family == "audio":
            duration = audio_duration(data, mime)
            if duration is None and shutil.which("ffprobe") is not None:
                with tempfile.TemporaryDirectory(prefix="cxroom-check-") as tmp:
                    probe = Path(tmp) / f"in.{EXTENSIONS[mime]}"
                    probe.write_bytes(data)
                    duration = ffprobe.duration(probe)
        return CheckedMedia(data, StoredMedia(sha256, mime, len(data), path, duration, width, height))

    def save(self, checked: CheckedMedia) -> bool:
        """Write checked bytes under their hash; True if this call created the file."""
        path = checked.media.path
        if path.exists():
            return False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(path.suffix + ".part")
            tmp.write_bytes(checked.data)
            tmp.replace(path)  # atomic: a reader never sees half a file
        except OSError as exc:
            raise MediaRejectedError(f"Cannot save media in {self.root}: {exc.strerror}") from exc
        return True

    def discard(self, media: StoredMedia) -> None:
        """Remove a file (callers make sure nothing references it)."""
        media.path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            media.path.parent.rmdir()  # only if empty

    def put(self, data: bytes, *, allowed: set[str], original_name: str = "") -> StoredMedia:
        """Check and save at once, for files that no database row has to reference (the demo's own)."""
        checked = self.check(data, allowed=allowed, original_name=original_name)
        self.save(checked)
        return checked.media

    def read(self, sha256: str, mime: str) -> bytes:
        path = self.path_for(sha256, mime)
        try:
            return path.read_bytes()
        except FileNotFoundError as exc:
            raise MediaRejectedError(f"The media file {sha256[:12]}… is missing from {self.root}.") from exc

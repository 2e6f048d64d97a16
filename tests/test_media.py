"""The media store: sniffed types, size limits, content addressing."""

from __future__ import annotations

import io
import math
import struct
import wave
from pathlib import Path

import pytest
from PIL import Image

from cxroom.errors import MediaRejectedError
from cxroom.media import MAX_IMAGE_PIXELS, MediaStore, sniff_mime
from cxroom.settings import Settings


def _png(width: int = 40, height: int = 20) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buf, "PNG")
    return buf.getvalue()


def _wav(seconds: float = 1.5, rate: int = 16_000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate))) for i in range(int(seconds * rate))
        )
        w.writeframes(frames)
    return buf.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def media(tmp_settings: Settings) -> MediaStore:
    return MediaStore(tmp_settings)


def test_types_are_sniffed_from_bytes_not_names() -> None:
    assert sniff_mime(_png()) == "image/png"
    assert sniff_mime(PDF) == "application/pdf"
    assert sniff_mime(_wav()) == "audio/wav"
    assert sniff_mime(b"MZ\x90\x00 this is an exe") is None


def test_wrong_magic_bytes_are_rejected_whatever_the_name(media: MediaStore) -> None:
    with pytest.raises(MediaRejectedError) as exc:
        media.put(b"<html><script>alert(1)</script></html>", allowed={"image"}, original_name="photo.png")
    assert "not a recognised image, PDF or audio file" in str(exc.value)
    with pytest.raises(MediaRejectedError) as exc:
        media.put(PDF, allowed={"audio"}, original_name="call.mp3")
    assert "application/pdf" in str(exc.value) and "only audio" in str(exc.value)
    with pytest.raises(MediaRejectedError):
        media.put(b"", allowed={"image"}, original_name="empty.png")


def test_identical_bytes_are_stored_once(media: MediaStore) -> None:
    first = media.put(_png(), allowed={"image"}, original_name="a.png")
    second = media.put(_png(), allowed={"image"}, original_name="b.png")
    assert first.sha256 == second.sha256 and first.path == second.path
    assert len([p for p in media.root.rglob("*") if p.is_file()]) == 1
    assert (first.width, first.height) == (40, 20)
    assert media.read(first.sha256, first.mime) == _png()


def test_path_traversal_names_are_harmless(media: MediaStore, tmp_path: Path) -> None:
    stored = media.put(PDF, allowed={"pdf"}, original_name="../../../../etc/passwd")
    assert stored.path.resolve().is_relative_to(media.root.resolve())
    assert stored.path.name == f"{stored.sha256}.pdf"
    assert not (tmp_path.parent / "etc").exists()
    with pytest.raises(MediaRejectedError):
        media.path_for("../../etc/passwd", "application/pdf")


def test_size_limits_per_type(tmp_settings: Settings) -> None:
    small = MediaStore(tmp_settings.model_copy(update={"max_pdf_bytes": 10}))
    with pytest.raises(MediaRejectedError) as exc:
        small.put(PDF, allowed={"pdf"}, original_name="big.pdf")
    assert "the limit for pdf" in str(exc.value)


def test_decompression_bombs_are_refused(media: MediaStore) -> None:
    side = int(math.sqrt(MAX_IMAGE_PIXELS)) + 100
    buf = io.BytesIO()
    Image.new("1", (side, side)).save(buf, "PNG")  # a few KB on disk, 40+ Mpx in memory
    assert len(buf.getvalue()) < 1_000_000
    with pytest.raises(MediaRejectedError) as exc:
        media.put(buf.getvalue(), allowed={"image"}, original_name="bomb.png")
    assert "decompression bomb" in str(exc.value)


def test_audio_duration_is_read(media: MediaStore) -> None:
    stored = media.put(_wav(1.5), allowed={"audio"}, original_name="call.wav")
    assert stored.mime == "audio/wav"
    assert stored.duration_s == pytest.approx(1.5, abs=0.01)

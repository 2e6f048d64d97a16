"""The media store: sniffed types, size limits, content addressing."""

from __future__ import annotations

import io
import math
import os
import shutil
import struct
import subprocess
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


def _pdf() -> bytes:
    """A real one-page PDF (Pillow writes PDFs)."""
    buf = io.BytesIO()
    Image.new("RGB", (120, 80), (200, 40, 40)).save(buf, "PDF")
    return buf.getvalue()


PDF = _pdf()


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
    small = MediaStore(tmp_settings.model_copy(update={"max_pdf_bytes": 1000}))
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


# -- structure, not magic bytes: every refused file leaves the media folder as it was ----------


def _files(media: MediaStore) -> list[Path]:
    return sorted(p for p in media.root.rglob("*") if p.is_file()) if media.root.exists() else []


def _ffmpeg_audio(tmp_path: Path, name: str, *args: str, seconds: float = 2.0) -> bytes:
    """Real audio encoded by ffmpeg (a sine tone), as the tests of imports make it."""
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    out = tmp_path / name
    subprocess.run(
        [
            "ffmpeg",
            "-hide_banner",
            "-loglevel",
            "error",
            "-nostdin",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
            *args,
            str(out),
        ],
        check=True,
        timeout=60,
    )
    return out.read_bytes()


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 60)).save(buf, "JPEG")
    return buf.getvalue()


HTML = b"<html><body><script>alert(document.cookie)</script><a href='http://evil.example/'>x</a></body></html>\n"


def _refused_files(tmp_path: Path) -> dict[str, tuple[bytes, set[str]]]:
    """Files whose first bytes claim a type their structure is not."""
    random = os.urandom(40_000)
    mp3 = _ffmpeg_audio(tmp_path, "tone.mp3", "-c:a", "libmp3lame", "-b:a", "64k")
    ogg = _ffmpeg_audio(tmp_path, "tone.ogg", "-c:a", "libvorbis")
    return {
        "pdf header then HTML": (b"%PDF-1.4\n" + HTML * 20, {"pdf"}),
        "pdf header, HTML, an end marker": (b"%PDF-1.4\n" + HTML + b"%%EOF\n", {"pdf"}),
        "valid PDF with a web page appended": (PDF + HTML * 20, {"pdf"}),
        "pdf header then random bytes": (b"%PDF-1.7\n" + random, {"pdf"}),
        "MP3 frame header then random bytes": (b"\xff\xfb\x90\x64" + random, {"audio"}),
        "ID3 tag then random bytes": (b"ID3\x03\x00\x00\x00\x00\x00\x00" + random, {"audio"}),
        "real MP3 frames then HTML": (mp3[:3000] + HTML * 50, {"audio"}),
        "Ogg capture pattern then random bytes": (b"OggS" + random, {"audio"}),
        "real Ogg with a flipped byte inside": (ogg[:3000] + bytes([ogg[3000] ^ 0xFF]) + ogg[3001:], {"audio"}),
        "WAV header then random bytes": (b"RIFF\x00\x00\x01\x00WAVE" + random, {"audio"}),
        "FLAC marker then random bytes": (b"fLaC" + random, {"audio"}),
        "PNG signature then random bytes": (b"\x89PNG\r\n\x1a\n" + random, {"image"}),
        "PNG cut in half": (_png(400, 300)[: len(_png(400, 300)) // 2], {"image"}),
        "JPEG marker then HTML": (b"\xff\xd8\xff\xe0" + HTML * 30, {"image"}),
        "GIF signature then HTML": (b"GIF89a" + HTML * 30, {"image"}),
        "HTML named .png": (HTML, {"image"}),
    }


def test_files_that_only_start_like_their_type_are_refused_and_nothing_is_written(
    media: MediaStore, tmp_path: Path
) -> None:
    media.put(_png(), allowed={"image"}, original_name="already-there.png")
    before = _files(media)
    refused = _refused_files(tmp_path)
    for label, (data, allowed) in refused.items():
        with pytest.raises(MediaRejectedError) as exc:
            media.put(data, allowed=allowed, original_name=f"{label}.bin")
        assert f"{label}.bin" in str(exc.value), label
        assert _files(media) == before, f"{label}: a refused file reached the media folder"
    assert len(refused) == 16


def test_real_files_of_every_accepted_type_are_stored(media: MediaStore, tmp_path: Path) -> None:
    wav = _wav(1.5)
    samples = {
        "a.png": (_png(), "image/png"),
        "a.jpg": (_jpeg(), "image/jpeg"),
        "a.pdf": (PDF, "application/pdf"),
        "a.wav": (wav, "audio/wav"),
        "a.mp3": (_ffmpeg_audio(tmp_path, "a.mp3", "-c:a", "libmp3lame"), "audio/mpeg"),
        "a.ogg": (_ffmpeg_audio(tmp_path, "a.ogg", "-c:a", "libvorbis"), "audio/ogg"),
        "a.flac": (_ffmpeg_audio(tmp_path, "a.flac", "-c:a", "flac"), "audio/flac"),
        "a.m4a": (_ffmpeg_audio(tmp_path, "a.m4a", "-c:a", "aac"), "audio/mp4"),
    }
    demo_pdf = Path(__file__).resolve().parents[1] / "data" / "demo" / "artifacts" / "renew-renewal-notice.pdf"
    samples["renewal.pdf"] = (demo_pdf.read_bytes(), "application/pdf")
    for name, (data, mime) in samples.items():
        stored = media.put(data, allowed={"image", "pdf", "audio"}, original_name=name)
        assert stored.mime == mime, name
        assert stored.path.read_bytes() == data, name
        if mime.startswith("audio/"):
            assert stored.duration_s == pytest.approx(1.5 if name == "a.wav" else 2.0, abs=0.1), name
    assert len(_files(media)) == len(samples)


def test_check_writes_nothing_and_save_writes_once(media: MediaStore) -> None:
    checked = media.check(_png(), allowed={"image"}, original_name="a.png")
    assert _files(media) == []
    assert media.save(checked) is True
    assert media.save(checked) is False  # identical bytes: already there
    assert _files(media) == [checked.media.path]


def test_size_is_refused_from_the_uploaded_bytes_before_any_decoding(tmp_settings: Settings) -> None:
    small = MediaStore(tmp_settings.model_copy(update={"max_audio_bytes": 100_000}))
    junk_but_large = b"RIFF\x00\x00\x00\x00WAVE" + b"\x00" * 200_000  # would fail decoding, but size comes first
    with pytest.raises(MediaRejectedError) as exc:
        small.screen(junk_but_large, allowed={"audio"}, original_name="long.wav")
    assert "the limit for audio is 0.1 MB" in str(exc.value) and "0.2 MB" in str(exc.value)
    assert _files(small) == []

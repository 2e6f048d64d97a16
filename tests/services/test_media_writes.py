"""Refused means nothing written: every upload path (fix attachments, artifacts,
call recordings) checks permission and the file's structure before a byte
reaches the media store, and a write that fails after the file was saved
removes it again unless other rows reference the same content.

Runs on a private copy of the demo room, its media folder included, and counts
the files in that folder before and after every refusal."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from cxroom.errors import (
    CxroomError,
    InvalidInputError,
    MediaRejectedError,
    NotFoundError,
    PermissionDeniedError,
    StoreError,
)
from cxroom.media import MediaStore
from cxroom.permissions import Action
from cxroom.services import fix_attachments
from cxroom.services.evidence import register_media
from cxroom.services.evidence_files import add_artifact_file, add_call_recording
from cxroom.services.media_tx import media_transaction
from cxroom.settings import Settings
from cxroom.store import Store

FACILITATOR = "leila.mansour@larkfield.example"
STRANGER = "someone@elsewhere.example"  # not a user of the room: a viewer
HTML = b"<html><body><script>alert(1)</script><img src='http://evil.example/x.png'></body></html>\n"


def _png(colour: tuple[int, int, int], size: tuple[int, int] = (60, 40)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


def _pdf() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (90, 60), (5, 90, 200)).save(buf, "PDF")
    return buf.getvalue()


def _ffmpeg(tmp_path: Path, name: str, *args: str) -> bytes:
    if shutil.which("ffmpeg") is None:
        pytest.skip("ffmpeg is not installed")
    out = tmp_path / name
    subprocess.run(["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args, str(out)], check=True)
    return out.read_bytes()


def _mp3(tmp_path: Path) -> bytes:
    return _ffmpeg(tmp_path, "call.mp3", "-f", "lavfi", "-i", "sine=frequency=330:duration=3", "-c:a", "libmp3lame")


@pytest.fixture
def room(demo_settings: Settings, tmp_path: Path) -> Iterator[tuple[Store, MediaStore, Settings]]:
    """A copy of the demo room with its media folder (the demo's files are referenced by rows)."""
    folder = tmp_path / "room"
    folder.mkdir()
    shutil.copyfile(demo_settings.db_path, folder / "room.duckdb")
    wal = Path(f"{demo_settings.db_path}.wal")
    if wal.exists():
        shutil.copyfile(wal, folder / "room.duckdb.wal")
    shutil.copytree(demo_settings.media_dir, folder / "media")
    settings = Settings(db_path=folder / "room.duckdb", media_dir=folder / "media")
    store = Store(settings.db_path)
    yield store, MediaStore(settings), settings
    store.close()


def files(media: MediaStore) -> list[Path]:
    return sorted(p for p in media.root.rglob("*") if p.is_file())


def _viewer(store: Store) -> str:
    return str(store.fetch_value("SELECT email FROM users WHERE role = 'viewer' ORDER BY email LIMIT 1"))


def _refusals(store: Store) -> int:
    return int(store.fetch_value("SELECT count(*) FROM audit_log WHERE action = 'refused'"))


def test_refused_fix_attachments_write_no_file(room: tuple[Store, MediaStore, Settings]) -> None:
    store, media, settings = room
    fix_id = int(store.fetch_value("SELECT min(id) FROM fixes"))
    before = files(media)
    assert len(before) > 20  # the demo's artifacts and calls

    for actor in (_viewer(store), STRANGER):
        refusals = _refusals(store)
        with pytest.raises(PermissionDeniedError):
            fix_attachments.attach_upload(
                store, media, fix_id, data=_png((1, 2, 3)), original_name="map.png", title="Map", actor=actor
            )
        assert files(media) == before, f"{actor}: a refused attachment left a file"
        assert _refusals(store) == refusals + 1  # refused once, and audit-logged once

    small = MediaStore(settings.model_copy(update={"max_image_bytes": 2_000}))
    refused = {
        "deck.pdf": (b"%PDF-1.4\n" + HTML * 10, media),
        "page.png": (HTML, media),
        "appended.pdf": (_pdf() + HTML, media),
        "big.png": (_png((9, 9, 9), (300, 300)) + b"\x00" * 4_000, small),
    }
    for name, (data, target) in refused.items():
        with pytest.raises(MediaRejectedError, match=name.replace(".", r"\.")):
            fix_attachments.attach_upload(
                store, target, fix_id, data=data, original_name=name, title="", actor=FACILITATOR
            )
        assert files(media) == before, f"{name}: a refused attachment left a file"
    attachments = int(store.fetch_value("SELECT count(*) FROM fix_attachments"))

    deck = _pdf()  # once: Pillow stamps the PDF with the time of day, to the second
    new_id = fix_attachments.attach_upload(
        store, media, fix_id, data=deck, original_name="deck.pdf", title="Team deck", actor=FACILITATOR
    )
    assert len(files(media)) == len(before) + 1
    assert int(store.fetch_value("SELECT count(*) FROM fix_attachments")) == attachments + 1
    sha = store.fetch_value("SELECT media_sha256 FROM fix_attachments WHERE id = ?", [new_id])
    assert media.path_for(sha, "application/pdf").read_bytes() == deck


def test_refused_artifacts_write_no_file(room: tuple[Store, MediaStore, Settings]) -> None:
    store, media, _ = room
    before = files(media)
    cases: list[tuple[str, bytes, str, dict[str, str], type[CxroomError]]] = [
        ("viewer", _png((40, 50, 60)), _viewer(store), {}, PermissionDeniedError),
        ("stranger", _pdf(), STRANGER, {}, PermissionDeniedError),
        ("polyglot", b"%PDF-1.4\n" + HTML, FACILITATOR, {}, MediaRejectedError),
        ("png-junk", b"\x89PNG\r\n\x1a\n" + os.urandom(5_000), FACILITATOR, {}, MediaRejectedError),
        ("audio", _wav_bytes(), FACILITATOR, {}, MediaRejectedError),
        ("no-such-stage", _png((41, 51, 61)), FACILITATOR, {"stage_slug": "nowhere"}, NotFoundError),
        ("bad-kind", _png((42, 52, 62)), FACILITATOR, {"kind": "<script>"}, InvalidInputError),
    ]
    for label, data, actor, override, error in cases:
        kwargs = {"stage_slug": "claim", "title": label, "kind": "letter", **override}
        with pytest.raises(error):
            add_artifact_file(store, media, data=data, original_name=f"{label}.bin", actor=actor, **kwargs)
        assert files(media) == before, f"{label}: a refused artifact left a file"

    new_id = add_artifact_file(
        store, media, data=_png((43, 53, 63)), original_name="ok.png", stage_slug="claim", title="ok", actor=FACILITATOR
    )
    assert len(files(media)) == len(before) + 1
    assert store.fetch_value("SELECT title FROM artifacts WHERE id = ?", [new_id]) == "ok"


def _wav_bytes() -> bytes:
    import wave

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x10\x00" * 8000)
    return buf.getvalue()


def test_refused_calls_write_no_file(room: tuple[Store, MediaStore, Settings], tmp_path: Path) -> None:
    store, media, _ = room
    mp3 = _mp3(tmp_path)
    before = files(media)
    cases: list[tuple[str, bytes, str, dict[str, object], type[CxroomError]]] = [
        ("viewer", mp3, _viewer(store), {}, PermissionDeniedError),
        ("stranger", mp3, STRANGER, {}, PermissionDeniedError),
        ("junk-mp3", b"\xff\xfb\x90\x64" + os.urandom(20_000), FACILITATOR, {}, MediaRejectedError),
        ("mp3-then-html", mp3[:2_000] + HTML * 40, FACILITATOR, {}, MediaRejectedError),
        ("pdf", _pdf(), FACILITATOR, {}, MediaRejectedError),
        ("no-such-stage", mp3, FACILITATOR, {"stage_slug": "nowhere"}, NotFoundError),
        ("clip-outside", mp3, FACILITATOR, {"clip_start_s": 5, "clip_end_s": 2}, InvalidInputError),
    ]
    for label, data, actor, override, error in cases:
        kwargs: dict[str, object] = {"stage_slug": "get-help", "title": label, **override}
        with pytest.raises(error):
            add_call_recording(
                store,
                media,
                data=data,
                original_name=f"{label}.mp3",
                recorded_at=datetime(2026, 5, 1),
                actor=actor,
                **kwargs,  # type: ignore[arg-type]
            )
        assert files(media) == before, f"{label}: a refused call left a file"

    call_id = add_call_recording(
        store,
        media,
        data=mp3,
        original_name="ok.mp3",
        stage_slug="get-help",
        title="ok",
        recorded_at=datetime(2026, 5, 1),
        actor=FACILITATOR,
    )
    assert len(files(media)) == len(before) + 1
    assert store.fetch_value("SELECT duration_s FROM calls WHERE id = ?", [call_id]) == pytest.approx(3, abs=0.1)


def test_an_oversized_telephony_wav_is_refused_at_once_not_after_converting(
    room: tuple[Store, MediaStore, Settings], tmp_path: Path
) -> None:
    store, media, _ = room
    # three hours of 8 kHz mu-law: 86 MB, over the 63 MB audio limit, and a minute of ffmpeg to convert
    big = _ffmpeg(
        tmp_path, "long.wav", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "10800", "-c:a", "pcm_mulaw"
    )
    assert len(big) > 86_000_000
    before = files(media)
    started = time.perf_counter()
    with pytest.raises(MediaRejectedError, match=r"86\.4 MB; the limit for audio is 62\.9 MB"):
        add_call_recording(
            store,
            media,
            data=big,
            original_name="long.wav",
            stage_slug="get-help",
            title="Long",
            recorded_at=datetime(2026, 5, 1),
            actor=FACILITATOR,
        )
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, f"refusing by size took {elapsed:.1f} s"
    assert files(media) == before


def test_a_write_that_fails_after_saving_removes_only_the_file_it_created(
    room: tuple[Store, MediaStore, Settings],
) -> None:
    store, media, _ = room
    existing_sha = str(store.fetch_value("SELECT media_sha256 FROM artifacts ORDER BY id LIMIT 1"))
    existing = store.fetch_dicts("SELECT * FROM media WHERE sha256 = ?", [existing_sha])[0]
    existing_path = media.path_for(existing_sha, existing["mime"])

    def failing_write(data: bytes) -> None:
        checked = media.check(data, allowed={"image", "pdf"}, original_name="x")
        with (
            pytest.raises(StoreError, match="rule of the database"),
            media_transaction(store, media, FACILITATOR, Action.EVIDENCE_EDIT) as unit,
        ):
            register_media(unit.tx, unit.save(checked), "x")
            # a later statement breaks a constraint: the whole write rolls back
            unit.tx.execute("INSERT INTO media (sha256, mime, size_bytes) VALUES (?, 'image/png', 1)", [existing_sha])

    before = files(media)
    failing_write(_png((200, 1, 1)))  # new content: its file goes again
    assert files(media) == before
    assert not store.fetch_value("SELECT count(*) FROM media WHERE mime = 'image/png' AND original_name = 'x'")

    failing_write(existing_path.read_bytes())  # content a committed artifact references: the file stays
    assert files(media) == before and existing_path.exists()

    orphan = media.check(_png((3, 200, 3)), allowed={"image"}, original_name="orphan.png")
    media.save(orphan)  # on disk before the write, referenced by nothing: not this write's to remove
    failing_write(_png((3, 200, 3)))
    assert orphan.media.path.exists()

    referenced_bytes = existing_path.read_bytes()
    existing_path.unlink()  # a referenced file gone missing: the failed write restored it, and it stays
    failing_write(referenced_bytes)
    assert existing_path.read_bytes() == referenced_bytes

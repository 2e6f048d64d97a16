"""The demo's recorded calls and artifacts, read from the media manifest shipped in data/demo."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from cxroom.demo.calendar import DEMO_ACTOR
from cxroom.media import MediaStore, StoredMedia
from cxroom.models import ArtifactCreate, ArtifactKind, CallCreate, TranscriptSegment
from cxroom.services import evidence
from cxroom.store import Store

# cxroom/demo/ -> cxroom/ -> the project root, which holds data/demo.
DEMO_MEDIA_DIR = Path(__file__).resolve().parent.parent.parent / "data" / "demo"


def add_media(store: Store, media: MediaStore) -> tuple[int, int]:
    manifest_path = DEMO_MEDIA_DIR / "manifest.json"
    if not manifest_path.exists():
        return 0, 0
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    artifacts = calls = 0
    for item in manifest.get("artifacts", []):
        stored = _put(media, item, {"image", "pdf"})
        evidence.add_artifact(
            store,
            ArtifactCreate(
                **_placed(item),
                kind=ArtifactKind(item["kind"]),
                media_sha256=stored.sha256,
                caption=item.get("caption", ""),
                asks_of_customer=item.get("asks_of_customer", ""),
                version_label=item.get("version_label", ""),
                issued_on=item.get("issued_on"),
            ),
            stored,
            actor=DEMO_ACTOR,
        )
        artifacts += 1
    for item in manifest.get("calls", []):
        stored = _put(media, item, {"audio"})
        evidence.add_call(
            store,
            CallCreate(
                **_placed(item),
                media_sha256=stored.sha256,
                duration_s=float(stored.duration_s or item["duration_s"]),
                clip_start_s=int(item["clip_start_s"]),
                clip_end_s=int(item["clip_end_s"]),
                transcript=[TranscriptSegment(**seg) for seg in item.get("transcript", [])],
                recorded_at=datetime.fromisoformat(item["recorded_at"]),
                channel=item.get("channel", "phone"),
                consent=bool(item.get("consent", True)),
                tags=item.get("tags", []),
            ),
            stored,
            actor=DEMO_ACTOR,
        )
        calls += 1
    return artifacts, calls


def _put(media: MediaStore, item: dict[str, Any], allowed: set[str]) -> StoredMedia:
    path = DEMO_MEDIA_DIR / item["file"]
    return media.put(path.read_bytes(), allowed=allowed, original_name=path.name)


def _placed(item: dict[str, Any]) -> dict[str, Any]:
    """Where a manifest's call or artifact hangs, and its title."""
    return {"stage_slug": item["stage"], "moment_name": item.get("moment"), "title": item["title"]}

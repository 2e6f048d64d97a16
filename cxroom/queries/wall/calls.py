"""Customer calls on the wall: each recording hung on a stage, its highlighted clip
and its transcript (masked segments)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cxroom.privacy import mask_personal_data

TRANSCRIPT_EXCERPT_CHARS = 320

WALL_CALLS = """
SELECT c.id, c.stage_id, c.title, c.media_sha256 AS sha256, md.mime, c.duration_s, c.clip_start_s,
       c.clip_end_s, c.transcript, c.recorded_at, c.channel, m.name AS moment_name
FROM calls c
JOIN stages s ON s.id = c.stage_id AND NOT s.archived
JOIN media md ON md.sha256 = c.media_sha256
LEFT JOIN moments m ON m.id = c.moment_id
WHERE c.on_wall
ORDER BY s.position, c.recorded_at DESC, c.id
"""


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    speaker: str
    text: str  # masked


@dataclass(frozen=True)
class CallView:
    id: int
    stage_id: int
    title: str
    sha256: str
    mime: str
    duration_s: float
    clip_start_s: int
    clip_end_s: int | None
    recorded_at: datetime
    channel: str
    moment_name: str | None
    transcript: tuple[Segment, ...]

    @property
    def clip_end(self) -> int:
        return self.clip_end_s if self.clip_end_s is not None else int(self.duration_s)

    def clip_segments(self) -> list[Segment]:
        """Transcript segments that overlap the highlighted clip."""
        return [s for s in self.transcript if s.end > self.clip_start_s and s.start < self.clip_end]

    def excerpt(self, limit: int = TRANSCRIPT_EXCERPT_CHARS) -> str:
        """The clip's words as 'Speaker: text' lines, cut at ``limit`` characters."""
        lines = [f"{s.speaker}: {s.text}" for s in self.clip_segments()] or [
            f"{s.speaker}: {s.text}" for s in self.transcript[:3]
        ]
        text = "\n".join(lines)
        if len(text) <= limit:
            return text
        cut = text[:limit].rsplit(" ", 1)[0]
        return cut + " …"


def parse_transcript(raw: Any) -> tuple[Segment, ...]:
    """Transcript JSON (a list of {start, end, speaker, text}) as masked segments; bad JSON gives ()."""
    if raw is None:
        return ()
    try:
        items = json.loads(raw) if isinstance(raw, str) else raw
    except (TypeError, ValueError):
        return ()
    if not isinstance(items, list):
        return ()
    segments = []
    for item in items:
        if not isinstance(item, dict):
            continue
        try:
            segments.append(
                Segment(
                    float(item.get("start", 0)),
                    float(item.get("end", 0)),
                    str(item.get("speaker", "")),
                    mask_personal_data(str(item.get("text", ""))),
                )
            )
        except (TypeError, ValueError):
            continue
    return tuple(segments)


def call_from_row(row: dict[str, Any]) -> CallView:
    return CallView(
        id=int(row["id"]),
        stage_id=int(row["stage_id"]),
        title=row["title"],
        sha256=row["sha256"],
        mime=row["mime"],
        duration_s=float(row["duration_s"]),
        clip_start_s=int(row["clip_start_s"]),
        clip_end_s=None if row["clip_end_s"] is None else int(row["clip_end_s"]),
        recorded_at=row["recorded_at"],
        channel=row["channel"],
        moment_name=row["moment_name"],
        transcript=parse_transcript(row["transcript"]),
    )

"""Artifacts on the wall: what customers receive at each stage (letters, bills,
web pages), with the media they are stored as."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from cxroom.queries.artifact_versions import CURRENT_ONLY

ARTIFACTS = f"""
SELECT a.id, a.stage_id, a.title, a.kind, a.caption, a.asks_of_customer, a.version_label, a.issued_on,
       a.media_sha256 AS sha256, md.mime, md.width, md.height, m.name AS moment_name
FROM artifacts a
JOIN stages s ON s.id = a.stage_id AND NOT s.archived
JOIN media md ON md.sha256 = a.media_sha256
LEFT JOIN moments m ON m.id = a.moment_id
WHERE {CURRENT_ONLY}
ORDER BY s.position, a.position, a.id
"""  # the wall shows the current version of each artifact


@dataclass(frozen=True)
class ArtifactView:
    id: int
    stage_id: int
    title: str
    kind: str
    caption: str
    asks_of_customer: str
    version_label: str
    issued_on: date | None
    sha256: str
    mime: str
    width: int | None
    height: int | None
    moment_name: str | None

    @property
    def is_pdf(self) -> bool:
        return self.mime == "application/pdf"


def artifact_from_row(row: dict[str, Any]) -> ArtifactView:
    return ArtifactView(
        id=int(row["id"]),
        stage_id=int(row["stage_id"]),
        title=row["title"],
        kind=row["kind"],
        caption=row["caption"],
        asks_of_customer=row["asks_of_customer"],
        version_label=row["version_label"],
        issued_on=row["issued_on"],
        sha256=row["sha256"],
        mime=row["mime"],
        width=row["width"],
        height=row["height"],
        moment_name=row["moment_name"],
    )

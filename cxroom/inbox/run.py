"""What the inbox worker does with one claimed file: run it through the same services as
the Listening page, or, after a restart, find that its work had already committed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from cxroom.inbox.jobs import ArtifactJob, CallJob, ImportJob
from cxroom.inbox.layout import IMPORT_KINDS
from cxroom.media import MediaStore
from cxroom.queries import inbox as inbox_queries
from cxroom.services import themes
from cxroom.services.evidence_files import add_artifact_file, add_call_recording
from cxroom.services.imports import import_file
from cxroom.settings import Settings
from cxroom.store import Store

_log = logging.getLogger(__name__)
ACTOR = "inbox"


def run_job(
    store: Store,
    settings: Settings,
    kind: str,
    job: Any,
    path: Path,
    shown: str,
    progress: Callable[[float, str], None],
) -> dict[str, Any]:
    """Import the claimed file (or add the call or artifact) and return its report."""
    if kind in IMPORT_KINDS:
        assert isinstance(job, ImportJob)
        report = import_file(
            store,
            kind=kind,
            path=path,
            source=job.source,
            mapping=job.mapping,
            options=job.import_options(),
            dry_run=job.dry_run,
            actor=ACTOR,
            progress=progress,
            file_name=shown,
        )
        return report.to_json()
    media = MediaStore(settings)
    # What a call and an artifact are both given: the file, its stage, title and moment.
    common: dict[str, Any] = {
        "data": path.read_bytes(),
        "original_name": shown,
        "stage_slug": job.stage,
        "title": job.title or Path(shown).stem,
        "moment_name": job.moment,
        "actor": ACTOR,
    }
    if kind == "calls":
        assert isinstance(job, CallJob)
        new_id = add_call_recording(
            store,
            media,
            **common,
            recorded_at=job.recorded_at or datetime.now(),
            clip_start_s=job.clip_start,
            clip_end_s=job.clip_end,
            transcript=job.transcript,
            consent=job.consent,
            tags=job.tags,
        )
        return {"call_id": new_id, "stage": job.stage, "file_name": shown}
    assert isinstance(job, ArtifactJob)
    new_id = add_artifact_file(
        store,
        media,
        **common,
        kind=job.kind,
        caption=job.caption,
        issued_on=job.issued_on,
        replaces_id=job.replaces,
        fix_id=job.fix,
    )
    return {"artifact_id": new_id, "stage": job.stage, "file_name": shown}


def after_report(store: Store, kind: str, report: dict[str, Any]) -> None:
    """What an import sets off once its report is written: the stages' themes count the new
    months. After the report, not inside the job, so whoever waits for the report (the CLI
    beside the app) is not kept waiting for the themes; the next file waits instead."""
    if kind not in IMPORT_KINDS:
        return
    try:
        themes.after_import(store, kind=kind, committed=bool(report.get("committed")), actor=ACTOR)
    except Exception:  # the import is done and reported: a bug here must not stop the inbox
        _log.exception("themes after the inbox import of %s failed", report.get("file_name"))


def committed_before_crash(
    store: Store, kind: str, job: Any, shown: str, claimed_at: datetime
) -> dict[str, Any] | None:
    """The report of a claimed file whose work committed before the process died, else None."""
    note = "recovered after a restart: this file's import had committed before the process stopped"
    if kind in IMPORT_KINDS:
        if getattr(job, "dry_run", False):
            return None
        found = inbox_queries.batch_of_claim(store, actor=ACTOR, kind=kind, file_name=shown, claimed_at=claimed_at)
        if found is None:
            return None
        summary = found["summary"]
        return {
            **summary,
            "batch_id": found["batch_id"],
            "committed": True,
            "errors": [],
            "notes": [*summary.get("notes", []), note],
        }
    entity = "call" if kind == "calls" else "artifact"
    new_id = inbox_queries.created_since_claim(store, actor=ACTOR, entity=entity, claimed_at=claimed_at)
    if new_id is None:
        return None
    return {f"{entity}_id": new_id, "stage": getattr(job, "stage", None), "file_name": shown, "notes": [note]}

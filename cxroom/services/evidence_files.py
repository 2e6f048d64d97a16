"""Evidence that arrives as a file: a call recording (converted for browsers) or an artifact
(image or PDF) hung under a stage, and the highlighted clip and transcript of a call.

Refused means nothing written: the bytes are screened, the permission checked and the file
written only in the transaction that adds its row (see cxroom/services/media_tx.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

from pydantic import ValidationError

from cxroom import audio
from cxroom.errors import InvalidInputError
from cxroom.media import MediaStore
from cxroom.models import ArtifactCreate, CallCreate, TranscriptSegment
from cxroom.permissions import Action
from cxroom.services import _lookup, evidence, media_tx
from cxroom.store import Store

T = TypeVar("T")


def add_call_recording(
    store: Store,
    media_store: MediaStore,
    *,
    data: bytes,
    original_name: str,
    stage_slug: str,
    title: str,
    recorded_at: datetime,
    moment_name: str | None = None,
    clip_start_s: int = 0,
    clip_end_s: int | None = None,
    transcript: list[dict[str, Any]] | None = None,
    channel: str = "phone",
    consent: bool = False,
    tags: list[str] | None = None,
    actor: str,
) -> int:
    """Store a call recording (telephony WAV converted for browsers) and hang it under a stage.

    Refused means nothing written: size and type of the uploaded bytes first (a
    recording too large is refused before it is converted), then the actor's
    permission, then the recording must decode, and the file is written only in
    the transaction that adds the call (see cxroom/services/media_tx.py).
    """
    media_store.screen(data, allowed={"audio"}, original_name=original_name)
    media_tx.require_now(store, actor, Action.EVIDENCE_EDIT)
    playable, _converted = audio.normalise(data)
    checked = media_store.check(playable, allowed={"audio"}, original_name=original_name)
    duration = checked.media.duration_s
    if not duration:
        raise InvalidInputError(f"The length of the recording {original_name!r} cannot be read.")
    payload = _validated(
        lambda: CallCreate(
            stage_slug=stage_slug,
            moment_name=moment_name,
            title=title,
            media_sha256=checked.media.sha256,
            duration_s=duration,
            clip_start_s=clip_start_s,
            clip_end_s=clip_end_s,
            transcript=[TranscriptSegment.model_validate(seg) for seg in (transcript or [])],
            recorded_at=recorded_at,
            channel=channel,
            consent=consent,
            tags=tags or [],
        )
    )
    return evidence.add_call(store, payload, checked, media_store=media_store, actor=actor)


def add_artifact_file(
    store: Store,
    media_store: MediaStore,
    *,
    data: bytes,
    original_name: str,
    stage_slug: str,
    title: str,
    kind: str = "other",
    moment_name: str | None = None,
    caption: str = "",
    asks_of_customer: str = "",
    version_label: str = "",
    issued_on: date | None = None,
    replaces_id: int | None = None,
    fix_id: int | None = None,
    actor: str,
) -> int:
    """Store an artifact (image or PDF, type sniffed and structure parsed) and hang it under a stage.

    Refused means nothing written: size and type first, then permission, then the
    file's structure; the file is written in the transaction that adds the artifact.
    """
    media_store.screen(data, allowed={"image", "pdf"}, original_name=original_name)
    media_tx.require_now(store, actor, Action.EVIDENCE_EDIT)
    checked = media_store.check(data, allowed={"image", "pdf"}, original_name=original_name)
    payload = _validated(
        lambda: ArtifactCreate(
            stage_slug=stage_slug,
            moment_name=moment_name,
            title=title,
            kind=kind,
            media_sha256=checked.media.sha256,
            caption=caption,
            asks_of_customer=asks_of_customer,
            version_label=version_label,
            issued_on=issued_on,
        )
    )
    return evidence.add_artifact(
        store, payload, checked, media_store=media_store, actor=actor, replaces_id=replaces_id, fix_id=fix_id
    )


def update_call_clip(
    store: Store,
    *,
    call_id: int,
    expected_version: int,
    clip_start_s: int,
    clip_end_s: int | None,
    transcript: list[dict[str, Any]] | None = None,
    actor: str,
) -> None:
    """Change the highlighted clip (and transcript) of a call, unless someone changed it meanwhile."""
    segments = _validated(lambda: [TranscriptSegment.model_validate(seg) for seg in (transcript or [])])
    if clip_start_s < 0 or (clip_end_s is not None and clip_end_s <= clip_start_s):
        raise InvalidInputError("The highlighted clip must start at 0 s or later and end after it starts.")
    with store.transaction(actor) as tx:
        tx.require(Action.EVIDENCE_EDIT)
        before = _lookup.row(tx, "calls", call_id)
        duration = float(before["duration_s"])  # type: ignore[arg-type]
        if clip_start_s >= duration or (clip_end_s is not None and clip_end_s > duration + 1):
            raise InvalidInputError(f"The clip must lie inside the recording (0-{int(duration)} s).")
        values: dict[str, Any] = {"clip_start_s": clip_start_s, "clip_end_s": clip_end_s}
        if transcript is not None:
            values["transcript"] = json.dumps([seg.model_dump() for seg in segments]) if segments else None
        tx.update_versioned("calls", call_id, expected_version, values)
        after = _lookup.row(tx, "calls", call_id)
        tx.audit(
            "update_clip",
            "call",
            call_id,
            {k: before[k] for k in ("clip_start_s", "clip_end_s", "version")},
            {k: after[k] for k in ("clip_start_s", "clip_end_s", "version")},
        )


def _validated(build: Callable[[], T]) -> T:
    """What ``build`` makes of the input, or a refusal that names each field it found wrong."""
    try:
        return build()
    except ValidationError as exc:
        raise InvalidInputError(
            "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'input'}: {e['msg'].removeprefix('Value error, ')}"
                for e in exc.errors()
            )
        ) from exc

"""The Calls & artifacts tab: adding a call recording (converted for the browser, with the
customer's consent to play it) or an artifact (what customers receive) to a stage."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from cxroom.media import MediaStore
from cxroom.queries import imports as q
from cxroom.services.evidence_files import add_artifact_file, add_call_recording
from cxroom.store import Store
from cxroom.ui import artifact_versions
from cxroom.ui.kit.refusal import refusal_explained


def _stage_select(label: str, stages: list[tuple[str, str]], key: str | None = None) -> str:
    """A stage picker showing names and returning the slug (options are plain names, so tests can drive it)."""
    by_name = {name: slug for slug, name in stages}
    return by_name[st.selectbox(label, list(by_name), key=key)]


def _placed(upload: UploadedFile, title: str, stage: str, actor: str) -> dict[str, Any]:
    """What adding any uploaded file to a stage is given (the title defaults to the file's name)."""
    return {
        "data": upload.getvalue(),
        "original_name": upload.name,
        "stage_slug": stage,
        "title": title or Path(upload.name).stem,
        "actor": actor,
    }


def media_panel(store: Store, media: MediaStore, actor: str) -> None:
    stages = q.stage_choices(store)
    if not stages:
        st.info("The room has no stages yet.")
        return
    c1, c2 = st.columns(2)
    with c1, st.form("add_call", clear_on_submit=True):
        st.markdown("**A call recording**")
        audio = st.file_uploader("Recording", type=["wav", "mp3", "ogg", "flac", "m4a"], key="call_file")
        title = st.text_input("Title", key="call_title")
        stage = _stage_select("Stage", stages, key="call_stage")
        consent = st.checkbox("The customer consented to the recording being played", key="call_consent")
        if st.form_submit_button("Add the call") and audio is not None:
            with refusal_explained():
                with st.spinner("Converting the recording for the browser…"):
                    placed = _placed(audio, title, stage, actor)
                    new_id = add_call_recording(store, media, recorded_at=datetime.now(), consent=consent, **placed)
                st.success(f"Call #{new_id} added.")
    with c2, st.form("add_artifact", clear_on_submit=True):
        st.markdown("**An artifact** (what customers receive)")
        upload_ = st.file_uploader(
            "Image or PDF", type=["png", "jpg", "jpeg", "gif", "webp", "pdf"], key="artifact_file"
        )
        title = st.text_input("Title", key="artifact_title")
        stage = _stage_select("Stage", stages, key="artifact_stage")
        kind = st.selectbox(
            "Kind", ["letter", "bill", "email", "packaging", "label", "web_page", "form", "other"], key="artifact_kind"
        )
        replaces, fix = artifact_versions.version_inputs(key="artifact")
        if st.form_submit_button("Add the artifact") and upload_ is not None:
            with refusal_explained():
                new_id = add_artifact_file(
                    store,
                    media,
                    kind=kind,
                    replaces_id=replaces,
                    fix_id=fix,
                    **_placed(upload_, title, stage, actor),
                )
                st.success(f"Artifact #{new_id} added.")

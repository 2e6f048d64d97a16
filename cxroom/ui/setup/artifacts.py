"""Curating artifacts: what a customer receives, on which stage and moment it hangs."""

from __future__ import annotations

import streamlit as st

from cxroom.models import ArtifactKind
from cxroom.queries import setup as q
from cxroom.services import curation
from cxroom.setup_models import ArtifactEdit
from cxroom.store import Store
from cxroom.ui import cache
from cxroom.ui.setup.inputs import (
    as_int,
    is_missing,
    labelled,
    pick_id,
    pick_record,
    pick_stage_moments,
    picked_id,
    session_text,
    session_value,
)
from cxroom.ui.setup.messages import attempt, flash, show_flash


def _save_artifact(
    store: Store, actor: str, artifact_id: int, version: int, prefix: str, stage_id: int, moment_options: dict[int, str]
) -> None:
    def go() -> None:
        data = ArtifactEdit(
            stage_id=stage_id,
            moment_id=picked_id(f"{prefix}_moment", moment_options),
            title=session_text(f"{prefix}_title"),
            kind=ArtifactKind(session_value(f"{prefix}_kind")),
            caption=session_text(f"{prefix}_caption"),
            asks_of_customer=session_text(f"{prefix}_asks"),
            version_label=session_text(f"{prefix}_version_label"),
            issued_on=session_value(f"{prefix}_issued_on"),
        )
        curation.update_artifact(store, artifact_id, data, expected_version=version, actor=actor)

    attempt("artifacts", go, f"Artifact '{session_text(f'{prefix}_title')}' saved.")


def _remove_artifact(store: Store, actor: str, artifact_id: int, version: int, prefix: str, title: str) -> None:
    if not session_value(f"{prefix}_confirm"):
        flash("artifacts", "error", "Tick the box to confirm the removal first.")
        return
    attempt(
        "artifacts",
        lambda: curation.remove_artifact(store, artifact_id, expected_version=version, actor=actor),
        f"Artifact '{title}' removed from the room.",
    )


def artifacts_panel(store: Store, actor: str) -> None:
    show_flash("artifacts")
    artifacts = q.artifacts(store)
    if artifacts.empty:
        st.info("No artifacts yet.")
        return
    picked = pick_record(
        "Artifact", artifacts, lambda r: f"{r.title} · {r.stage_name}", key="artifact_pick", prefix="artifact"
    )
    if picked is None:
        return
    artifact_id, row, version, prefix = picked
    left, right = st.columns([1, 2])
    with left:
        thumb = cache.thumbnail(str(row["sha256"]), str(row["mime"])) if isinstance(row["mime"], str) else None
        if thumb is not None:
            st.image(thumb, width="stretch")
        else:
            st.caption("No preview (the file is missing or cannot be drawn).")
    with right:
        placed = pick_stage_moments(store, prefix, current=int(row["stage_id"]))
        if placed is None:
            return
        stage_id, moments = placed
        kinds = [k.value for k in ArtifactKind]
        with st.form(f"{prefix}_form"):
            c1, c2 = st.columns([3, 1])
            c1.text_input("Title", value=row["title"], key=f"{prefix}_title", max_chars=200)
            c2.selectbox("Kind", kinds, index=kinds.index(row["kind"]), key=f"{prefix}_kind")
            moment_options = labelled(moments, lambda r: r.name)
            pick_id(
                "Moment of truth", moment_options, key=f"{prefix}_moment", none=True, current=as_int(row["moment_id"])
            )
            st.text_area("Caption", value=row["caption"], key=f"{prefix}_caption", height=68)
            st.text_area("What it asks of the customer", value=row["asks_of_customer"], key=f"{prefix}_asks", height=68)
            c3, c4 = st.columns(2)
            c3.text_input("Version", value=row["version_label"], key=f"{prefix}_version_label", max_chars=60)
            issued = row["issued_on"]
            c4.date_input("Issued on", value=None if is_missing(issued) else issued, key=f"{prefix}_issued_on")
            st.form_submit_button(
                "Save artifact",
                type="primary",
                on_click=_save_artifact,
                args=(store, actor, artifact_id, version, prefix, stage_id, moment_options),
            )
        c5, c6 = st.columns([2, 1], vertical_alignment="center")
        c5.checkbox("Yes, take this artifact out of the room", key=f"{prefix}_confirm")
        c6.button(
            "Remove artifact",
            key=f"{prefix}_remove",
            on_click=_remove_artifact,
            args=(store, actor, artifact_id, version, prefix, row["title"]),
        )

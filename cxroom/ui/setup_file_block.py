"""The set-up file on the Room setup page: download the room's set-up (YAML)
and its category rules (CSV); upload a file to see what applying it would
change (a dry run), then apply it with one button.

The page is for facilitators (views/setup.py asks first) and the services
check the acting user again on every write. The uploaded text is kept in the
session until it is applied or replaced; the dry run's report is computed once
per file and room version. Names from the file are shown as code (never as
markdown).
"""

from __future__ import annotations

import hashlib
from typing import Any

import streamlit as st

from cxroom.errors import CxroomError
from cxroom.queries import setup as setup_queries
from cxroom.setup_models import slugify
from cxroom.setupfile.apply import apply_text
from cxroom.setupfile.export import export_text
from cxroom.setupfile.model import SetupFileError
from cxroom.setupfile.report import ApplyReport
from cxroom.setupfile.rules import apply_rules_csv, export_rules_csv
from cxroom.store import Store
from cxroom.ui.kit.text import md

PENDING = "setup_file_pending"  # {"name", "text", "sha256"}: the uploaded file waiting to be applied
CHECKED = "setup_file_checked"  # (sha256, data version, report or problems): its dry run
RESULT = "setup_file_result"  # what the last apply did, shown once
MAX_BYTES = 5_000_000  # a set-up file is text a person edits: far below this


def _is_rules(name: str) -> bool:
    return name.lower().endswith(".csv")


def _run(store: Store, pending: dict[str, Any], actor: str, *, dry_run: bool) -> ApplyReport:
    applier = apply_rules_csv if _is_rules(pending["name"]) else apply_text
    return applier(store, pending["text"], actor=actor, dry_run=dry_run, file_name=pending["name"])


def _take_upload() -> None:
    uploaded = st.session_state.get("setup_file_upload")
    st.session_state.pop(RESULT, None)
    if uploaded is None:
        st.session_state.pop(PENDING, None)
        return
    data = uploaded.getvalue()
    if len(data) > MAX_BYTES:
        st.session_state[RESULT] = ("error", [f"{uploaded.name} is larger than a set-up file can be (5 MB)."])
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        st.session_state[RESULT] = ("error", [f"{uploaded.name} is not UTF-8 text; save it as UTF-8 and upload again."])
        return
    st.session_state[PENDING] = {"name": uploaded.name, "text": text, "sha256": hashlib.sha256(data).hexdigest()}


def _apply(store: Store, pending: dict[str, Any], actor: str) -> None:
    """The Apply button: the file as it was checked and shown, applied as the person clicking."""
    try:
        report = _run(store, pending, actor, dry_run=False)
    except SetupFileError as exc:
        st.session_state[RESULT] = ("error", [str(p) for p in exc.problems])
        return
    except CxroomError as exc:
        st.session_state[RESULT] = ("error", [str(exc)])
        return
    st.session_state.pop(PENDING, None)
    st.session_state.pop(CHECKED, None)
    st.session_state[RESULT] = ("success", report.lines())


def _checked(store: Store, pending: dict[str, Any], actor: str) -> tuple[ApplyReport | None, list[str]]:
    version = store.data_version()
    found = st.session_state.get(CHECKED)
    if found and found[0] == pending["sha256"] and found[1] == version:
        return found[2], found[3]
    try:
        report, problems = _run(store, pending, actor, dry_run=True), []
    except SetupFileError as exc:
        report, problems = None, [str(p) for p in exc.problems]
    except CxroomError as exc:
        report, problems = None, [str(exc)]
    st.session_state[CHECKED] = (pending["sha256"], version, report, problems)
    return report, problems


def render(store: Store, actor: str) -> None:
    """The Set-up file tab."""
    st.caption(
        "The whole set-up (stages, moments of truth, silos and who is accountable, KPIs, survey questions, "
        "category rules) as one YAML file to keep, edit and apply to this or another room. Applying creates "
        "and updates; it never deletes. The same file works with `python -m cxroom setup apply FILE`."
    )
    slug = slugify(setup_queries.room_name(store), max_length=40)
    left, right = st.columns(2)
    left.download_button(
        "Download the set-up file",
        data=export_text(store),
        file_name=f"{slug}-setup.yaml",
        mime="application/x-yaml",
        key="setup_file_download",
        icon=":material/download:",
    )
    right.download_button(
        "Download the category rules (CSV)",
        data=export_rules_csv(store),
        file_name=f"{slug}-rules.csv",
        mime="text/csv",
        key="setup_rules_download",
        icon=":material/table:",
    )
    st.file_uploader(
        "Upload a set-up file (.yaml) or category rules (.csv) to see what it would change",
        type=["yaml", "yml", "csv"],
        key="setup_file_upload",
        on_change=_take_upload,
    )
    result = st.session_state.pop(RESULT, None)
    if result:
        kind, lines = result
        if kind == "success":
            st.success("Applied.", icon=":material/check_circle:")
        else:
            st.error("Nothing was changed:", icon=":material/error:")
        st.code("\n".join(lines), language=None)
    pending = st.session_state.get(PENDING)
    if not pending:
        return
    report, problems = _checked(store, pending, actor)
    if problems:
        st.error(
            f"{md(pending['name'])} cannot be applied; nothing was changed. Fix these lines and upload it again:",
            icon=":material/error:",
        )
        st.code("\n".join(problems), language=None)
        return
    assert report is not None
    st.markdown(f"**What applying {md(pending['name'])} would do** (a dry run: nothing is written yet)")
    st.code("\n".join(report.lines()), language=None)
    if report.changes:
        st.button(
            f"Apply {report.changes} change(s)",
            type="primary",
            key="setup_file_apply",
            on_click=_apply,
            args=(store, pending, actor),
            icon=":material/play_arrow:",
        )
    else:
        st.info("The room already matches this file.", icon=":material/info:")


__all__ = ["render"]

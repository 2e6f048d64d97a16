"""The file being imported: the uploader (the file saved content-addressed in the room's
scratch space), the first look at it (asking for the encoding when it cannot be told),
and the facts and first rows of that look."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import streamlit as st

from cxroom import scratch
from cxroom.errors import CxroomError
from cxroom.importers.encoding import EncodingUncertainError
from cxroom.importers.report import FilePreview, ImportOptions
from cxroom.services.imports import max_import_bytes, preview_file
from cxroom.store import Store
from cxroom.ui import context
from cxroom.ui.kit.text import md
from cxroom.ui.listening.encoding_question import encoding_question
from cxroom.ui.listening.state import ENCODING_QUESTION, FILE_KEY, KIND_LABELS, PREVIEW_KEY, REPORT_KEY

_DELIMITER_NAMES = {"\t": "tab", " ": "space"}


def upload(kind: str, store: Store | None = None) -> dict[str, Any] | None:
    """The uploader; the file is written (content-addressed) to this app process's folder in the
    room's scratch space, which the next start cleans, for DuckDB to read."""
    uploaded = st.file_uploader(
        f"{KIND_LABELS[kind]} file",
        type=["csv", "txt", "tsv", "xlsx", "parquet"],
        key=f"uploader_{kind}",
        help="CSV in any delimiter and encoding, Excel .xlsx, or Parquet. The content is checked, not the name.",
    )
    if uploaded is not None:
        data = uploaded.getvalue()
        if len(data) > max_import_bytes():
            st.error(
                f"{md(uploaded.name)} is {len(data) / 1e6:,.1f} MB; "
                f"the import limit is {max_import_bytes() / 1e6:,.0f} MB."
            )
            return None
        sha = hashlib.sha256(data).hexdigest()
        current = st.session_state.get(FILE_KEY)
        if not current or current.get("sha256") != sha or current.get("name") != uploaded.name:
            # Saved under its hash (the name is only kept, sanitised, for messages).
            safe = re.sub(r"[^\w.\- ]", "_", Path(uploaded.name).name)[:100] or "upload"
            room = store or context.store()
            path = scratch.process_folder(room.path, "uploads") / sha / safe
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            st.session_state[FILE_KEY] = {"name": uploaded.name, "path": str(path), "sha256": sha, "size": len(data)}
            st.session_state.pop(REPORT_KEY, None)
    return st.session_state.get(FILE_KEY)


def preview(
    store: Store, kind: str, pending: dict[str, Any], source: str, options: ImportOptions
) -> FilePreview | None:
    """The file's first look, kept in the session for this file/kind/source/options.

    When the file is not all UTF-8 and the encoding of the other rows cannot be
    told, this asks for it (and ``options.encoding`` carries the answer to the import).
    """
    question = st.session_state.get(ENCODING_QUESTION)
    if question and question[0] == pending["sha256"]:
        options.encoding = encoding_question(question[1], pending["sha256"])
        if options.encoding is None:
            return None
    key = (
        "preview",
        pending["sha256"],
        kind,
        source,
        options.delimiter,
        options.sheet,
        options.encoding,
        options.aggregate,
    )
    cached = st.session_state.get(PREVIEW_KEY)
    if cached and cached[0] == key:
        return cached[1]
    try:
        with st.spinner("Reading the file…"):
            result = preview_file(
                store,
                kind=kind,
                path=pending["path"],
                source=source or None,
                options=options,
                file_name=pending["name"],
            )
    except EncodingUncertainError as exc:
        st.session_state[ENCODING_QUESTION] = (pending["sha256"], exc.candidates)
        st.rerun()
    except CxroomError as exc:
        st.error(md(str(exc)))
        return None
    st.session_state[PREVIEW_KEY] = (key, result)
    return result


def file_facts(p: FilePreview, name: str) -> None:
    sampled = "first " if p.sampled else ""
    fallback = (
        f" + {p.encoding_fallback} for {p.rows_encoding_fallback:,} row(s)"
        if p.encoding_fallback and p.encoding_fallback != p.encoding
        else ""
    )
    st.caption(
        f"**{md(name)}** · {p.file_kind.upper()} · {sampled}{p.rows_read:,} rows"
        f" · encoding {md(p.encoding)}{md(fallback)}"
        + (f" · delimiter {md(_DELIMITER_NAMES.get(p.delimiter, p.delimiter))}" if p.file_kind == "csv" else "")
        + f" · {len(p.headers)} columns"
    )
    for note in p.notes:
        st.info(md(note))
    if p.sampled:
        st.caption(f"The preview reads the first {p.rows_read:,} rows; the import reads them all.")
    with st.expander("First rows of the file", expanded=False):
        st.dataframe(p.sample, hide_index=True, width="stretch")

"""Streamlit pieces of the Listening page: upload, mapping, import with a
progress bar, the report, batches with undo and quarantine download, category
mapping, and calls/artifacts. Each function takes the store and the acting
user and calls cxroom services/queries; no SQL here."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from cxroom import scratch
from cxroom.errors import CxroomError
from cxroom.importers.encoding import EncodingUncertainError
from cxroom.importers.mapping import DATE_FORMATS
from cxroom.importers.report import FilePreview, ImportOptions, ImportReport
from cxroom.media import MediaStore
from cxroom.models import CategoryRuleCreate, KpiCreate
from cxroom.queries import imports as q
from cxroom.services import evidence
from cxroom.services.evidence_files import add_artifact_file, add_call_recording
from cxroom.services.imports import import_file, max_import_bytes, preview_file, undo_batch
from cxroom.store import Store
from cxroom.ui import context, kpi_proposals
from cxroom.ui.kit.text import md

FILE_KEY = "listening_file"  # {"name", "path", "sha256", "size"}: the file being imported
REPORT_KEY = "listening_report"
NONE = "— not in this file —"
_DELIMITER_NAMES = {"\t": "tab", " ": "space"}
KIND_LABELS = {"complaints": "Complaints", "kpis": "KPI readings", "surveys": "Survey responses"}
ENCODING_QUESTION = "listening_encoding_question"  # (sha256, [(encoding, first line read with it)])
# Offered besides the detector's candidates when it cannot decide.
COMMON_ENCODINGS = ["cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1257", "latin-1", "iso8859-2", "koi8-r"]


def _stage_select(label: str, stages: list[tuple[str, str]], key: str | None = None) -> str:
    """A stage picker showing names and returning the slug (options are plain names, so tests can drive it)."""
    by_name = {name: slug for slug, name in stages}
    return by_name[st.selectbox(label, list(by_name), key=key)]


# -- the file -----------------------------------------------------------------


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
    key = ("preview", pending["sha256"], kind, source, options.delimiter, options.sheet, options.encoding,
           options.aggregate)
    cached = st.session_state.get("listening_preview")
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
    st.session_state["listening_preview"] = (key, result)
    return result


def encoding_question(candidates: list[tuple[str, str]], sha256: str) -> str | None:
    """Ask which encoding the rows that are not UTF-8 are in, showing how each candidate reads them."""
    st.warning(
        "Some rows of this file are not UTF-8, and their encoding cannot be told for sure. "
        "Choose the one that reads them right (the UTF-8 rows are read as UTF-8 either way)."
    )
    if candidates:
        st.dataframe(
            pd.DataFrame(candidates, columns=["Encoding", "The first such row reads"]),
            hide_index=True,
            width="stretch",
        )
    names = list(dict.fromkeys([name for name, _ in candidates] + COMMON_ENCODINGS))
    return st.selectbox(
        "Encoding of the rows that are not UTF-8",
        names,
        index=None,
        placeholder="Choose the encoding",
        key=f"import_encoding_{sha256[:16]}",
    )


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


# -- mapping ------------------------------------------------------------------


def _pick(
    label: str,
    headers: list[str],
    default: str | None,
    key: str,
    *,
    required: bool = False,
    help_text: str | None = None,
) -> str | None:
    options = headers if required else [NONE, *headers]
    index = options.index(default) if default in options else 0
    choice = st.selectbox(label, options, index=index, key=key, help=help_text)
    return None if choice == NONE else choice


def _date_format_choice(p: FilePreview, column: str | None, default: str | None, key: str) -> str | None:
    """'auto' unless the column is ambiguous: then the person must choose."""
    info = p.date_columns.get(column or "", {})
    labels = {"auto": "Detect from the values", **DATE_FORMATS}
    if info.get("ambiguous"):
        st.warning(md(info["message"]))
        choices = list(info["ambiguous"])
        picked = st.radio(
            "Date format", choices, format_func=lambda f: labels.get(f, f), key=key, index=None, horizontal=True
        )
        return picked or "required"
    if info.get("label"):
        st.caption(md(f"Dates in '{column}' read as {info['label']}."))
    keys = list(labels)
    picked = st.selectbox(
        "Date format",
        keys,
        index=keys.index(default) if default in keys else 0,
        format_func=lambda f: labels[f],
        key=key,
    )
    return None if picked == "auto" else picked


def complaint_mapping(p: FilePreview) -> dict[str, Any] | None:
    base = p.saved or p.suggested
    if p.saved:
        st.success(md(f"Using the column mapping saved for source '{p.source}' (change it below if needed)."))
    h = p.headers
    c1, c2 = st.columns(2)
    with c1:
        received = _pick("Date received *", h, base.get("received_at"), "map_received", required=True)
        category = _pick(
            "Category (issue) *",
            h,
            base.get("category"),
            "map_category",
            required=True,
            help_text="CFPB files: Issue (or Product). Categories are mapped to stages below.",
        )
        subcategory = _pick("Subcategory", h, base.get("subcategory"), "map_subcategory")
        external_id = _pick(
            "Complaint id",
            h,
            base.get("external_id"),
            "map_external_id",
            help_text="Without an id, a row is recognised on re-import by its content.",
        )
    with c2:
        verbatim = _pick("Verbatim (customer's words)", h, base.get("verbatim"), "map_verbatim")
        channel = _pick("Channel", h, base.get("channel"), "map_channel")
        severity = _pick("Severity", h, base.get("severity"), "map_severity")
        fmt = _date_format_choice(p, received, base.get("date_format"), "map_date_format")
    if fmt == "required":
        return None
    return {
        "received_at": received,
        "category": category,
        "subcategory": subcategory,
        "external_id": external_id,
        "verbatim": verbatim,
        "channel": channel,
        "severity": severity,
        "date_format": fmt,
    }


def kpi_mapping(store: Store, p: FilePreview, actor: str) -> dict[str, Any] | None:
    base = p.saved or p.suggested
    if p.suggested.get("aggregate"):  # a per-call file (the import options asked for it)
        from cxroom.ui.per_call_form import per_call_mapping

        base = p.saved if p.saved and p.saved.get("aggregate") == p.suggested["aggregate"] else p.suggested
        return per_call_mapping(store, p, base, pick=_pick, date_choice=_date_format_choice)
    h = p.headers
    layout = st.radio(
        "Layout",
        ["wide", "long"],
        index=0 if base.get("layout", "wide") == "wide" else 1,
        horizontal=True,
        key="kpi_layout",
        format_func=lambda v: {"wide": "One column per KPI", "long": "KPI name, period, value"}[v],
    )
    mapping: dict[str, Any] = {"layout": layout}
    if layout == "long":
        mapping["kpi_name"] = _pick("KPI name column", h, base.get("kpi_name"), "kpi_name", required=True)
        mapping["value"] = _pick("Value column", h, base.get("value"), "kpi_value", required=True)
        kpi_proposals.propose(store, p, actor, name_column=mapping["kpi_name"], value_column=mapping["value"])
    period = _pick("Period (date or month) column", h, base.get("period"), "kpi_period")
    mapping["period"] = period
    if period is None:
        st.info("This file has no date column. Number its rows from a start period, or give one period for all.")
        c1, c2, c3 = st.columns(3)
        mapping["index"] = c1.selectbox(
            "Index column",
            [NONE, *h],
            index=([NONE, *h].index(base.get("index")) if base.get("index") in h else 0),
            key="kpi_index",
        )
        mapping["index"] = None if mapping["index"] == NONE else mapping["index"]
        start = c2.date_input("Period of index 1", value=None, key="kpi_start")
        mapping["frequency"] = c3.selectbox("Frequency", ["daily", "weekly", "monthly"], key="kpi_frequency")
        mapping["start"] = start.isoformat() if start else None
        if not start:
            return None
    else:
        mapping["date_format"] = _date_format_choice(p, period, base.get("date_format"), "kpi_date_format")
        if mapping["date_format"] == "required":
            return None
    if layout == "wide":
        known = {n.casefold(): n for n in q.kpi_names(store)}
        candidates = [c for c in h if c not in (period, mapping.get("index"))]
        default = [c for c in (base.get("kpi_columns") or {}) if c in candidates]
        chosen = st.multiselect("KPI columns", candidates, default=default, key="kpi_columns")
        kpi_proposals.propose(store, p, actor, columns=chosen, frequency=mapping.get("frequency"))
        mapping["kpi_columns"] = {c: known.get(c.casefold(), c) for c in chosen}
        if not chosen:
            return None
    return mapping


def create_kpis_form(store: Store, names: list[str], actor: str) -> None:
    stages = q.stage_choices(store)
    if not stages:
        st.caption("Create the room's stages first (Room setup).")
        return
    with st.form("create_kpis"):
        st.markdown("**Create the missing KPIs**")
        stage = _stage_select("Stage they belong to", stages)
        direction = st.selectbox(
            "Better is",
            ["higher_better", "lower_better"],
            format_func=lambda d: "higher" if d == "higher_better" else "lower",
        )
        frequency = st.selectbox("Frequency", ["daily", "weekly", "monthly"])
        if st.form_submit_button("Create KPIs"):
            try:
                for name in names:
                    evidence.create_kpi(
                        store,
                        KpiCreate(stage_slug=stage, name=name, direction=direction, frequency=frequency),
                        actor=actor,
                    )
                st.session_state.pop("listening_preview", None)
                st.success(f"Created {len(names)} KPI(s).")
                st.rerun()
            except (CxroomError, ValueError) as exc:
                st.error(md(str(exc)))


def survey_mapping(p: FilePreview, source: str) -> dict[str, Any] | None:
    base = p.saved or p.suggested
    h = p.headers
    layout = st.radio(
        "Layout",
        ["wide", "long"],
        index=0 if base.get("layout", "wide") == "wide" else 1,
        horizontal=True,
        key="survey_layout",
        format_func=lambda v: {"wide": "One column per question", "long": "Question, value rows"}[v],
    )
    mapping: dict[str, Any] = {
        "layout": layout,
        "survey": st.text_input("Survey name", base.get("survey") or source, key="survey_name"),
    }
    c1, c2 = st.columns(2)
    with c1:
        mapping["response_id"] = _pick(
            "Response id",
            h,
            base.get("response_id"),
            "survey_rid",
            help_text="Without one, a hash of the row identifies it on re-import.",
        )
        mapping["answered_at"] = _pick("Answered at (date)", h, base.get("answered_at"), "survey_date")
    with c2:
        na = st.text_input(
            "Values meaning not applicable (comma-separated)",
            ", ".join(base.get("na_values") or []),
            key="survey_na",
            help="The airline survey uses 0 for 'not rated'.",
        )
        mapping["na_values"] = [v.strip() for v in na.split(",") if v.strip()]
        if mapping["answered_at"] is None:
            period = st.text_input(
                "Period of the answers (YYYY-MM)", base.get("fixed_period") or "", key="survey_period"
            )
            mapping["fixed_period"] = period.strip() or None
            if not mapping["fixed_period"]:
                st.info("The file has no date column: give the month the answers belong to.")
                return None
    kind = st.selectbox(
        "Question kind",
        ["csat", "nps", "ces", "percent"],
        key="survey_kind",
        format_func=lambda k: {
            "csat": "CSAT (1-5)",
            "nps": "NPS (0-10)",
            "ces": "CES (1-7)",
            "percent": "Percent (0-100)",
        }[k],
    )
    if layout == "wide":
        candidates = [c for c in h if c not in (mapping["response_id"], mapping["answered_at"])]
        default = [c for c in (base.get("questions") or {}) if c in candidates]
        chosen = st.multiselect("Question (rating) columns", candidates, default=default, key="survey_questions")
        mapping["questions"] = {c: kind for c in chosen}
        if not chosen:
            return None
    else:
        mapping["question"] = _pick("Question column", h, base.get("question"), "survey_q", required=True)
        mapping["value"] = _pick("Value column", h, base.get("value"), "survey_v", required=True)
        mapping["default_kind"] = kind
    taken = {mapping.get("response_id"), mapping.get("answered_at"), mapping.get("question"), mapping.get("value")}
    open_text = [c for c in h if c not in taken and c not in mapping.get("questions", {})]
    mapping["comments"] = st.multiselect(
        "Comment (open-text answer) columns",
        open_text,
        default=[c for c in (base.get("comments") or []) if c in open_text],
        key="survey_comments",
        help="Joined, a line each, into the response's comment; personal data is masked for the roles "
        "that may not see it.",
    )
    return mapping


# -- import and report ----------------------------------------------------------


def run_import(
    store: Store,
    *,
    kind: str,
    pending: dict[str, Any],
    source: str,
    mapping: dict[str, Any],
    options: ImportOptions,
    dry_run: bool,
    actor: str,
) -> ImportReport | None:
    bar = st.progress(0.0, text="Starting…")

    def progress(fraction: float, message: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    try:
        report = import_file(
            store,
            kind=kind,
            path=pending["path"],
            source=source or None,
            mapping=mapping,
            options=options,
            dry_run=dry_run,
            actor=actor,
            progress=progress,
            file_name=pending["name"],
        )
    except CxroomError as exc:
        bar.empty()
        st.error(md(f"Nothing was imported: {exc}"))
        return None
    st.session_state[REPORT_KEY] = report
    return report


def render_report(store: Store, report: ImportReport) -> None:
    title = "Dry run: nothing was written" if report.dry_run else f"Batch #{report.batch_id} imported"
    with st.container(border=True, key="import_report"):
        st.subheader(title)
        c = st.columns(5)
        c[0].metric("Rows read", f"{report.rows_read:,}")
        c[1].metric("Would import" if report.dry_run else "Imported", f"{report.rows_imported:,}")
        c[2].metric("Duplicates", f"{report.rows_duplicate:,}")
        c[3].metric("Rejected", f"{report.rows_rejected:,}", help="rows not imported (in the quarantine)")
        # Bad values skipped from rows that were imported: not rows, so counted apart.
        c[4].metric(
            "Values rejected", f"{report.values_rejected:,}",
            help="bad values skipped from rows that were imported (in the quarantine)",
        )
        st.caption(
            md(
                f"{report.file_name} · {report.file_kind.upper()} · {report.encoding}"
                + (
                    f" + {report.encoding_fallback} for {report.rows_encoding_fallback:,} row(s)"
                    if report.encoding_fallback and report.encoding_fallback != report.encoding
                    else ""
                )
                + (f" · dates {report.date_format}" if report.date_format else "")
                + f" · source '{report.source}' · {report.elapsed_s:.1f} s"
            )
        )
        for note in report.notes:
            st.info(md(note))
        if report.errors:
            st.markdown(
                f"**{report.errors_total:,} problem(s)** — the rows not imported and the values skipped "
                "are in the quarantine."
            )
            st.dataframe(
                pd.DataFrame(report.errors),
                hide_index=True,
                width="stretch",
                column_config={
                    "row": st.column_config.NumberColumn("Row", format="%d", width="small"),
                    "column": st.column_config.TextColumn("Column", width="medium"),
                    "message": st.column_config.TextColumn("Reason", width="large"),
                },
            )
        if report.committed and (report.rows_rejected or report.values_rejected):
            st.download_button(
                "Download the quarantine (CSV)",
                q.quarantine_csv(store, report.batch_id),
                file_name=f"quarantine-batch-{report.batch_id}.csv",
                mime="text/csv",
                key=f"dl_report_{report.batch_id}",
            )
        if report.unmapped_categories:
            total = sum(c["rows"] for c in report.unmapped_categories)
            st.warning(
                f"{total:,} of the new complaints have a category not yet mapped to a stage; "
                "map them in the **Category mapping** tab."
            )


# -- batches ------------------------------------------------------------------


def batches_panel(store: Store, actor: str) -> None:
    frame = q.batches(store)
    if frame.empty:
        st.info("No imports yet.")
        return
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={
            "id": st.column_config.NumberColumn("Batch", format="%d"),
            "started_at": "Started",
            "finished_at": None,
            "created_by": "By",
            "rows_read": "Read",
            "rows_imported": "Imported",
            "rows_duplicate": "Duplicates",
            "rows_rejected": "Rejected",
        },
    )
    ids = frame["id"].astype(int).tolist()
    chosen = st.selectbox("Batch", ids, format_func=lambda i: _batch_label(frame, i), key="batch_pick")
    if chosen is None:
        return
    row = frame[frame["id"] == chosen].iloc[0]
    counts = q.quarantine_counts(store, int(chosen))
    c1, c2 = st.columns(2)
    with c1:
        if counts["rows_not_imported"] or counts["rows_with_values_skipped"]:
            st.markdown(
                f"**Quarantine: {counts['rows_not_imported']:,} row(s) not imported · "
                f"{counts['values_skipped']:,} value(s) skipped from {counts['rows_with_values_skipped']:,} "
                "imported row(s)**"
            )
            st.dataframe(
                q.quarantine(store, int(chosen), limit=200),
                hide_index=True,
                width="stretch",
                column_config={"outcome": st.column_config.TextColumn("Outcome", width="medium")},
            )
            st.download_button(
                "Download the quarantine (CSV)",
                q.quarantine_csv(store, int(chosen)),
                file_name=f"quarantine-batch-{chosen}.csv",
                mime="text/csv",
                key=f"dl_batch_{chosen}",
            )
        else:
            st.caption("Nothing quarantined in this batch.")
    with c2:
        if row["status"] == "committed":
            sure = st.checkbox(f"Yes, take batch #{chosen} out of the room", key=f"undo_sure_{chosen}")
            if st.button("Undo this batch", disabled=not sure, key=f"undo_{chosen}", type="primary"):
                try:
                    removed = undo_batch(store, batch_id=int(chosen), actor=actor)
                    st.success(
                        f"Batch #{chosen} undone: "
                        + ", ".join(f"{n:,} {k.replace('_', ' ')}" for k, n in removed.items() if n)
                        + " removed."
                    )
                except CxroomError as exc:
                    st.error(md(str(exc)))
        else:
            st.caption(f"Batch #{chosen} was undone.")


def _batch_label(frame: pd.DataFrame, batch_id: int) -> str:
    row = frame[frame["id"] == batch_id].iloc[0]
    return f"#{batch_id} · {row['kind']} · {row['source']} · {row['file_name']} ({row['status']})"


# -- category mapping -------------------------------------------------------------


def mapping_panel(store: Store, actor: str) -> None:
    unmapped = q.unmapped_categories(store)
    total = q.unmapped_total(store)
    stages = q.stage_choices(store)
    if unmapped.empty:
        st.success("Every imported complaint is lined up to a stage.")
    else:
        st.markdown(f"**{total:,} complaints** are not yet lined up to a stage. Map their categories:")
        st.dataframe(
            unmapped,
            hide_index=True,
            width="stretch",
            column_config={
                "complaints": st.column_config.NumberColumn("Complaints", format="localized"),
                "first_received": None,
                "last_received": None,
            },
        )
    if not stages:
        st.info("The room has no stages yet; create them first.")
        return
    with st.form("new_rule", clear_on_submit=False):
        st.markdown("**New rule** — it also applies to complaints already imported.")
        cats = sorted(set(unmapped["category"])) if not unmapped.empty else []
        c1, c2, c3 = st.columns(3)
        category = c1.selectbox("Category", cats, index=0 if cats else None, key="rule_category")
        subcategory = c2.text_input("Subcategory (blank: all)", key="rule_subcategory")
        sources = q.complaint_sources(store)
        source = c3.selectbox("Source", ["(every source)", *sources], key="rule_source")
        stage = _stage_select("Stage", stages, key="rule_stage")
        if st.form_submit_button("Add rule", type="primary"):
            try:
                rule = CategoryRuleCreate(
                    category=category or "",
                    subcategory=subcategory or None,
                    source=None if source == "(every source)" else source,
                    stage_slug=stage,
                )
                evidence.create_category_rule(store, rule, actor=actor)
                st.success(md(f"Rule added: '{category}' → {dict(stages)[stage]}."))
            except (CxroomError, ValueError) as exc:
                st.error(md(str(exc)))
    rules = q.category_rules(store)
    if not rules.empty:
        st.markdown("**Rules** (the most specific wins)")
        st.dataframe(rules.drop(columns=["id", "version", "stage_slug"]), hide_index=True, width="stretch")


# -- calls and artifacts -------------------------------------------------------------


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
            try:
                with st.spinner("Converting the recording for the browser…"):
                    new_id = add_call_recording(
                        store,
                        media,
                        data=audio.getvalue(),
                        original_name=audio.name,
                        stage_slug=stage,
                        title=title or Path(audio.name).stem,
                        recorded_at=datetime.now(),
                        consent=consent,
                        actor=actor,
                    )
                st.success(f"Call #{new_id} added.")
            except CxroomError as exc:
                st.error(md(str(exc)))
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
        if st.form_submit_button("Add the artifact") and upload_ is not None:
            try:
                new_id = add_artifact_file(
                    store,
                    media,
                    data=upload_.getvalue(),
                    original_name=upload_.name,
                    stage_slug=stage,
                    title=title or Path(upload_.name).stem,
                    kind=kind,
                    actor=actor,
                )
                st.success(f"Artifact #{new_id} added.")
            except CxroomError as exc:
                st.error(md(str(exc)))

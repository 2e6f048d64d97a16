"""Set-wise inserts of many rows at once (demo room, scale generator). Rows
come in as a DataFrame and go into DuckDB in one statement, never row by row."""

from __future__ import annotations

import pandas as pd

from cxroom.migrations.steps import fill_masked_verbatims
from cxroom.store import Tx, utcnow

COMPLAINT_COLUMNS = [
    "source",
    "external_id",
    "received_at",
    "channel",
    "category",
    "subcategory",
    "verbatim",
    "severity",
]
RESPONSE_COLUMNS = ["response_id", "question_id", "value", "answered_at"]


def open_batch(tx: Tx, *, kind: str, source: str, file_name: str = "", actor: str = "system") -> int:
    return int(
        tx.fetch_value(
            "INSERT INTO import_batches (kind, source, file_name, started_at, created_by) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            [kind, source, file_name, utcnow(), actor],
        )
    )


def close_batch(tx: Tx, batch_id: int, *, rows_read: int, rows_imported: int) -> None:
    tx.execute(
        "UPDATE import_batches SET finished_at = ?, rows_read = ?, rows_imported = ? WHERE id = ?",
        [utcnow(), rows_read, rows_imported, batch_id],
    )


def insert_complaints(tx: Tx, frame: pd.DataFrame, batch_id: int) -> int:
    """Insert complaints (COMPLAINT_COLUMNS); stage and moment come from the category rules."""
    tx.cur.register("incoming_complaints", frame[COMPLAINT_COLUMNS])
    try:
        tx.execute(
            "INSERT INTO complaints (source, external_id, received_at, channel, category, subcategory, "
            "verbatim, severity, batch_id) SELECT source, external_id, received_at, channel, category, "
            "subcategory, verbatim, severity, ? FROM incoming_complaints",
            [batch_id],
        )
    finally:
        tx.cur.unregister("incoming_complaints")
    fill_masked_verbatims(tx, batch_id)
    return len(frame)


def insert_survey_responses(tx: Tx, frame: pd.DataFrame, batch_id: int) -> int:
    tx.cur.register("incoming_responses", frame[RESPONSE_COLUMNS])
    try:
        tx.execute(
            "INSERT INTO survey_responses (response_id, question_id, value, answered_at, batch_id) "
            "SELECT response_id, question_id, value, answered_at, ? FROM incoming_responses",
            [batch_id],
        )
    finally:
        tx.cur.unregister("incoming_responses")
    return len(frame)


def kpi_ids_by_name(tx: Tx) -> dict[str, int]:
    return {name: int(kpi) for kpi, name in tx.fetch_all("SELECT id, name FROM kpis")}


def question_ids_by_text(tx: Tx) -> dict[str, int]:
    return {text: int(q) for q, text in tx.fetch_all("SELECT id, text FROM survey_questions")}


def table_is_empty(tx: Tx, table: str) -> bool:
    return not tx.fetch_value(f"SELECT count(*) FROM {table}")

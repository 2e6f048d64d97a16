"""The complaints pass: type, check, de-duplicate and insert a staged file's complaints, set-wise,
with their stage and moment from the category rules. It runs inside the import's transaction.
"""

from __future__ import annotations

from cxroom.importers import dates
from cxroom.importers import sqlexpr as sx
from cxroom.importers.mapping import ComplaintMapping
from cxroom.importers.passes import checks
from cxroom.importers.report import ImportReport, Progress
from cxroom.importers.stage import Staged
from cxroom.migrations.steps import masked_for_insert
from cxroom.store import Tx

SEVERITIES = ("low", "normal", "high", "critical")


# Most specific rule wins, exactly as services.evidence.APPLY_RULES_SQL resolves it: a
# rule for this source beats a rule for every source, then a rule for the sub-category
# beats one for the whole category (score = 2 * source + subcategory), and the moment is
# the best-scoring rule's that names a moment (arg_max skips NULLs). Here the rules that
# can apply to one batch (one source) are reduced to the best per (category,
# subcategory-or-NULL); each complaint looks up its exact (category, subcategory) and its
# category-wide entry, and the higher score wins (never a tie: one is odd, one even).
_BEST_RULES = """
CREATE TEMP TABLE {table} AS
SELECT cat, sub, max(score) AS score, arg_max(stage_id, score) AS stage_id,
       max(score) FILTER (WHERE moment_id IS NOT NULL) AS moment_score, arg_max(moment_id, score) AS moment_id
FROM (
    SELECT lower(category) AS cat, lower(subcategory) AS sub, stage_id, moment_id,
           (source IS NOT NULL)::INT * 2 + (subcategory IS NOT NULL)::INT AS score
    FROM category_rules
    WHERE source IS NULL OR source = {source}
)
GROUP BY cat, sub
"""


def run(
    tx: Tx,
    staged: Staged,
    m: ComplaintMapping,
    report: ImportReport,
    batch_id: int | None,
    progress: Progress | None,
    window: dates.DateWindow,
) -> None:
    """Validate, de-duplicate and insert complaints in a few set-wise statements.

    For speed on million-row files every value is typed once: one scan of the
    staging table writes typ_* (each row as it would be stored, NULL where a
    required value is missing or unreadable); the rejected rows are found in it
    and explained in chk_* (only those rows), and the good rows are inserted
    from it, with their stage and moment from the category rules, in one INSERT.
    Typing once costs less than typing twice (once to check, once to insert).
    """
    t, typ = staged.table, f"typ_{staged.table}"
    c_date, c_cat = staged.col(m.received_at), staged.col(m.category)
    c_id, c_sub, c_verb, c_chan, c_sev = (
        staged.col(h) for h in (m.external_id, m.subcategory, m.verbatim, m.channel, m.severity)
    )
    assert c_date and c_cat
    severity = f"coalesce(lower({sx.text(c_sev)}), 'normal')" if c_sev else "'normal'"
    date_missing, cat_missing = sx.is_missing(c_date), sx.is_missing(c_cat)
    allowed = ", ".join(sx.lit(s) for s in SEVERITIES)
    # A row is rejected when its date or category is missing or unreadable, or its severity is unknown.
    rejected = "received_at IS NULL OR category IS NULL" + (f" OR severity NOT IN ({allowed})" if c_sev else "")
    ident = sx.text(c_id) if c_id else "CAST(NULL AS VARCHAR)"

    ids: dict[str, int] = {}

    def check(fmt: str) -> int:
        """Type every row with date format ``fmt`` and explain the rejected ones; returns how many."""
        date_sql = dates.within(sx.date(c_date, fmt), window)
        tx.execute(f"DROP TABLE IF EXISTS {typ}")
        tx.execute(
            f"CREATE TEMP TABLE {typ} AS SELECT rn, {ident} AS ident, {date_sql} AS received_at, "
            f"coalesce({sx.text(c_chan)}, '') AS channel, {sx.text(c_cat)} AS category, "
            f"coalesce({sx.text(c_sub)}, '') AS subcategory, {sx.raw_text(c_verb)} AS verbatim, "
            f"{severity} AS severity FROM {t}"
        )
        # One scan counts the rejected rows and, for the steps below, the rows without an id and
        # whether the file may repeat one (distinct hashes of the ids: fewer than the ids only if
        # an id repeats, or, very rarely, two hashes collide, and then the exact de-duplication
        # below runs anyway).
        n_bad, ids["missing"], ids["repeated"], ids["last_rn"] = tx.fetch_one(
            f"SELECT count(*) FILTER (WHERE {rejected}), count(*) FILTER (WHERE ident IS NULL), "
            f"count(ident) - count(DISTINCT hash(ident)), max(rn) FROM {typ}"
        ) or (0, 0, 0, 0)
        n_bad = int(n_bad)
        errors = [
            *dates.column_errors(m.received_at, c_date, fmt, window, empty_message="the date is empty"),
            checks.err(m.category, cat_missing, "'the category is empty'"),
        ]
        if c_sev and m.severity is not None:  # a severity column is found only when one is mapped
            errors.append(
                checks.err(
                    m.severity,
                    f"{severity} NOT IN ({allowed})",
                    f"'severity must be low, normal, high or critical, not ' || {checks.shown(c_sev)}",
                )
            )
        which = f"rn IN (SELECT rn FROM {typ} WHERE {rejected})" if n_bad else "FALSE"
        tx.execute(f"DROP TABLE IF EXISTS chk_{t}")
        tx.execute(
            f"CREATE TEMP TABLE chk_{t} AS SELECT rn, {checks.errs(errors)} AS errs, FALSE AS partial "
            f"FROM {t} WHERE {which}"
        )
        return n_bad

    # Most files have ISO dates, so ISO is tried first and detection over all
    # values runs only when some date did not read as ISO (a rejected row).
    fmt = m.date_format or "iso"
    n_bad = check(fmt)
    if m.date_format is None and n_bad:
        not_iso = int(
            tx.fetch_value(
                f"SELECT count(*) FROM {t} WHERE rn IN (SELECT rn FROM chk_{t}) AND NOT {date_missing} "
                f"AND {sx.date(c_date, 'iso')} IS NULL"
            )
        )
        if not_iso:
            fmt = checks.detect_format(tx, staged, m.received_at)
            n_bad = check(fmt)
    checks.state_format(report, fmt)
    report.rows_rejected = staged.rows_unparsable + n_bad
    # Rows without an id (no id column, or an empty id) are identified by a hash of
    # their content plus its occurrence number, so the same file imported twice is recognised.
    missing_ids, repeated_ids, last_rn = ids["missing"], ids["repeated"], ids["last_rn"]
    hashed = 0
    if missing_ids:
        id_missing = sx.is_missing(c_id) if c_id else "TRUE"
        content = "concat_ws(chr(31), " + ", ".join(f"coalesce(c{i}, '')" for i in range(len(staged.headers))) + ")"
        tx.execute(
            f"CREATE TEMP TABLE hid_{t} AS SELECT rn, "
            f"'hash:' || h || ':' || row_number() OVER (PARTITION BY h ORDER BY rn) "
            f"AS external_id FROM (SELECT rn, md5({content}) AS h FROM {t} WHERE {id_missing})"
        )
        hashed = int(tx.fetch_value(f"SELECT count(*) FROM hid_{t}"))
    if hashed:
        report.notes.append(f"{hashed} row(s) have no complaint id; they are recognised by their content.")
    ext = "coalesce(ident, h.external_id)" if hashed else "ident"
    joins = f" LEFT JOIN hid_{t} h USING (rn)" if hashed else ""
    where = [f"NOT ({rejected})"] if n_bad else ["TRUE"]
    if tx.fetch_value("SELECT count(*) FROM (SELECT 1 FROM complaints WHERE source = ? LIMIT 1)", [report.source]):
        where.append(
            f"NOT EXISTS (SELECT 1 FROM complaints x WHERE x.source = {sx.lit(report.source)} "
            f"AND x.external_id = {ext})"
        )
    qualify = ""
    if c_id and int(repeated_ids or 0):
        qualify = f" QUALIFY row_number() OVER (PARTITION BY {ext} ORDER BY rn) = 1"
    select = (
        f"SELECT rn, {sx.lit(report.source)} AS source, {ext} AS external_id, received_at, channel, category, "
        f"subcategory, verbatim, severity, {'NULL' if batch_id is None else int(batch_id)} AS batch_id "
        f"FROM {typ}{joins} WHERE {' AND '.join(where)}{qualify}"
    )
    if progress:
        progress(0.65, "Adding new complaints")
    if batch_id is None:
        report.rows_imported = int(tx.fetch_value(f"SELECT count(*) FROM ({select})"))
        return
    # The stage and moment come from the category rules in the same INSERT: updating a
    # million rows afterwards costs more than the two small joins.
    stage_sql, rule_joins = "NULL, NULL", ""
    if tx.fetch_value("SELECT count(*) FROM category_rules"):
        tx.execute(_BEST_RULES.format(table=f"rul_{t}", source=sx.lit(report.source)))
        stage_sql = ", ".join(
            f"CASE WHEN s.{score} IS NOT NULL AND (g.{score} IS NULL OR s.{score} > g.{score}) THEN s.{col} "
            f"ELSE g.{col} END"
            for col, score in (("stage_id", "score"), ("moment_id", "moment_score"))
        )
        rule_joins = (
            f" LEFT JOIN rul_{t} s ON s.sub IS NOT NULL AND s.cat = lower(n.category) "
            f"AND s.sub = lower(n.subcategory) LEFT JOIN rul_{t} g ON g.sub IS NULL AND g.cat = lower(n.category)"
        )
    # Ids are given, not drawn row by row: the id sequence's default makes DuckDB insert on one
    # thread (1M rows: 1.08 s against 0.58 s with ids given, the same CPU). One statement reserves
    # an id per staged row from the sequence, and row rn takes the rn-th (rejected and duplicate
    # rows leave gaps, as a sequence may). If the ids reserved are not one run, the default is used.
    id_col, id_sql = "", ""
    first, last, reserved = tx.fetch_one(
        "SELECT min(v), max(v), count(*) FROM (SELECT nextval('seq_complaint') AS v FROM range(?))", [int(last_rn or 0)]
    ) or (None, None, 0)
    if reserved and last - first + 1 == reserved:
        id_col, id_sql = "id, ", f"{int(first) - 1} + n.rn, "
    # The masked verbatim is written with the row, masked once per distinct text in Python, and
    # only for the rows this INSERT adds: a file overlapping the last export masks only what is new.
    tx.execute(f"CREATE TEMP VIEW new_{t} AS {select}")
    masked, masked_join = masked_for_insert(tx, f"new_{t}", "n.verbatim")
    report.rows_imported = int(
        tx.fetch_value(
            f"INSERT INTO complaints ({id_col}source, external_id, received_at, channel, category, subcategory, "
            f"verbatim, verbatim_masked, severity, batch_id, stage_id, moment_id) SELECT {id_sql}n.source, "
            f"n.external_id, n.received_at, n.channel, n.category, n.subcategory, n.verbatim, {masked}, "
            f"n.severity, n.batch_id, {stage_sql} FROM new_{t} n{rule_joins}{masked_join}"
        )
        or 0
    )
    if progress:
        progress(0.8, "Mapping categories to stages")
    rows = tx.fetch_all(
        "SELECT category, subcategory, count(*) AS n FROM complaints WHERE batch_id = ? AND stage_id IS NULL "
        "GROUP BY ALL ORDER BY n DESC, category LIMIT 50",
        [batch_id],
    )
    report.unmapped_categories = [{"category": r[0], "subcategory": r[1], "rows": int(r[2])} for r in rows]

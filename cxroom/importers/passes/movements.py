"""The customer-movements pass: type, check, de-duplicate and insert a staged file's movements,
set-wise, with the customer id replaced by a keyed hash and the reason mapped to a stage and
moment by the category rules (a reason is looked up as a category, the way complaints are).
It runs inside the import's transaction.

The keyed hash is HMAC's nested construction written in SQL, sha256(k_out || sha256(k_in || id))
with two keys drawn from the room's secret: DuckDB has sha256 but no hmac, and hashing millions of
ids in Python (hmac module) would cost seconds that a set-wise statement does not. Nesting keeps
the secret out of reach of the length extension a single sha256(key || id) would allow.
"""

from __future__ import annotations

from cxroom.importers import dates
from cxroom.importers import sqlexpr as sx
from cxroom.importers.movement_mapping import MOVEMENT_LABELS, MOVEMENT_WORDS, MovementMapping
from cxroom.importers.passes import checks
from cxroom.importers.passes.complaints import _BEST_RULES
from cxroom.importers.report import ImportReport, Progress
from cxroom.importers.stage import Staged
from cxroom.migrations.customer_math import CUSTOMER_KEY, derived_keys
from cxroom.store import Tx

_ACCEPTED = "new, won back, upgraded, downgraded or lost, or a usual synonym such as acquired, churned, cancelled"


def customer_key_sql(tx: Tx, id_sql: str) -> str:
    """SQL for the keyed hash of a customer id expression (the room's secret never leaves Python)."""
    secret = str(tx.fetch_value("SELECT value FROM meta WHERE key = ?", [CUSTOMER_KEY]) or "")
    if not secret:
        raise RuntimeError("The room has no customer-id secret; run its migrations (python -m cxroom init).")
    k_in, k_out = derived_keys(secret)
    return f"sha256({sx.lit(k_out)} || sha256({sx.lit(k_in)} || {id_sql}))"


def _movement_sql(col: str) -> str:
    words = ", ".join(f"{sx.lit(w)}: {sx.lit(m)}" for w, m in MOVEMENT_WORDS.items())
    normal = f"lower(trim(regexp_replace({col}, '[\\s_\\-]+', ' ', 'g')))"
    return f"(MAP {{{words}}})[{normal}]"


def run(
    tx: Tx,
    staged: Staged,
    m: MovementMapping,
    report: ImportReport,
    batch_id: int | None,
    progress: Progress | None,
    window: dates.DateWindow,
) -> None:
    """Validate, de-duplicate and insert movements in a few set-wise statements (typed once into
    typ_*, the rejected rows explained in chk_*, the good rows inserted from typ_*)."""
    t, typ = staged.table, f"typ_{staged.table}"
    c_date, c_cust, c_move = staged.col(m.moved_at), staged.col(m.customer_id), staged.col(m.movement)
    c_val, c_reason, c_chan, c_seg, c_id, c_active = (
        staged.col(h) for h in (m.value, m.reason, m.channel, m.segment, m.external_id, m.active_customers)
    )
    assert c_date and c_cust and c_move
    date_sql, date_errors = checks.date_expr(tx, staged, m.moved_at, m.date_format, window, report)
    value = f"CASE WHEN {sx.is_missing(c_val)} THEN NULL ELSE {sx.number(c_val)} END" if c_val else "NULL::DOUBLE"
    active = f"CASE WHEN {sx.is_missing(c_active)} THEN NULL ELSE {sx.number(c_active)} END" if c_active else "NULL"
    cust = sx.text(c_cust)
    val_missing = sx.is_missing(c_val) if c_val else "TRUE"
    active_missing = sx.is_missing(c_active) if c_active else "TRUE"
    tx.execute(f"DROP TABLE IF EXISTS {typ}")
    tx.execute(
        f"CREATE TEMP TABLE {typ} AS SELECT rn, {sx.text(c_id)} AS ident, {date_sql} AS moved_at, "
        f"CASE WHEN {cust} IS NULL THEN NULL ELSE {customer_key_sql(tx, cust)} END AS customer_key, "
        f"{_movement_sql(c_move)} AS movement, {value} AS value, {val_missing} AS val_missing, "
        f"{active} AS active, {active_missing} AS active_missing, "
        f"coalesce({sx.text(c_reason)}, '') AS reason, coalesce({sx.text(c_chan)}, '') AS channel, "
        f"coalesce({sx.text(c_seg)}, '') AS segment FROM {t}"
    )
    # A value or active count that is there but unreadable, negative (or a fraction of a customer)
    # rejects the row: the panel would otherwise count a movement with a wrong value.
    bad_value = "NOT {m} AND ({v} IS NULL OR NOT isfinite({v}) OR {v} < 0)"
    bad_active = "NOT {m} AND ({v} IS NULL OR {v} < 0 OR {v} <> round({v}))"
    rejected = (
        "moved_at IS NULL OR customer_key IS NULL OR movement IS NULL OR "
        + bad_value.format(m="val_missing", v="value")
        + " OR "
        + bad_active.format(m="active_missing", v="active")
    )
    errors = [
        *date_errors,
        checks.err(m.customer_id, sx.is_missing(c_cust), "'the customer id is empty'"),
        checks.err(m.movement, sx.is_missing(c_move), "'the movement is empty'"),
        checks.err(
            m.movement,
            f"NOT {sx.is_missing(c_move)} AND {_movement_sql(c_move)} IS NULL",
            f"'not a movement we know: ' || {checks.shown(c_move)} || {sx.lit(f' (use one of: {_ACCEPTED})')}",
        ),
    ]
    if c_val and m.value:
        errors.append(
            checks.err(
                m.value,
                bad_value.format(m=val_missing, v=f"({value})"),
                f"'not a value of 0 or more (use 1250 or 1,250.50): ' || {checks.shown(c_val)}",
            )
        )
    if c_active and m.active_customers:
        errors.append(
            checks.err(
                m.active_customers,
                bad_active.format(m=active_missing, v=f"({active})"),
                f"'active customers must be a whole number of 0 or more, not ' || {checks.shown(c_active)}",
            )
        )
    n_bad = int(tx.fetch_value(f"SELECT count(*) FROM {typ} WHERE {rejected}"))
    which = f"rn IN (SELECT rn FROM {typ} WHERE {rejected})" if n_bad else "FALSE"
    tx.execute(f"DROP TABLE IF EXISTS chk_{t}")
    tx.execute(
        f"CREATE TEMP TABLE chk_{t} AS SELECT rn, {checks.errs(errors)} AS errs, FALSE AS partial "
        f"FROM {t} WHERE {which}"
    )
    report.rows_rejected = staged.rows_unparsable + n_bad
    if n_bad:
        _hide_ids_in_quarantine(tx, staged, c_cust)
    good = f"NOT ({rejected})" if n_bad else "TRUE"
    # Movements without an id are recognised by what they say (customer, day, movement, value,
    # reason) plus the occurrence number, so the same export imported twice adds nothing.
    ext = (
        "coalesce(ident, 'hash:' || md5(concat_ws(chr(31), customer_key, moved_at::VARCHAR, movement, "
        "coalesce(value::VARCHAR, ''), reason)) || ':' || row_number() OVER (PARTITION BY ident IS NULL, "
        "customer_key, moved_at, movement, value, reason ORDER BY rn))"
    )
    numbered = f"SELECT *, {ext} AS external_id FROM {typ} WHERE {good}"
    src = sx.lit(report.source)
    select = (
        f"SELECT * FROM ({numbered}) n WHERE NOT EXISTS (SELECT 1 FROM customer_movements x "
        f"WHERE x.source = {src} AND x.external_id = n.external_id) "
        "QUALIFY row_number() OVER (PARTITION BY external_id ORDER BY rn) = 1"
    )
    if progress:
        progress(0.65, "Adding new customer movements")
    if batch_id is None:
        report.rows_imported = int(tx.fetch_value(f"SELECT count(*) FROM ({select})"))
        return
    tx.execute(f"CREATE TEMP TABLE new_{t} AS {select}")
    stage_sql, rule_join = "NULL, NULL", ""
    if tx.fetch_value("SELECT count(*) FROM category_rules"):
        tx.execute(_BEST_RULES.format(table=f"rul_{t}", source=src))
        stage_sql = "g.stage_id, g.moment_id"
        rule_join = f" LEFT JOIN rul_{t} g ON g.sub IS NULL AND g.cat = lower(n.reason) AND n.reason <> ''"
    report.rows_imported = int(
        tx.fetch_value(
            "INSERT INTO customer_movements (source, external_id, moved_at, customer_key, movement, value, reason, "
            f"channel, segment, batch_id, stage_id, moment_id) SELECT {src}, n.external_id, n.moved_at, "
            f"n.customer_key, n.movement, n.value, n.reason, n.channel, n.segment, {int(batch_id)}, {stage_sql} "
            f"FROM new_{t} n{rule_join}"
        )
        or 0
    )
    if c_active:
        _record_base(tx, t, src, batch_id, good)
    rows = tx.fetch_all(
        "SELECT reason, count(*) AS n FROM customer_movements WHERE batch_id = ? AND stage_id IS NULL "
        "AND movement IN ('lost', 'downgraded') AND reason <> '' GROUP BY ALL ORDER BY n DESC, reason LIMIT 50",
        [batch_id],
    )
    report.unmapped_categories = [{"category": r[0], "subcategory": "", "rows": int(r[1])} for r in rows]
    counts = dict(
        tx.fetch_all("SELECT movement, count(*) FROM customer_movements WHERE batch_id = ? GROUP BY 1", [batch_id])
    )
    if counts:
        report.notes.append(
            "Movements: "
            + ", ".join(f"{int(counts[k]):,} {label}" for k, label in MOVEMENT_LABELS.items() if k in counts)
            + "."
        )


def _record_base(tx: Tx, t: str, src: str, batch_id: int, good: str) -> None:
    """Active customers per month: the count on the month's last dated row that states one
    (a later batch's statement of a month is read over an earlier one's)."""
    tx.execute(
        f"CREATE TEMP TABLE base_{t} AS SELECT date_trunc('month', moved_at)::DATE AS month, "
        f"arg_max(active, (moved_at, rn))::BIGINT AS active FROM typ_{t} WHERE active IS NOT NULL AND {good} GROUP BY 1"
    )
    tx.execute(f"INSERT INTO customer_base SELECT month, {src}, active, ? FROM base_{t}", [batch_id])


def _hide_ids_in_quarantine(tx: Tx, staged: Staged, c_cust: str) -> None:
    """The quarantine keeps a rejected row's cells for repair: it is handed a copy of the
    rejected rows whose customer id is the hash's first 16 characters, never the id as the file
    had it (the service writes the quarantine from ``staged.table`` and its ``chk_`` table)."""
    t = staged.table
    tx.execute(
        f"CREATE TEMP TABLE q_{t} AS SELECT s.* REPLACE (CASE WHEN x.customer_key IS NULL THEN s.{c_cust} "
        f"ELSE '(hashed) ' || left(x.customer_key, 16) END AS {c_cust}) FROM {t} s JOIN typ_{t} x USING (rn) "
        f"WHERE s.rn IN (SELECT rn FROM chk_{t})"
    )
    tx.execute(f"CREATE TEMP TABLE chk_q_{t} AS SELECT * FROM chk_{t}")
    staged.table = f"q_{t}"

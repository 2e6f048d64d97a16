"""The KPI pass: readings from a file with a period per row (wide: a column per KPI, or long:
a KPI name and a value per row), or from a file with a row per call aggregated per day or month
(cxroom.importers.per_call). A changed reading replaces the stored one and is kept for undo
(cxroom.importers.superseded). It runs inside the import's transaction."""

from __future__ import annotations

from cxroom.importers import dates, per_call, superseded
from cxroom.importers import sqlexpr as sx
from cxroom.importers.errors import ImportFileError
from cxroom.importers.mapping import KpiMapping
from cxroom.importers.passes import checks
from cxroom.importers.report import ImportReport, Progress
from cxroom.importers.stage import Staged
from cxroom.store import Tx


def _kpi_ids(tx: Tx) -> dict[str, tuple[int, str]]:
    return {str(r[1]).casefold(): (int(r[0]), str(r[2])) for r in tx.fetch_all("SELECT id, name, frequency FROM kpis")}


def run(
    tx: Tx,
    staged: Staged,
    m: KpiMapping,
    report: ImportReport,
    batch_id: int | None,
    progress: Progress | None,
    window: dates.DateWindow,
) -> None:
    if m.aggregate:
        _run_per_call(tx, staged, m, report, batch_id, window)
        return
    t = staged.table
    kpis = _kpi_ids(tx)
    # -- the period of each row
    period_errors: list[str] = []
    if m.period:
        date_sql, period_errors = checks.date_expr(
            tx, staged, m.period, m.date_format, window, report, months=True, empty_message="the period is empty"
        )
        period_sql = f"CAST({date_sql} AS DATE)"
    elif m.start:
        start = dates.parse_day(m.start, "The start period", window)
        step = {"daily": "1 DAY", "weekly": "7 DAY", "monthly": "1 MONTH"}[m.frequency]
        if m.index:
            col = staged.col(m.index)
            assert col
            raw_index, index_header, shown = f"try_cast(trim({col}) AS BIGINT)", m.index, checks.shown(col)
        else:
            raw_index, index_header, shown = "rn", "", "'row ' || rn"
        # Bounded so that no index counts past the dates DuckDB holds (that would stop the import).
        index_sql = f"(CASE WHEN {raw_index} BETWEEN 1 AND {dates.MAX_INDEX} THEN {raw_index} END)"
        counted = f"CAST(DATE '{start.isoformat()}' + ({index_sql} - 1) * INTERVAL {step} AS DATE)"
        counted_shown = "'''' || CAST(" + counted + " AS VARCHAR) || ''' (' || " + shown + " || ')'"
        period_errors = [
            checks.err(
                index_header,
                f"{index_sql} IS NULL",
                f"'the index must be a whole number from 1 to {dates.MAX_INDEX}: ' || coalesce({shown}, 'empty')",
            ),
            *dates.range_errors(sx.lit(index_header), counted, counted_shown, window),
        ]
        period_sql = dates.within(counted, window)
        report.notes.append(
            f"Periods were numbered from {start.isoformat()} ({m.frequency}) by "
            + (f"column '{m.index}'." if m.index else "row number.")
        )
    else:
        assert m.fixed_period
        period_sql = f"DATE '{dates.parse_day(m.fixed_period, 'The period', window).isoformat()}'"
    # -- the readings, one per (row, KPI)
    if m.layout == "wide":
        checks.note_unused_columns(staged, m, report)
        names = _known_kpi_names(list(m.kpi_columns.values()), kpis, report, "the file's KPI columns", "")
        known = {h: kpis[name.casefold()] for h, name in m.kpi_columns.items() if name in names}
        readings_sql = checks.union_per_column(
            staged,
            list(known),
            lambda header, col: (
                f"SELECT rn, {sx.lit(header)} AS header, {known[header][0]} AS kpi_id, {sx.number(col)} AS value, "
                f"{col} AS raw, {sx.is_missing(col)} AS missing, {period_sql} AS period FROM {t}"
            ),
        )
    else:
        name_col, value_col = staged.col(m.kpi_name), staged.col(m.value)
        assert name_col and value_col and m.value is not None
        tx.execute(
            f"CREATE TEMP TABLE kn_{t} AS SELECT unnest(?::VARCHAR[]) AS kname, unnest(?::BIGINT[]) AS kpi_id",
            [list(kpis), [v[0] for v in kpis.values()]],
        )
        readings_sql = (
            f"SELECT rn, {sx.lit(m.value)} AS header, kn.kpi_id, {sx.number(value_col)} AS value, {value_col} AS raw, "
            f"{sx.is_missing(value_col)} AS missing, {period_sql} AS period, trim({name_col}) AS kpi_text "
            f"FROM {t} LEFT JOIN kn_{t} kn ON kn.kname = lower(trim({name_col}))"
        )
    # Monthly/weekly KPIs keep one reading per month/week: the period's first day.
    tx.execute(
        f"CREATE TEMP TABLE rd_{t} AS SELECT r.*, CASE k.frequency WHEN 'monthly' THEN CAST(date_trunc('month', "
        f"r.period) AS DATE) WHEN 'weekly' THEN CAST(date_trunc('week', r.period) AS DATE) ELSE r.period END "
        f"AS kperiod FROM ({readings_sql}) r LEFT JOIN kpis k ON k.id = r.kpi_id"
    )
    value_errors = [
        checks.err_dyn(
            "header",
            "NOT missing AND value IS NULL",
            "'not a number (use 12.5, 1,234, 94.01% or H:MM:SS): ' || '''' || left(trim(raw), 60) || ''''",
        ),
        checks.err_dyn("header", "NOT missing AND value IS NOT NULL AND NOT isfinite(value)", "'not a finite number'"),
    ]
    if m.layout == "long":
        value_errors.append(
            f"CASE WHEN kpi_id IS NULL THEN {{'column': {sx.lit(m.kpi_name or '')}, 'message': "
            f"CASE WHEN kpi_text IS NULL OR kpi_text = '' THEN 'the KPI name is empty' ELSE "
            f"'no KPI named ''' || left(kpi_text, 80) || ''' in this room; create it first' END}} END"
        )
        value_errors.append(
            f"CASE WHEN missing THEN {{'column': {sx.lit(m.value or '')}, 'message': 'the value is empty'}} END"
        )
    # A reading is good when it is a finite number for a known KPI; a bad one is quarantined on
    # its own and the row's good readings are kept (values_rejected), unless the row has none.
    good = "NOT {p}missing AND {p}value IS NOT NULL AND isfinite({p}value) AND {p}kpi_id IS NOT NULL"
    tx.execute(
        f"CREATE TEMP TABLE rde_{t} AS SELECT rn, flatten(list({checks.errs(value_errors)})) AS errs, "
        f"count(*) FILTER (WHERE {good.format(p='')}) AS n_values, count(*) FILTER (WHERE missing) AS n_empty "
        f"FROM rd_{t} GROUP BY rn"
    )
    # In-file conflicts: the same KPI and period given by two rows.
    tx.execute(
        f"CREATE TEMP TABLE rdd_{t} AS SELECT rn, list({{'column': header, 'message': 'the same KPI and period "
        f"were already given in row ' || first_rn}}) AS errs FROM (SELECT rn, header, min(rn) OVER "
        f"(PARTITION BY kpi_id, kperiod) AS first_rn FROM rd_{t} WHERE kpi_id IS NOT NULL AND NOT missing "
        f"AND kperiod IS NOT NULL) WHERE rn > first_rn GROUP BY rn"
    )
    checks.check_rows(
        tx,
        t,
        row_errors=f"list_concat({checks.errs(period_errors)}, coalesce(d.errs, []))",
        joins=f"LEFT JOIN rde_{t} e USING (rn) LEFT JOIN rdd_{t} d USING (rn)",
        nothing="the row has no KPI values",
    )
    checks.count_rows(tx, staged, report, empty_from=f"rde_{t}" if m.layout == "wide" else None)
    # Readings of good rows that are new or change a value; a row whose readings all exist unchanged is a duplicate.
    tx.execute(
        f"CREATE TEMP TABLE rdn_{t} AS SELECT r.rn, r.kpi_id, r.kperiod AS period, r.value FROM rd_{t} r "
        f"JOIN chk_{t} c ON c.rn = r.rn AND (len(c.errs) = 0 OR c.partial) "
        f"LEFT JOIN kpi_readings k ON k.kpi_id = r.kpi_id AND k.period = r.kperiod "
        f"WHERE {good.format(p='r.')} AND (k.kpi_id IS NULL OR k.value IS DISTINCT FROM r.value)"
    )
    report.rows_imported = int(tx.fetch_value(f"SELECT count(DISTINCT rn) FROM rdn_{t}"))
    _write_readings(tx, t, batch_id, report)


def _run_per_call(
    tx: Tx, staged: Staged, m: KpiMapping, report: ImportReport, batch_id: int | None, window: dates.DateWindow
) -> None:
    """One row per call, aggregated per day or month into KPI readings (cxroom.importers.per_call).

    Every call row is accounted for: a row whose date is missing, unreadable or outside the
    room's window is quarantined whole; an unreadable flag or number is quarantined on its own
    and the row's other values still count; empty cells are left out of means and rates. A call
    row is imported when its period's readings are new or change a value, a duplicate when
    they are all stored already, unchanged.
    """
    t = staged.table
    assert m.aggregate and m.period
    checks.note_unused_columns(staged, m, report)
    kpis = _kpi_ids(tx)
    names = _known_kpi_names(
        list(m.measures), kpis, report, "the per-call measures", " (or name them in the mapping's measures)"
    )
    known = {name: spec for name, spec in m.measures.items() if name in names}
    # A KPI kept per month cannot take daily values (its readings are dated the first of the month).
    coarse = {"day": ("weekly", "monthly"), "month": ("weekly",)}[m.aggregate]
    mismatched = [n for n in known if kpis[n.casefold()][1] in coarse]
    if mismatched:
        raise ImportFileError(
            f"KPI(s) {', '.join(repr(n) for n in mismatched)} are kept "
            f"{'/'.join(sorted({kpis[n.casefold()][1] for n in mismatched}))}: aggregate per "
            + ("month (--aggregate month)." if m.aggregate == "day" else "day, or change the KPI's frequency.")
        )
    date_sql, period_errors = checks.date_expr(
        tx, staged, m.period, m.date_format, window, report, empty_message="the date is empty"
    )
    specs = list(known.items())
    typed = ", ".join(
        f"{per_call.value_sql(staged.col(spec.column) or 'NULL', spec.measure)} AS v{i}"
        for i, (_name, spec) in enumerate(specs)
    )
    tx.execute(
        f"CREATE TEMP TABLE pc_{t} AS SELECT rn, {per_call.period_sql(date_sql, m.aggregate)} AS period, {typed} "
        f"FROM {t}"
    )
    # Value errors: a flag that is neither yes nor no, a number that is not one (empty cells are no value).
    value_errors, good, empty = [], [], []
    for i, (_name, spec) in enumerate(specs):
        if spec.measure == "count":
            good.append("1")
            continue
        col = staged.col(spec.column)
        assert col
        missing = sx.is_missing(col)
        what = "yes or no (Y/N)" if spec.measure == "rate" else "a number"
        value_errors.append(
            checks.err(spec.column, f"NOT {missing} AND p.v{i} IS NULL", f"'not {what}: ' || {checks.shown(col)}")
        )
        good.append(f"(p.v{i} IS NOT NULL)::INT")
        empty.append(f"({missing})::INT")
    tx.execute(
        f"CREATE TEMP TABLE pce_{t} AS SELECT s.rn, {checks.errs(value_errors)} AS errs, "
        f"{' + '.join(good)} AS n_values, {' + '.join(empty) or '0'} AS n_empty "
        f"FROM {t} s JOIN pc_{t} p USING (rn)"
    )
    checks.check_rows(
        tx,
        t,
        row_errors=checks.errs(period_errors),
        joins=f"LEFT JOIN pce_{t} e USING (rn)",
        nothing="the row has no value to aggregate",
    )
    # Empty cells are counted once per measure reading them (values_empty), never as errors.
    checks.count_rows(tx, staged, report, empty_from=f"pce_{t}")
    aggregates = " UNION ALL ".join(
        f"SELECT p.period, {kpis[name.casefold()][0]} AS kpi_id, {per_call.measure_sql(f'p.v{i}', spec.measure)} "
        f"AS value FROM pc_{t} p JOIN chk_{t} c ON c.rn = p.rn AND (len(c.errs) = 0 OR c.partial) "
        f"WHERE p.period IS NOT NULL GROUP BY p.period HAVING count(p.v{i}) > 0"
        for i, (name, spec) in enumerate(specs)
    )
    tx.execute(f"CREATE TEMP TABLE pca_{t} AS {aggregates}")
    tx.execute(
        f"CREATE TEMP TABLE rdn_{t} AS SELECT a.kpi_id, a.period, a.value FROM pca_{t} a "
        f"LEFT JOIN kpi_readings k ON k.kpi_id = a.kpi_id AND k.period = a.period "
        f"WHERE k.kpi_id IS NULL OR k.value IS DISTINCT FROM a.value"
    )
    periods, calls = tx.fetch_one(
        f"SELECT count(DISTINCT p.period), count(*) FROM pc_{t} p JOIN chk_{t} c ON c.rn = p.rn "
        f"AND (len(c.errs) = 0 OR c.partial)"
    ) or (0, 0)
    report.rows_imported = int(
        tx.fetch_value(
            f"SELECT count(*) FROM pc_{t} p JOIN chk_{t} c ON c.rn = p.rn AND (len(c.errs) = 0 OR c.partial) "
            f"WHERE p.period IN (SELECT period FROM rdn_{t})"
        )
        or 0
    )
    description = per_call.describe({n: (s.column, s.measure) for n, s in specs}, m.aggregate)
    report.aggregation = {
        "per": m.aggregate,
        "rows": int(calls),
        "periods": int(periods),
        "readings": int(tx.fetch_value(f"SELECT count(*) FROM pca_{t}") or 0),
        "measures": {n: {"column": s.column, "measure": s.measure} for n, s in specs},
        "description": description,
    }
    report.notes.append(f"{description} {int(calls)} call row(s) gave {int(periods)} period(s).")
    _write_readings(tx, t, batch_id, report)


def _write_readings(tx: Tx, t: str, batch_id: int | None, report: ImportReport) -> None:
    """Write the readings staged in rdn_{t} (wide, long or per-call), saying how many replace a value."""
    changed = int(
        tx.fetch_value(
            f"SELECT count(*) FROM rdn_{t} n JOIN kpi_readings k ON k.kpi_id = n.kpi_id AND k.period = n.period"
        )
    )
    if changed:
        report.notes.append(f"{changed} existing KPI reading(s) were replaced by new values (undo restores them).")
    if batch_id is not None:
        # The readings replaced are kept, keyed by this batch, so that undo puts them back exactly.
        superseded.keep_replaced(tx, batch_id, f"rdn_{t}")
        tx.execute(
            f"INSERT INTO kpi_readings SELECT kpi_id, period, value, ? FROM rdn_{t} "
            "ON CONFLICT (kpi_id, period) DO UPDATE SET value = excluded.value, batch_id = excluded.batch_id",
            [batch_id],
        )


def _known_kpi_names(
    names: list[str], kpis: dict[str, tuple[int, str]], report: ImportReport, what: str, hint: str
) -> set[str]:
    """The ``names`` that are KPIs of the room; the others are named in a note, and a file
    that names none is refused (``what`` says what named them, ``hint`` how to fix it)."""
    unknown = [name for name in names if name.casefold() not in kpis]
    if unknown:
        report.notes.append(
            "Not imported: no KPI named "
            + ", ".join(repr(u) for u in unknown)
            + " in this room. Create the KPI (Listening page or Room setup), then import again."
        )
    known = {name for name in names if name.casefold() in kpis}
    if not known:
        raise ImportFileError(
            f"None of {what} matches a KPI of this room ("
            + ", ".join(repr(u) for u in unknown)
            + f"). Create the KPIs first{hint}, then import."
        )
    return known

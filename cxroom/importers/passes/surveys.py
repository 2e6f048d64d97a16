"""The survey pass: answers from a wide file (a column per question) or a long one (a question
and a value per row), checked against each question's scale, with the respondent's comment
(masked for the roles that may not see it). It runs inside the import's transaction.
"""

from __future__ import annotations

from cxroom.importers import dates
from cxroom.importers import sqlexpr as sx
from cxroom.importers.mapping import SCALES, SurveyMapping
from cxroom.importers.passes import checks
from cxroom.importers.report import ImportReport, Progress
from cxroom.importers.stage import Staged
from cxroom.migrations.steps import masked_for_insert
from cxroom.store import Tx


def run(
    tx: Tx,
    staged: Staged,
    m: SurveyMapping,
    report: ImportReport,
    batch_id: int | None,
    progress: Progress | None,
    window: dates.DateWindow,
) -> None:
    t = staged.table
    na = [v for v in m.na_values]
    # -- when each response was given
    date_errors: list[str] = []
    if m.answered_at:
        answered_sql, date_errors = checks.date_expr(
            tx, staged, m.answered_at, m.date_format, window, report, months=True
        )
    else:
        assert m.fixed_period
        answered_sql = f"TIMESTAMP '{dates.parse_day(m.fixed_period, 'The period', window).isoformat()}'"
        report.notes.append(f"Every answer is dated {m.fixed_period} (the file has no date column).")
    # -- who answered
    id_errors: list[str] = []
    if m.response_id:
        col = staged.col(m.response_id)
        assert col
        rid_sql = sx.text(col)
        id_errors = [checks.err(m.response_id, f"{sx.is_missing(col)}", "'the response id is empty'")]
    else:
        content = "concat_ws(chr(31), " + ", ".join(f"coalesce(c{i}, '')" for i in range(len(staged.headers))) + ")"
        rid_sql = (
            f"'hash:' || md5({content}) || ':' || row_number() OVER (PARTITION BY md5({content}) ORDER BY rn)"
            if m.layout == "wide"
            else f"'hash:' || md5({content})"
        )
    # -- the questions (created when new; in a dry run they vanish with the rollback)
    if m.layout == "wide":
        wanted = dict(m.questions)
        checks.note_unused_columns(staged, m, report)
    else:
        qcol = staged.col(m.question)
        assert qcol
        texts = tx.fetch_all(f"SELECT DISTINCT trim({qcol}) FROM {t} WHERE NOT {sx.is_missing(qcol)}")
        wanted = {str(r[0]): m.default_kind for r in texts}
    for text_, default_kind in wanted.items():
        tx.execute(
            "INSERT INTO survey_questions (survey, text, kind) VALUES (?, ?, ?) ON CONFLICT (survey, text) DO NOTHING",
            [m.survey, text_[:200], default_kind],
        )
    qrows = tx.fetch_all("SELECT id, text, kind FROM survey_questions WHERE survey = ?", [m.survey])
    qid = {str(r[1]): (int(r[0]), str(r[2])) for r in qrows}
    na_list = tuple(na)
    if m.layout == "wide":

        def answers_of(header: str, col: str) -> str:
            qid_, kind = qid[header[:200]]
            low, high = SCALES[kind]
            return (
                f"SELECT rn, {sx.lit(header)} AS header, {qid_} AS question_id, {low} AS low, {high} AS high, "
                f"{sx.number(col)} AS value, {col} AS raw, {sx.is_missing(col, na_list)} AS skip FROM {t}"
            )

        answers_sql = checks.union_per_column(staged, list(m.questions), answers_of)
    else:
        qcol, vcol = staged.col(m.question), staged.col(m.value)
        assert qcol and vcol and m.value is not None
        tx.execute(
            f"CREATE TEMP TABLE q_{t} AS SELECT unnest(?::VARCHAR[]) AS qtext, unnest(?::BIGINT[]) AS question_id, "
            "unnest(?::DOUBLE[]) AS low, unnest(?::DOUBLE[]) AS high",
            [
                list(qid),
                [v[0] for v in qid.values()],
                [SCALES[v[1]][0] for v in qid.values()],
                [SCALES[v[1]][1] for v in qid.values()],
            ],
        )
        answers_sql = (
            f"SELECT rn, {sx.lit(m.value)} AS header, q.question_id, q.low, q.high, {sx.number(vcol)} AS value, "
            f"{vcol} AS raw, {sx.is_missing(vcol, na_list)} AS skip "
            f"FROM {t} LEFT JOIN q_{t} q ON q.qtext = trim({qcol})"
        )
    tx.execute(
        f"CREATE TEMP TABLE resp_{t} AS SELECT rn, {rid_sql} AS response_id, {answered_sql} AS answered_at, "
        f"{_comment_sql(staged, m)} AS comment FROM {t}"
    )
    tx.execute(f"CREATE TEMP TABLE ans_{t} AS {answers_sql}")
    answer_errors = [
        checks.err_dyn(
            "header", "NOT skip AND value IS NULL", "'not a number: ' || '''' || left(trim(raw), 60) || ''''"
        ),
        checks.err_dyn(
            "header",
            "NOT skip AND value IS NOT NULL AND (value < low OR value > high)",
            "'out of the scale ' || CAST(low AS INTEGER) || '-' || CAST(high AS INTEGER) || ': ' || "
            "'''' || trim(raw) || '''' || ' (mark it not-applicable if it means that)'",
        ),
    ]
    if m.layout == "long":
        qh = sx.lit(m.question or "")
        answer_errors.append(
            f"CASE WHEN question_id IS NULL THEN {{'column': {qh}, 'message': 'the question is empty'}} END"
        )
    # An answer is good when it is a number on its question's scale; a bad one is quarantined on
    # its own and the respondent's good answers are kept (values_rejected), unless none is good.
    good = "NOT {p}skip AND {p}question_id IS NOT NULL AND {p}value BETWEEN {p}low AND {p}high"
    tx.execute(
        f"CREATE TEMP TABLE anse_{t} AS SELECT rn, flatten(list({checks.errs(answer_errors)})) AS errs, "
        f"count(*) FILTER (WHERE {good.format(p='')}) AS n_values, count(*) FILTER (WHERE skip) AS n_empty "
        f"FROM ans_{t} GROUP BY rn"
    )
    dup_errors = ""
    if m.layout == "long":
        tx.execute(
            f"CREATE TEMP TABLE ansd_{t} AS SELECT rn, [{{'column': {sx.lit(m.question or '')}, 'message': "
            f"'this respondent already answered this question in row ' || first_rn}}] AS errs FROM ("
            f"SELECT a.rn, min(a.rn) OVER (PARTITION BY r.response_id, a.question_id) AS first_rn FROM ans_{t} a "
            f"JOIN resp_{t} r USING (rn) WHERE a.question_id IS NOT NULL AND r.response_id IS NOT NULL) "
            f"WHERE rn > first_rn"
        )
        dup_errors = f"LEFT JOIN ansd_{t} d USING (rn)"
    else:
        if m.response_id:
            tx.execute(
                f"CREATE TEMP TABLE ansd_{t} AS SELECT rn, [{{'column': {sx.lit(m.response_id)}, 'message': "
                f"'the same response id is already in row ' || first_rn}}] AS errs FROM (SELECT rn, min(rn) OVER "
                f"(PARTITION BY response_id) AS first_rn FROM resp_{t} WHERE response_id IS NOT NULL) "
                f"WHERE rn > first_rn"
            )
            dup_errors = f"LEFT JOIN ansd_{t} d USING (rn)"
    dup_part = "coalesce(d.errs, [])" if dup_errors else "[]"
    checks.check_rows(
        tx,
        t,
        row_errors=f"list_concat({checks.errs(date_errors + id_errors)}, {dup_part})",
        joins=f"LEFT JOIN anse_{t} e USING (rn) {dup_errors}",
        nothing="no answers (every rating is empty or not applicable)",
    )
    checks.count_rows(tx, staged, report, empty_from=f"anse_{t}")
    tx.execute(
        f"CREATE TEMP TABLE ansn_{t} AS SELECT a.rn, r.response_id, a.question_id, a.value, r.answered_at, "
        f"r.comment FROM ans_{t} a JOIN resp_{t} r USING (rn) "
        f"JOIN chk_{t} c ON c.rn = a.rn AND (len(c.errs) = 0 OR c.partial) WHERE {good.format(p='a.')} "
        f"AND NOT EXISTS (SELECT 1 FROM survey_responses x WHERE x.response_id = r.response_id "
        f"AND x.question_id = a.question_id)"
    )
    report.rows_imported, report.comments_imported = (
        int(n or 0)
        for n in tx.fetch_one(
            f"SELECT count(DISTINCT rn), count(DISTINCT response_id) FILTER (WHERE comment IS NOT NULL) FROM ansn_{t}"
        )
        or (0, 0)
    )
    if batch_id is not None:
        # The masked comment is written with the row, masked once per distinct text (as complaints').
        masked, masked_join = (
            masked_for_insert(tx, f"ansn_{t}", "n.comment", column="comment") if m.comments else ("NULL", "")
        )
        tx.execute(
            "INSERT INTO survey_responses (response_id, question_id, value, answered_at, batch_id, comment, "
            f"comment_masked) SELECT n.response_id, n.question_id, n.value, n.answered_at, ?, n.comment, {masked} "
            f"FROM ansn_{t} n{masked_join}",
            [batch_id],
        )
    if m.comments:
        report.notes.append(
            f"{report.comments_imported} response(s) with a comment, from column(s) "
            + ", ".join(repr(h) for h in m.comments)
            + " (personal data masked for the roles that may not see it)."
        )
    report.notes.append(
        f"Survey '{m.survey}': {len(wanted)} question(s)"
        + (f"; not-applicable values: {', '.join(repr(v) for v in na)}" if na else "")
        + "."
    )


def _comment_sql(staged: Staged, m: SurveyMapping) -> str:
    """The response's comment: its open-text cells, trimmed, one line each, empty ones skipped; NULL when none."""
    if not m.comments:
        return "CAST(NULL AS VARCHAR)"
    # trim() alone keeps the line breaks a quoted cell may end with (Olist's messages end in CRLF).
    blank = "chr(32) || chr(9) || chr(10) || chr(13)"
    cells = ", ".join(f"nullif(trim({sx.raw_text(staged.col(h))}, {blank}), '')" for h in m.comments)
    return f"nullif(concat_ws(chr(10), {cells}), '')"

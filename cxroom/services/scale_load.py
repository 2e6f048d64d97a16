"""Set-wise generation of a company-scale room inside DuckDB (benchmarks).

Randomness comes from hash(row number, salt), not random(): DuckDB runs these
statements on several threads, and a hash gives the same value for the same
row whatever the thread order, so the same seed gives the same room.
"""

from __future__ import annotations

from datetime import date

from cxroom.migrations.steps import fill_masked_verbatims
from cxroom.permissions import Action
from cxroom.store import Tx

# u(i, salt): a deterministic uniform number in [0, 1) for row i.
_U = "((hash({i}, {salt}) % 1000003)::DOUBLE / 1000003)"


def _u(i: str, salt: int) -> str:
    return _U.format(i=i, salt=salt)


COMPLAINTS_SQL = """
INSERT INTO complaints (source, external_id, received_at, channel, category, subcategory, verbatim,
                        stage_id, moment_id, severity, batch_id)
WITH cats AS (
    SELECT row_number() OVER (ORDER BY r.id) - 1 AS k, r.category, r.stage_id, r.moment_id
    FROM category_rules r
), n_cats AS (SELECT count(*) AS n FROM cats),
gen AS (
    SELECT i,
           -- skew volumes: low category numbers are common, high ones rare
           floor(pow({u_cat}, 1.6) * (SELECT n FROM n_cats))::BIGINT AS k,
           {u_day} AS u_day, {u_src} AS u_src, {u_txt} AS u_txt, {u_min} AS u_min
    FROM range(?) t(i)
)
SELECT list_element(['Call centre', 'E-mail', 'Web form', 'Social', 'Regulator'],
                    (1 + floor(g.u_src * 5))::INT),
       'SCALE-' || lpad(g.i::VARCHAR, 9, '0'),
       ?::TIMESTAMP - INTERVAL (floor(g.u_day * ?)::INT) DAY + INTERVAL (floor(g.u_min * 720)::INT + 480) MINUTE,
       list_element(['phone', 'email', 'web', 'social', 'letter'], (1 + floor(g.u_src * 5))::INT),
       c.category, '',
       CASE WHEN g.u_txt < 0.3 THEN list_element([
            'Waited on hold for an hour and the call dropped.',
            'My bill does not match what I was quoted.',
            'Nobody called me back about my claim.',
            'The renewal price went up with no explanation.',
            'Third time I am contacting you about this.'], (1 + floor(g.u_txt * 16.6))::INT) END,
       c.stage_id, c.moment_id,
       CASE WHEN g.u_src > 0.98 THEN 'high' ELSE 'normal' END,
       ?
FROM gen g JOIN cats c ON c.k = least(g.k, (SELECT n FROM n_cats) - 1)
""".format(u_cat=_u("i", 11), u_day=_u("i", 12), u_src=_u("i", 13), u_txt=_u("i", 14), u_min=_u("i", 15))

SURVEY_SQL = """
INSERT INTO survey_responses (response_id, question_id, value, answered_at, batch_id)
WITH qs AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, kind FROM survey_questions),
n_q AS (SELECT count(*) AS n FROM qs),
gen AS (SELECT i, floor({u_q} * (SELECT n FROM n_q))::BIGINT AS k, {u_v} AS u_v, {u_d} AS u_d FROM range(?) t(i))
SELECT 'SR-' || lpad(g.i::VARCHAR, 9, '0'), q.id,
       CASE q.kind WHEN 'nps' THEN floor(g.u_v * 11) WHEN 'csat' THEN 1 + floor(g.u_v * 5)
                   WHEN 'ces' THEN 1 + floor(g.u_v * 7) ELSE floor(g.u_v * 101) END,
       ?::TIMESTAMP - INTERVAL (floor(g.u_d * ?)::INT) DAY,
       ?
FROM gen g JOIN qs q ON q.k = g.k
""".format(u_q=_u("i", 21), u_v=_u("i", 22), u_d=_u("i", 23))

KPI_READINGS_SQL = """
INSERT INTO kpi_readings (kpi_id, period, value, batch_id)
SELECT k.id, d::DATE,
       round(CASE WHEN k.unit = '%' THEN least(100, greatest(0, coalesce(k.target, 80) - 6
                   + 10 * {u_v} + 4 * sin(datediff('day', DATE '2000-01-01', d::DATE) / 58.0)))
                  ELSE coalesce(k.target, 50) * (0.8 + 0.45 * {u_v}) END, 2),
       ?
FROM kpis k, range(?::DATE - INTERVAL (? - 1) DAY, ?::DATE + INTERVAL 1 DAY, INTERVAL 1 DAY) r(d)
WHERE k.frequency = 'daily'
""".format(u_v=_u("k.id * 100000 + datediff('day', DATE '2000-01-01', d::DATE)", 31))

CALLS_SQL = """
INSERT INTO calls (stage_id, moment_id, title, media_sha256, duration_s, clip_start_s, clip_end_s, transcript,
                   recorded_at, channel, consent, tags, on_wall)
WITH src AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, * FROM calls),
n_src AS (SELECT count(*) AS n FROM src),
st AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM stages),
n_st AS (SELECT count(*) AS n FROM st)
SELECT st.id, NULL, s.title || ' #' || i, s.media_sha256, s.duration_s, s.clip_start_s, s.clip_end_s,
       s.transcript, s.recorded_at - INTERVAL (i % 900) DAY, s.channel, s.consent, s.tags, false
FROM range(?) t(i)
JOIN src s ON s.k = i % (SELECT n FROM n_src)
JOIN st ON st.k = (i * 7) % (SELECT n FROM n_st)
"""

ARTIFACTS_SQL = """
INSERT INTO artifacts (stage_id, moment_id, title, kind, media_sha256, caption, asks_of_customer, version_label,
                       issued_on, position)
WITH src AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, * FROM artifacts),
n_src AS (SELECT count(*) AS n FROM src),
st AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM stages),
n_st AS (SELECT count(*) AS n FROM st)
SELECT st.id, NULL, a.title || ' (variant ' || i || ')', a.kind, a.media_sha256, a.caption, a.asks_of_customer,
       'v' || (i % 9 + 1), a.issued_on, 100 + i
FROM range(?) t(i)
JOIN src a ON a.k = i % (SELECT n FROM n_src)
JOIN st ON st.k = (i * 5) % (SELECT n FROM n_st)
"""

FIXES_SQL = """
INSERT INTO fixes (title, problem, stage_id, moment_id, sponsor, lead, status, chartered_on, due_on)
WITH m AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, stage_id, name FROM moments),
n_m AS (SELECT count(*) AS n FROM m)
SELECT 'Fix ' || i || ': ' || m.name, 'Customers are let down at "' || m.name || '" (scale room).',
       m.stage_id, m.id, 'Sponsor ' || (i % 12), 'Lead ' || (i % 40),
       list_element(['chartered', 'diagnosing', 'recommending', 'implementing', 'results', 'celebrated',
                     'dropped'], (1 + i % 7)::INT),
       ?::DATE - INTERVAL (i * 3 % 1000) DAY, ?::DATE - INTERVAL (i * 3 % 1000) DAY + INTERVAL 120 DAY
FROM range(?) t(i) JOIN m ON m.k = i % (SELECT n FROM n_m)
"""

FIX_MEMBERS_SQL = """
INSERT INTO fix_members (fix_id, person, silo_id)
WITH s AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM silos), n_s AS (SELECT count(*) AS n FROM s)
SELECT f.id, 'Member ' || ((f.id * 3 + j) % 90), s.id
FROM fixes f, range(3) t(j)
JOIN s ON s.k = (f.id + j) % (SELECT n FROM n_s)
WHERE f.title LIKE 'Fix %'
"""

REVIEWS_SQL = """
INSERT INTO reviews (held_on, kind, title, status, attendees, closed_at)
SELECT (?::DATE - INTERVAL (i) MONTH + INTERVAL 7 DAY)::DATE,
       CASE WHEN i % 3 = 0 THEN 'quarterly' ELSE 'monthly' END,
       'Room review ' || strftime(?::DATE - INTERVAL (i) MONTH, '%B %Y'), 'closed',
       ['Leadership team'], ?::TIMESTAMP - INTERVAL (i) MONTH + INTERVAL 8 DAY
FROM range(?) t(i)
"""

FINDINGS_SQL = """
INSERT INTO review_findings (review_id, stage_id, text, evidence, created_by, created_at)
WITH st AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, id, name FROM stages),
n_st AS (SELECT count(*) AS n FROM st)
SELECT r.id, st.id, 'Customers let down at ' || st.name || ' (finding ' || j || ')', 'scale room', 'demo',
       r.closed_at
FROM reviews r, range(3) t(j) JOIN st ON st.k = (r.id + j) % (SELECT n FROM n_st)
WHERE r.title LIKE 'Room review %'
"""


def load(
    tx: Tx,
    *,
    end: date,
    days: int,
    complaints: int,
    responses: int,
    calls: int,
    artifacts: int,
    fixes: int,
    reviews: int,
    batch_id: int,
) -> None:
    """Fill the big tables; the structure (stages, rules, KPIs, questions, media) must exist."""
    tx.require(Action.IMPORT)
    tx.execute(COMPLAINTS_SQL, [complaints, end, days, batch_id])
    fill_masked_verbatims(tx, batch_id)
    tx.execute(SURVEY_SQL, [responses, end, days, batch_id])
    tx.execute(KPI_READINGS_SQL, [batch_id, end, days, end])
    if calls:
        tx.execute(CALLS_SQL, [calls])
    if artifacts:
        tx.execute(ARTIFACTS_SQL, [artifacts])
    tx.execute(FIXES_SQL, [end, end, fixes])
    tx.execute(FIX_MEMBERS_SQL)
    tx.execute(REVIEWS_SQL, [end, end, end, reviews])
    tx.execute(FINDINGS_SQL)

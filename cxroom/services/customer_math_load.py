"""Movements written in bulk, for the demo room and the company-scale rooms: one batch, the
movements and the stated active customers, and (scale) millions of movements generated set-wise
inside DuckDB, with the randomness of cxroom.services.scale_load (a hash of the row number)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from cxroom.migrations.customer_math import CUSTOMER_KEY
from cxroom.permissions import Action
from cxroom.services import bulk
from cxroom.services.customer_math import reapply_rules
from cxroom.store import Store, Tx

MOVEMENT_COLUMNS = ["external_id", "moved_at", "customer_key", "movement", "value", "reason", "channel", "segment"]


def room_secret(store: Store) -> str:
    return str(store.fetch_value("SELECT value FROM meta WHERE key = ?", [CUSTOMER_KEY]))


def load_movements(store: Store, frame: pd.DataFrame, base: pd.DataFrame, *, source: str, actor: str) -> int:
    """Insert ``frame`` (MOVEMENT_COLUMNS; keys already hashed) and ``base`` (month, active_customers)
    as one batch; the reasons get their stages from the category rules."""
    with store.transaction(actor) as tx:
        tx.require(Action.IMPORT)
        batch = bulk.open_batch(tx, kind="demo", source=source, file_name="demo", actor=actor)
        tx.cur.register("incoming_movements", frame[MOVEMENT_COLUMNS])
        tx.cur.register("incoming_base", base[["month", "active_customers"]])
        try:
            tx.execute(
                f"INSERT INTO customer_movements (source, batch_id, {', '.join(MOVEMENT_COLUMNS)}) "
                f"SELECT ?, ?, {', '.join(MOVEMENT_COLUMNS)} FROM incoming_movements",
                [source, batch],
            )
            tx.execute(
                "INSERT INTO customer_base SELECT month::DATE, ?, active_customers, ? FROM incoming_base",
                [source, batch],
            )
        finally:
            tx.cur.unregister("incoming_movements")
            tx.cur.unregister("incoming_base")
        reapply_rules(tx, set(frame["reason"].unique()))
        bulk.close_batch(tx, batch, rows_read=len(frame), rows_imported=len(frame))
    return len(frame)


# Movements for a scale room: a tenth in, a tenth lost, the rest up- and downgrades spread over
# the stages' category rules, so the wall's band and every column have losses to show.
SCALE_SQL = """
INSERT INTO customer_movements (source, external_id, moved_at, customer_key, movement, value, reason,
                                channel, segment, stage_id, moment_id, batch_id)
WITH cats AS (SELECT row_number() OVER (ORDER BY id) - 1 AS k, category, stage_id, moment_id FROM category_rules),
n_cats AS (SELECT count(*) AS n FROM cats),
gen AS (
    SELECT i, {u_kind} AS u_kind, floor(pow({u_cat}, 1.4) * (SELECT n FROM n_cats))::BIGINT AS k,
           {u_day} AS u_day, {u_val} AS u_val
    FROM range(?) t(i)
),
typed AS (
    SELECT *, CASE WHEN u_kind < 0.42 THEN 'new' WHEN u_kind < 0.47 THEN 'won_back' WHEN u_kind < 0.55 THEN 'upgraded'
                   WHEN u_kind < 0.62 THEN 'downgraded' ELSE 'lost' END AS movement
    FROM gen
)
SELECT 'Scale generator', 'SCALE-M-' || lpad(g.i::VARCHAR, 9, '0'),
       ?::TIMESTAMP - INTERVAL (floor(g.u_day * ?)::INT) DAY,
       sha256('scale customer ' || (g.i % 3000000)::VARCHAR), g.movement, round(300 + g.u_val * 2400),
       CASE WHEN g.movement IN ('lost', 'downgraded') THEN c.category ELSE '' END,
       'web', list_element(['Home', 'Motor', 'Business'], (1 + floor(g.u_val * 3))::INT),
       CASE WHEN g.movement IN ('lost', 'downgraded') THEN c.stage_id END,
       CASE WHEN g.movement IN ('lost', 'downgraded') THEN c.moment_id END, ?
FROM typed g JOIN cats c ON c.k = least(g.k, (SELECT n FROM n_cats) - 1)
""".format(
    u_kind="((hash(i, 31) % 1000003)::DOUBLE / 1000003)",
    u_cat="((hash(i, 32) % 1000003)::DOUBLE / 1000003)",
    u_day="((hash(i, 33) % 1000003)::DOUBLE / 1000003)",
    u_val="((hash(i, 34) % 1000003)::DOUBLE / 1000003)",
)


# The active customers at each month's end: a base of three million plus the customers in less
# those lost, so retention reads and in - out reconciles.
SCALE_BASE_SQL = """
INSERT INTO customer_base
SELECT month, 'Scale generator', 3000000 + sum(net) OVER (ORDER BY month), ?
FROM (
    SELECT date_trunc('month', moved_at)::DATE AS month,
           count(*) FILTER (WHERE movement IN ('new', 'won_back')) - count(*) FILTER (WHERE movement = 'lost') AS net
    FROM customer_movements WHERE batch_id = ? GROUP BY ALL
)
"""


def load_scale_movements(tx: Tx, *, count: int, end: date, days: int, batch_id: int) -> None:
    """``count`` movements over ``days`` days to ``end`` (ids are hashes of generated numbers:
    a scale room holds no real customer)."""
    tx.require(Action.IMPORT)
    tx.execute(SCALE_SQL, [count, end, days, batch_id])
    tx.execute(SCALE_BASE_SQL, [batch_id, batch_id])

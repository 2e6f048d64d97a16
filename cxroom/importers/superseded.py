"""KPI readings an import replaces, kept so that undoing the import puts them back exactly.

A reading replaced by batch B is saved in kpi_readings_superseded under B, with
its value and its own batch (``old_batch_id``). Undoing B deletes B's readings
and restores what B replaced. Batches can be undone in any order: when a later
batch C replaced B's reading, C's saved entry is re-pointed at what B had
replaced (or dropped, where B's reading was new), so the room ends as if B had
never been imported, and undoing C later still restores the right reading.
"""

from __future__ import annotations

from cxroom.store import Tx


def keep_replaced(tx: Tx, batch_id: int, incoming: str) -> None:
    """Save the current readings that the rows of temp table ``incoming`` (kpi_id, period) will replace."""
    tx.execute(
        f"INSERT INTO kpi_readings_superseded SELECT ?, k.kpi_id, k.period, k.value, k.batch_id FROM {incoming} n "
        "JOIN kpi_readings k ON k.kpi_id = n.kpi_id AND k.period = n.period",
        [batch_id],
    )


def restore_replaced(tx: Tx, batch_id: int) -> int:
    """Put back the readings ``batch_id`` replaced (its own readings are already deleted); how many came back."""
    # 1. Where this batch's reading was still current (now deleted), the replaced one comes back.
    restored = int(
        tx.fetch_value(
            "INSERT INTO kpi_readings SELECT s.kpi_id, s.period, s.value, s.old_batch_id "
            "FROM kpi_readings_superseded s WHERE s.batch_id = ? AND NOT EXISTS (SELECT 1 FROM kpi_readings k "
            "WHERE k.kpi_id = s.kpi_id AND k.period = s.period)",
            [batch_id],
        )
        or 0
    )
    # 2. Where a later batch replaced this batch's reading, the later batch now replaced what this one did...
    tx.execute(
        "UPDATE kpi_readings_superseded AS later SET value = s.value, old_batch_id = s.old_batch_id "
        "FROM kpi_readings_superseded s WHERE s.batch_id = ? AND later.old_batch_id = s.batch_id "
        "AND later.kpi_id = s.kpi_id AND later.period = s.period",
        [batch_id],
    )
    # 3. ...or nothing, where this batch's reading was new: undoing the later one then leaves no reading.
    tx.execute("DELETE FROM kpi_readings_superseded WHERE old_batch_id = ? AND batch_id <> ?", [batch_id, batch_id])
    tx.execute("DELETE FROM kpi_readings_superseded WHERE batch_id = ?", [batch_id])
    return restored

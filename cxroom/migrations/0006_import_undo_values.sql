-- Undo restores: a KPI reading an import replaces is kept here, keyed by the batch that
-- replaced it, so undoing that batch puts the reading back exactly (value and the batch
-- it came from). ``old_batch_id`` is the replaced reading's own batch (NULL: none).
CREATE TABLE IF NOT EXISTS kpi_readings_superseded (
    batch_id BIGINT NOT NULL,
    kpi_id BIGINT NOT NULL,
    period DATE NOT NULL,
    value DOUBLE NOT NULL,
    old_batch_id BIGINT,
    PRIMARY KEY (batch_id, kpi_id, period)
);

-- Every value accounted for: a quarantined row whose other values were imported
-- (a bad rating among good ones) is marked, so the quarantine tells it apart from a row
-- that was rejected whole.
ALTER TABLE import_rejects ADD COLUMN IF NOT EXISTS values_only BOOLEAN DEFAULT false;

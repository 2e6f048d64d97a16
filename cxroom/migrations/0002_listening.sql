-- Listening: what an import could not take (quarantine), how each file was
-- read, and the column mapping saved per source for next month's file.

-- One row per rejected record of a batch. ``errors`` names every problem
-- (column and reason); ``raw`` holds the record's cells as read (NULL when
-- the record could not be split into cells, then ``raw_line`` has its text).
CREATE TABLE IF NOT EXISTS import_rejects (
    batch_id BIGINT NOT NULL,
    row_number BIGINT NOT NULL,
    errors STRUCT("column" VARCHAR, message VARCHAR)[] NOT NULL,
    raw VARCHAR[],
    raw_line VARCHAR
);

-- How the file of a batch was read (one row per batch).
CREATE TABLE IF NOT EXISTS import_batch_files (
    batch_id BIGINT PRIMARY KEY,
    headers VARCHAR[] NOT NULL,
    file_kind VARCHAR NOT NULL DEFAULT 'csv',
    encoding VARCHAR NOT NULL DEFAULT 'utf-8',
    delimiter VARCHAR NOT NULL DEFAULT ',',
    mapping JSON,
    report JSON
);

-- The column mapping last used for a source, offered again next time.
CREATE TABLE IF NOT EXISTS source_mappings (
    kind VARCHAR NOT NULL CHECK (kind IN ('complaints', 'kpis', 'surveys')),
    source VARCHAR NOT NULL,
    mapping JSON NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by VARCHAR NOT NULL,
    PRIMARY KEY (kind, source)
);

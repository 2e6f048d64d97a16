-- Room reviews: the agenda of a review, what each finding rests on, which fix
-- was chartered from which finding, and the frozen snapshot of the room taken
-- when a review closes (so "what changed since the last review" compares
-- like with like, whatever happens to the live data later).

-- The agenda. ``position`` orders it (1..n, renumbered on every change);
-- ``version`` guards edits of one item (two people reordering at once).
CREATE SEQUENCE IF NOT EXISTS seq_agenda_item;
CREATE TABLE IF NOT EXISTS review_agenda_items (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_agenda_item'),
    review_id BIGINT NOT NULL,
    position INTEGER NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('stage', 'fix', 'win', 'note')),
    section VARCHAR NOT NULL CHECK (section IN ('letting_down', 'fixes_due', 'wins', 'other')),
    title VARCHAR NOT NULL,
    reasons VARCHAR[] NOT NULL DEFAULT [],
    stage_id BIGINT,
    moment_id BIGINT,
    fix_id BIGINT,
    minutes INTEGER NOT NULL DEFAULT 5 CHECK (minutes BETWEEN 1 AND 120),
    source VARCHAR NOT NULL DEFAULT 'proposed' CHECK (source IN ('proposed', 'added')),
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- The evidence a finding rests on: a KPI, a complaint category of the stage,
-- a survey question, a call, an artifact, or the agenda item being discussed.
-- ``label`` is the evidence as it read when the finding was recorded.
CREATE TABLE IF NOT EXISTS review_finding_evidence (
    finding_id BIGINT NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('kpi', 'complaints', 'survey', 'call', 'artifact', 'agenda_item')),
    ref_id BIGINT,
    ref_text VARCHAR NOT NULL DEFAULT '',
    label VARCHAR NOT NULL
);

-- Fixes chartered from a finding.
CREATE TABLE IF NOT EXISTS review_finding_fixes (
    finding_id BIGINT NOT NULL,
    fix_id BIGINT NOT NULL,
    PRIMARY KEY (finding_id, fix_id)
);

-- The room as it stood when a review closed. ``month`` is the month of data
-- the review looked at (the month before it was held); ``as_of`` is when the
-- review closed: moment reliability and fix status are read from their
-- histories as they stood then.
-- Names are copied so a later rename does not rewrite history.
CREATE TABLE IF NOT EXISTS review_snapshots (
    review_id BIGINT PRIMARY KEY,
    month DATE NOT NULL,
    as_of TIMESTAMP NOT NULL,
    taken_by VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS review_snapshot_kpis (
    review_id BIGINT NOT NULL,
    kpi_id BIGINT NOT NULL,
    stage_id BIGINT NOT NULL,
    moment_id BIGINT,
    name VARCHAR NOT NULL,
    unit VARCHAR NOT NULL,
    direction VARCHAR NOT NULL,
    target DOUBLE,
    warning DOUBLE,
    value DOUBLE,
    status VARCHAR NOT NULL CHECK (status IN ('green', 'amber', 'red', 'none')),
    PRIMARY KEY (review_id, kpi_id)
);

-- stage_id NULL: complaints not yet lined up to a stage.
CREATE TABLE IF NOT EXISTS review_snapshot_complaints (
    review_id BIGINT NOT NULL,
    stage_id BIGINT,
    category VARCHAR NOT NULL,
    n BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS review_snapshot_surveys (
    review_id BIGINT NOT NULL,
    question_id BIGINT NOT NULL,
    survey VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    n BIGINT NOT NULL,
    score DOUBLE,
    PRIMARY KEY (review_id, question_id)
);

CREATE TABLE IF NOT EXISTS review_snapshot_moments (
    review_id BIGINT NOT NULL,
    moment_id BIGINT NOT NULL,
    stage_id BIGINT NOT NULL,
    name VARCHAR NOT NULL,
    is_key BOOLEAN NOT NULL,
    reliability VARCHAR NOT NULL,
    PRIMARY KEY (review_id, moment_id)
);

CREATE TABLE IF NOT EXISTS review_snapshot_fixes (
    review_id BIGINT NOT NULL,
    fix_id BIGINT NOT NULL,
    stage_id BIGINT NOT NULL,
    title VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    due_on DATE,
    chartered_on DATE NOT NULL,
    PRIMARY KEY (review_id, fix_id)
);

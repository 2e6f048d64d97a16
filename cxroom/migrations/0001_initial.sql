-- The room's first schema. Foreign keys are checked in the services, not by
-- DuckDB: DuckDB refuses updates to rows that other rows reference, which would
-- make ordinary edits (renaming a stage) fail.
CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);
INSERT INTO meta VALUES ('data_version', '0') ON CONFLICT DO NOTHING;
INSERT INTO meta VALUES ('room_name', 'Customer Room') ON CONFLICT DO NOTHING;

CREATE SEQUENCE IF NOT EXISTS seq_stage;
CREATE TABLE IF NOT EXISTS stages (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_stage'),
    slug VARCHAR NOT NULL UNIQUE,
    name VARCHAR NOT NULL,
    customer_goal VARCHAR NOT NULL DEFAULT '',
    description VARCHAR NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    colour VARCHAR NOT NULL DEFAULT '#4C78A8',
    archived BOOLEAN NOT NULL DEFAULT false,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE IF NOT EXISTS seq_silo;
CREATE TABLE IF NOT EXISTS silos (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_silo'),
    name VARCHAR NOT NULL UNIQUE,
    description VARCHAR NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE IF NOT EXISTS seq_moment;
CREATE TABLE IF NOT EXISTS moments (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_moment'),
    stage_id BIGINT NOT NULL,
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    drives_revenue BOOLEAN NOT NULL DEFAULT false,
    forms_relationship BOOLEAN NOT NULL DEFAULT false,
    rescues_at_risk BOOLEAN NOT NULL DEFAULT false,
    grows_wallet BOOLEAN NOT NULL DEFAULT false,
    reliability VARCHAR NOT NULL DEFAULT 'unreliable'
        CHECK (reliability IN ('broken', 'unreliable', 'reliable', 'differentiating')),
    is_key BOOLEAN NOT NULL DEFAULT false,
    position INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE IF NOT EXISTS seq_moment_state;
CREATE TABLE IF NOT EXISTS moment_state_history (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_moment_state'),
    moment_id BIGINT NOT NULL,
    from_state VARCHAR,
    to_state VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL,
    reason VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS stage_silos (
    stage_id BIGINT NOT NULL,
    silo_id BIGINT NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('owner', 'contributor')),
    PRIMARY KEY (stage_id, silo_id)
);

CREATE TABLE IF NOT EXISTS moment_silos (
    moment_id BIGINT NOT NULL,
    silo_id BIGINT NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('owner', 'contributor')),
    PRIMARY KEY (moment_id, silo_id)
);

CREATE TABLE IF NOT EXISTS media (
    sha256 VARCHAR PRIMARY KEY,
    mime VARCHAR NOT NULL,
    size_bytes BIGINT NOT NULL,
    original_name VARCHAR NOT NULL DEFAULT '',
    duration_s DOUBLE,
    width INTEGER,
    height INTEGER,
    created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE IF NOT EXISTS seq_artifact;
CREATE TABLE IF NOT EXISTS artifacts (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_artifact'),
    stage_id BIGINT NOT NULL,
    moment_id BIGINT,
    title VARCHAR NOT NULL,
    kind VARCHAR NOT NULL
        CHECK (kind IN ('letter', 'bill', 'email', 'packaging', 'label', 'web_page', 'form', 'other')),
    media_sha256 VARCHAR NOT NULL,
    caption VARCHAR NOT NULL DEFAULT '',
    asks_of_customer VARCHAR NOT NULL DEFAULT '',
    version_label VARCHAR NOT NULL DEFAULT '',
    issued_on DATE,
    position INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE IF NOT EXISTS seq_batch;
CREATE TABLE IF NOT EXISTS import_batches (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_batch'),
    kind VARCHAR NOT NULL CHECK (kind IN ('complaints', 'kpis', 'surveys', 'demo')),
    source VARCHAR NOT NULL,
    file_name VARCHAR NOT NULL DEFAULT '',
    file_sha256 VARCHAR,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL DEFAULT 'committed' CHECK (status IN ('committed', 'undone')),
    rows_read BIGINT NOT NULL DEFAULT 0,
    rows_imported BIGINT NOT NULL DEFAULT 0,
    rows_duplicate BIGINT NOT NULL DEFAULT 0,
    rows_rejected BIGINT NOT NULL DEFAULT 0,
    created_by VARCHAR NOT NULL DEFAULT 'system'
);

-- Complaints can run to millions of rows: no secondary indexes (DuckDB's ART
-- indexes cost memory and insert time); de-duplication on (source,
-- external_id) is done set-wise by the importer with an anti-join.
CREATE SEQUENCE IF NOT EXISTS seq_complaint;
CREATE TABLE IF NOT EXISTS complaints (
    id BIGINT DEFAULT nextval('seq_complaint'),
    source VARCHAR NOT NULL,
    external_id VARCHAR NOT NULL,
    received_at TIMESTAMP NOT NULL,
    channel VARCHAR NOT NULL DEFAULT '',
    category VARCHAR NOT NULL DEFAULT '',
    subcategory VARCHAR NOT NULL DEFAULT '',
    verbatim VARCHAR,
    stage_id BIGINT,
    moment_id BIGINT,
    severity VARCHAR NOT NULL DEFAULT 'normal' CHECK (severity IN ('low', 'normal', 'high', 'critical')),
    batch_id BIGINT
);

CREATE SEQUENCE IF NOT EXISTS seq_rule;
CREATE TABLE IF NOT EXISTS category_rules (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_rule'),
    source VARCHAR,
    category VARCHAR NOT NULL,
    subcategory VARCHAR,
    stage_id BIGINT NOT NULL,
    moment_id BIGINT,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE IF NOT EXISTS seq_kpi;
CREATE TABLE IF NOT EXISTS kpis (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_kpi'),
    stage_id BIGINT NOT NULL,
    moment_id BIGINT,
    name VARCHAR NOT NULL,
    unit VARCHAR NOT NULL DEFAULT '',
    direction VARCHAR NOT NULL CHECK (direction IN ('higher_better', 'lower_better')),
    target DOUBLE,
    warning DOUBLE,
    frequency VARCHAR NOT NULL DEFAULT 'monthly' CHECK (frequency IN ('daily', 'weekly', 'monthly')),
    silo_id BIGINT,
    definition VARCHAR NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE IF NOT EXISTS kpi_readings (
    kpi_id BIGINT NOT NULL,
    period DATE NOT NULL,
    value DOUBLE NOT NULL,
    batch_id BIGINT,
    PRIMARY KEY (kpi_id, period)
);

CREATE SEQUENCE IF NOT EXISTS seq_question;
CREATE TABLE IF NOT EXISTS survey_questions (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_question'),
    survey VARCHAR NOT NULL,
    text VARCHAR NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('nps', 'csat', 'ces', 'percent')),
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (survey, text)
);

CREATE TABLE IF NOT EXISTS survey_question_stages (
    question_id BIGINT NOT NULL,
    stage_id BIGINT NOT NULL,
    PRIMARY KEY (question_id, stage_id)
);

CREATE TABLE IF NOT EXISTS survey_responses (
    response_id VARCHAR NOT NULL,
    question_id BIGINT NOT NULL,
    value DOUBLE NOT NULL,
    answered_at TIMESTAMP NOT NULL,
    batch_id BIGINT
);

CREATE SEQUENCE IF NOT EXISTS seq_call;
CREATE TABLE IF NOT EXISTS calls (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_call'),
    stage_id BIGINT NOT NULL,
    moment_id BIGINT,
    title VARCHAR NOT NULL,
    media_sha256 VARCHAR NOT NULL,
    duration_s DOUBLE NOT NULL,
    clip_start_s INTEGER NOT NULL DEFAULT 0,
    clip_end_s INTEGER,
    transcript JSON,
    recorded_at TIMESTAMP NOT NULL,
    channel VARCHAR NOT NULL DEFAULT 'phone',
    consent BOOLEAN NOT NULL DEFAULT false,
    tags VARCHAR[] NOT NULL DEFAULT [],
    on_wall BOOLEAN NOT NULL DEFAULT true,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE IF NOT EXISTS seq_review;
CREATE TABLE IF NOT EXISTS reviews (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_review'),
    held_on DATE NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('monthly', 'quarterly')),
    title VARCHAR NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_session', 'closed')),
    attendees VARCHAR[] NOT NULL DEFAULT [],
    notes VARCHAR NOT NULL DEFAULT '',
    closed_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE IF NOT EXISTS seq_finding;
CREATE TABLE IF NOT EXISTS review_findings (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_finding'),
    review_id BIGINT NOT NULL,
    stage_id BIGINT,
    moment_id BIGINT,
    text VARCHAR NOT NULL,
    evidence VARCHAR NOT NULL DEFAULT '',
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE IF NOT EXISTS seq_decision;
CREATE TABLE IF NOT EXISTS review_decisions (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_decision'),
    review_id BIGINT NOT NULL,
    finding_id BIGINT,
    text VARCHAR NOT NULL,
    owner VARCHAR NOT NULL DEFAULT '',
    due_on DATE,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE SEQUENCE IF NOT EXISTS seq_fix;
CREATE TABLE IF NOT EXISTS fixes (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_fix'),
    title VARCHAR NOT NULL,
    problem VARCHAR NOT NULL,
    stage_id BIGINT NOT NULL,
    moment_id BIGINT,
    sponsor VARCHAR NOT NULL,
    lead VARCHAR NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'chartered' CHECK (status IN
        ('chartered', 'diagnosing', 'recommending', 'implementing', 'results', 'celebrated', 'dropped')),
    chartered_on DATE NOT NULL,
    chartered_review_id BIGINT,
    due_on DATE,
    findings VARCHAR NOT NULL DEFAULT '',
    recommendations VARCHAR NOT NULL DEFAULT '',
    results VARCHAR NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE IF NOT EXISTS fix_members (
    fix_id BIGINT NOT NULL,
    person VARCHAR NOT NULL,
    silo_id BIGINT NOT NULL,
    PRIMARY KEY (fix_id, person)
);

CREATE TABLE IF NOT EXISTS fix_kpis (
    fix_id BIGINT NOT NULL,
    kpi_id BIGINT NOT NULL,
    baseline DOUBLE,
    baseline_period DATE,
    target DOUBLE,
    PRIMARY KEY (fix_id, kpi_id)
);

CREATE SEQUENCE IF NOT EXISTS seq_fix_update;
CREATE TABLE IF NOT EXISTS fix_updates (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_fix_update'),
    fix_id BIGINT NOT NULL,
    happened_at TIMESTAMP NOT NULL,
    author VARCHAR NOT NULL,
    from_status VARCHAR,
    to_status VARCHAR,
    note VARCHAR NOT NULL DEFAULT ''
);

CREATE TABLE IF NOT EXISTS fix_presentations (
    fix_id BIGINT NOT NULL,
    review_id BIGINT NOT NULL,
    presented_at TIMESTAMP NOT NULL,
    PRIMARY KEY (fix_id, review_id)
);

CREATE SEQUENCE IF NOT EXISTS seq_audit;
CREATE TABLE IF NOT EXISTS audit_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_audit'),
    happened_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    entity VARCHAR NOT NULL,
    entity_id VARCHAR,
    before JSON,
    after JSON
);

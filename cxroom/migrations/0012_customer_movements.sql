-- Customer math: customers coming in (new, won back) and going out (lost, downgraded),
-- with their value, the reason mapped to a stage by the category rules, and the calls
-- leaders make to lost customers.

-- One row per movement of one customer. ``customer_key`` is a keyed hash of the
-- customer's id (the key is the room's own secret in meta, see the migration's Python
-- step), so the id itself is never stored and cannot be recovered by hashing guesses.
-- ``value`` is the yearly value that moved (annual revenue, or the room's unit): a
-- customer's whole value for new, won back and lost; the change for up- and downgrades.
CREATE SEQUENCE IF NOT EXISTS seq_movement;
CREATE TABLE IF NOT EXISTS customer_movements (
    id BIGINT DEFAULT nextval('seq_movement'),
    source VARCHAR NOT NULL,
    external_id VARCHAR NOT NULL,
    moved_at TIMESTAMP NOT NULL,
    customer_key VARCHAR NOT NULL,
    movement VARCHAR NOT NULL CHECK (movement IN ('new', 'won_back', 'upgraded', 'downgraded', 'lost')),
    value DOUBLE,
    reason VARCHAR NOT NULL DEFAULT '',
    channel VARCHAR NOT NULL DEFAULT '',
    segment VARCHAR NOT NULL DEFAULT '',
    stage_id BIGINT,
    moment_id BIGINT,
    batch_id BIGINT
);

-- Active customers at the end of a month, when an export states it: the base that
-- retention is measured against, and what in - out is reconciled with. Every import's
-- statement is kept; the latest committed batch's counts for a month are the ones read,
-- so undoing a batch brings back the counts it restated.
CREATE TABLE IF NOT EXISTS customer_base (
    month DATE NOT NULL,
    source VARCHAR NOT NULL,
    active_customers BIGINT NOT NULL,
    batch_id BIGINT
);

-- The room's agreed definitions (set-up): what counts as an incoming and an outgoing
-- customer, and the unit of value. One row per term.
CREATE TABLE IF NOT EXISTS customer_definitions (
    term VARCHAR PRIMARY KEY CHECK (term IN ('incoming', 'outgoing', 'value_unit')),
    text VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by VARCHAR NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- Calls made to lost customers: who called, when, what the customer said, the reason
-- (mapped to a stage by the rules, or chosen), the lost movement it answers (if known)
-- and the recording (a row of calls, which already stores, transcribes and masks audio).
CREATE SEQUENCE IF NOT EXISTS seq_lost_call;
CREATE TABLE IF NOT EXISTS lost_customer_calls (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_lost_call'),
    called_at TIMESTAMP NOT NULL,
    called_by VARCHAR NOT NULL,
    customer_said VARCHAR NOT NULL DEFAULT '',
    reason VARCHAR NOT NULL DEFAULT '',
    stage_id BIGINT,
    moment_id BIGINT,
    movement_id BIGINT,
    call_id BIGINT,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

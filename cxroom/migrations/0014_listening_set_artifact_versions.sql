-- The listening set of a review: the calls and clips the facilitator queues for it, in order.
-- clip_end_s NULL plays to the end of the recording.
CREATE SEQUENCE IF NOT EXISTS seq_listening_item;
CREATE TABLE IF NOT EXISTS review_listening_items (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_listening_item'),
    review_id BIGINT NOT NULL,
    call_id BIGINT NOT NULL,
    clip_start_s INTEGER NOT NULL DEFAULT 0,
    clip_end_s INTEGER,
    position INTEGER NOT NULL,
    note VARCHAR NOT NULL DEFAULT '',
    added_by VARCHAR NOT NULL,
    added_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- The listening log: a call (or clip) played to a review's attendees. The title, stage and
-- attendees are copied when it plays, so the log still reads after a call is purged by the
-- retention rule, moved to another stage, or the review's attendee list is edited.
CREATE SEQUENCE IF NOT EXISTS seq_listening_play;
CREATE TABLE IF NOT EXISTS listening_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_listening_play'),
    review_id BIGINT NOT NULL,
    call_id BIGINT NOT NULL,
    item_id BIGINT,
    stage_id BIGINT NOT NULL,
    call_title VARCHAR NOT NULL,
    clip_start_s INTEGER NOT NULL,
    clip_end_s INTEGER NOT NULL,
    played_at TIMESTAMP NOT NULL,
    played_by VARCHAR NOT NULL,
    attendees VARCHAR[] NOT NULL DEFAULT []
);

-- Artifact versions: a new version of an artifact names the one it replaces and, when a fix
-- team changed it, that fix. An artifact is current while no artifact that still exists
-- replaces it. One replacement per artifact is checked by the service, not by a UNIQUE
-- constraint (DuckLake has none; see docs/architecture.md).
CREATE TABLE IF NOT EXISTS artifact_versions (
    artifact_id BIGINT PRIMARY KEY,
    replaces_id BIGINT NOT NULL,
    fix_id BIGINT,
    linked_by VARCHAR NOT NULL,
    linked_at TIMESTAMP NOT NULL
)

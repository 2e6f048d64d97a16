-- The team-fix tracker: files a team attaches to its fix, and the record of
-- why a fix was celebrated (the evidence the room's own data gave, or the
-- sponsor's audited override with a reason).

CREATE SEQUENCE IF NOT EXISTS seq_fix_attachment;
CREATE TABLE IF NOT EXISTS fix_attachments (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_fix_attachment'),
    fix_id BIGINT NOT NULL,
    media_sha256 VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    added_by VARCHAR NOT NULL,
    added_at TIMESTAMP NOT NULL
);

-- One row per celebrated fix. basis: 'target_met' and 'improved' come from
-- the verdict on the fix's evidence at the moment it was celebrated;
-- 'override' is the sponsor's call (override_reason says why); 'legacy'
-- marks fixes celebrated before this table existed.
CREATE TABLE IF NOT EXISTS fix_celebrations (
    fix_id BIGINT PRIMARY KEY,
    celebrated_at TIMESTAMP NOT NULL,
    celebrated_by VARCHAR NOT NULL,
    basis VARCHAR NOT NULL CHECK (basis IN ('target_met', 'improved', 'override', 'legacy')),
    evidence VARCHAR NOT NULL DEFAULT '',
    override_reason VARCHAR
);

INSERT INTO fix_celebrations (fix_id, celebrated_at, celebrated_by, basis, evidence)
SELECT f.id,
       coalesce(max(u.happened_at), CAST(f.chartered_on AS TIMESTAMP)),
       coalesce(arg_max(u.author, u.happened_at), 'unknown'),
       'legacy',
       'Celebrated before the room recorded the evidence for celebrations.'
FROM fixes f
LEFT JOIN fix_updates u ON u.fix_id = f.id AND u.to_status = 'celebrated'
WHERE f.status = 'celebrated'
GROUP BY f.id, f.chartered_on
ON CONFLICT DO NOTHING;

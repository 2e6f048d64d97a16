-- Who may change the room, and the wall screens' display tokens.
CREATE TABLE IF NOT EXISTS users (
    email VARCHAR PRIMARY KEY,
    display_name VARCHAR NOT NULL,
    role VARCHAR NOT NULL CHECK (role IN ('viewer', 'fix_member', 'facilitator', 'admin')),
    version INTEGER NOT NULL DEFAULT 1
);

-- Only a hash of each token is kept: a stolen database does not reveal
-- working wall-screen links.
CREATE TABLE IF NOT EXISTS display_tokens (
    token_sha256 VARCHAR PRIMARY KEY,
    label VARCHAR NOT NULL,
    created_by VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    revoked_at TIMESTAMP,
    last_seen_at TIMESTAMP
);

INSERT INTO meta VALUES ('call_retention_days', '') ON CONFLICT DO NOTHING;

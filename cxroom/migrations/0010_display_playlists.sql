-- What each wall-screen link shows in turn, and for how long (seconds; 0 leaves a screen out),
-- and how often the screen fetches fresh data. A link without a row plays the defaults.
CREATE TABLE IF NOT EXISTS display_playlists (
    token_sha256 VARCHAR PRIMARY KEY,
    wall_s INTEGER NOT NULL,
    spotlight_s INTEGER NOT NULL,
    fixes_s INTEGER NOT NULL,
    celebrations_s INTEGER NOT NULL,
    refresh_s INTEGER NOT NULL,
    updated_by VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

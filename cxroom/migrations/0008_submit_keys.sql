-- A command sent twice (a double click, a resubmitted form) must not create a
-- second fix or review. The form draws a nonce when it is shown; the service
-- keys the command on that nonce and what was sent, and stores the key with the
-- row it created. The same key again returns that row instead of a new one.
-- NULL for rows made before this migration, by the CLI or the demo (no form).
ALTER TABLE fixes ADD COLUMN submit_key VARCHAR UNIQUE;
ALTER TABLE reviews ADD COLUMN submit_key VARCHAR UNIQUE;
-- Findings and decisions are typed during a live session, where a second click is likeliest.
ALTER TABLE review_findings ADD COLUMN submit_key VARCHAR UNIQUE;
ALTER TABLE review_decisions ADD COLUMN submit_key VARCHAR UNIQUE;

-- A survey response's open-text answer (Olist's review title and message, a
-- "comment" or "feedback" column), as imported, and as the masked roles see it
-- (cxroom/privacy.py), masked once at import like complaints' verbatim_masked,
-- so that search and display for those roles run on the masked text only.
-- The comment belongs to the response: every answer row of a response carries it.
-- NULL for responses without one, and for every response imported before this migration.
ALTER TABLE survey_responses ADD COLUMN IF NOT EXISTS comment VARCHAR;
ALTER TABLE survey_responses ADD COLUMN IF NOT EXISTS comment_masked VARCHAR;

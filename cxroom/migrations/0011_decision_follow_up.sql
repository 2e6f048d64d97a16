-- Decisions come back at the next review as open, overdue or done: who marked a
-- decision done, when, and what they said. A decision not done has done_at NULL
-- (open, or overdue once its due date passed: cxroom.insights.follow_up).
ALTER TABLE review_decisions ADD COLUMN done_at TIMESTAMP;
ALTER TABLE review_decisions ADD COLUMN done_by VARCHAR;
ALTER TABLE review_decisions ADD COLUMN done_note VARCHAR NOT NULL DEFAULT '';

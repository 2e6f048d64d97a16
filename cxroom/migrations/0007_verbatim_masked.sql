-- Each complaint's verbatim as the masked roles see it (cxroom/privacy.py), kept
-- beside the verbatim as imported, so that search, filters, sort and export for
-- those roles run in the database on the masked text and never on the original.
-- Existing rows are filled by the Python step of this migration
-- (cxroom/migrations/steps.py); every insert fills it from then on.
ALTER TABLE complaints ADD COLUMN IF NOT EXISTS verbatim_masked VARCHAR;

-- Themes of what customers say (cxroom/insights/themes.py): complaint verbatims and
-- survey comments of a stage, grouped by TF-IDF + NMF on their MASKED text only.
--
-- A stage's model is its vocabulary, each term's idf and, per theme, one weight per
-- term: enough to place next month's texts in the same themes without fitting again
-- (an incremental build reads only the months it has not counted yet).
CREATE TABLE IF NOT EXISTS theme_models (
    stage_id BIGINT PRIMARY KEY,
    built_at TIMESTAMP NOT NULL,
    texts_fitted BIGINT NOT NULL,
    vocabulary JSON NOT NULL,
    idf JSON NOT NULL
);

-- One theme of a stage's model. name: a facilitator's name for it (NULL: it is named by
-- its top terms); merged_into: the theme it was merged into (its texts count there).
CREATE SEQUENCE IF NOT EXISTS seq_theme;
CREATE TABLE IF NOT EXISTS themes (
    id BIGINT PRIMARY KEY DEFAULT nextval('seq_theme'),
    stage_id BIGINT NOT NULL,
    slot INTEGER NOT NULL,
    top_terms VARCHAR[] NOT NULL,
    weights JSON NOT NULL,
    name VARCHAR,
    pinned BOOLEAN NOT NULL DEFAULT false,
    merged_into BIGINT,
    version INTEGER NOT NULL DEFAULT 1
);

-- The texts that show a theme best (masked, as every role may read them).
CREATE TABLE IF NOT EXISTS theme_examples (
    theme_id BIGINT NOT NULL,
    rank INTEGER NOT NULL,
    kind VARCHAR NOT NULL CHECK (kind IN ('complaint', 'comment')),
    text VARCHAR NOT NULL,
    weight DOUBLE NOT NULL,
    PRIMARY KEY (theme_id, rank)
);

-- How many texts of each month fell in each theme, and which months of a stage are counted.
CREATE TABLE IF NOT EXISTS theme_months (
    theme_id BIGINT NOT NULL,
    month DATE NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (theme_id, month)
);
CREATE TABLE IF NOT EXISTS theme_built_months (
    stage_id BIGINT NOT NULL,
    month DATE NOT NULL,
    texts BIGINT NOT NULL,
    PRIMARY KEY (stage_id, month)
);

-- Articles are keyed by a hash of their cleaned text, so one text read from two files is
-- one article with two sources. `items` is the resume ledger: one row per input item
-- (file, JSON Lines line, CSV row) and the digest of what was read, written in the same
-- transaction as the articles of its batch.
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    inputs TEXT NOT NULL,
    counts TEXT
);
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    title TEXT,
    language TEXT,
    published_date TEXT,
    published_precision TEXT,
    published_origin TEXT NOT NULL,
    n_warnings INTEGER NOT NULL,
    analysis TEXT NOT NULL,
    first_run INTEGER REFERENCES runs(id),
    created_at TEXT NOT NULL
);
CREATE INDEX articles_language ON articles(language);
CREATE INDEX articles_published ON articles(published_date);
CREATE TABLE article_sources (
    article_id TEXT NOT NULL REFERENCES articles(id),
    item_key TEXT NOT NULL,
    url TEXT,
    run_id INTEGER REFERENCES runs(id),
    added_at TEXT NOT NULL,
    PRIMARY KEY (article_id, item_key)
);
CREATE TABLE items (
    item_key TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('stored', 'duplicate', 'failed')),
    article_id TEXT,
    run_id INTEGER REFERENCES runs(id),
    updated_at TEXT NOT NULL
);
CREATE TABLE problems (
    id INTEGER PRIMARY KEY,
    run_id INTEGER REFERENCES runs(id),
    item_key TEXT NOT NULL,
    code TEXT NOT NULL,
    stage TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX problems_run ON problems(run_id);

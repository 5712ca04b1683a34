-- One row per event, for filtering without parsing every analysis; the analysis JSON in
-- `articles` stays the record of truth. Rewritten with its article, so never stale.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    event_type TEXT NOT NULL,
    sub_event_type TEXT NOT NULL,
    actor1 TEXT,
    actor2 TEXT,
    country TEXT,
    location TEXT,
    date_earliest TEXT,
    date_latest TEXT,
    fatalities INTEGER,
    background INTEGER NOT NULL,
    confidence REAL NOT NULL
);
CREATE INDEX events_article ON events(article_id);
CREATE INDEX events_type ON events(event_type);
CREATE INDEX events_date ON events(date_earliest);
CREATE INDEX events_country ON events(country);

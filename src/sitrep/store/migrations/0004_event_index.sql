-- The events index holds every field a list, a map or a filter needs, as reviewed: lists
-- of 100,000 events page without parsing one analysis. The analysis JSON in `articles`
-- stays the record of truth; the machine's values are never lost (`reindex_events` rebuilds
-- this table from the analyses and the reviews in force, as the store does after this
-- migration).
ALTER TABLE events ADD COLUMN admin1 TEXT;
ALTER TABLE events ADD COLUMN lat REAL;
ALTER TABLE events ADD COLUMN lon REAL;
ALTER TABLE events ADD COLUMN geo_precision INTEGER;
ALTER TABLE events ADD COLUMN time_precision INTEGER;
ALTER TABLE events ADD COLUMN language TEXT;
ALTER TABLE events ADD COLUMN source TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN published TEXT;
ALTER TABLE events ADD COLUMN title TEXT;
ALTER TABLE events ADD COLUMN evidence TEXT NOT NULL DEFAULT '[]';
ALTER TABLE events ADD COLUMN review TEXT;
ALTER TABLE events ADD COLUMN rejected INTEGER NOT NULL DEFAULT 0;
CREATE INDEX events_listing ON events(rejected, background, date_earliest);
CREATE INDEX events_fatalities ON events(fatalities);

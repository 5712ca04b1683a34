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
-- Days between the ends of the date range: a date filter reads the index between `since`
-- less the longest span stored and `until` instead of every row.
ALTER TABLE events ADD COLUMN span_days INTEGER NOT NULL DEFAULT 0;
-- Sort keys that put undated events last both ways, so lists page through an index.
ALTER TABLE events ADD COLUMN date_asc TEXT GENERATED ALWAYS AS (COALESCE(date_earliest, '~'));
ALTER TABLE events ADD COLUMN date_desc TEXT GENERATED ALWAYS AS (COALESCE(date_earliest, ''));
DROP INDEX events_type;
DROP INDEX events_date;
CREATE INDEX events_by_date ON events(rejected, background, date_asc, id, date_latest);
CREATE INDEX events_by_date_desc ON events(rejected, background, date_desc, id);
CREATE INDEX events_by_fatalities ON events(rejected, background, fatalities, id);
CREATE INDEX events_by_kind ON events(rejected, background, event_type, sub_event_type, date_asc, id);
CREATE INDEX events_by_type ON events(event_type, rejected, background, date_asc, id);
CREATE INDEX events_by_sub_type ON events(sub_event_type, rejected, background, date_asc, id);
DROP INDEX events_country;
CREATE INDEX events_by_country ON events(country, rejected, background, date_asc, id);
CREATE INDEX events_span ON events(span_days);
-- Everything the summary counts, so counting reads this narrow index, not the wide rows.
CREATE INDEX events_counts ON events(
    rejected, background, event_type, sub_event_type, country, admin1, language,
    date_earliest, date_latest, fatalities
);

-- An analyst's reviews of coded events: their own layer, never written into the machine's
-- analysis. Every review is kept (the history); the latest for an event is the one in force.
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY,
    event_id TEXT NOT NULL REFERENCES events(id),
    reviewer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('confirm', 'correct', 'reject')),
    changes TEXT NOT NULL,
    note TEXT
);
CREATE INDEX reviews_event ON reviews(event_id, id);

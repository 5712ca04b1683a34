-- One multilingual vector per article (float32, 384 values: `sitrep.stories.vectors`),
-- what meaning search and stories compare; kept out of the analysis JSON, which stays the
-- JSON contract. Articles stored before this migration have none until `sitrep reindex`
-- computes them (search then finds them by their words alone).
CREATE TABLE article_vectors (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    vector BLOB NOT NULL
);
-- Stories: articles about the same development. An article belongs to one story; the
-- story's dates span its articles' publication dates.
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    first_published TEXT,
    last_published TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE story_articles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    story_id INTEGER NOT NULL REFERENCES stories(id),
    similarity REAL,  -- to the article it joined on; NULL for the story's first article
    added_at TEXT NOT NULL
);
CREATE INDEX story_articles_story ON story_articles(story_id);
CREATE INDEX stories_last ON stories(last_published);

-- Near-duplicate texts (`sitrep.neardup`): each stored article's MinHash signature, and its
-- bands as keys, so that a new text finds the stored ones it shares a band with by index
-- and compares only those. A text that is near enough is not stored as an article: its
-- item becomes another source of the article it copies (`items.status` "duplicate").
CREATE TABLE article_signatures (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    signature BLOB NOT NULL
);
CREATE TABLE article_bands (
    band INTEGER NOT NULL,
    key INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    PRIMARY KEY (band, key, article_id)
) WITHOUT ROWID;

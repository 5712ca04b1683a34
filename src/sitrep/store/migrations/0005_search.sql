-- Full-text search over the articles' titles and texts. Trigrams match any part of a word,
-- so "anschlag" finds "Selbstmordanschlag" and "strike" finds "airstrikes" in one index for
-- every language (words of three letters or more). Filled with each stored article;
-- `reindex_search` fills it from the analyses of a database stored before this migration.
CREATE VIRTUAL TABLE article_search USING fts5(
    article_id UNINDEXED,
    title,
    body,
    tokenize = 'trigram'
);

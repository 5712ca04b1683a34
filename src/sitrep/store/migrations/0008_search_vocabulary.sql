-- How many articles hold each trigram of the full-text index: a word is in no more articles
-- than its rarest trigram, so a fused search can rank by a query's telling words alone
-- ("Manbij", not "said" or "forces", which are in nearly every report) at the cost of a
-- lookup instead of scoring every article. Virtual: it reads the index, stores nothing.
CREATE VIRTUAL TABLE article_search_vocab USING fts5vocab(article_search, 'row');

"""`sitrep eval search`: does search find the other report of the same story, and across
languages?

Built from SemEval-2022 Task 8 pairs (English, German, German–English): every text of the
file is stored as an article (with its lead vector) in a throwaway database, and every
pair the annotators called the same story (Overall ≤ 1.5) gives two searches, one from
each side: the query is one article's title (what an analyst would type), the relevant
answer its partner, and the query's own article does not count. Reported for words
alone, meaning alone and both fused: recall@20 and nDCG@10 (one relevant article: 1 /
log2(rank + 1)), and the same over the searches whose partner is in the other language.
"""

from __future__ import annotations

import hashlib
import math
import re
import tempfile
from pathlib import Path

from sitrep import search
from sitrep.errors import UsageError
from sitrep.eval.stories import SAME_STORY, read_pairs
from sitrep.models import Analysis, Article
from sitrep.store import Outcome, SearchQuery, open_store
from sitrep.stories import vectors

DEPTH = 20
RANKED_WORDS = "words_ranked"  # the words' half of "both": any word, BM25
TITLE_CHARS = 120


def title(text: str) -> str:
    """The title of a SemEval text (its first segment before a double space, a "|" or a
    line break), cut at `TITLE_CHARS`."""
    head = re.split(r"\s{2,}|\s\|\s|\n", text.strip(), maxsplit=1)[0]
    return head[:TITLE_CHARS].strip()


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def evaluate(path: Path, details: list[dict] | None = None) -> dict[str, object]:
    """Recall@20 and nDCG@10 of each search mode over the same-story pairs of `path`."""
    rows = read_pairs(path)
    texts: dict[str, tuple[str, str]] = {}
    for row in rows:
        texts[_key(row["text1"])] = (row["text1"], row["lang1"])
        texts[_key(row["text2"])] = (row["text2"], row["lang2"])
    searches = []
    for row in rows:
        if float(row["Overall"]) <= SAME_STORY:
            one, two = _key(row["text1"]), _key(row["text2"])
            searches += [(one, two), (two, one)]
    ids = list(texts)
    leads = vectors.leads([texts[key][0] for key in ids])
    scores: dict[str, dict[str, list[float]]] = {}
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "search.db") as store:
        run = store.begin_run([str(path)])
        outcomes = []
        for key, vector in zip(ids, leads, strict=True):
            text, language = texts[key]
            article = Article(id=key, source=key, title=title(text), text=text, language=language)
            outcomes.append(Outcome(key, key, Analysis(article=article), vector=vector))
        store.save_batch(run, outcomes)
        for mode in [*search.Mode, RANKED_WORDS]:
            found: dict[str, list[float]] = {"recall": [], "ndcg": [], "cross_recall": []}
            for query_id, wanted in searches:
                asked = title(texts[query_id][0])
                query = _query(asked, mode)
                _, hits = store.search(query, limit=DEPTH + 1)
                ranked = [hit.article_id for hit in hits if hit.article_id != query_id][:DEPTH]
                rank = ranked.index(wanted) + 1 if wanted in ranked else None
                found["recall"].append(float(rank is not None))
                found["ndcg"].append(1 / math.log2(rank + 1) if rank and rank <= 10 else 0.0)
                if texts[query_id][1] != texts[wanted][1]:
                    found["cross_recall"].append(float(rank is not None))
                if details is not None:
                    details.append({"mode": str(mode), "query": asked, "rank": rank})
            scores[str(mode)] = found
    return {
        "articles": len(ids),
        "searches": len(searches),
        "cross_language_searches": sum(texts[q][1] != texts[w][1] for q, w in searches),
        **{
            mode: {
                f"recall@{DEPTH}": _mean(found["recall"]),
                "ndcg@10": _mean(found["ndcg"]),
                f"cross_language_recall@{DEPTH}": _mean(found["cross_recall"]),
            }
            for mode, found in scores.items()
        },
    }


def _query(text: str, mode: search.Mode | str) -> SearchQuery:
    """The search of one mode; `RANKED_WORDS` is the words' half of a fused search alone
    (any word, by BM25)."""
    if mode == RANKED_WORDS:
        return SearchQuery(text, any_word=True)
    try:
        return search.build(text, search.Mode(mode))
    except UsageError:  # a title with no word of three letters finds nothing by words
        return SearchQuery("")


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0

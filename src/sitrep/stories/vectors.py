"""One multilingual-e5 vector per article, from its title and lead: what stories and the
meaning half of search compare.

The lead is where news says what happened; reading more costs more and, on SemEval-2022
Task 8's English and German pairs, agrees less with the annotators: Pearson with
"Overall" 0.794 from the first 400 characters, 0.803 from 800 and 0.786 from 2,000, at 56,
107 and 138 ms per article on one core (`sitrep eval stories`). 500 characters keep the
cost near a tenth of an article's analysis.
"""

from __future__ import annotations

import numpy as np

from sitrep import embed
from sitrep.models import Analysis

LEAD_CHARS = 500


def lead(analysis: Analysis) -> str:
    """The title and the opening of the text, cut at `LEAD_CHARS`."""
    title = (analysis.article.title or "").strip()
    body = analysis.article.text.strip()
    return (f"{title}\n{body}" if title else body)[:LEAD_CHARS]


def leads(texts: list[str]) -> np.ndarray:
    """(len(texts), 384) float32 unit vectors of article leads (or texts cut like them)."""
    return embed.passages([text[:LEAD_CHARS] for text in texts])


def article_vectors(analyses: list[Analysis]) -> np.ndarray:
    """(len(analyses), 384) float32 unit vectors, one per article."""
    return leads([lead(analysis) for analysis in analyses])


def query(text: str) -> np.ndarray:
    """A search query's vector, to compare with article vectors (E5's "query: " side)."""
    return embed.queries([text])[0]

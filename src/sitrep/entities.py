"""The entities stage: the names of people, places and organisations in the article.

The NER model (`sitrep.ner`) runs once per article here and its entities go on the record,
so the stages that read them — places (`geo`) and actors — share one run without a cache
keyed by the text. Languages without a model get none; their places come from the
gazetteer matcher alone.
"""

from __future__ import annotations

from sitrep import lang
from sitrep.models import Analysis
from sitrep.settings import Settings

__all__ = ["PROVIDES", "REQUIRES", "run"]

REQUIRES = ("article.text", "article.language")
PROVIDES = ("entities",)


def run(analysis: Analysis, settings: Settings) -> Analysis:
    """Set `analysis.entities` (empty for a language without a NER model)."""
    del settings  # one signature for every stage
    from sitrep import ner  # spaCy loads with the first article, not with the pipeline

    language = lang.base(analysis.article.language)
    text = analysis.article.text
    analysis.entities = ner.find(text, language) if language and text.strip() else []
    return analysis

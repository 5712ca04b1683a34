"""The text stage: split the cleaned article into paragraphs and sentences.

Sentences are the unit every later stage cites as evidence (`Evidence.sentence`), so they
are plain offsets into `article.text` and cover every non-whitespace character once.
The splitter is rule-based (`sentences.segment`): fast enough for batch runs and with
nothing to download.
"""

from __future__ import annotations

from sitrep.models import Analysis
from sitrep.settings import Settings
from sitrep.text.paragraphs import split_paragraphs
from sitrep.text.sentences import segment

__all__ = ["PROVIDES", "REQUIRES", "run", "segment", "split_paragraphs"]

REQUIRES = ("article.text", "article.language")
PROVIDES = ("paragraphs", "sentences")


def run(analysis: Analysis, settings: Settings) -> Analysis:
    """Set `analysis.paragraphs` and `analysis.sentences` from the article's text and
    language."""
    del settings  # one signature for every stage
    analysis.paragraphs = split_paragraphs(analysis.article.text)
    analysis.sentences = segment(analysis.article.text, analysis.article.language)
    return analysis

"""The text stage: split the cleaned article into sentences.

Sentences are the unit every later stage cites as evidence (`Evidence.sentence`), so they
are plain offsets into `article.text` and cover every non-whitespace character once.
The splitter is rule-based (`sentences.segment`): fast enough for batch runs and with
nothing to download.
"""

from __future__ import annotations

from sitrep.models import Analysis
from sitrep.settings import Settings
from sitrep.text.paragraphs import paragraph_bounds
from sitrep.text.sentences import segment

__all__ = ["PROVIDES", "REQUIRES", "paragraph_bounds", "run", "segment"]

REQUIRES = ("article.text", "article.language")
PROVIDES = ("sentences",)


def run(analysis: Analysis, settings: Settings) -> Analysis:
    """Set `analysis.sentences` from the article's text and language."""
    analysis.sentences = segment(analysis.article.text, analysis.article.language)
    return analysis

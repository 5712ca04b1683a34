"""Paragraph bounds: the scope between a sentence and the whole article.

Later stages look around an event's sentence for its place and date; a blank line is
where scraped news ends one paragraph, so that is where they stop looking.
"""

from __future__ import annotations

import re

from sitrep.models import Paragraph

_BREAK = re.compile(r"\n\s*\n")


def split_paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of `text`: the stretches between blank lines, in order (the whole
    text is one paragraph when it has no blank line)."""
    paragraphs, low = [], 0
    for match in _BREAK.finditer(text):
        paragraphs.append(Paragraph(start=low, end=match.start()))
        low = match.end()
    paragraphs.append(Paragraph(start=low, end=len(text)))
    return paragraphs

"""Paragraph bounds: the scope between a sentence and the whole article.

Later stages look around an event's sentence for its place and date; a blank line is
where scraped news ends one paragraph, so that is where they stop looking.
"""

from __future__ import annotations

import re

_BREAK = re.compile(r"\n\s*\n")


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) of the paragraph of `text` holding the span `start:end`."""
    low, high = 0, len(text)
    for match in _BREAK.finditer(text):
        if match.end() <= start:
            low = match.end()
        elif match.start() >= end:
            high = match.start()
            break
    return low, high

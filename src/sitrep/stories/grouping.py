"""Grouping articles into stories as they arrive: each new article joins the story of its
most similar earlier article published within `WINDOW_DAYS`, when their vectors are at
least `JOIN` alike, and starts a story of its own otherwise.

Single-link and incremental, the way first-story detection over news streams works
(Petrović et al., 2010): a new run adds articles to the stories there are and never
re-clusters what is stored, so story ids stay put for the analyst. The window keeps a
story from chaining across months of similar reporting from the same town.
"""

from __future__ import annotations

from datetime import date

import numpy as np

# Cosine between two articles' lead vectors above which they report the same story: the
# threshold that maximises same-story F1 (annotators' Overall ≤ 1.5) on SemEval-2022
# Task 8's English and German pairs, chosen there by 5-fold cross-validation
# (`sitrep eval stories --format semeval2022`).
JOIN = 0.87
# Days between publication dates within which an article can join another: the same
# development, reported the same day or the next; a long campaign still makes one story
# when it is reported day after day. On FA-KES's dev half, same-event B³ F1 is 0.84 with
# one day, 0.78 with two and 0.59 with seven.
WINDOW_DAYS = 1


def _day(published: str | None) -> int | None:
    try:
        return date.fromisoformat((published or "")[:10]).toordinal()
    except ValueError:
        return None


class Grouper:
    """The articles seen so far, with their stories, days and vectors; `add` places one
    more. New stories get negative keys (-1, -2, …) until a store gives them ids."""

    def __init__(self, join: float = JOIN, window_days: int = WINDOW_DAYS) -> None:
        self.join, self.window = join, window_days
        self.stories: list[int] = []
        self._days = np.zeros(0, np.float64)  # NaN where undated
        self._vectors = np.zeros((0, 0), np.float32)
        self._size = 0
        self._new = 0

    def known(self, story: int, published: str | None, vector: np.ndarray) -> None:
        """An article already in `story`."""
        if self._size == len(self._days):  # grow by doubling
            capacity = max(64, 2 * self._size)
            days = np.full(capacity, np.nan)
            days[: self._size] = self._days[: self._size]
            vectors = np.zeros((capacity, len(vector)), np.float32)
            if self._size:
                vectors[: self._size] = self._vectors[: self._size]
            self._days, self._vectors = days, vectors
        day = _day(published)
        self._days[self._size] = np.nan if day is None else day
        self._vectors[self._size] = vector
        self.stories.append(story)
        self._size += 1

    def add(self, published: str | None, vector: np.ndarray) -> tuple[int, float | None]:
        """The story a new article joins and its similarity to the article it joined on
        (None when it starts a story)."""
        story, similarity = self.nearest(published, vector)
        if story is None or similarity is None or similarity < self.join:
            self._new -= 1
            story, similarity = self._new, None
        self.known(story, published, vector)
        return story, similarity

    def nearest(self, published: str | None, vector: np.ndarray) -> tuple[int | None, float | None]:
        """The story of the most similar article within the window, and that similarity."""
        if not self._size:
            return None, None
        similarities = self._vectors[: self._size] @ vector
        day = _day(published)
        if day is not None:
            days = self._days[: self._size]
            far = ~np.isnan(days) & (np.abs(days - day) > self.window)
            similarities = np.where(far, -np.inf, similarities)
        best = int(np.argmax(similarities))
        if not np.isfinite(similarities[best]):
            return None, None
        return self.stories[best], float(similarities[best])

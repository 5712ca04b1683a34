"""What the tagger knows while it reads one text: each expression found (`Found`), the
last date mentioned (`Anchor`), the document date, and the sentence around an expression
(for its tense)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date

from sitrep.time._lexicon import Lexicon

_WORD = re.compile(r"\w+(?:'\w+)?")
_SENTENCE_END = re.compile(r"(?<=[^\d\s.][.!?])[\"'”“]?\s+(?=[\"'„“(]?[A-ZÄÖÜ])|\n\s*\n")


@dataclass
class Found:
    """One expression: where it is, what it means, and what the tagger knows about it."""

    start: int
    end: int
    kind: str
    groups: dict[str, str]
    type: str = "DATE"
    value: str | None = None
    mod: str | None = None
    absolute: bool = False
    since: bool = False
    until: bool = False
    future: bool = False
    span: tuple[date, date, str] | None = None
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class Anchor:
    """The last date mentioned, with how much of it is known (year, month, day)."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def gran(self) -> int:
        return 3 if self.day else 2 if self.month else 1

    def as_date(self) -> date | None:
        if self.year < 1:
            return None
        return date(self.year, self.month or 1, self.day or 1)


class Context:
    def __init__(
        self,
        lex: Lexicon,
        text: str,
        dct: date | None,
        narrative: bool,
        sentence_starts: list[int] | None = None,
    ) -> None:
        self.lex, self.text, self.dct, self.narrative = lex, text, dct, narrative
        self.anchor: Anchor | None = None
        self._bounds: list[int] | None = [0, *sentence_starts[1:]] if sentence_starts else None

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        if self._bounds is None:
            self._bounds = [0] + [m.end() for m in _SENTENCE_END.finditer(self.text)]
        index = bisect.bisect_right(self._bounds, start) - 1
        stop = self._bounds[index + 1] if index + 1 < len(self._bounds) else len(self.text)
        return self._bounds[index], max(stop, end)

    def tense(self, start: int, end: int) -> str | None:
        """`future`, `past` or None from the marker word nearest to the expression."""
        lo, hi = self.sentence(start, end)
        best, best_distance = None, 10**9
        weak, weak_distance = None, 10**9
        lex = self.lex
        for match in _WORD.finditer(self.text, lo, hi):
            if start <= match.start() < end:
                continue
            word = match.group().lower()
            distance = start - match.end() if match.end() <= start else match.start() - end
            if word in lex.future_markers or word in lex.past_markers:
                if distance < best_distance:
                    found = "future" if word in lex.future_markers else "past"
                    best, best_distance = found, distance
            elif (
                lex.past_suffix
                and len(word) > 4
                and word.endswith(lex.past_suffix)
                and distance < weak_distance
            ):
                weak, weak_distance = "past", distance
        return best or weak

    def reference(self, anaphoric: bool) -> Anchor | None:
        """The date a relative expression counts from: the DCT, or the last date mentioned."""
        if not self.narrative and self.dct is None:
            return None  # an undated article: relative expressions stay unresolved
        if self.narrative or anaphoric:
            if self.anchor is not None:
                return self.anchor
            if self.narrative or self.dct is None:
                return None
        if self.dct is None:
            return None
        return Anchor(self.dct.year, self.dct.month, self.dct.day)

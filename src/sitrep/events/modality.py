"""Sentences that talk about an event without reporting one: forecasts, threats, denials.

The cues are per-language data files (`data/modality.<lang>.txt`); a `before:` cue must
stand within five words before the trigger, a `sentence:` cue anywhere in the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class Cues:
    """Compiled cues of one language."""

    before: re.Pattern[str] | None
    sentence: re.Pattern[str] | None


def _alternation(words: list[str], suffix: str) -> re.Pattern[str] | None:
    if not words:
        return None
    body = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"\b(?:{body})\b{suffix}", re.IGNORECASE)


@cache
def cues(language: str) -> Cues:
    """The cues of `language` (none for a language without a file)."""
    path = files("sitrep.events") / "data" / f"modality.{language}.txt"
    if not path.is_file():
        return Cues(None, None)
    kinds: dict[str, list[str]] = {"before": [], "sentence": []}
    for line in path.read_text("utf-8").splitlines():
        kind, _, cue = line.partition(":")
        if not line.startswith("#") and kind.strip() in kinds and cue.strip():
            kinds[kind.strip()].append(cue.strip())
    return Cues(
        before=_alternation(kinds["before"], r"(?:\s+\S+){0,4}\s*$"),
        sentence=_alternation(kinds["sentence"], ""),
    )


def is_unreal(
    sentence: str,
    trigger: int | None,
    language: str,
    dates: Sequence[tuple[int, int]] = (),
) -> bool:
    """True when the sentence forecasts, threatens, denies or supposes the event.

    `dates` are the sentence's time expressions (offsets in the sentence): they are blanked
    first, so the month in "On 3 May 2020" is never read as the modal "may".
    """
    for start, end in dates:
        sentence = sentence[:start] + " " * (end - start) + sentence[end:]
    found = cues(language)
    if found.sentence is not None and found.sentence.search(sentence):
        return True
    if trigger is None or found.before is None:
        return False
    return found.before.search(sentence[max(0, trigger - 60) : trigger]) is not None

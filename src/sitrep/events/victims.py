"""Deaths that carry no number: a single victim, and captives killed later.

ACLED counts "killing a civilian" or "a soldier was shot dead" as one fatality, and
"abducted 9 soldiers … later killed them" as nine. `figures` only reads numbers, so this
module reads these two shapes with the words of the figures lexicon (`lang/<code>/figures.json`:
killed cues, the nouns that count people, `single` for "a/an/ein…", `those_held`
for "them/sie").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sitrep import lang
from sitrep.models import Figure

__all__ = ["Death", "deaths"]

_GAP = r"(?:[\w'’-]+\s+){0,3}?"  # adjectives or a name between "a" and the noun


@dataclass(frozen=True)
class Death:
    """A death count read without a number, with the characters it came from."""

    start: int
    end: int
    value: int


@dataclass(frozen=True)
class _Patterns:
    active: re.Pattern[str]  # "killing a civilian"
    passive: re.Pattern[str]  # "a civilian was killed"
    those_held: re.Pattern[str]  # "killed them"


def _alternation(words: list[str]) -> str:
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


@cache
def _patterns(language: str) -> _Patterns | None:
    merged: dict[str, list[str]] = {"killed": [], "people": [], "single": [], "held": []}
    for entry in lang.json_files(language, "figures.json"):
        merged["killed"] += entry.get("cues", {}).get("killed", [])
        subjects = entry.get("subjects", {})
        for group in ("troops", "fighters", "civilians", "other", "held"):
            merged["people"] += subjects.get(group, [])
        merged["single"] += entry.get("single", [])
        merged["held"] += entry.get("those_held", [])
    if not merged["single"]:
        return None
    cue, noun = _alternation(merged["killed"]), _alternation(merged["people"])
    one, held = _alternation(merged["single"]), _alternation(merged["held"])
    flags = re.IGNORECASE
    return _Patterns(
        active=re.compile(rf"\b(?:{cue})\s+(?:{one})\s+{_GAP}(?:{noun})\b", flags),
        passive=re.compile(
            rf"\b(?:{one})\s+{_GAP}(?:{noun})\s+(?:\w+\s+){{0,4}}?(?:{cue})\b", flags
        ),
        those_held=re.compile(rf"\b(?:{cue})\s+(?:\w+\s+)?(?:{held})\b", flags),
    )


def deaths(text: str, start: int, end: int, language: str, figures: list[Figure]) -> list[Death]:
    """Deaths in the sentence `start:end` that its figures do not count."""
    patterns = _patterns(language)
    if patterns is None:
        return []
    sentence = text[start:end]
    inside = [f for f in figures if start <= f.start < end]
    if any(f.category == "killed" for f in inside):
        return []  # a counted toll wins over "a soldier"
    held = [f for f in inside if f.category in {"held", "arrested"} and f.value]
    if held:
        match = patterns.those_held.search(sentence)
        if match and held[0].start < start + match.start():
            return [Death(start + match.start(), start + match.end(), int(held[0].value or 0))]
    for pattern in (patterns.active, patterns.passive):
        match = pattern.search(sentence)
        if match:
            return [Death(start + match.start(), start + match.end(), 1)]
    return []

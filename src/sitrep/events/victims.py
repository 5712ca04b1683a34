"""Deaths that carry no number: a single victim, and captives killed later.

ACLED counts "killing a civilian" or "a soldier was shot dead" as one fatality, a named
person killed ("killing Aksoy where he stood as well as a female journalist": two;
"Oliver Hall, 24, from Portsmouth, died": one) as one each, and "abducted 9 soldiers …
later killed them" as nine. `figures` only reads numbers, so this module reads these
shapes with the words of the figures lexicon (`lang/<code>/figures.json`: killed cues,
the nouns that count people, `single` for "a/an/ein…", `those_held` for "them/sie",
`named_killed_before`/`named_killed_after` for the words around a named victim and
`also` for what joins another victim to one).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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
    named_before: re.Pattern[str]  # "killing " before a named person
    named_after: re.Pattern[str]  # ", 24, from Portsmouth, died" after one
    another: re.Pattern[str]  # " as well as a female journalist": one more victim


def _alternation(words: list[str]) -> str:
    ordered = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def _with_singulars(nouns: list[str]) -> list[str]:
    """The figures lexicon lists the nouns a number counts, mostly plurals ("journalists",
    "children"); one victim is named in the singular ("a female journalist")."""
    forms = list(nouns)
    for noun in nouns:
        if noun.endswith("children"):
            forms.append(noun[: -len("ren")])
        elif noun.endswith("men"):
            forms.append(noun[: -len("men")] + "man")
        elif noun.endswith("ies"):
            forms.append(noun[: -len("ies")] + "y")
        elif noun.endswith("s") and not noun.endswith("ss"):
            forms.append(noun[:-1])
    return forms


@cache
def _patterns(language: str) -> _Patterns | None:
    merged: dict[str, list[str]] = {
        "killed": [], "people": [], "single": [], "held": [], "before": [], "after": [],
        "also": [],
    }  # fmt: skip
    for entry in lang.json_files(language, "figures.json"):
        merged["killed"] += entry.get("cues", {}).get("killed", [])
        subjects = entry.get("subjects", {})
        for group in ("troops", "fighters", "civilians", "other", "held"):
            merged["people"] += subjects.get(group, [])
        merged["single"] += entry.get("single", [])
        merged["held"] += entry.get("those_held", [])
        merged["before"] += entry.get("named_killed_before", [])
        merged["after"] += entry.get("named_killed_after", [])
        merged["also"] += entry.get("also", [])
    if not merged["single"]:
        return None
    cue, noun = _alternation(merged["killed"]), _alternation(_with_singulars(merged["people"]))
    one, held = _alternation(merged["single"]), _alternation(merged["held"])
    before = _alternation(merged["before"]) or r"(?!)"
    after = _alternation(merged["after"]) or r"(?!)"
    also = _alternation(merged["also"]) or r"(?!)"
    flags = re.IGNORECASE
    return _Patterns(
        active=re.compile(rf"\b(?:{cue})\s+(?:{one})\s+{_GAP}(?:{noun})\b", flags),
        passive=re.compile(
            rf"\b(?:{one})\s+{_GAP}(?:{noun})\s+(?:\w+\s+){{0,4}}?(?:{cue})\b", flags
        ),
        those_held=re.compile(rf"\b(?:{cue})\s+(?:\w+\s+)?(?:{held})\b", flags),
        named_before=re.compile(rf"\b(?:{before})\s+$", flags),
        named_after=re.compile(rf"(?:,[^,.;]{{1,40}}){{0,2}},?\s+(?:{after})\b", flags),
        another=re.compile(rf"[^.;]{{0,40}}?\s(?:{also})\s+(?:{one})\s+{_GAP}(?:{noun})\b", flags),
    )


def deaths(
    text: str,
    start: int,
    end: int,
    language: str,
    figures: list[Figure],
    people: Sequence[tuple[int, int]] = (),
) -> list[Death]:
    """Deaths in the sentence `start:end` that its figures do not count; `people` are the
    spans of the persons the NER named there."""
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
    named = _named(text, start, end, patterns, people)
    if named:
        return named
    for pattern in (patterns.active, patterns.passive):
        match = pattern.search(sentence)
        if match:
            return [Death(start + match.start(), start + match.end(), 1)]
    return []


def _named(
    text: str, start: int, end: int, patterns: _Patterns, people: Sequence[tuple[int, int]]
) -> list[Death]:
    """One death per named person the sentence says was killed, and one more for each
    victim joined to the last of them ("as well as a female journalist")."""
    found: list[Death] = []
    for low, high in people:
        if not start <= low < high <= end:
            continue
        killed = patterns.named_before.search(text[max(start, low - 25) : low])
        if killed is None and not patterns.named_after.match(text, high, end):
            continue
        found.append(Death(low, high, 1))
    if found:
        more = patterns.another.match(text, found[-1].end, end)
        if more:
            found.append(Death(more.start(), more.end(), 1))
    return found

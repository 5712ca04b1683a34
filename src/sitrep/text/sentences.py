"""Rule-based sentence segmentation: fast, offline, and predictable on scraped news.

Scraped news puts headlines, captions and paragraphs on their own lines, so every line
break ends a sentence. Inside a line, a run of `.!?…` followed by whitespace is a
candidate end; the period is the hard case, because German writes ordinals and dates
with one ("am 9. Februar") and both languages abbreviate ("z.B.", "Gen. Votel"). Each
candidate is judged only by the token before it and the word after it, so the splitter
is linear in the text (no regex can backtrack across a long line) and needs no model.

Word lists live in the language folders (`sitrep/lang/<code>/abbreviations.txt`,
`months.txt`, `sentence-starters.txt`; `language.json` says whether ordinals take a
period). An unknown language uses the union of every language's lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sitrep import lang
from sitrep.models import Sentence

# What str.splitlines() splits on: any of these ends a sentence.
_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_TERMINATORS = ".!?…。！？؟"
# CJK full stops need no space after them; every other terminator does ("31.12.2021").
_SPACELESS = frozenset("。！？")
_CLOSERS = "\"'”“’»«)]}」』）"
_OPENERS = "\"'„“‚‘«»([{「『（"
_MAX_WORD = 40

_CANDIDATE = re.compile(
    rf"[{_BREAKS}]|(?<![{_TERMINATORS}])([{_TERMINATORS}]++)([{re.escape(_CLOSERS)}]*+)"
)
_HSPACE = rf"[^\S{_BREAKS}]"
# Closing quotes left alone at the end of a line ("… afraid. \"") belong to the sentence.
_DANGLING = re.compile(rf"{_HSPACE}*+[{re.escape(_CLOSERS)}]++(?={_HSPACE}*+(?:[{_BREAKS}]|\Z))")
_FOLLOWING = re.compile(rf"{_HSPACE}*+[{re.escape(_OPENERS)}]*+")
_WORD = re.compile(rf"\w{{1,{_MAX_WORD}}}")
_INITIALISM = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{1,3}|[^\W\d_]")


@dataclass(frozen=True, slots=True)
class _Rules:
    """The word lists for one language (or the union of all of them)."""

    abbreviations: frozenset[str]
    months: frozenset[str]
    starters: frozenset[str]
    ordinals: bool


def segment(text: str, language: str | None) -> list[Sentence]:
    """Split `text` into sentences: offsets with surrounding whitespace left out.

    Every non-whitespace character belongs to exactly one sentence, in order, so later
    stages can cite a sentence by its offsets into the same text.
    """
    rules = _rules(lang.base(language))
    sentences: list[Sentence] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if match.group(1) is None:
            cut: int | None = match.start()
        else:
            cut = _sentence_end(text, match, rules)
        if cut is not None and cut > start:
            _append(sentences, text, start, cut)
            start = cut
    _append(sentences, text, start, len(text))
    return sentences


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    """Add text[start:end] without its surrounding whitespace, unless nothing is left."""
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        begin = start + len(piece) - len(piece.lstrip())
        sentences.append(Sentence(start=begin, end=begin + len(stripped)))


def _sentence_end(text: str, match: re.Match[str], rules: _Rules) -> int | None:
    """Where the sentence ends if this run of terminators ends one, else None."""
    end = match.end()
    terminators, closers = match.group(1), match.group(2)
    if end < len(text) and not text[end].isspace():
        return end if terminators[-1] in _SPACELESS else None
    dangling = _DANGLING.match(text, end)
    if dangling is not None:
        return dangling.end()
    if match.start() and text[match.start() - 1] in "([":
        return None  # an omission mark "(…)" inside a sentence
    following = _FOLLOWING.match(text, end).end()
    if following == len(text) or text[following] in _BREAKS:
        return end
    if text[following].islower():
        return None  # "p.m. on Friday", "vom 1. bis 3. März", "„Wer?“ fragte er"
    if terminators != "." or closers:
        return end
    word = _WORD.match(text, following)
    next_word = word.group() if word else ""
    return end if _period_ends(_previous_token(text, match.start()), next_word, rules) else None


def _previous_token(text: str, period: int) -> str:
    """The word before a period, without quotes or brackets around it."""
    if period == 0 or text[period - 1].isspace():
        return ""
    before = text[max(0, period - _MAX_WORD) : period].split()
    return before[-1].strip(_OPENERS + _CLOSERS) if before else ""


def _period_ends(token: str, next_word: str, rules: _Rules) -> bool:
    """Whether a period after `token`, followed by `next_word`, ends the sentence.

    `next_word` starts with a capital, a digit or a caseless letter (lowercase
    continuations were already kept together).
    """
    if token.isascii() and token.isdigit():
        if next_word in rules.months:
            return False  # "am 9. Februar", "2019. January"
        if len(token) > 3:
            return True  # "im Jahr 2014. Danach …"
        if next_word.isdigit():
            return False  # "am 3. 10. 2019"
        return not rules.ordinals or next_word in rules.starters  # "im 20. Jahrhundert"
    if _is_abbreviation(token, rules):
        return next_word in rules.starters  # "Gen. Votel", "Nr. 5", but "U.S. The …"
    return True


def _is_abbreviation(token: str, rules: _Rules) -> bool:
    """A listed abbreviation, an initialism ("U.N", "z.B") or a single initial ("F")."""
    word = token + "."
    return (
        word in rules.abbreviations
        or word[:1].lower() + word[1:] in rules.abbreviations
        or _INITIALISM.fullmatch(token) is not None
    )


@lru_cache(maxsize=16)
def _rules(language: str | None) -> _Rules:
    """The rules for a language with data files, else the union of all (read once)."""
    known = lang.with_file("abbreviations.txt")
    chosen = (language,) if language in known else known
    return _Rules(
        abbreviations=_union("abbreviations.txt", chosen),
        months=_union("months.txt", chosen),
        starters=_union("sentence-starters.txt", chosen),
        # languages that write ordinals with a period ("der 3. Oktober")
        ordinals=any(
            (lang.json_file(code, "language.json") or {}).get("ordinal_period") for code in chosen
        ),
    )


def _union(name: str, languages: tuple[str, ...]) -> frozenset[str]:
    """One kind of list merged over languages, so an unknown language gets every rule."""
    words: set[str] = set()
    for code in languages:
        words |= _words(name, code)
    return frozenset(words)


@lru_cache(maxsize=64)
def _words(name: str, language: str) -> frozenset[str]:
    """One data file: a word per line, `#` starts a comment; a missing file is empty."""
    path = lang.path(language, name)
    if path is None:
        return frozenset()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text("utf-8").splitlines())
    return frozenset(line for line in lines if line)

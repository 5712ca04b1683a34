"""What kind of number a number is: a count, or a time, date, age, ordinal, measure,
label or year (`numbers` asks; only counts become figures).

Each check reads the number's tokens and the words around it with the language's lexicon
(`lang/<code>/numbers.json`); the first that recognises a kind wins.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sitrep.figures.numbers import Token, _Lexicon

__all__ = ["kind", "separated_by_space"]

_DOTTED_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{2}|\d{4})?|\d{4}-\d{2}-\d{2}")
_MAX_AGE = 120


def separated_by_space(tokens: list[Token], i: int) -> bool:
    """Whether token i+1 follows token i after whitespace (not glued: "10km")."""
    return tokens[i + 1].start > tokens[i].end


def kind(tokens, text, first, stop, value, lex) -> str:
    """Why this number is not a count, or "count"."""
    head = tokens[first]
    digits = head.text[0].isdigit()
    if digits and (":" in head.text or "/" in head.text):
        return "time" if ":" in head.text else "date"
    if value is None:
        return "date" if _DOTTED_DATE.fullmatch(head.text) else "other"
    for check in _CHECKS:
        kind = check(tokens, text, first, stop, value, lex, digits)
        if kind:
            return kind
    return "count"


def _percent_time(tokens, text, first, stop, value, lex, digits) -> str | None:
    if lex.percent.forward(tokens, stop):
        return "percent"
    after = lex.time_after.forward(tokens, stop)
    if after is not None and digits and value.value <= 24:
        glued = not separated_by_space(tokens, stop - 1)
        if after[1] in ("am", "pm"):
            return "time" if value.value <= 12 else None
        if after[1] != "h" or glued:
            return "time"
    return None


def _date(tokens, text, first, stop, value, lex, digits) -> str | None:
    if not digits:
        return None
    nxt, prev = _lower(tokens, stop), _lower(tokens, first - 1)
    if _month(tokens, stop, lex) or (nxt == "." and _month(tokens, stop + 1, lex)):
        return "date"
    if _month(tokens, first - 1, lex) or (prev == "." and _month(tokens, first - 2, lex)):
        return "date"
    if prev == "," and _month(tokens, first - 3, lex) and value.value >= 1000:
        return "date"  # "February 9, 2019"
    return None


def _age(tokens, text, first, stop, value, lex, digits) -> str | None:
    if lex.age_after.forward(tokens, stop) or lex.age_before.backward(tokens, first):
        return "age"
    if not digits or not isinstance(value.value, int) or value.value > _MAX_AGE or value.high:
        return None
    prev, nxt = _lower(tokens, first - 1), _lower(tokens, stop)
    name = tokens[first - 2].text if first >= 2 else ""
    if name[:1].isupper() and ((prev == "," and nxt == ",") or (prev == "(" and nxt == ")")):
        return "age"  # "Rahim, 41, gave up", "Rahim (41)"
    return None


def _ordinal(tokens, text, first, stop, value, lex, digits) -> str | None:
    if not digits or stop >= len(tokens) or separated_by_space(tokens, stop - 1):
        return None
    nxt = tokens[stop]
    if nxt.lower in lex.ordinal_suffixes:
        return "ordinal"
    if nxt.text != "." or not lex.starters or len(tokens[stop - 1].text) > 3:
        return None
    if stop == first + 1 and stop + 1 < len(tokens):
        word = tokens[stop + 1]
        if "\n" in text[nxt.end : word.start]:
            return None
        if not word.text[0].isupper() or word.lower not in lex.starters:
            return "ordinal"  # "im 20. Jahrhundert", "die 5. Division"
    return None


def _measure(tokens, text, first, stop, value, lex, digits) -> str | None:
    if _lower(tokens, first - 1) in lex.currency_before:
        return "money"
    if lex.unit_size.forward(tokens, stop):
        return "unit"
    if lex.measures.forward(tokens, stop):
        return "measure"
    if lex.durations.forward(tokens, stop):
        return "duration"
    return None


def _label(tokens, text, first, stop, value, lex, digits) -> str | None:
    if lex.labels_before.backward(tokens, first):
        return "label"
    if _lower(tokens, first - 1) in lex.negators and not digits:
        return "other"  # "no one"
    if digits and first >= 1 and tokens[first - 1].end == tokens[first].start:
        before = tokens[first - 1].text
        glued_word = before[-1].isalpha()
        dashed = before == "-" and first >= 2 and tokens[first - 2].end == tokens[first - 1].start
        if glued_word or (dashed and tokens[first - 2].text[-1].isalpha()):
            return "label"  # "MH17", "F-16", "COVID-19"
    glued_after = stop < len(tokens) and tokens[stop].start == tokens[stop - 1].end
    if digits and glued_after and tokens[stop].text[0].isalpha():
        return "label"  # "2x", "4WD"
    return None


def _year(tokens, text, first, stop, value, lex, digits) -> str | None:
    raw = tokens[first].text
    high = value.high if value.high is not None else value.value
    if digits and len(raw) == 4 and raw.isdigit() and min(value.value, high) >= 1900:
        return "year" if max(value.value, high) <= 2100 else None
    return None


_CHECKS = (_percent_time, _date, _age, _ordinal, _measure, _label, _year)


def _month(tokens: list[Token], index: int, lex: _Lexicon) -> bool:
    """A capitalised month name at token `index` ("May", not the verb "may")."""
    if not 0 <= index < len(tokens):
        return False
    token = tokens[index]
    return token.text[0].isupper() and token.lower in lex.months


def _lower(tokens: list[Token], index: int) -> str:
    return tokens[index].lower if 0 <= index < len(tokens) else ""

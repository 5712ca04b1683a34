"""Numbers in news text: digits, number words, vague quantities, qualifiers and ranges.

`find_numbers` finds every number in a text and says what kind it is, so that only real
counts become figures: "2.500 US-Soldaten" is a count, but "2014", "am 9. Februar",
"10:30", "41 %", "Rahim, 41," (an age), "fünf Kilometer", "15 days" and "F-16" are not.
`parse_number` reads one number expression ("rund 2.500", "dreiundzwanzig", "2,5
Millionen", "between 10 and 15") into a `NumberValue`.

Digits are read with the language's separators ("2.500" is 2500 in German, "2,500" in
English); a lone separator followed by exactly three digits is read as grouping in either
language unless a scale word follows ("2,5 Millionen", "1.5 million"). Vague quantities
keep their word as the qualifier and a low reading as the value ("Dutzende" is 24,
"hundreds" 200, "tausende" 2000).

The text is cut into tokens once and each token is looked at with a bounded window, so
the whole module is linear in the text. All words live in `lang/<code>/numbers.json`;
an unknown language uses the union of every language's words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sitrep import lang
from sitrep.figures import kinds
from sitrep.figures.kinds import separated_by_space

__all__ = [
    "NumberSpan",
    "NumberValue",
    "PhraseTable",
    "Token",
    "find_numbers",
    "parse_number",
    "phrase_key",
    "scan",
    "tokenize",
    "unit_suffix_end",
]

_TOKEN = re.compile(
    r"\d+(?:[.,:/]\d+|[\u00a0\u202f\u2009]\d{3}(?!\d))*"
    r"|[^\W\d_]+(?:[-*:’'_/][^\W\d_]+)*"
    r"|\S"
)
_THIN_SPACES = str.maketrans("", "", "\u00a0\u202f\u2009")
_SEPARATORS = ".,"


@dataclass(frozen=True, slots=True)
class Token:
    """One word, number or punctuation mark with its offsets into the text."""

    start: int
    end: int
    text: str
    lower: str


@dataclass(frozen=True, slots=True)
class NumberValue:
    """A quantity: `value` is the point value (a range's lower bound, a vague word's low
    reading), `high` the upper bound of a range, `qualifier` a canonical hedge ("about",
    "more than", "at least", "up to", "nearly", "less than", "at most") or the vague word
    ("dozens", "hundreds", "thousands", "tens of thousands", …)."""

    value: int | float
    high: int | float | None = None
    qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class NumberSpan:
    """A number found in the text. `kind` is "count" for a quantity of something and
    otherwise one of "year", "date", "time", "percent", "age", "ordinal", "measure",
    "money", "duration", "label", "unit" (a unit's size: "250-man") or "other".

    `start`/`end` cover the qualifier too ("rund 2.500"); `first`/`stop` are the token
    indices of the numeral itself (without the qualifier) in the token list scanned.
    `value` is None where the digits do not read as a number ("31.12.2021", "10:30").
    """

    start: int
    end: int
    text: str
    value: NumberValue | None
    kind: str
    first: int
    stop: int


_MAX_PHRASE = 4


class PhraseTable(dict):
    """Phrases (lower-cased token tuples, at most `_MAX_PHRASE` words) to their values,
    matched longest first at a token. Figures and numbers try a table at every token, so
    the words that can start or end a phrase are kept apart: most tokens are turned away
    by one set lookup instead of four tuple lookups."""

    def __init__(self, table: dict[tuple[str, ...], object]) -> None:
        super().__init__((k, v) for k, v in table.items() if 0 < len(k) <= _MAX_PHRASE)
        self.firsts = frozenset(key[0] for key in self)
        self.lasts = frozenset(key[-1] for key in self)

    def forward(self, tokens: list[Token], i: int) -> tuple[int, Any] | None:
        """The longest phrase starting at token i: (stop index, its value), or None."""
        if i >= len(tokens) or tokens[i].lower not in self.firsts:
            return None
        for length in range(min(_MAX_PHRASE, len(tokens) - i), 0, -1):
            key = tuple(token.lower for token in tokens[i : i + length])
            if key in self:
                return i + length, self[key]
        return None

    def backward(self, tokens: list[Token], stop: int) -> tuple[int, Any] | None:
        """The longest phrase ending just before token `stop`: (start index, value), or None."""
        if 0 < stop <= len(tokens) and tokens[stop - 1].lower not in self.lasts:
            return None
        for length in range(min(_MAX_PHRASE, stop), 0, -1):
            key = tuple(token.lower for token in tokens[stop - length : stop])
            if key in self:
                return stop - length, self[key]
        return None


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """The number words and context words for one language (or all of them)."""

    decimal: str | None
    group: str | None
    units: dict[str, int]
    compound_units: dict[str, int]
    compound_parts: dict[str, int]
    scales: dict[str, int]
    articles: frozenset[str]
    and_words: frozenset[str]
    vague: PhraseTable
    several: PhraseTable
    qualifiers: PhraseTable
    post_qualifiers: PhraseTable
    range_joiners: frozenset[str]
    range_frames: dict[str, frozenset[str]]
    months: frozenset[str]
    percent: PhraseTable
    time_after: PhraseTable
    durations: PhraseTable
    measures: PhraseTable
    currency_before: frozenset[str]
    age_after: PhraseTable
    age_before: PhraseTable
    unit_size: PhraseTable
    labels_before: PhraseTable
    ordinal_suffixes: frozenset[str]
    starters: frozenset[str]
    negators: frozenset[str]


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[Token]:
    """The tokens of text[start:end] with offsets into `text`."""
    stop = len(text) if end is None else end
    return [
        Token(match.start(), match.end(), match.group(), match.group().lower())
        for match in _TOKEN.finditer(text, start, stop)
    ]


def find_numbers(text: str, language: str | None) -> Iterator[NumberSpan]:
    """Every number in `text`, in order, each with its kind (see `NumberSpan`)."""
    yield from scan(tokenize(text), text, language)


def parse_number(text: str, language: str | None) -> NumberValue | None:
    """Read one number expression ("rund 2.500", "zwei Dutzend", "10 to 15"), or None."""
    tokens = tokenize(text)
    while tokens and tokens[-1].text == ".":
        tokens.pop()
    spans = scan(tokens, text, language)
    if len(spans) != 1 or spans[0].value is None:
        return None
    span = spans[0]
    if not tokens or span.start != tokens[0].start or span.end != tokens[-1].end:
        return None
    return span.value


def unit_suffix_end(tokens: list[Token], stop: int, language: str | None) -> int:
    """The token after a unit-size suffix ("250-man", "250 Mann starke") at `stop`."""
    found = _lexicon(lang.base(language)).unit_size.forward(tokens, stop)
    return stop if found is None else found[0]


def scan(tokens: list[Token], text: str, language: str | None) -> list[NumberSpan]:
    """The numbers among `tokens` (from `tokenize(text, …)`), left to right."""
    lex = _lexicon(lang.base(language))
    found: list[NumberSpan] = []
    i = 0
    while i < len(tokens):
        match = _range_frame(tokens, i, lex) or _number_with_range(tokens, i, lex)
        if match is None:
            i += 1
            continue
        stop, value, frame = match
        found.append(_finish(tokens, text, i, stop, value, frame, lex))
        i = stop
    return found


# --- reading one number -------------------------------------------------------------

_Base = tuple[int, int | float | None, str | None]  # stop index, value, vague qualifier


def _number_with_range(tokens: list[Token], i: int, lex: _Lexicon):
    """A number at token i, extended to a range ("10 to 15", "zwei bis drei")."""
    base = _base_number(tokens, i, lex)
    if base is None:
        return None
    stop, value, vague = base
    if value is not None and stop + 1 < len(tokens) and tokens[stop].lower in lex.range_joiners:
        upper = _base_number(tokens, stop + 1, lex)
        if upper is not None and upper[1] is not None and upper[1] > value:
            return upper[0], NumberValue(value, upper[1], vague), False
    if value is None:
        return stop, None, False
    return stop, NumberValue(value, None, vague), False


def _range_frame(tokens: list[Token], i: int, lex: _Lexicon):
    """ "between 10 and 15", "zwischen 10 und 15", "von 10 bis 15"."""
    closers = lex.range_frames.get(tokens[i].lower)
    if closers is None:
        return None
    low = _base_number(tokens, i + 1, lex)
    if low is None or low[1] is None or low[0] + 1 >= len(tokens):
        return None
    if tokens[low[0]].lower not in closers:
        return None
    high = _base_number(tokens, low[0] + 1, lex)
    if high is None or high[1] is None or high[1] <= low[1]:
        return None
    return high[0], NumberValue(low[1], high[1], low[2]), True


def _base_number(tokens: list[Token], i: int, lex: _Lexicon) -> _Base | None:
    """Digits (with a scale word), number words, or a vague quantity at token i."""
    if i >= len(tokens):
        return None
    token = tokens[i]
    if token.text[0].isdigit():
        return _digits(tokens, i, lex)
    return _words(tokens, i, lex) or _vague(tokens, i, lex)


def _digits(tokens: list[Token], i: int, lex: _Lexicon) -> _Base:
    """ "2.500", "2,5 Millionen", "1.5 million", "3 Dutzend"."""
    scale = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    value = _parse_digits(tokens[i].text, lex, scale in lex.scales)
    if value is not None and scale in lex.scales and separated_by_space(tokens, i):
        return i + 2, _tidy(value * lex.scales[scale]), None
    return i + 1, value, None


def _parse_digits(raw: str, lex: _Lexicon, scale_follows: bool) -> int | float | None:
    """Digits with separators read the language's way; None for dates, times, codes."""
    if ":" in raw or "/" in raw:
        return None
    digits = raw.translate(_THIN_SPACES)
    separators = [char for char in digits if char in _SEPARATORS]
    if not separators:
        return int(digits)
    if len(set(separators)) == 2:
        decimal = separators[-1]
        if separators.count(decimal) != 1:
            return None
        head, _, fraction = digits.rpartition(decimal)
        groups = head.split(separators[0])
        return _tidy(float(f"{''.join(groups)}.{fraction}")) if _grouped(groups) else None
    separator = separators[0]
    parts = digits.split(separator)
    if len(parts) > 2:
        return int("".join(parts)) if _grouped(parts) else None
    head, fraction = parts
    as_decimal = separator == lex.decimal and scale_follows
    if len(fraction) == 3 and _grouped(parts) and not as_decimal and head != "0":
        return int(head + fraction)
    if lex.decimal is not None and separator == lex.group and len(fraction) != 3:
        return None  # "31.12" in German, "1,5" in English: not a number we can read
    return _tidy(float(f"{head}.{fraction}"))


def _grouped(parts: list[str]) -> bool:
    """Whether digit groups are a valid thousands grouping ("2", "500")."""
    first, rest = parts[0], parts[1:]
    return 1 <= len(first) <= 3 and first[0] != "0" and all(len(part) == 3 for part in rest)


def _tidy(value: float) -> int | float:
    """An integral float as int, so 2,5 Millionen is 2500000."""
    return int(value) if float(value).is_integer() else value


def _words(tokens: list[Token], i: int, lex: _Lexicon) -> _Base | None:
    """Number words: "twenty-three", "one hundred and twenty", "zwei Dutzend", "a dozen"."""
    total = current = 0
    last: str | None = None
    last_value = 0
    last_scale = 0
    j = i
    while j < len(tokens):
        word = tokens[j].lower
        if last in ("unit", "article") and word in lex.scales:
            scale = lex.scales[word]
            if scale == last_scale:
                break
            if scale >= 1000:
                total += (current or 1) * scale
                current = 0
            else:
                current = (current or 1) * scale
            last, last_scale = "scale", scale
            j += 1
            continue
        unit = _unit_value(word, lex)
        if unit is not None:
            tens_then_unit = last == "unit" and last_value % 10 == 0 and 20 <= last_value < 100
            if last == "unit" and not (tens_then_unit and unit < 10):
                break
            current += unit
            last, last_value = "unit", unit
        elif last is None and word in lex.articles and _next_in(tokens, j, lex.scales):
            current, last = 1, "article"
        elif not (last == "scale" and word in lex.and_words and _next_unit(tokens, j, lex)):
            break
        j += 1
    if last in (None, "article"):
        return None
    return j, total + current, None


def _next_in(tokens: list[Token], j: int, words: dict[str, int]) -> bool:
    return j + 1 < len(tokens) and tokens[j + 1].lower in words


def _next_unit(tokens: list[Token], j: int, lex: _Lexicon) -> bool:
    return j + 1 < len(tokens) and _unit_value(tokens[j + 1].lower, lex) is not None


def _unit_value(word: str, lex: _Lexicon) -> int | None:
    """The value of one number word below a scale: "three", "twenty-three", "dreiundzwanzig"."""
    if word in lex.units:
        return lex.units[word]
    if "-" in word:
        parts = [lex.units.get(part) for part in word.split("-")]
        if len(parts) == 2 and None not in parts and parts[0] % 10 == 0 and parts[1] < 10:
            return parts[0] + parts[1]
        return None
    return _compound(word, lex) if lex.compound_parts else None


def _compound(word: str, lex: _Lexicon) -> int | None:
    """A German compound numeral: "zweitausendfünfhundert", "einundzwanzig"."""
    thousand = _part(lex, 1000)
    if thousand and thousand in word:
        left, _, right = word.partition(thousand)
        high = _below_thousand(left, lex) if left else 1
        low = _below_thousand(right, lex) if right else 0
        return None if high is None or low is None else high * 1000 + low
    return _below_thousand(word, lex)


def _below_thousand(word: str, lex: _Lexicon) -> int | None:
    hundred = _part(lex, 100)
    if hundred and hundred in word:
        left, _, right = word.partition(hundred)
        high = lex.compound_units.get(left) if left else 1
        low = _below_hundred(right, lex) if right else 0
        return None if high is None or low is None else high * 100 + low
    return _below_hundred(word, lex)


def _below_hundred(word: str, lex: _Lexicon) -> int | None:
    value = lex.units.get(word)
    if value is not None and value < 100:
        return value
    joiner = _part(lex, 0)
    if joiner and joiner in word:
        unit, _, tens = word.partition(joiner)
        unit_value, tens_value = lex.compound_units.get(unit), lex.units.get(tens)
        if unit_value and tens_value and tens_value % 10 == 0 and 20 <= tens_value < 100:
            return unit_value + tens_value
    return None


def _part(lex: _Lexicon, value: int) -> str | None:
    """The compound part worth `value` ("tausend", "hundert", or "und" for 0)."""
    for word, worth in lex.compound_parts.items():
        if worth == value:
            return word
    return None


def _vague(tokens: list[Token], i: int, lex: _Lexicon) -> _Base | None:
    """ "Dutzende", "tens of thousands", "several hundred", "einige tausend"."""
    found = lex.vague.forward(tokens, i)
    if found is not None:
        stop, (value, qualifier) = found
        return stop, value, qualifier
    several = lex.several.forward(tokens, i)
    if several is None:
        return None
    stop = several[0]
    found = lex.vague.forward(tokens, stop)
    if found is not None:
        return found[0], found[1][0], found[1][1]
    if stop < len(tokens):
        scale = lex.scales.get(tokens[stop].lower)
        qualifier = {12: "dozens", 100: "hundreds", 1000: "thousands"}.get(scale or 0)
        if scale and qualifier:
            return stop + 1, 2 * scale, qualifier
    return None


# --- what kind of number it is ------------------------------------------------------


def _finish(tokens, text, first, stop, value, frame, lex) -> NumberSpan:
    """Attach qualifiers and decide the kind of the number spanning tokens[first:stop]."""
    numeral = first + 1 if frame else first
    kind = kinds.kind(tokens, text, numeral, stop, value, lex)
    start = tokens[first].start
    end = tokens[stop - 1].end
    if value is not None:
        before = lex.qualifiers.backward(tokens, first)
        if before is not None:
            start = tokens[before[0]].start
            value = NumberValue(value.value, value.high, before[1])
        after = lex.post_qualifiers.forward(tokens, stop)
        if after is not None and value.qualifier is None:
            value = NumberValue(value.value, value.high, after[1])
            end = tokens[after[0] - 1].end
    return NumberSpan(start, end, text[start:end], value, kind, first, stop)


# --- data -----------------------------------------------------------------------------


def phrase_key(phrase: str) -> tuple[str, ...]:
    """A phrase from a data file as the lowercase token tuple that `tokenize` gives."""
    return tuple(token.lower for token in tokenize(phrase.lower()))


def _phrases(entries) -> PhraseTable:
    """A data-file list (phrase -> itself) or mapping (value -> [phrases]) as a table."""
    table: dict[tuple[str, ...], object] = {}
    if isinstance(entries, list):
        for phrase in entries:
            table[phrase_key(phrase)] = phrase
    else:
        for value, phrases in entries.items():
            if isinstance(phrases, list) and phrases and isinstance(phrases[0], str):
                for phrase in phrases:
                    table.setdefault(phrase_key(phrase), value)
            else:
                table[phrase_key(value)] = tuple(phrases)
    return PhraseTable(table)


@lru_cache(maxsize=16)
def _lexicon(language: str | None) -> _Lexicon:
    """The lexicon of a language with a data file, else the union of all (read once)."""
    data = lang.json_files(language, "numbers.json")
    merged: dict[str, object] = {}
    for entry in data:
        for key, value in entry.items():
            if isinstance(value, dict):
                merged.setdefault(key, {}).update(value)  # type: ignore[union-attr]
            elif isinstance(value, list):
                merged.setdefault(key, []).extend(value)  # type: ignore[union-attr]
    single = data[0] if len(data) == 1 else {}
    frames: dict[str, set[str]] = {}
    for opener, closer in merged["range_frames"]:  # type: ignore[misc]
        frames.setdefault(opener, set()).add(closer)
    return _Lexicon(
        decimal=single.get("decimal"),
        group=single.get("group"),
        units=dict(merged["units"]),
        compound_units=dict(merged["compound_units"]),
        compound_parts=dict(merged["compound_parts"]),
        scales=dict(merged["scales"]),
        articles=frozenset(merged["articles"]),
        and_words=frozenset(merged["and"]),
        vague=_phrases(merged["vague"]),
        several=_phrases(merged["several"]),
        qualifiers=_phrases(merged["qualifiers"]),
        post_qualifiers=_phrases(merged["post_qualifiers"]),
        range_joiners=frozenset(merged["range_joiners"]),
        range_frames={opener: frozenset(closers) for opener, closers in frames.items()},
        months=frozenset(merged["months"]),
        percent=_phrases(merged["percent"]),
        time_after=_phrases(merged["time_after"]),
        durations=_phrases(merged["durations"]),
        measures=_phrases(merged["measures"]),
        currency_before=frozenset(merged["currency_before"]),
        age_after=_phrases(merged["age_after"]),
        age_before=_phrases(merged["age_before"]),
        unit_size=_phrases(merged["unit_size"]),
        labels_before=_phrases(merged["labels_before"]),
        ordinal_suffixes=frozenset(merged["ordinal_suffixes"]),
        starters=frozenset(merged["sentence_starters"]),
        negators=frozenset(merged["negators"]),
    )

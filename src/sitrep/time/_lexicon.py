"""Per-language word lists and patterns, loaded from `lang/<code>/` and compiled once.

`time.json` holds the words (months, weekdays, number words, units, parts of a period,
relative words, …); `time-patterns.txt` holds one `KIND<TAB>REGEX` per line, where
`{MACRO}` names a word list from the lexicon. Adding a language is adding these two files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sitrep import lang

_MACRO = re.compile(r"\{([A-Z]+)\}")
_LISTS = (
    "months_also_names",
    "count_words",
    "count_words_weak",
    "anaphoric",
    "anaphoric_offsets",
    "since_words",
    "until_words",
    "season_context",
)


@dataclass(frozen=True)
class Pattern:
    """One compiled pattern: its kind names the normaliser that reads its groups."""

    kind: str
    regex: re.Pattern[str]
    order: int


@dataclass(frozen=True)
class Lexicon:
    """Everything the tagger knows about one language."""

    language: str
    words: dict[str, dict[str, object]]
    plural_units: frozenset[str]
    case_sensitive: frozenset[str]
    decade_as_years: bool
    # a capitalised word right after a lone month name makes it a name ("August Müller"),
    # where every noun is capitalised and a month rarely stands before one
    month_then_capital_is_name: bool
    relative_decade_duration: bool
    future_markers: frozenset[str]
    past_markers: frozenset[str]
    past_suffix: str
    patterns: tuple[Pattern, ...]
    lists: dict[str, frozenset[str]]

    def lookup(self, table: str, word: str | None) -> object:
        """The value of `word` (case-folded, spaces normalised) in word list `table`."""
        if word is None:
            return None
        key = " ".join(word.lower().replace(".", ". ").split()).replace(". ", ".")
        found = self.words[table].get(key)
        if found is None:
            found = self.words[table].get(key.rstrip("."))
        if found is None:
            found = self.words[table].get(" ".join(word.lower().split()))
        return found


def languages() -> tuple[str, ...]:
    """The languages with data files."""
    return lang.with_file("time.json")


def _alternation(words: list[str], case_sensitive: frozenset[str]) -> str:
    parts = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        escaped = r"\s+".join(re.escape(piece) for piece in word.split())
        exact = [cs for cs in case_sensitive if cs.lower() == word.lower()]
        if exact:
            escaped = "|".join(re.escape(cs) for cs in exact)
            escaped = f"(?-i:{escaped})"
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")"


def _add_abbreviation_dots(table: dict[str, object]) -> None:
    """Let "Jan." and "Fri." match too: an abbreviation is a key that starts a longer key
    with the same value."""
    for key, value in list(table.items()):
        if any(k != key and k.startswith(key) and v == value for k, v in table.items()):
            table[f"{key}."] = value


def _numbers(raw: dict) -> dict[str, object]:
    numbers = dict(raw["numbers"])
    joiner = raw.get("compound_joiner", "-")
    for tens_word in raw.get("compound_tens", []):
        tens = raw["numbers"][tens_word]
        for unit_word, unit in raw.get("compound_units", {}).items():
            if joiner == "-":
                numbers[f"{tens_word}-{unit_word}"] = tens + unit
            else:
                numbers[f"{unit_word}{joiner}{tens_word}"] = tens + unit
    return numbers


@cache
def load(language: str) -> Lexicon:
    """The compiled lexicon for `language` (raises KeyError when there is none)."""
    raw = lang.json_file(language, "time.json")
    pattern_file = lang.path(language, "time-patterns.txt")
    if raw is None or pattern_file is None:
        raise KeyError(language)
    words: dict[str, dict[str, object]] = {
        "months": raw["months"],
        "weekdays": raw["weekdays"],
        "numbers": _numbers(raw),
        "ordinals": raw["ordinals"],
        "units": raw["units"],
        "unit_adjectives": raw.get("unit_adjectives", {}),
        "seasons": raw["seasons"],
        "parts": raw["parts"],
        "parts_of_day": raw["parts_of_day"],
        "relatives": raw["relatives"],
        "relative_compounds": raw.get("relative_compounds", {}),
        "deictics": raw["deictics"],
        "refs": raw["refs"],
        "offset_after": raw.get("offset_after", {}),
        "offset_before": raw.get("offset_before", {}),
        "set_adverbs": raw["set_adverbs"],
        "eras": raw.get("eras", {}),
        "holidays": raw.get("holidays", {}),
    }
    for table in ("months", "weekdays"):
        _add_abbreviation_dots(words[table])
    sensitive_by_macro = {
        name: frozenset(ws) | {f"{w}." for w in ws}
        for name, ws in raw.get("case_sensitive", {}).items()
    }
    case_sensitive = frozenset().union(*sensitive_by_macro.values())
    number_words = [w for w in words["numbers"] if not w.isdigit()]
    macros = {
        "MONTH": words["months"],
        "WEEKDAY": words["weekdays"],
        "NUMWORD": [w for w in number_words if " " not in w],
        "ORD": words["ordinals"],
        "UNIT": words["units"],
        "UNITADJ": words["unit_adjectives"],
        "SEASON": words["seasons"],
        "PART": words["parts"],
        "POD": words["parts_of_day"],
        "REL": words["relatives"],
        "RELCOMP": words["relative_compounds"],
        "DEICTIC": words["deictics"],
        "REF": words["refs"],
        "OFFAFTER": words["offset_after"],
        "OFFBEFORE": words["offset_before"],
        "SETADV": words["set_adverbs"],
        "APPROX": raw.get("approx", []),
        "ERA": words["eras"],
        "HOLIDAY": words["holidays"],
        "PLURALUNIT": [w for w in words["units"] if w in set(raw.get("plural_units", []))],
    }
    compiled = {
        name: _alternation(list(ws), sensitive_by_macro.get(name, frozenset()))
        for name, ws in macros.items()
        if ws
    }
    compiled["NUM"] = r"(?:\d+(?:[.,]\d+)?|" + _alternation(number_words, frozenset()) + ")"
    compiled["DAY"] = r"(?:0?[1-9]|[12]\d|3[01])"
    compiled["YEAR"] = r"(?:1[0-9]\d\d|20\d\d)"
    patterns = []
    lines = pattern_file.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, body = line.partition("\t")
        source = _MACRO.sub(lambda m: compiled.get(m.group(1), "(?!)"), body)
        regex = re.compile(rf"(?<![\w]){source}(?![\w])", re.IGNORECASE)
        patterns.append(Pattern(kind=kind, regex=regex, order=len(patterns)))
    return Lexicon(
        language=language,
        words=words,
        plural_units=frozenset(raw.get("plural_units", [])),
        case_sensitive=case_sensitive,
        decade_as_years=bool(raw.get("decade_as_years", False)),
        month_then_capital_is_name=bool(raw.get("month_then_capital_is_name", False)),
        relative_decade_duration=bool(raw.get("relative_decade_duration", False)),
        future_markers=frozenset(raw.get("future_markers", [])),
        past_markers=frozenset(raw.get("past_markers", [])),
        past_suffix=raw.get("past_suffix", ""),
        patterns=tuple(patterns),
        lists={name: frozenset(w.lower() for w in raw.get(name, [])) for name in _LISTS},
    )

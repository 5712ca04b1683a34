"""The actor catalogue: specific actors from `data/actors.json` plus generic ones per country.

Generic actors follow ACLED's names — "Military Forces of X", "Police Forces of X",
"Civilians (X)", "Unidentified Armed Group (X)", "Protesters (X)", "Rioters (X)" — for every
country babel knows; their aliases combine the demonyms of `lang/<code>/demonyms.tsv` with the
nouns of `lang/<code>/generic-actors.json` ("irakische Armee", "Turkish troops", "US-Truppen").
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sitrep import lang
from sitrep.acled import COUNTRIES_WITH_THE, COUNTRY_NAMES

DATA = Path(__file__).parent / "data"
LANGUAGES = ("en", "de")
# Generic kinds: id prefix, ACLED name pattern, inter code.
GENERIC = {
    "military": ("military", "Military Forces of {country}", 1),
    "police": ("police", "Police Forces of {country}", 1),
    "civilians": ("civilians", "Civilians ({country})", 7),
    "unidentified": ("uag", "Unidentified Armed Group ({country})", 3),
    "protesters": ("protesters", "Protesters ({country})", 6),
    "rioters": ("rioters", "Rioters ({country})", 5),
}
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "XK", "ZZ", "AQ", "BV", "HM", "TF", "UM"}
TOKEN = re.compile(r"\w+(?:(?:[-‐‑'’*:]|\.(?=\w\.))\w+)*\.?", re.UNICODE)


@dataclass
class ActorEntry:
    """One catalogue actor (specific or generic)."""

    id: str
    name: str
    inter: int
    country: str | None = None
    parents: list[str] = field(default_factory=list)
    associated: list[str] = field(default_factory=list)
    years: tuple[int | None, int | None] = (None, None)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    weak: list[str] = field(default_factory=list)
    source: str = ""
    generic: bool = False
    reports: bool = False  # a monitor or agency that news quotes, never a side of an event

    def all_aliases(self) -> list[str]:
        return [alias for names in self.aliases.values() for alias in names]


@dataclass
class Catalogue:
    """All actors by id, plus the demonym tables and per-language word lists."""

    actors: dict[str, ActorEntry]
    countries: dict[str, dict[str, str]]  # code -> {"en": name, "de": name}
    demonyms: dict[str, dict[str, list[str]]]  # code -> {"en": [...], "de": [...], "prefix": [...]}
    words: dict[str, dict]  # language -> lang/<code>/generic-actors.json

    def specific(self) -> list[ActorEntry]:
        return [actor for actor in self.actors.values() if not actor.generic]

    def get(self, actor_id: str) -> ActorEntry | None:
        return self.actors.get(actor_id)


def fold(token: str, language: str = "de") -> str:
    """Case- and inflection-insensitive key of one token.

    A language with inflection endings (`language.json`: German) strips them repeatedly
    ("Islamischen Staates" and "Islamischer Staat" -> "islamisch staat"); others only a
    plural or possessive "s" ("fighters" -> "fighter").
    """
    token = unicodedata.normalize("NFC", token).lower().replace("’", "'").replace("‐", "-")
    if token.endswith("'s"):
        token = token[:-2]
    suffixes = _inflection(language)
    if not suffixes:
        if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        return token
    changed = True
    while changed:
        changed = False
        for suffix in suffixes:
            if token.endswith(suffix) and len(token) - len(suffix) >= 4:
                token = token[: -len(suffix)]
                changed = True
                break
    return token


@cache
def _inflection(language: str) -> tuple[str, ...]:
    """The endings `fold` strips in `language`, longest first as listed (none: English's
    plural "s" rule)."""
    return tuple((lang.json_file(language, "language.json") or {}).get("inflection_suffixes", ()))


def tokens(text: str) -> list[tuple[int, int, str]]:
    """Word tokens with offsets; a final "'s" (possessive) is left outside the token."""
    found = []
    for match in TOKEN.finditer(text):
        start, end, word = match.start(), match.end(), match.group()
        if word.endswith(".") and not re.search(r"\w\.\w", word):
            end, word = end - 1, word[:-1]
        if len(word) > 2 and word[-2:] in ("'s", "’s"):
            end, word = end - 2, word[:-2]
        if word:
            found.append((start, end, word))
    return found


def _countries() -> dict[str, dict[str, str]]:
    from babel import Locale

    english, german = Locale("en").territories, Locale("de").territories
    return {
        code: {"en": COUNTRY_NAMES.get(code, english[code]), "de": german.get(code, english[code])}
        for code in english
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


def _demonyms() -> dict[str, dict[str, list[str]]]:
    """What names a country's forces in each language, from the one demonym table
    (`lang/<code>/demonyms.tsv`): English adjectives and attributive names ("Iraqi army",
    "US troops"), German adjective stems ("irakische Armee") and compound prefixes
    ("US-Truppen")."""
    table: dict[str, dict[str, list[str]]] = {}
    for code, adjectives, _, attributive in lang.table("en", "demonyms.tsv", 4):
        entry = table.setdefault(code, {"en": [], "de": [], "prefix": []})
        entry["en"] = _parts(adjectives) + _parts(attributive)
    for code, stems, _, prefixes in lang.table("de", "demonyms.tsv", 4):
        entry = table.setdefault(code, {"en": [], "de": [], "prefix": []})
        entry["de"], entry["prefix"] = _parts(stems), _parts(prefixes)
    return table


def _parts(cell: str) -> list[str]:
    return [part for part in cell.split("|") if part]


def _generic_aliases(
    kind: str,
    code: str,
    country: str,
    demonyms: dict[str, dict[str, list[str]]],
    words: dict[str, dict],
) -> dict[str, list[str]]:
    aliases: dict[str, list[str]] = {"en": [], "de": []}
    names = demonyms.get(code)
    if names is None or kind == "unidentified":
        return aliases
    for noun in words["en"].get(kind, []):
        aliases["en"] += [f"{adjective} {noun}" for adjective in names["en"]]
    # what an army does stands for the army, after the country's name too: "Turkey's
    # incursion" (the possessive "'s" is not part of a token), "the Turkish offensive"
    for noun in words["en"].get(f"{kind}_actions", []):
        aliases["en"] += [f"{name} {noun}" for name in (*names["en"], country)]
    for noun in words["de"].get(kind, []):
        aliases["de"] += [f"{stem}e {noun}" for stem in names["de"]]
        aliases["de"] += [f"{prefix}-{noun}" for prefix in names["prefix"]]
    return aliases


def _with_the(code: str, name: str) -> str:
    return f"the {name}" if code in COUNTRIES_WITH_THE else name


@cache
def load() -> Catalogue:
    """The catalogue, read once per process."""
    words = {code: lang.json_file(code, "generic-actors.json") or {} for code in LANGUAGES}
    countries, demonyms = _countries(), _demonyms()
    actors: dict[str, ActorEntry] = {}
    for code, names in countries.items():
        for kind, (prefix, pattern, inter) in GENERIC.items():
            actor_id = f"{prefix}-{code.lower()}"
            aliases = _generic_aliases(kind, code, names["en"], demonyms, words)
            aliases["en"].append(pattern.format(country=_with_the(code, names["en"])))
            actors[actor_id] = ActorEntry(
                id=actor_id,
                name=pattern.format(country=_with_the(code, names["en"])),
                inter=inter,
                country=code,
                aliases=aliases,
                source="generic actor (ACLED naming), country names from babel/CLDR",
                generic=True,
            )
    raw = json.loads((DATA / "actors.json").read_text(encoding="utf-8"))
    for item in raw["actors"]:
        aliases = {code: list(names) for code, names in item["aliases"].items() if code != "weak"}
        entry = ActorEntry(
            id=item["id"],
            name=item["name"],
            inter=int(item["inter"]),
            country=item.get("country"),
            parents=list(item.get("parents", [])),
            associated=list(item.get("associated", [])),
            years=tuple(item.get("years", (None, None))),  # type: ignore[arg-type]
            aliases=aliases,
            weak=list(item["aliases"].get("weak", [])),
            source=item.get("source", ""),
            reports=bool(item.get("reports", False)),
        )
        generic = actors.get(entry.id)
        if generic is not None:  # a specific actor refines the generic one of the same id
            for code, names in generic.aliases.items():
                entry.aliases.setdefault(code, [])
                entry.aliases[code] += [name for name in names if name not in entry.aliases[code]]
        actors[entry.id] = entry
    return Catalogue(actors=actors, countries=countries, demonyms=demonyms, words=words)

"""The actor catalogue: specific actors from `actors.json` plus generic ones per country.

Reference data, like the gazetteer: the actors stage finds mentions of these actors, and
the events stage reads what the codebook says of them (a government's forces, a
country's unidentified armed group) — neither owns it.

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

DATA = Path(__file__).parent
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
    # code -> language -> {"adjective": [...], "attributive": [...]}
    demonyms: dict[str, dict[str, dict[str, list[str]]]]
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


def languages() -> tuple[str, ...]:
    """The languages with generic actor words (`lang/<code>/generic-actors.json`)."""
    return lang.with_file("generic-actors.json")


def _countries() -> dict[str, dict[str, str]]:
    """Country names by code and language (CLDR's, ACLED's spelling in English); a
    language CLDR does not know names them in English."""
    from babel import Locale, UnknownLocaleError

    english = Locale("en").territories
    local: dict[str, dict[str, str]] = {}
    for language in languages():
        try:
            local[language] = Locale.parse(language).territories
        except (UnknownLocaleError, ValueError):
            local[language] = english
    return {
        code: {
            language: COUNTRY_NAMES.get(code, english[code])
            if language == "en"
            else names.get(code, english[code])
            for language, names in local.items()
        }
        for code in english
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }


def _demonyms() -> dict[str, dict[str, dict[str, list[str]]]]:
    """What names a country's forces, per country and language, from the one demonym table
    (`lang/<code>/demonyms.tsv`): adjectives ("Iraqi", "irakisch") and attributive names
    ("US" in "US troops", "US-Truppen")."""
    table: dict[str, dict[str, dict[str, list[str]]]] = {}
    for language in languages():
        for code, adjectives, _, attributive in lang.table(language, "demonyms.tsv", 4):
            table.setdefault(code, {})[language] = {
                "adjective": _parts(adjectives),
                "attributive": _parts(attributive),
            }
    return table


def _parts(cell: str) -> list[str]:
    return [part for part in cell.split("|") if part]


def _generic_aliases(
    kind: str,
    names: dict[str, str],
    demonyms: dict[str, dict[str, list[str]]],
    words: dict[str, dict],
) -> dict[str, list[str]]:
    """A generic actor's aliases in each language, from its `alias_templates`
    (`generic-actors.json`): "{adjective} {noun}" gives "Iraqi army", "{adjective}e {noun}"
    "irakische Armee", "{attributive}-{noun}" "US-Truppen". What an army does stands for
    the army, after the country's name too ("Turkey's incursion": the `{kind}_actions`
    nouns)."""
    aliases: dict[str, list[str]] = {language: [] for language in words}
    if kind == "unidentified":
        return aliases
    for language, vocabulary in words.items():
        forms = demonyms.get(language)
        if forms is None:
            continue
        values = {**forms, "country": [names[language]] if language in names else []}
        templates = vocabulary.get("alias_templates", {})
        for group, nouns in (("kind", kind), ("actions", f"{kind}_actions")):
            for noun in vocabulary.get(nouns, []):
                aliases[language] += expand(templates.get(group, []), values, noun)
    return aliases


def expand(templates: list[str], values: dict[str, list[str]], noun: str = "") -> list[str]:
    """Every template filled with every value of the one field it names, in order."""
    out = []
    for template in templates:
        field = template[template.index("{") + 1 : template.index("}")]
        out += [template.format(**{field: value}, noun=noun) for value in values.get(field, [])]
    return out


def _with_the(code: str, name: str) -> str:
    return f"the {name}" if code in COUNTRIES_WITH_THE else name


@cache
def load() -> Catalogue:
    """The catalogue, read once per process."""
    words = {code: lang.json_file(code, "generic-actors.json") or {} for code in languages()}
    countries, demonyms = _countries(), _demonyms()
    actors: dict[str, ActorEntry] = {}
    for code, names in countries.items():
        for kind, (prefix, pattern, inter) in GENERIC.items():
            actor_id = f"{prefix}-{code.lower()}"
            aliases = _generic_aliases(kind, names, demonyms.get(code, {}), words)
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

"""Finding actor mentions in a text: aliases, compounds, acronym definitions, people, NER.

Matching works on word tokens. A token's key is `fold(token)` (lower case, German endings
stripped, so "Islamischen Staates" meets "Islamischer Staat"), except for acronyms, which
must match exactly ("IS" never matches English "is"). The longest alias wins. Hyphenated
compounds are also read part by part: "IS-Kämpfer" and "DAESH-Zellen" are IS, "UN-Angaben"
names the UN, while "Anti-IS-Koalition" never names IS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sitrep import lang
from sitrep.catalogue import Catalogue, expand, fold, languages, load, tokens

Target = tuple[str, bool, bool]  # (actor id or "country:XX" / "bare:kind", weak, capital first)
_ACRONYM_DEFINITION = re.compile(r"\(\s*([A-ZÄÖÜ][A-Za-zÄÖÜäöü\-]{1,11})\s*\)")
_MAX_LINK_GAP = 160


@dataclass
class Mention:
    """One actor mention; `actor_id` None for an organisation not in the catalogue."""

    start: int
    end: int
    actor_id: str | None
    name: str | None = None
    inter: int | None = None
    weak: bool = False


def is_acronym(word: str) -> bool:
    letters = [char for char in word if char.isalpha()]
    return 2 <= len(letters) <= 6 and all(char.isupper() for char in letters)


def key(word: str, language: str) -> str:
    return "=" + word if is_acronym(word) else fold(word, language)


class Trie:
    """Token-key trie: alias key sequences to targets."""

    def __init__(self, language: str) -> None:
        self.root: dict = {}
        self.language = language

    def add(self, words: list[str], target: Target) -> None:
        node = self.root
        for word in words:
            node = node.setdefault(key(word, self.language), {})
        node.setdefault("", target)  # the first alias registered for a key sequence wins

    def longest(self, words: list[str], start: int) -> tuple[int, Target] | None:
        """The longest match starting at `start`: (end index, target)."""
        best = None
        states = [self.root]
        position = start
        while states and position < len(words):
            word = words[position]
            keys = {fold(word, self.language), "=" + word}
            states = [node[k] for node in states for k in keys if k in node]
            position += 1
            for node in states:
                if "" in node and (best is None or best[0] < position):
                    best = (position, node[""])
        return best


def _alias_words(alias: str) -> list[str]:
    return [word for _, _, word in tokens(alias)]


@cache
def base_trie(language: str) -> Trie:
    """Every catalogue alias, country name and bare generic phrase, folded for `language`.

    All languages' aliases go in (a German article may say "Hashd al-Shaabi"); built once
    per process and language.
    """
    catalogue = load()
    trie = Trie(language)
    ordered = sorted(catalogue.actors.values(), key=lambda actor: actor.generic)
    for actor in ordered:
        for alias_language, aliases in actor.aliases.items():
            for alias in aliases:
                # generic phrases of the other language ("protesters" in German) only mislead
                foreign = alias_language in languages() and alias_language != language
                if foreign and alias.islower():  # a common phrase, not a name
                    continue
                words = _alias_words(alias)
                if words:
                    trie.add(words, (actor.id, False, alias[:1].isupper()))
        for alias in actor.weak:
            trie.add(_alias_words(alias), (actor.id, True, alias[:1].isupper()))
    words = catalogue.words.get(language, {})
    for kind in ("civilians", "unidentified", "protesters", "police", "military"):
        for phrase in words.get(f"bare_{kind}", []):
            trie.add(_alias_words(phrase), (f"bare:{kind}", False, phrase[:1].isupper()))
    for code, names in catalogue.countries.items():
        for name in names.values():
            trie.add(_alias_words(name), (f"country:{code}", False, True))
        for demonym_language, forms in catalogue.demonyms.get(code, {}).items():
            templates = catalogue.words[demonym_language].get("country_forms", [])
            for form in expand(templates, forms):
                trie.add(_alias_words(form), (f"country:{code}", False, False))
    return trie


@cache
def _folded(name: str, language: str) -> frozenset[str]:
    catalogue = load()
    found = set()
    for words in catalogue.words.values():
        found.update(fold(word, language) for word in words.get(name, []))
    return frozenset(found)


def _scan(text: str, trie: Trie, local: Trie | None) -> list[tuple[int, int, Target]]:
    """Greedy longest-match scan, with hyphenated compounds also read part by part."""
    found: list[tuple[int, int, Target]] = []
    spans = tokens(text)
    words = [word for _, _, word in spans]
    index = 0
    while index < len(words):
        best = None
        for candidate_trie in (trie, local):
            if candidate_trie is None:
                continue
            hit = candidate_trie.longest(words, index)
            if hit and (best is None or hit[0] >= best[0]):
                best = hit
        if best and _capital_ok(words[index], best[1]):
            end, target = best
            found.append((spans[index][0], spans[end - 1][1], target))
            index = end
            continue
        if "-" in words[index]:
            found.extend(_compound(spans[index], trie, local))
        index += 1
    return found


def _capital_ok(word: str, target: Target) -> bool:
    return not target[2] or word[:1].isupper()


@cache
def _stance_prefixes() -> frozenset[str]:
    """First parts of a compound that turn a name into a stance ("anti-IS", "pro-Assad",
    "Ex-PKK"), in every language (`generic-actors.json`: "stance_prefixes")."""
    return frozenset(lang.merged_lists("generic-actors.json").get("stance_prefixes", ()))


def _compound(span: tuple[int, int, str], trie: Trie, local: Trie | None):
    start, end, word = span
    parts, offset = [], start
    for piece in word.split("-"):
        parts.append((offset, offset + len(piece), piece))
        offset += len(piece) + 1
    language = trie.language
    if fold(parts[0][2], language) in _stance_prefixes() or len(parts) < 2:
        return []
    words = [piece for _, _, piece in parts]
    heads = _folded("member_heads", language)
    for candidate_trie in (local, trie):
        if candidate_trie is None:
            continue
        hits = [candidate_trie.longest(words, 0)]
        for size in range(len(words) - 1, 1, -1):  # aliases with a hyphen: "al-Qaida-aligned"
            joined = candidate_trie.longest(["-".join(words[:size])], 0)
            hits.append((size, joined[1]) if joined else None)
        for hit in hits:
            if hit is None or not _capital_ok(words[0], hit[1]):
                continue
            stop, target = hit
            if target[0].startswith("country:"):
                continue
            if stop < len(parts) and fold(words[-1], language) in heads:
                return [(start, end, target)]
            return [(start, parts[stop - 1][1], target)]
    return []


def _main_country(matches: list[tuple[int, int, Target]]) -> str | None:
    counts: dict[str, int] = {}
    catalogue = load()
    for _, _, (target, _, _) in matches:
        code = None
        if target.startswith("country:"):
            code = target.split(":", 1)[1]
        elif (actor := catalogue.get(target)) is not None and actor.generic:
            code = actor.country
        if code:
            counts[code] = counts.get(code, 0) + 1
    return max(counts, key=lambda code: counts[code]) if counts else None


# ACLED's actor type of a bare generic phrase when the article's country is unknown
_BARE_INTER = {"civilians": 7, "unidentified": 3, "protesters": 6, "police": 1, "military": 1}


def _resolve(
    text: str,
    matches: list[tuple[int, int, Target]],
    raw: dict[str, tuple[str, int | None]],
    country: str | None,
) -> list[Mention]:
    """Targets to mentions: bare generic phrases get `country`, else the article's main
    country by its actor mentions."""
    catalogue = load()
    country = country or _main_country(matches)
    mentions = []
    for start, end, (target, weak, _) in matches:
        if target.startswith("country:"):
            continue
        if target.startswith("raw:"):
            _, inter = raw[target]
            mentions.append(Mention(start, end, None, None, inter))
            continue
        if target.startswith("bare:"):
            kind = target.split(":", 1)[1]
            prefix = {"civilians": "civilians", "unidentified": "uag"}.get(kind, kind)
            target = f"{prefix}-{country.lower()}" if country else ""
            if not target:
                inter = _BARE_INTER[kind]
                mentions.append(Mention(start, end, None, None, inter))
                continue
        actor = catalogue.get(target)
        if actor is not None:
            mentions.append(Mention(start, end, actor.id, actor.name, actor.inter, weak))
    strong = {mention.actor_id for mention in mentions if not mention.weak}
    return [mention for mention in mentions if not mention.weak or mention.actor_id in strong]


def _definitions(
    text: str, matches: list[tuple[int, int, Target]], orgs: list[tuple[int, int]], trie: Trie
) -> tuple[Trie | None, dict[str, tuple[str, int | None]]]:
    """Acronyms the article defines, "Demokratischen Kräfte Syriens (QSD)", as local aliases.

    A known long form lends its actor to the acronym; an unknown long form (an NER
    organisation) with a known acronym, "Kurdish Protection Units (YPG)", takes the
    acronym's actor; both unknown, they stay one raw actor.
    """
    language = trie.language
    local: Trie = Trie(language)
    raw: dict[str, tuple[str, int | None]] = {}
    by_end = {end: target for _, end, target in matches if not target[0].startswith("country:")}
    org_by_end = {end: start for start, end in orgs}
    defined = False
    for match in _ACRONYM_DEFINITION.finditer(text):
        acronym = match.group(1)
        if sum(char.isupper() for char in acronym) < 2:
            continue
        long_end = len(text[: match.start()].rstrip())
        if long_end in by_end:
            target = by_end[long_end]
            local.add([acronym], (target[0], False, False))
            defined = True
        elif long_end in org_by_end:
            long_form = text[org_by_end[long_end] : long_end]
            known = trie.longest([acronym], 0)
            if known is not None and not known[1][0].startswith(("country:", "bare:")):
                local.add(_alias_words(long_form), (known[1][0], False, False))
            else:
                label = f"raw:{acronym}"
                raw[label] = (long_form, guess_inter(long_form, language))
                local.add([acronym], (label, False, False))
            defined = True
    return (local if defined else None), raw


def guess_inter(mention: str, language: str = "en") -> int | None:
    """An ACLED actor type for an unknown organisation, from words in its name."""
    catalogue: Catalogue = load()
    folded = {fold(word, language) for _, _, word in tokens(mention)}
    lowered = mention.lower()
    for words in catalogue.words.values():
        for code, keywords in words.get("inter_keywords", {}).items():
            for keyword in keywords:
                if (" " in keyword and keyword.lower() in lowered) or fold(
                    keyword, language
                ) in folded:
                    return int(code)
    return None


@cache
def _articles() -> tuple[str, ...]:
    """The articles an organisation's name may start with, in every language (a German
    article quotes "the Syrian Observatory" as often as its own)."""
    words = lang.merged_lists("generic-actors.json").get("articles", ())
    return tuple(f"{form} " for word in words for form in (word, word.capitalize()))


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """An NER organisation span without a leading article or a dangling "(ACRONYM"."""
    mention = text[start:end]
    if " (" in mention:
        end = start + len(mention[: mention.index(" (")].rstrip())
    for article in _articles():
        if text.startswith(article, start) and end - start > len(article):
            start += len(article)
            break
    return start, end


def _is_place(mention: str) -> bool:
    """A gazetteer place, also in the genitive ("des Euphrats")."""
    from sitrep.ner import is_place

    return is_place(mention) or (mention.endswith("s") and is_place(mention[:-1]))


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < other_end and other_start < end for other_start, other_end in taken)


def _link_people(
    text: str,
    mentions: list[Mention],
    people: list[tuple[int, int]],
    sentences: list[tuple[int, int]],
    language: str,
) -> list[Mention]:
    """People the text ties to an organisation ("Rahim commands … of the Badr Brigades")."""
    cues = _folded("person_cues", language)
    known = [m for m in mentions if m.actor_id and not load().actors[m.actor_id].generic]
    links: dict[str, Mention] = {}
    for sent_start, sent_end in sentences:
        inside = [p for p in people if sent_start <= p[0] < sent_end]
        orgs = [m for m in known if sent_start <= m.start < sent_end]
        for person in inside:
            for org in orgs:
                if org.start >= person[1]:
                    between = text[person[1] : org.start]
                    others = [p for p in inside if person[1] <= p[0] < org.start]
                else:
                    between = text[org.start : person[0]]
                    others = [p for p in inside if org.end <= p[0] < person[0]]
                if others or len(between) > _MAX_LINK_GAP:
                    continue
                words = {
                    fold(part, language)
                    for _, _, word in tokens(between)
                    for part in word.split("-")
                }
                words |= {fold(part, language) for part in text[org.start : org.end].split("-")[1:]}
                if words & cues:
                    links.setdefault(text[person[0] : person[1]], org)
                    break
    if not links:
        return []
    found = []
    surnames = {name.split()[-1]: org for name, org in links.items()}
    for start, end in people:  # "Aqil Mohammed Rahim" is the "Rahim" the text linked
        org = surnames.get(text[start:end].split()[-1])
        if org is not None:
            found.append(Mention(start, end, org.actor_id, org.name, org.inter))
    for name, org in links.items():
        surname = name.split()[-1]
        for pattern in {name, surname}:
            for match in re.finditer(rf"(?<!\w){re.escape(pattern)}(?!\w)", text):
                found.append(Mention(match.start(), match.end(), org.actor_id, org.name, org.inter))
    return found


def find(
    text: str,
    entities: list[tuple[int, int, str]] | None = None,
    sentences: list[tuple[int, int]] | None = None,
    language: str | None = "de",
    country: str | None = None,
) -> list[Mention]:
    """Every actor mention in `text`, in order, non-overlapping.

    `entities` are NER spans `(start, end, label)`; PER spans feed person links, ORG spans
    not in the catalogue become raw mentions. `sentences` default to the whole text.
    `language` selects how words are folded (German endings or English plurals).
    `country` is where the article's places are: bare "civilians" or "Polizisten" are
    that country's, else the country its actors name most.
    """
    language = language if language in languages() else "en"
    entities = entities or []
    sentences = sentences or [(0, len(text))]
    trie = base_trie(language)
    matches = _scan(text, trie, None)
    orgs = [_trim(text, start, end) for start, end, label in entities if label == "ORG"]
    orgs = [(start, end) for start, end in orgs if start < end]
    local, raw = _definitions(text, matches, orgs, trie)
    if local is not None:
        matches = _scan(text, trie, local)
    mentions = _resolve(text, matches, raw, country)
    people = [(start, end) for start, end, label in entities if label == "PER"]
    taken = [(m.start, m.end) for m in mentions]
    for mention in sorted(
        _link_people(text, mentions, people, sentences, language), key=lambda m: -(m.end - m.start)
    ):
        if not _overlaps(mention.start, mention.end, taken):
            mentions.append(mention)
            taken.append((mention.start, mention.end))
    # an "organisation" the model elsewhere calls a person or a place ("Trump") is not one
    others = {text[start:end] for start, end, label in entities if label in ("PER", "LOC")}
    for start, end in orgs:
        if text[start:end] in others or _is_place(text[start:end]):
            continue
        if not _overlaps(start, end, taken):
            mentions.append(Mention(start, end, None, None, guess_inter(text[start:end], language)))
            taken.append((start, end))
    return sorted(mentions, key=lambda m: m.start)

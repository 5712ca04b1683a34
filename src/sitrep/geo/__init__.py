"""The geo stage: find place names in English and German text and resolve them, offline.

`find_places(text, language)` is the whole job for one text: recognition
(`sitrep.geo.recognize`: spaCy GPE/LOC/FAC plus gazetteer matching for English, a
gazetteer matcher with German-aware rules for German), then resolution
(`sitrep.geo.resolve`) against the gazetteer (`sitrep.geo.gazetteer.load()`).
`run(analysis, settings)` is the pipeline stage; languages other than en/de get no places
and no error. Demonyms ("Iraqi", "irakischen") help resolution but are not places. The words
around place names (locatives, stop words, "X, a city in Y", "X County") live in
`sitrep/lang/<code>/places.json`, read by `sitrep.geo.words`.

Places that match no gazetteer row are kept with `geonames_id`/`lat`/`lon` null; curated rows
(camps, crossings, rivers, deserts) have coordinates but `geonames_id` null.
"""

from __future__ import annotations

from sitrep import lang
from sitrep.errors import Code
from sitrep.geo.gazetteer import Gazetteer, install, load
from sitrep.geo.recognize import recognize
from sitrep.geo.resolve import Mention, resolve
from sitrep.models import Analysis, Entity, Place
from sitrep.settings import Settings

__all__ = [
    "PROVIDES",
    "REQUIRES",
    "Gazetteer",
    "Mention",
    "find_places",
    "install",
    "load",
    "resolve_mentions",
    "run",
    "serves",
]

REQUIRES = ("article.text", "article.language", "entities")
PROVIDES = ("places",)
STAGE = "geo"
MAX_CHARS = 2_000_000  # longer texts are cut (with a warning) rather than stall a batch


def find_places(
    text: str,
    language: str,
    gazetteer: Gazetteer | None = None,
    use_ner: bool = True,
    entities: list[Entity] | None = None,
) -> list[Place]:
    """Every place mention in `text`, resolved, in text order.

    `language` is any language with place words (`lang/<code>/places.json`; others: no
    places). `entities` are the NER's when the entities stage ran (else the model runs
    here); `use_ner=False` uses the gazetteer matcher alone (faster, lower recall).
    """
    if not serves(language) or not text or not text.strip():
        return []
    gazetteer = gazetteer or load()
    if entities is not None:
        entities = [entity for entity in entities if entity.end <= MAX_CHARS]
    mentions = recognize(text[:MAX_CHARS], language, gazetteer, use_ner=use_ner, entities=entities)
    places = resolve(text, mentions, gazetteer)
    return [place for place, mention in zip(places, mentions, strict=True) if not mention.adjective]


def resolve_mentions(
    text: str,
    spans: list[tuple[int, int]],
    language: str = "en",
    gazetteer: Gazetteer | None = None,
) -> list[Place]:
    """Resolve given mention spans (e.g. gold toponyms) in the context of the whole text.

    The article's own other places (found by `recognize`) are used as context too.
    """
    gazetteer = gazetteer or load()
    given = [Mention(start, end, text[start:end]) for start, end in spans]
    return resolve(text, given, gazetteer)


def serves(language: str | None) -> bool:
    """Whether places are found in `language`: it has place words."""
    return lang.path(language, "places.json") is not None


def run(analysis: Analysis, settings: Settings) -> Analysis:
    """Set `analysis.places`; languages without place words are skipped without a warning."""
    del settings  # one signature for every stage
    article = analysis.article
    language = lang.base(article.language)
    if language is None or not serves(language):
        analysis.places = []
        return analysis
    if len(article.text) > MAX_CHARS:
        analysis.warn(
            STAGE, Code.TEXT_CUT, f"text longer than {MAX_CHARS} characters; geo read the start"
        )
    analysis.places = find_places(article.text, language, entities=analysis.entities)
    return analysis

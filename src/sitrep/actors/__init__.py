"""Actors stage: who acts in the article, linked to the actor catalogue with ACLED types.

Mentions come from catalogue aliases in every language (German inflection and compounds
included), acronyms the article defines, people the text ties to an organisation, and NER:
an organisation the catalogue lacks stays as a raw mention (`actor_id` null) with an ACLED
type guessed from its name — never dropped.
"""

from __future__ import annotations

from collections import Counter

from sitrep.actors.mentions import Mention, find
from sitrep.catalogue import ActorEntry, Catalogue, load
from sitrep.models import Actor, Analysis, Place
from sitrep.settings import Settings

__all__ = ["PROVIDES", "REQUIRES", "ActorEntry", "Catalogue", "catalogue", "find", "run"]

REQUIRES = ("article.text", "article.language", "sentences", "entities", "places")
PROVIDES = ("actors",)
_AREAS = ("country", "continent")  # places that say where from, not where it happened


def catalogue() -> Catalogue:
    """The loaded actor catalogue (specific and generic actors), read once per process."""
    return load()


def _reported_country(places: list[Place]) -> str | None:
    """The country most of the article's resolved towns and provinces are in: where its
    unnamed civilians, police or gunmen are ("civilians were killed near Raqqa")."""
    located = [p for p in places if p.country and p.lat is not None]
    local = [p for p in located if p.kind not in _AREAS] or located
    counts = Counter(p.country for p in local)
    return max(counts, key=lambda code: counts[code]) if counts else None


def _actor(text: str, mention: Mention) -> Actor:
    return Actor(
        mention=text[mention.start : mention.end],
        start=mention.start,
        end=mention.end,
        actor_id=mention.actor_id,
        name=mention.name,
        acled_inter=mention.inter,
    )


def run(analysis: Analysis, settings: Settings) -> Analysis:
    """Fill `analysis.actors` from `article.text` (offsets into it)."""
    del settings
    text = analysis.article.text
    if not text.strip():
        analysis.actors = []
        return analysis
    sentences = [(sentence.start, sentence.end) for sentence in analysis.sentences] or None
    entities = [(entity.start, entity.end, entity.label) for entity in analysis.entities]
    country = _reported_country(analysis.places)
    analysis.actors = [
        _actor(text, mention)
        for mention in find(text, entities, sentences, analysis.article.language, country)
    ]
    return analysis

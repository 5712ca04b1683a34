"""`sitrep eval events --format sitrep`: coded events against the team's document gold.

The gold (`eval/gold/events-{dev,test}.jsonl`, guidelines in `docs/annotation.md`) codes
each article the way ACLED does: one event per thing that happened, with type, sub-type,
actors, place (coordinates and geo_precision), date range and fatalities, and the
character offsets of its evidence. Articles are read by reference (`sitrep.eval.corpora`),
never copied.

`evaluate` returns one flat dict: strict P/R/F1 (type, place, date and fatalities right;
`sitrep.eval.matching`), the same with the type alone, per-field accuracy over the pairs
that the type-only matching makes, and duplicates — system events left over that are the
same event (type, place, date) as a gold event already matched — overall, per language
and per corpus.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sitrep.acled import SUB_EVENT_TYPES
from sitrep.eval import corpora
from sitrep.eval.coding import Coded, Run, code_article
from sitrep.eval.common import PRF
from sitrep.eval.matching import FIELDS, assign, field_agreement, same_date, same_event, same_place
from sitrep.settings import Settings

__all__ = ["SUB_TYPES", "GoldDoc", "GoldError", "evaluate", "read_gold", "validate_event"]

SUB_TYPES = SUB_EVENT_TYPES
GEO_PRECISIONS = (1, 2, 3)


class GoldError(ValueError):
    """A gold event that does not follow the schema of docs/annotation.md."""


@dataclass(frozen=True)
class GoldDoc:
    """One coded article: its reference, language, split, reference date and events."""

    doc: str
    lang: str
    split: str
    published: str | None
    events: tuple[Coded, ...]


def _iso(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise GoldError(f"{what} must be a YYYY-MM-DD string")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise GoldError(f"{what} {value!r} is not a YYYY-MM-DD date") from None
    return value


def validate_event(event: dict) -> Coded:
    """A gold event checked against the schema and turned into a comparable `Coded`."""
    kind, sub = event.get("event_type"), event.get("sub_event_type")
    if kind not in SUB_TYPES:
        raise GoldError(f"unknown event_type {kind!r}")
    if sub not in SUB_TYPES[kind]:
        raise GoldError(f"sub_event_type {sub!r} is not one of {kind!r}'s")
    place = event.get("place")
    if not isinstance(place, dict):
        raise GoldError("place must be an object with name, lat, lon, country, geo_precision")
    lat, lon = place.get("lat"), place.get("lon")
    if not isinstance(lat, int | float) or not isinstance(lon, int | float):
        raise GoldError("place.lat and place.lon must be numbers")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise GoldError("place.lat/lon out of range")
    country = place.get("country")
    if not isinstance(country, str) or len(country) != 2 or not country.isupper():
        raise GoldError("place.country must be an ISO 3166 alpha-2 code such as SY")
    if place.get("geo_precision") not in GEO_PRECISIONS:
        raise GoldError("place.geo_precision must be 1, 2 or 3")
    when = event.get("date")
    earliest = latest = None
    if when is not None:
        earliest = _iso(when.get("earliest"), "date.earliest")
        latest = _iso(when.get("latest", earliest), "date.latest")
        if latest < earliest:
            raise GoldError("date.latest is before date.earliest")
    fatalities = event.get("fatalities")
    if not isinstance(fatalities, int) or isinstance(fatalities, bool) or fatalities < 0:
        raise GoldError("fatalities must be a whole number >= 0")
    if not event.get("evidence"):
        raise GoldError("evidence must list at least one passage")
    for name in ("actor1", "actor2"):
        if event.get(name) is not None and not isinstance(event[name], str):
            raise GoldError(f"{name} must be a name or null")
    if not event.get("actor1"):
        raise GoldError("actor1 is required (ACLED codes a generic actor when unnamed)")
    return Coded(
        event_type=kind,
        sub_event_type=sub,
        actor1=event.get("actor1"),
        actor2=event.get("actor2"),
        lat=float(lat),
        lon=float(lon),
        country=country,
        admin1=place.get("admin1"),
        geo_precision=place["geo_precision"],
        earliest=earliest,
        latest=latest,
        fatalities=fatalities,
    )


def read_gold(path: Path) -> list[GoldDoc]:
    """Gold articles from a JSONL file (one coded article a line)."""
    docs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        record = json.loads(line)
        try:
            events = tuple(
                validate_event(e) for e in record.get("events", []) if not e.get("background")
            )
        except GoldError as exc:
            raise GoldError(f"{path}:{number} ({record.get('doc')}): {exc}") from None
        docs.append(
            GoldDoc(
                doc=record["doc"],
                lang=record["lang"],
                split=record.get("split", "dev"),
                published=record.get("published"),
                events=events,
            )
        )
    return docs


def _loose(gold: Coded, system: Coded) -> bool:
    """The same thing that happened, whatever its toll: type, place and date."""
    return (
        gold.event_type == system.event_type
        and same_place(gold, system)
        and same_date(gold, system)
    )


@dataclass
class Tally:
    """Counts for one group of articles (all, a language, a corpus)."""

    strict: PRF
    typed: PRF
    fields: Counter[str]
    pairs: int = 0
    duplicates: int = 0
    articles: int = 0

    @classmethod
    def empty(cls) -> Tally:
        return cls(PRF(), PRF(), Counter())

    def add(self, gold: list[Coded], system: list[Coded]) -> None:
        """Score one article."""
        self.articles += 1
        strict = assign(gold, system, lambda g, s: 1.0 if same_event(g, s) else 0.0)
        self.strict += PRF(len(strict), len(system), len(gold))
        matched = {i for i, _ in strict}
        used = {j for _, j in strict}
        self.duplicates += sum(
            1
            for j, s in enumerate(system)
            if j not in used and any(_loose(gold[i], s) for i in matched)
        )
        typed = assign(
            gold,
            system,
            lambda g, s: (
                (100.0 + sum(field_agreement(g, s).values()))
                if g.event_type == s.event_type
                else 0.0
            ),
        )
        self.typed += PRF(len(typed), len(system), len(gold))
        for i, j in typed:
            self.pairs += 1
            self.fields.update(k for k, ok in field_agreement(gold[i], system[j]).items() if ok)

    def as_dict(self, n_system: int) -> dict[str, object]:
        return {
            "articles": self.articles,
            "gold_events": self.strict.n_gold,
            "system_events": n_system,
            "strict": self.strict.as_dict(),
            "type_only": self.typed.as_dict(),
            "fields": {
                name: round(self.fields[name] / self.pairs, 4) if self.pairs else None
                for name in FIELDS
            },
            "pairs": self.pairs,
            "duplicates": self.duplicates,
            "duplicate_rate": round(self.duplicates / n_system, 4) if n_system else 0.0,
        }


def evaluate(
    path: Path,
    data: Path = corpora.DEFAULT_DATA,
    split: str | None = None,
    settings: Settings | None = None,
    details: list[dict] | None = None,
) -> dict[str, object]:
    """Score the system's coded events against the gold file's articles (of one split)."""
    settings = settings or Settings(workers=1)
    docs = [d for d in read_gold(path) if split in (None, d.split)]
    run = Run()
    groups: dict[str, Tally] = defaultdict(Tally.empty)
    system_counts: Counter[str] = Counter()
    for doc in docs:
        article = corpora.read(doc.doc, data)
        system = code_article(
            run,
            doc.doc,
            article.text,
            settings.model_copy(update={"forced_language": doc.lang}),
            title=article.title,
            published=doc.published,
        )
        corpus = doc.doc.split(":")[0]
        for key in ("all", f"lang:{doc.lang}", f"corpus:{corpus}"):
            groups[key].add(list(doc.events), system)
            system_counts[key] += len(system)
        if details is not None:
            details.append(_detail(doc, system))
    result: dict[str, object] = {"gold": str(path), "split": split or "all"}
    result.update(groups["all"].as_dict(system_counts["all"]))
    result["by_language"] = {
        key.split(":")[1]: groups[key].as_dict(system_counts[key])
        for key in sorted(groups)
        if key.startswith("lang:")
    }
    result["by_corpus"] = {
        key.split(":")[1]: groups[key].as_dict(system_counts[key])
        for key in sorted(groups)
        if key.startswith("corpus:")
    }
    result["crashes"] = run.crashes
    return result


def _detail(doc: GoldDoc, system: list[Coded]) -> dict:
    """One article's gold and system events side by side, for reading errors."""
    strict = assign(list(doc.events), system, lambda g, s: 1.0 if same_event(g, s) else 0.0)
    return {
        "doc": doc.doc,
        "gold": [g.__dict__ for g in doc.events],
        "system": [s.__dict__ for s in system],
        "strict_pairs": strict,
    }

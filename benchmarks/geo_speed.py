"""Throughput of the geo stage alone, after loading: articles per second on one core.

    .venv/bin/python benchmarks/geo_speed.py [CSV] [--limit N] [--language en]

Reads the `text` column of a CSV (default ../shared/data/corpus/guardian_sdf_2019.csv) and
runs `find_places` with and without spaCy NER. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

from sitrep.geo import find_places, load
from sitrep.ner import pipeline

DEFAULT = Path(__file__).resolve().parents[2] / "shared/data/corpus/guardian_sdf_2019.csv"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv", nargs="?", default=str(DEFAULT))
    parser.add_argument("--limit", type=int, default=300)
    parser.add_argument("--language", default="en")
    args = parser.parse_args()
    csv.field_size_limit(sys.maxsize)
    with open(args.csv, encoding="utf-8", newline="") as handle:
        texts = [
            row["text"] for _, row in zip(range(args.limit), csv.DictReader(handle), strict=False)
        ]
    started = time.perf_counter()
    gazetteer = load()
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    pipeline("en")
    model_s = time.perf_counter() - started
    result = {
        "articles": len(texts),
        "chars": sum(map(len, texts)),
        "gazetteer_load_s": round(load_s, 2),
        "spacy_load_s": round(model_s, 2),
    }
    for label, use_ner in (("with_ner", True), ("without_ner", False)):
        started = time.perf_counter()
        places = sum(
            len(find_places(text, args.language, gazetteer, use_ner=use_ner)) for text in texts
        )
        elapsed = time.perf_counter() - started
        result[label] = {"articles_per_s": round(len(texts) / elapsed, 1), "places": places}
    print(json.dumps(result))


if __name__ == "__main__":
    main()

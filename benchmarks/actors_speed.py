"""Throughput of NER + actors: articles per second and peak memory, after loading.

    .venv/bin/python benchmarks/actors_speed.py [CSV] [--limit N] [--workers 2] [--language en]

Reads the `text` column of a CSV (default ../shared/data/corpus/guardian_sdf_2019.csv) and
runs sentence segmentation and the actors stage (which runs `sitrep.ner` first) over every
text, in `--workers` processes, each loading its models before the clock starts.
`--language de` runs the German model over the German seed articles in examples/seeds
instead (repeated to --limit).
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from sitrep import actors
from sitrep.models import Analysis, Article
from sitrep.settings import Settings
from sitrep.text.sentences import segment

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared/data/corpus/guardian_sdf_2019.csv"
_SETTINGS = Settings(workers=1)


def _warm(language: str) -> None:
    _analyse(("Die QSD und der IS. The SDF and IS.", language))


def _analyse(item: tuple[str, str]) -> int:
    text, language = item
    analysis = Analysis(article=Article(id="b", source="bench", language=language, text=text))
    analysis.sentences = segment(text, language)  # the text stage's output, as in the pipeline
    return len(actors.run(analysis, _SETTINGS).actors)


def _texts(args: argparse.Namespace) -> list[str]:
    if args.language == "de":
        seeds = [
            p.read_text(encoding="utf-8") for p in sorted((ROOT / "examples/seeds").glob("*.txt"))
        ]
        seeds = seeds[1:]  # 000 is English
        return [seeds[i % len(seeds)] + f"\n{i}" for i in range(args.limit)]
    csv.field_size_limit(sys.maxsize)
    with open(args.csv, encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)][: args.limit]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("csv", nargs="?", default=str(DEFAULT))
    parser.add_argument("--limit", type=int, default=249)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--language", default="en", choices=["en", "de"])
    args = parser.parse_args()
    texts = _texts(args)
    items = [(text, args.language) for text in texts]
    words = sum(len(text.split()) for text in texts)
    with ProcessPoolExecutor(args.workers, initializer=_warm, initargs=(args.language,)) as pool:
        list(pool.map(_warm, [args.language] * args.workers))  # make sure every worker loaded
        started = time.perf_counter()
        mentions = sum(pool.map(_analyse, items, chunksize=4))
        elapsed = time.perf_counter() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {
        "language": args.language,
        "articles": len(texts),
        "words": words,
        "workers": args.workers,
        "seconds": round(elapsed, 2),
        "articles_per_s": round(len(texts) / elapsed, 1),
        "words_per_s": round(words / elapsed),
        "actor_mentions": mentions,
        "peak_rss_mb_per_worker": round(children),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()

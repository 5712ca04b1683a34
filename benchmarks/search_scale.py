"""How search holds up as the archive grows: latency of words, meaning and fused search
over N articles, and the meaning half alone up to a million vectors.

Usage: python benchmarks/search_scale.py [--sizes 10000,100000] [--vectors 1000000]
           [--corpus CSV] [--queries 50]

For each size, builds (in a temporary folder) a SQLite database of N articles through the
store's own write path: the leads (500 characters) of the corpus's articles, copied with
their copy number, each with its real lead vector plus a little noise (so copies are alike,
as syndicated and follow-up reports are). Then times `--queries` searches (the first eight
words of articles' leads, as an analyst types) in each mode; the first meaning search is
timed apart, as it reads every vector into memory. Separately, times the meaning half
alone (one matrix product and a partial sort) over `--vectors` random unit vectors, to
show where exact search stops being fast enough and an approximate index would be
needed. Prints one JSON object. Target (#15): p95 under 100 ms over 1,000,000 articles.
Not a test.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from sitrep import search
from sitrep.models import Analysis, Article, Published
from sitrep.store import Outcome, open_store
from sitrep.stories import vectors

CORPUS = Path(__file__).resolve().parents[1].parent / "shared/data/corpus/guardian_sdf_2019.csv"


def _quantiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=20) if len(values) > 1 else values * 19
    return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(cuts[18], 1)}


def build(path: Path, size: int, rows: list[dict[str, str]], leads: np.ndarray) -> float:
    """Write `size` articles; returns the seconds it took."""
    rng = np.random.default_rng(5)
    started = time.perf_counter()
    with open_store(path) as store:
        run = store.begin_run(["synthetic"])
        batch: list[Outcome] = []
        for number in range(size):
            row = rows[number % len(rows)]
            noisy = leads[number % len(rows)] + rng.normal(0, 0.01, leads.shape[1])
            article = Article(
                id=f"a{number:08d}",
                source=f"copy#{number}",
                text=f"{row['text'][: vectors.LEAD_CHARS]} (copy {number})",
                language="en",
                published=Published(date=row["date"], precision="day"),
            )
            vector = (noisy / np.linalg.norm(noisy)).astype(np.float32)
            batch.append(
                Outcome(article.source, article.id, Analysis(article=article), vector=vector)
            )
            if len(batch) == 2000:
                store.save_batch(run, batch)
                batch = []
        if batch:
            store.save_batch(run, batch)
        store.finish_run(run, "done", {})
    return time.perf_counter() - started


def time_searches(path: Path, asked: list[str]) -> dict[str, object]:
    figures: dict[str, object] = {}
    queries = {mode: [search.build(text, mode) for text in asked] for mode in search.Mode}
    with open_store(path) as store:
        started = time.perf_counter()
        store.search(queries[search.Mode.MEANING][0])
        figures["first_meaning_search_ms"] = round((time.perf_counter() - started) * 1000, 1)
        for mode, built in queries.items():
            times = []
            for query in built:
                started = time.perf_counter()
                store.search(query, limit=20)
                times.append((time.perf_counter() - started) * 1000)
            figures[mode.value] = _quantiles(times)
    return figures


def time_vectors(count: int, trials: int = 20) -> dict[str, object]:
    """The meaning half alone over `count` vectors held in memory."""
    rng = np.random.default_rng(9)
    matrix = rng.standard_normal((count, 384), dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    times = []
    for _ in range(trials):
        query = matrix[rng.integers(count)]
        started = time.perf_counter()
        similarity = matrix @ query
        top = np.argpartition(-similarity, 400)[:400]
        top[np.argsort(-similarity[top])]
        times.append((time.perf_counter() - started) * 1000)
    return {"vectors": count, "memory_mb": round(matrix.nbytes / 2**20), **_quantiles(times)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--vectors", default="100000,300000,1000000")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--queries", type=int, default=50)
    args = parser.parse_args()
    with args.corpus.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    leads = vectors.leads([row["text"] for row in rows])
    asked = [" ".join(row["text"].split()[:8]) for row in rows[: args.queries]]
    figures: dict[str, object] = {"corpus": str(args.corpus), "queries": len(asked)}
    with tempfile.TemporaryDirectory() as folder:
        for size in (int(part) for part in args.sizes.split(",") if part):
            path = Path(folder) / f"search-{size}.db"
            seconds = build(path, size, rows, leads)
            figures[f"articles_{size}"] = {
                "build_s": round(seconds, 1),
                "db_mb": round(path.stat().st_size / 2**20),
                **time_searches(path, asked),
            }
            path.unlink()
    figures["meaning_half_alone"] = [
        time_vectors(int(part)) for part in args.vectors.split(",") if part
    ]
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What writing costs on each backend: SQLite file against a PostgreSQL server.

Analyses a corpus once (the seed articles by default), then commits `--articles` copies
of its outcomes (each with its own ids, events and MinHash signature, so that none is a
duplicate) in batches of `--batch` into a fresh SQLite file and into a fresh database on
a throwaway PostgreSQL server on this machine (`sitrep.store.throwaway`, with fsync on
as in production; SQLite as `sitrep run` opens it: WAL, synchronous=NORMAL), and prints one
JSON object: milliseconds per article committed, and per batch, on each.

    .venv/bin/python benchmarks/store_write.py [--articles 2000] [--batch 32] [CORPUS ...]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from sitrep.ingest import read_paths
from sitrep.models import Document
from sitrep.pipeline import analyze_batch
from sitrep.settings import Settings
from sitrep.store import Outcome, Store, open_store
from sitrep.store.throwaway import Cluster

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"


def copies(outcomes: list[Outcome], count: int, seed: int = 0) -> list[Outcome]:
    """`count` outcomes made from these, each a distinct article: new article and event
    ids, a random signature (no near-duplicate of another), the same vector."""
    rng = np.random.default_rng(seed)
    analysed = [outcome for outcome in outcomes if outcome.analysis is not None]
    made = []
    for number in range(count):
        outcome = analysed[number % len(analysed)]
        analysis = outcome.analysis.model_copy(deep=True)  # type: ignore[union-attr]
        analysis.article.id = f"{number:08d}{analysis.article.id[8:]}"
        for event in analysis.events:
            event.id = f"{number:08d}{event.id[8:]}"
        signature = outcome.signature
        if signature is not None:
            signature = rng.integers(0, 2**32, size=signature.shape, dtype=np.uint32)
        made.append(
            Outcome(
                f"copy-{number}",
                f"{number:032d}",
                analysis=analysis,
                vector=outcome.vector,
                signature=signature,
            )
        )
    return made


def write(store: Store, outcomes: list[Outcome], batch: int) -> dict[str, float]:
    run = store.begin_run(["benchmark"])
    started = time.perf_counter()
    for start in range(0, len(outcomes), batch):
        store.save_batch(run, outcomes[start : start + batch])
    seconds = time.perf_counter() - started
    store.finish_run(run, "done", {})
    return {
        "seconds": round(seconds, 2),
        "ms_per_article": round(1000 * seconds / len(outcomes), 2),
        "ms_per_batch": round(1000 * seconds * batch / len(outcomes), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="*", default=[str(SEEDS)])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args(argv)
    settings = Settings(workers=1)
    documents = [d for d in read_paths(args.corpus, settings) if isinstance(d, Document)]
    outcomes = copies(analyze_batch(documents, settings), args.articles)
    events = sum(len(o.analysis.events) for o in outcomes if o.analysis is not None)
    result: dict[str, object] = {"articles": args.articles, "events": events, "batch": args.batch}
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "w.db") as store:
        result["sqlite"] = write(store, outcomes, args.batch)
    with Cluster(durable=True) as server, open_store(server.database()) as store:
        result["postgres"] = write(store, outcomes, args.batch)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Throughput of `sitrep run`: articles per second and peak memory over a corpus.

Usage: python benchmarks/throughput.py CORPUS [CORPUS ...] [--workers N] [--repeat K]
           [--cluster local:N | --scheduler tcp://HOST:8786] [--backend sqlite|postgres]

Runs the whole pipeline into a fresh temporary SQLite database (or a database on a
throwaway PostgreSQL server), as `sitrep run` does, and prints one JSON object.
`--repeat K` analyses the corpus K times (as K distinct texts) to get past the fixed
start-up cost on small corpora; `--cluster local:N` analyses on a local Dask cluster of N
worker processes (its start and the workers' model loading included, as a user waits for
them). Not a test: targets live here.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from sitrep.ingest import read_paths
from sitrep.models import Document
from sitrep.pipeline import run
from sitrep.settings import Settings
from sitrep.store import open_store
from sitrep.store.throwaway import Cluster


def _repeat(paths: list[str], times: int, folder: Path, settings: Settings) -> list[str]:
    """Write the corpus `times` times as JSON Lines, each copy's texts made distinct."""
    if times == 1:
        return paths
    documents = [item for item in read_paths(paths, settings) if isinstance(item, Document)]
    target = folder / "repeated.jsonl"
    with target.open("w", encoding="utf-8") as handle:
        for copy in range(times):
            for document in documents:
                record = {
                    "text": f"{document.content}\n\n({copy})",
                    "title": document.title,
                    "date": document.date,
                }
                handle.write(json.dumps(record) + "\n")
    return [str(target)]


def _cpu(usage: resource.struct_rusage) -> float:
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="+")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--cluster", help="local:N, or a Dask scheduler's address")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    missing = [path for path in args.corpus if not Path(path).exists()]
    if missing:
        print(f"no such corpus: {', '.join(missing)}", file=sys.stderr)
        return 2
    settings = Settings(workers=args.workers, cluster=args.cluster)
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        paths = _repeat(args.corpus, args.repeat, Path(folder), settings)
        target: str | Path = Path(folder) / "bench.db"
        if args.backend == "postgres":
            target = stack.enter_context(Cluster()).database()
        started = time.perf_counter()
        with open_store(target) as store:
            summary = run(paths, settings, store)
        seconds = time.perf_counter() - started
    main_usage = resource.getrusage(resource.RUSAGE_SELF)
    workers_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    articles = summary.stored + summary.duplicates
    print(
        json.dumps(
            {
                "corpus": args.corpus,
                "articles": articles,
                "failed": len(summary.failed),
                "workers": args.workers,
                "cluster": args.cluster,
                "backend": args.backend,
                "seconds": round(seconds, 2),
                "articles_per_s": round(articles / seconds, 1),
                "peak_mb_main": round(main_usage.ru_maxrss / 1024),
                "peak_mb_worker": round(workers_usage.ru_maxrss / 1024),
                # CPU seconds per article: the main process reads and stores, workers analyse
                "cpu_s_per_article_main": round(_cpu(main_usage) / articles, 3),
                "cpu_s_per_article_workers": round(_cpu(workers_usage) / articles, 3),
            },
            indent=2,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

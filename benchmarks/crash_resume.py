"""kill -9 at random points of a long run, then resume: nothing lost, nothing twice.

Builds a JSON Lines corpus of `--articles` distinct articles from the seed articles (each
copy numbered so that no two are near-duplicates), starts `sitrep run` on it, kills it with
SIGKILL `--kills` times, resuming each time, then lets the run finish: every other kill
after a random wait from the start (so some land while models load), the others once a
random number of further articles is stored (so they land mid-run, with later batches being
analysed or written). A kill takes the run's whole process group (its local workers or
its local Dask cluster too), as a crash of the machine would.

`--backend postgres` runs into a throwaway PostgreSQL server (`sitrep.store.throwaway`)
instead of a SQLite file; `--cluster local:N` analyses on a local Dask cluster; with
`--kill dask-worker` the kills hit one Dask worker process each (its nanny starts a new
one) during one run, which must still finish with everything. Prints one JSON object:

- `lost`: items of the corpus missing from the resume ledger or articles missing;
- `duplicated`: articles with more than one search row, vector or story place, sources
  beyond one per item, events whose article was stored twice (every table an article
  writes is checked: a half-committed batch would show here);
- `integrity`: SQLite's `PRAGMA integrity_check`, or `pg_amcheck` of every table and
  index on PostgreSQL;
- the kills that landed before anything was stored, and `seconds`.

    .venv/bin/python benchmarks/crash_resume.py [--articles 1000] [--kills 20] [--keep DIR]
        [--backend sqlite|postgres] [--cluster local:2 [--kill run|dask-worker]]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sitrep.store.throwaway import Cluster, binaries

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
SITREP = [sys.executable, "-c", "from sitrep.cli import main; main()"]


def write_corpus(path: Path, articles: int) -> None:
    """`articles` distinct reports made from the seeds: a number after every fourth word."""
    texts = [seed.read_text(encoding="utf-8") for seed in sorted(SEEDS.glob("*.txt"))]
    with path.open("w", encoding="utf-8") as handle:
        for number in range(articles):
            words = texts[number % len(texts)].split(" ")
            marked = " ".join(f"{w} {number}" if i % 4 == 3 else w for i, w in enumerate(words))
            handle.write(json.dumps({"text": f"{marked}\n\nBericht {number}."}) + "\n")


class Database:
    """The database a run writes, read from outside: a SQLite file or a PostgreSQL URL."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.server = target.startswith("postgresql://")

    def count(self, sql: str) -> int:
        """One number, or 0 while the database or its tables do not exist yet."""
        try:
            return int(self._one(sql))
        except Exception:  # not there yet, or locked for a moment
            return 0

    def _one(self, sql: str) -> object:
        if self.server:
            import psycopg

            with psycopg.connect(self.target, autocommit=True) as connection:
                return connection.execute(sql).fetchone()[0]
        if not Path(self.target).exists():
            return 0
        with sqlite3.connect(self.target, timeout=30) as connection:
            return connection.execute(sql).fetchone()[0]

    def integrity(self) -> str:
        """ "ok", or what the check found."""
        if not self.server:
            return str(self._one("PRAGMA integrity_check"))
        amcheck = binaries() / "pg_amcheck"
        checked = subprocess.run(
            [str(amcheck), "--install-missing", "--heapallindexed", self.target],
            capture_output=True,
            text=True,
        )
        return "ok" if checked.returncode == 0 else (checked.stdout + checked.stderr).strip()

    def runs(self) -> dict[str, int]:
        statuses = ("done", "interrupted", "running", "failed")
        return {
            status: self.count(f"SELECT COUNT(*) FROM runs WHERE status = '{status}'")
            for status in statuses
        }


def run(corpus: Path, db: str, workers: int, cluster: str | None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SITREP_WORKERS": str(workers)}
    extra = ["--cluster", cluster] if cluster else []
    return subprocess.Popen(
        [*SITREP, "run", str(corpus), "--db", db, *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: a kill takes its workers too
    )


def dask_workers(process: subprocess.Popen[bytes]) -> list[int]:
    """The run's Dask worker processes (spawned children of the nannies in the run)."""
    import psutil

    try:
        children = psutil.Process(process.pid).children()
        return [c.pid for c in children if "spawn_main" in " ".join(c.cmdline())]
    except psutil.Error:
        return []


def check(db: Database, articles: int) -> dict[str, object]:
    """What a resumed run left: losses, duplicates, integrity."""
    one = db.count
    stored = one("SELECT COUNT(*) FROM articles")
    duplicated = {
        "search_rows": one(
            "SELECT COUNT(*) FROM (SELECT article_id FROM article_search"
            " GROUP BY article_id HAVING COUNT(*) > 1) AS twice"
        ),
        "sources_beyond_items": one("SELECT COUNT(*) FROM article_sources") - articles,
        "story_places": one(
            "SELECT COUNT(*) FROM (SELECT article_id FROM story_articles"
            " GROUP BY article_id HAVING COUNT(*) > 1) AS twice"
        ),
        "ledger_rows_beyond_items": one("SELECT COUNT(*) FROM items") - articles,
    }
    return {
        "articles": stored,
        "lost": {
            "articles": articles - stored,
            "ledger_items": articles - one("SELECT COUNT(*) FROM items"),
            "search_rows": stored - one("SELECT COUNT(DISTINCT article_id) FROM article_search"),
            "vectors": stored - one("SELECT COUNT(*) FROM article_vectors"),
            "story_places": stored - one("SELECT COUNT(DISTINCT article_id) FROM story_articles"),
        },
        "duplicated": duplicated,
        "events": one("SELECT COUNT(*) FROM events"),
        "integrity": db.integrity(),
        "runs": db.runs(),
    }


def kill_runs(args: argparse.Namespace, corpus: Path, db: Database, rng: random.Random) -> list:
    """Kill the run `--kills` times, resuming each time; returns what each stored."""
    landed = []
    stride = max(1, 2 * args.articles // (args.kills + 1))
    for number in range(args.kills):
        before = db.count("SELECT COUNT(*) FROM articles")
        process = run(corpus, db.target, args.workers, args.cluster)
        # every other kill at a random moment (start-up included), the rest once a random
        # number of articles more is stored: mid-run, while later batches are in flight
        moment = time.monotonic() + rng.uniform(0.5, args.max_wait)
        more = rng.randint(1, stride) if number % 2 else None
        while process.poll() is None:
            stored = db.count("SELECT COUNT(*) FROM articles") - before
            if (more is None and time.monotonic() >= moment) or (more and stored >= more):
                os.killpg(process.pid, signal.SIGKILL)
                break
            time.sleep(0.05)
        process.wait()
        landed.append(db.count("SELECT COUNT(*) FROM articles") - before)
    return landed


def kill_dask_workers(
    args: argparse.Namespace, corpus: Path, db: Database, rng: random.Random
) -> list:
    """One run on a local Dask cluster; a worker killed `--kills` times at random numbers
    of stored articles. Returns the articles stored at each kill."""
    process = run(corpus, db.target, args.workers, args.cluster)
    workers_wanted = int(args.cluster.split(":")[1])
    marks = sorted(rng.sample(range(1, args.articles), args.kills))
    landed: list[int] = []
    for mark in marks:
        # past the mark, at least one batch after the last kill, every worker back up
        while process.poll() is None and (
            (stored := db.count("SELECT COUNT(*) FROM articles")) < mark
            or (landed and stored <= landed[-1])
            or len(dask_workers(process)) < workers_wanted
        ):
            time.sleep(0.1)
        if process.poll() is not None:
            break
        os.kill(rng.choice(dask_workers(process)), signal.SIGKILL)
        landed.append(stored)
    process.wait()
    return landed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-wait", type=float, default=30.0, help="seconds before a timed kill")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="write the corpus and database here")
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--cluster", help="analyse on a local Dask cluster (local:N)")
    parser.add_argument("--kill", choices=("run", "dask-worker"), default="run")
    args = parser.parse_args(argv)
    if args.kill == "dask-worker" and not args.cluster:
        parser.error("--kill dask-worker needs --cluster local:N")
    rng = random.Random(args.seed)
    work = args.keep or Path(tempfile.mkdtemp(prefix="sitrep-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    write_corpus(corpus, args.articles)
    server = Cluster().start() if args.backend == "postgres" else None
    try:
        db = Database(server.database() if server else str(work / "crash.db"))
        started = time.monotonic()
        kills = kill_dask_workers if args.kill == "dask-worker" else kill_runs
        landed = kills(args, corpus, db, rng)
        final = run(corpus, db.target, args.workers, args.cluster)
        final.wait()
        result = {
            "corpus": args.articles,
            "backend": args.backend,
            "cluster": args.cluster,
            "killed": args.kill,
            "kills": len(landed),
            "stored_at_each_kill" if args.kill == "dask-worker" else "stored_between_kills": landed,
            "final_exit_status": final.returncode,
            **check(db, args.articles),
            "seconds": round(time.monotonic() - started, 1),
        }
    finally:
        if server is not None:
            server.close()
    print(json.dumps(result, indent=1))
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    lost = sum(result["lost"].values())  # type: ignore[union-attr]
    duplicated = sum(result["duplicated"].values())  # type: ignore[union-attr]
    return 0 if lost == 0 and duplicated == 0 and result["integrity"] == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main())

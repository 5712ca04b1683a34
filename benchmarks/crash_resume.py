"""kill -9 at random points of a long run, then resume: nothing lost, nothing twice.

Builds a JSON Lines corpus of `--articles` distinct articles from the seed articles (each
copy numbered so that no two are near-duplicates), starts `sitrep run` on it, kills it with
SIGKILL `--kills` times, resuming each time, then lets the run finish: every other kill
after a random wait from the start (so some land while models load), the others once a
random number of further articles is stored (so they land mid-run, with later batches being
analysed or written). Prints one JSON object:

- `lost`: items of the corpus missing from the resume ledger or articles missing;
- `duplicated`: articles with more than one search row, vector or story place, sources
  beyond one per item, events whose article was stored twice (every table an article
  writes is checked: a half-committed batch would show here);
- `integrity`: SQLite's `PRAGMA integrity_check`;
- the kills that landed before anything was stored, and `seconds`.

    .venv/bin/python benchmarks/crash_resume.py [--articles 1000] [--kills 20] [--keep DIR]
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


def count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=30) as connection:
            return int(connection.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def run(corpus: Path, db: Path, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SITREP_WORKERS": str(workers)}
    return subprocess.Popen(
        [*SITREP, "run", str(corpus), "--db", str(db)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def check(db: Path, articles: int) -> dict[str, object]:
    """What a resumed run left: losses, duplicates, integrity."""
    with sqlite3.connect(db) as connection:

        def one(sql: str) -> int:
            return int(connection.execute(sql).fetchone()[0])

        stored = one("SELECT COUNT(*) FROM articles")
        duplicated = {
            "search_rows": one(
                "SELECT COUNT(*) FROM (SELECT article_id FROM article_search"
                " GROUP BY article_id HAVING COUNT(*) > 1)"
            ),
            "sources_beyond_items": one("SELECT COUNT(*) FROM article_sources") - articles,
            "story_places": one(
                "SELECT COUNT(*) FROM (SELECT article_id FROM story_articles"
                " GROUP BY article_id HAVING COUNT(*) > 1)"
            ),
            "ledger_rows_beyond_items": one("SELECT COUNT(*) FROM items") - articles,
        }
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        return {
            "articles": stored,
            "lost": {
                "articles": articles - stored,
                "ledger_items": articles - one("SELECT COUNT(*) FROM items"),
                "search_rows": stored
                - one("SELECT COUNT(DISTINCT article_id) FROM article_search"),
                "vectors": stored - one("SELECT COUNT(*) FROM article_vectors"),
                "story_places": stored
                - one("SELECT COUNT(DISTINCT article_id) FROM story_articles"),
            },
            "duplicated": duplicated,
            "events": one("SELECT COUNT(*) FROM events"),
            "integrity": integrity,
            "runs": dict(connection.execute("SELECT status, COUNT(*) FROM runs GROUP BY status")),
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-wait", type=float, default=30.0, help="seconds before a timed kill")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep", type=Path, help="write the corpus and database here")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    work = args.keep or Path(tempfile.mkdtemp(prefix="sitrep-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus, db = work / "corpus.jsonl", work / "crash.db"
    write_corpus(corpus, args.articles)
    started = time.monotonic()
    landed = []
    stride = max(1, 2 * args.articles // (args.kills + 1))
    for number in range(args.kills):
        before = count(db, "SELECT COUNT(*) FROM articles")
        process = run(corpus, db, args.workers)
        # every other kill at a random moment (start-up included), the rest once a random
        # number of articles more is stored: mid-run, while later batches are in flight
        moment = time.monotonic() + rng.uniform(0.5, args.max_wait)
        more = rng.randint(1, stride) if number % 2 else None
        while process.poll() is None:
            stored = count(db, "SELECT COUNT(*) FROM articles") - before
            if (more is None and time.monotonic() >= moment) or (more and stored >= more):
                process.send_signal(signal.SIGKILL)  # the run; its workers see their parent go
                break
            time.sleep(0.05)
        process.wait()
        landed.append(count(db, "SELECT COUNT(*) FROM articles") - before)
    final = run(corpus, db, args.workers)
    final.wait()
    result = {
        "corpus": args.articles,
        "kills": args.kills,
        "stored_between_kills": landed,
        "final_exit_status": final.returncode,
        **check(db, args.articles),
        "seconds": round(time.monotonic() - started, 1),
    }
    print(json.dumps(result, indent=1))
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)
    lost = sum(result["lost"].values())  # type: ignore[union-attr]
    duplicated = sum(result["duplicated"].values())  # type: ignore[union-attr]
    return 0 if lost == 0 and duplicated == 0 and result["integrity"] == "ok" else 1


if __name__ == "__main__":
    raise SystemExit(main())

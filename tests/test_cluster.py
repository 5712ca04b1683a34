"""`sitrep run` on Dask workers: a real LocalCluster of worker processes, one of them
killed mid-run, the resume ledger and the store as on one machine."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import dask
import pytest
from distributed import Client, LocalCluster

from sitrep import cluster, pipeline
from sitrep.models import Document
from sitrep.settings import Settings
from sitrep.store import EventFilter, SQLiteStore, open_store

SITREP = [sys.executable, "-c", "from sitrep.cli import main; main()"]
POISON = "POISON-PILL"


def _reports(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        report = {
            "title": f"Attack near village {n}",
            "date": f"2019-02-{1 + n % 28:02d}",
            "text": f"Report {n}: fighters of the Islamic State attacked an SDF position near"
            f" Hajin on Sunday, killing {n % 9 + 2} fighters, the monitor said.",
        }
        (folder / f"r{n:03d}.json").write_text(json.dumps(report), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def dask_cluster():
    """Two single-threaded worker processes, each under a nanny that restarts it. A task
    is given up after its second worker dies (Dask's default is the fourth): each death
    costs a worker's start and model load."""
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 1}),
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as local,
        Client(local) as client,
    ):
        yield local, client


def test_a_worker_killed_mid_run_loses_and_duplicates_nothing(
    dask_cluster, seeds: Path, tmp_path: Path, db: SQLiteStore
) -> None:
    local, client = dask_cluster
    reports = _reports(tmp_path / "reports", 10)
    settings = Settings(cluster=local.scheduler_address, batch_size=2)
    killed: list[int] = []

    def kill_a_worker(done: int, total: int) -> None:
        if done and not killed:  # the first batch is in: the others are on the workers
            pid = next(iter(client.run(os.getpid).values()))
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    summary = pipeline.run([str(seeds), str(reports)], settings, db, progress=kill_a_worker)
    assert killed and summary.failed == []
    # the templated reports are alike enough that some are another source of one article
    assert summary.stored + summary.near_duplicates == 15 == db.count("article_sources")
    assert db.count("articles") == summary.stored and db.count("items") == 15
    in_process = pipeline.analyze(
        next(iter(pipeline.read_paths([str(reports / "r007.json")], settings))), settings
    )
    stored = db.analysis(in_process.article.id)
    assert stored is not None and stored.events == in_process.events  # the same analysis
    assert db.count_events(EventFilter(background=True)) > 10
    again = pipeline.run([str(seeds), str(reports)], settings, db)
    assert (again.resumed, again.stored) == (15, 0)


def die_on_poison(documents: list[Document], settings: Settings):
    """What a library crashing the interpreter on one article does to a worker."""
    if any(POISON in document.content for document in documents):
        os._exit(1)
    return pipeline.analyze_batch(documents, settings)


def test_an_article_that_kills_every_worker_fails_alone(dask_cluster, tmp_path: Path) -> None:
    _, client = dask_cluster
    reports = _reports(tmp_path / "reports", 4)
    (reports / "r001.json").write_text(json.dumps({"text": f"{POISON} in Hajin."}), "utf-8")
    settings = Settings(batch_size=2)
    documents = list(pipeline.read_paths([str(reports)], settings))
    batches = [documents[:2], documents[2:]]
    outcomes = [
        o for batch in cluster.analyse(batches, settings, client, die_on_poison) for o in batch
    ]
    assert [o.item_key for o in outcomes] == [d.key for d in documents]
    failed = [o for o in outcomes if o.problem is not None]
    assert [(o.item_key, o.problem.code) for o in failed] == [(documents[1].key, "P003")]
    assert all(o.analysis is not None for o in outcomes if o.problem is None)


def test_run_on_a_local_cluster_from_the_command_line(tmp_path: Path) -> None:
    db = tmp_path / "dask.db"
    reports = _reports(tmp_path / "reports", 2)
    result = subprocess.run(
        [*SITREP, "run", str(reports), "--db", str(db), "--cluster", "local:1"],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "SITREP_BATCH_SIZE": "1"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "2 items, " in result.stdout and "0 failed" in result.stdout
    with open_store(db) as store:
        assert store.count("items") == 2
    both = subprocess.run(
        [*SITREP, "run", str(reports), "--db", str(db), "--cluster", "local:2",
         "--scheduler", "tcp://127.0.0.1:8786"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert both.returncode == 2 and "[U005]" in both.stderr

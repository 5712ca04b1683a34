"""Batches on Dask workers: `sitrep run --cluster local:N` starts N worker processes here,
`--scheduler tcp://HOST:8786` uses a running dask.distributed cluster of any size.

The workers run the very function local worker processes run (`pipeline.analyze_batch`);
the main process stays the one writer. Results come back in input order and are
committed batch by batch with the resume ledger, as on one machine, so a killed run
resumes the same way. A worker that dies takes its batch with it and the scheduler gives
the batch to another worker (up to Dask's `allowed-failures`, 3 by default). A batch that
kills every worker it is given is split and its articles tried alone, so one article that
crashes the interpreter becomes one failure naming it, never a lost run.
"""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sitrep.errors import Code, UsageError
from sitrep.models import Document
from sitrep.settings import Settings
from sitrep.store import Outcome

if TYPE_CHECKING:
    from distributed import Client, Future

LOCAL = re.compile(r"local:(\d+)$")
CONNECT_SECONDS = 10
BATCHES_PER_WORKER = 2  # in flight at once: one running, one queued behind it
# What a local cluster's workers do besides the analysis, turned off: a statistical
# profiler sampling every thread's stack every 10 ms and a GIL-contention probe every 1 ms.
# Both are for Dask's dashboard, which a local run does not start; on a small machine they
# take their time from the analysis. The nannies hand this configuration to the workers.
LOCAL_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.gil.enabled": False,
}

Analyse = Callable[[list[Document], Settings], list[Outcome]]


def local_workers(address: str) -> int | None:
    """N for "local:N" (a usage error when N is not a positive number), None for the
    address of a running scheduler."""
    if not address.startswith("local:"):
        return None
    local = LOCAL.match(address)
    if local is None or int(local[1]) < 1:
        raise UsageError(Code.BAD_SETTING, f"--cluster {address!r}: give local:N, N at least 1")
    return int(local[1])


@contextmanager
def connect(address: str) -> Iterator[Client]:
    """A client of the cluster at `address` ("tcp://HOST:8786"), or of a local cluster of
    N single-threaded worker processes started for this run ("local:N")."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError(
            Code.NOT_SUPPORTED, "Dask runs need dask.distributed: pip install 'sitrep[dask]'"
        ) from None
    workers = local_workers(address)
    if workers is not None:
        with (
            dask.config.set(LOCAL_CONFIG),
            LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            ) as cluster,
            Client(cluster) as client,
        ):
            yield client
        return
    try:
        client = Client(address, timeout=CONNECT_SECONDS)
    except (OSError, ValueError, TypeError) as exc:
        raise UsageError(
            Code.CLUSTER_UNREACHABLE, f"--scheduler {address}: cannot connect ({exc})"
        ) from None
    with client:
        yield client


def analyse(
    batches: Iterable[list[Document]], settings: Settings, client: Client, analyse_batch: Analyse
) -> Iterator[list[Outcome]]:
    """Outcomes batch by batch, in input order, with a few batches per worker in flight."""
    workers = max(len(client.scheduler_info().get("workers", {})), 1)
    pending: deque[tuple[list[Document], Future]] = deque()
    queue = iter(batches)
    try:
        for batch in queue:
            pending.append((batch, client.submit(analyse_batch, batch, settings, pure=False)))
            if len(pending) >= workers * BATCHES_PER_WORKER:
                yield _outcomes(client, *pending.popleft(), settings, analyse_batch)
        while pending:
            yield _outcomes(client, *pending.popleft(), settings, analyse_batch)
    finally:
        client.cancel([future for _, future in pending])


def _outcomes(
    client: Client,
    batch: list[Document],
    future: Future,
    settings: Settings,
    analyse_batch: Analyse,
) -> list[Outcome]:
    """A batch's outcomes; a batch that killed its workers is tried one article at a
    time, and an article that kills them alone fails with a reason."""
    from distributed import KilledWorker

    from sitrep.pipeline import worker_died

    try:
        return future.result()
    except KilledWorker:
        if len(batch) > 1:
            return [
                outcome
                for document in batch
                for outcome in _outcomes(
                    client,
                    [document],
                    client.submit(analyse_batch, [document], settings, pure=False),
                    settings,
                    analyse_batch,
                )
            ]
    (document,) = batch
    return [worker_died(document)]

"""Runs the stages over documents: one at a time (`analyze`) or in batches (`run`).

`analyze` is the whole analysis of one document; a stage that raises is recorded on the
article (code P001) and the next stage goes on — spaCy's error_handler, in "record" mode.
`run` reads the inputs, skips items a previous run already stored (the resume ledger),
analyses batches in worker processes and commits each batch in one transaction, so an
interrupted run loses at most the batch in flight and a rerun duplicates nothing.
"""

from __future__ import annotations

import ctypes
import hashlib
import resource
import signal
import sys
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path
from types import ModuleType

from sitrep import actors, clean, entities, events, figures, geo, language, neardup, text
from sitrep import time as time_stage
from sitrep.errors import Code, StoreError
from sitrep.ingest import read_paths
from sitrep.models import Analysis, Document, Problem, Skipped
from sitrep.settings import Settings
from sitrep.store import Outcome, Store
from sitrep.stories import update as stories
from sitrep.stories import vectors

# Stages after cleaning, in order; each has REQUIRES, PROVIDES and run(analysis, settings).
STAGES: tuple[ModuleType, ...] = (
    language,
    text,
    entities,
    time_stage,
    geo,
    actors,
    figures,
    events,
)


def check_order(stages: tuple[ModuleType, ...], first: ModuleType = clean) -> None:
    """Fail when a stage runs before a stage that provides what it requires, as spaCy's
    `analyze_pipes` does. A field no stage provides (`article.text`) comes with its parent
    from `first` (cleaning makes the article)."""
    provided = set(first.PROVIDES)
    claimed = {name for stage in stages for name in stage.PROVIDES}
    for stage in stages:
        for need in stage.REQUIRES:
            parents = {need.rsplit(".", depth)[0] for depth in range(1, need.count(".") + 1)}
            if need in provided or (need not in claimed and parents & provided):
                continue
            name = stage.__name__.rsplit(".", 1)[-1]
            raise ValueError(f"stage {name} requires {need!r}, which no earlier stage provides")
        provided.update(stage.PROVIDES)


check_order(STAGES)
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
# A pool of worker processes is replaced by a fresh one once a worker's own memory passes
# this, so that what a long run's libraries keep (interned strings, caches of what they
# have seen, the arenas a huge input left) goes back to the system: over 10,000 hostile
# inputs a worker grew to 2.5 GB without it. Workers on the Guardian corpus peak at 1.1 GB
# and are never replaced; a new pool costs its workers' start and model load (about 10 s).
WORKER_MEMORY = 1536 * 2**20


def read_article(document: Document, settings: Settings) -> Analysis:
    """Clean one document and identify its language, nothing more: what a tool that works
    on the article's own text (`sitrep time`) needs, so it never reads raw markup."""
    return language.run(clean.run(document, settings), settings)


def analyze(document: Document, settings: Settings) -> Analysis:
    """Clean one document and run every stage on it; stage failures become warnings."""
    analysis = clean.run(document, settings)
    for stage in STAGES:
        name = stage.__name__.rsplit(".", 1)[-1]
        try:
            analysis = stage.run(analysis, settings)
        except Exception as exc:  # one stage failing must not lose the article
            analysis.warn(
                name, Code.STAGE_FAILED, f"stage {name} failed: {type(exc).__name__}: {exc}"
            )
    return analysis


def digest(document: Document) -> str:
    """A fingerprint of what was read for one item; a changed file is analysed again."""
    payload = "\x1f".join(
        part or "" for part in (document.content, document.title, document.date, document.url)
    )
    return hashlib.sha256(payload.encode("utf-8", errors="surrogatepass")).hexdigest()[:32]


def analyze_one(document: Document, settings: Settings) -> Outcome:
    """The outcome for one item: an analysis, or a failure with its reason."""
    key, fingerprint = document.key, digest(document)
    try:
        analysis = analyze(document, settings)
    except Exception as exc:  # the item fails, the batch goes on
        message = f"{key}: analysis failed: {type(exc).__name__}: {exc}"
        return Outcome(
            key,
            fingerprint,
            problem=Problem(code=Code.STAGE_FAILED, stage="clean", message=message),
        )
    if not analysis.article.text.strip():
        reasons = "; ".join(problem.message for problem in analysis.article.warnings)
        message = f"{key}: no article text after cleaning" + (f" ({reasons})" if reasons else "")
        return Outcome(
            key,
            fingerprint,
            problem=Problem(code=Code.NO_MAIN_TEXT, stage="clean", message=message),
        )
    return Outcome(key, fingerprint, analysis=analysis)


def analyze_batch(documents: list[Document], settings: Settings) -> list[Outcome]:
    """Worker entry point: one batch of documents to outcomes, each analysed article with
    its lead vector (in one call to the encoder, which batches are cheaper for)."""
    outcomes = [analyze_one(document, settings) for document in documents]
    analysed: dict[int, Analysis] = {}
    for index, outcome in enumerate(outcomes):
        if outcome.analysis is not None:
            analysed[index] = outcome.analysis
    try:
        leads = vectors.article_vectors(list(analysed.values()))
    except Exception as exc:  # stories and meaning search go without; the articles are kept
        for analysis in analysed.values():
            message = f"no article vector: {type(exc).__name__}: {exc}"
            analysis.warn("stories", Code.STAGE_FAILED, message)
        return outcomes
    for (index, analysis), vector in zip(analysed.items(), leads, strict=True):
        signature = neardup.signature(analysis.article.text)
        outcomes[index] = replace(outcomes[index], vector=vector, signature=signature)
    return outcomes


@dataclass
class RunSummary:
    """What a run did, for the CLI's summary and the exit code."""

    run_id: int = 0
    items: int = 0
    stored: int = 0
    duplicates: int = 0
    near_duplicates: int = 0  # texts nearly the same as a stored article's: another source
    resumed: int = 0
    failed: list[str] = field(default_factory=list)
    languages: Counter[str] = field(default_factory=Counter)
    date_origins: Counter[str] = field(default_factory=Counter)
    warnings: Counter[str] = field(default_factory=Counter)
    found: Counter[str] = field(default_factory=Counter)
    stories_started: int = 0
    stories_joined: int = 0  # articles that joined a story an earlier article began
    interrupted: bool = False

    def counts(self) -> dict[str, int]:
        """Flat figures for the runs table."""
        return {
            "items": self.items,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "resumed": self.resumed,
            "failed": len(self.failed),
            "stories_started": self.stories_started,
            "stories_joined": self.stories_joined,
        }

    def stories(self, counts: stories.StoryCounts) -> None:
        """Account for one update of the stories."""
        self.stories_started += counts.started
        self.stories_joined += counts.joined

    def add(self, outcome: Outcome, status: str) -> None:
        """Account for one saved outcome."""
        if outcome.problem is not None:
            self.failed.append(outcome.problem.message)
        if outcome.analysis is None:
            return
        article = outcome.analysis.article
        self.stored += status == "stored"
        self.duplicates += status == "duplicate"
        self.near_duplicates += status == "near-duplicate"
        self.languages[article.language or "unknown"] += 1
        self.date_origins[article.published.origin] += 1
        self.warnings.update(problem.code for problem in article.warnings)
        analysis = outcome.analysis
        self.found.update(
            sentences=len(analysis.sentences),
            times=len(analysis.times),
            places=len(analysis.places),
            places_resolved=sum(place.lat is not None for place in analysis.places),
            actors=len(analysis.actors),
            events=len(analysis.events),
            background=sum(event.background for event in analysis.events),
        )


def _batches(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run(
    paths: list[str],
    settings: Settings,
    store: Store,
    progress: Callable[[int, int], None] | None = None,
) -> RunSummary:
    """Analyse everything under `paths` into `store`; resumable and safe to interrupt.

    `progress(done, total)` is called after every committed batch.
    """
    summary = RunSummary(run_id=store.begin_run(paths))
    inputs = _Inputs(paths, settings)
    digests, skipped = inputs.survey()
    summary.items = len(digests) + len(skipped)
    already = store.done(digests)
    summary.resumed = len(already)
    skipped_outcomes = [Outcome(item.source, None, problem=item) for item in skipped]
    saved = store.save_batch(summary.run_id, skipped_outcomes)
    for outcome in skipped_outcomes:
        summary.add(outcome, saved[outcome.item_key])
    total, done = len(digests) - len(already), 0
    if progress:
        progress(0, total)
    status = "interrupted"
    try:
        summary.stories(stories.update(store))  # what an interrupted run left unplaced
        for outcomes in _analyse(inputs.todo(digests.keys() - already), settings):
            saved = store.save_batch(summary.run_id, outcomes)
            stored = []
            for outcome in outcomes:
                summary.add(outcome, saved[outcome.item_key])
                if outcome.analysis is not None and saved[outcome.item_key] == "stored":
                    stored.append(outcome.analysis.article.id)
            summary.stories(stories.update(store, stored))
            done += len(outcomes)
            if progress:
                progress(done, total)
        status = "done"
    finally:
        summary.interrupted = status != "done"
        try:
            store.finish_run(summary.run_id, status, summary.counts())
        except StoreError:
            if status == "done":
                raise
            # the error that stopped the run (the server gone, the disk full) says more
    return summary


class _Inputs:
    """The run's documents, read twice so that none is held in memory while it waits: a
    survey gives every item's fingerprint (for the resume ledger and the progress total),
    then `todo` reads them again one at a time as batches are needed. Standard input can
    be read only once, so a run that reads it keeps its documents."""

    def __init__(self, paths: list[str], settings: Settings) -> None:
        self.paths, self.settings = paths, settings
        self.kept: list[Document | Skipped] | None = None
        if "-" in paths:
            self.kept = list(read_paths(paths, settings))

    def _read(self) -> Iterator[Document | Skipped]:
        return iter(self.kept) if self.kept is not None else read_paths(self.paths, self.settings)

    def survey(self) -> tuple[dict[str, str], list[Skipped]]:
        """Each document's fingerprint by key (the first of a repeated key), and what was
        skipped while reading."""
        digests: dict[str, str] = {}
        skipped: list[Skipped] = []
        for item in self._read():
            if isinstance(item, Skipped):
                skipped.append(item)
            elif item.key not in digests:
                digests[item.key] = digest(item)
        return digests, skipped

    def todo(self, keys: set[str]) -> Iterator[Document]:
        """The documents with these keys, in input order, each once."""
        wanted = set(keys)
        for item in self._read():
            if isinstance(item, Document) and item.key in wanted:
                wanted.discard(item.key)
                yield item


def _init_worker() -> None:
    """Workers leave Ctrl-C to the main process, and die with it if it is killed (kill -9).

    Without the parent-death signal, orphaned workers would wait on their queue forever.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _analyse(documents: Iterable[Document], settings: Settings) -> Iterator[list[Outcome]]:
    """Outcomes batch by batch, in input order: on Dask workers (`settings.cluster`), or
    in local worker processes when there is more than one batch to share."""
    batches = _batches(documents, settings.batch_size)
    if settings.cluster:
        from sitrep import cluster

        with cluster.connect(settings.cluster) as client:
            yield from cluster.analyse(batches, settings, client, analyze_batch)
        return
    first = list(islice(batches, 2))
    batches = chain(first, batches)
    if settings.workers == 1 or len(first) <= 1:
        for batch in batches:
            yield analyze_batch(batch, settings)
        return
    while True:
        lost = yield from _in_pool(batches, settings)
        if lost is None:
            return
        for batch in lost:
            yield _retried(batch, settings)


def _measured_batch(documents: list[Document], settings: Settings) -> tuple[list[Outcome], int]:
    """Worker entry point: a batch's outcomes, and the memory the worker holds."""
    return analyze_batch(documents, settings), _own_memory()


def _own_memory() -> int:
    """Bytes this process holds alone. A forked worker's resident size counts the pages it
    shares with its parent (a notebook that loaded every model, say), which would retire
    every pool at once; its private pages are what it grew by itself."""
    try:
        rollup = Path("/proc/self/smaps_rollup").read_text("ascii").splitlines()
    except OSError:  # not Linux: the peak resident size is what there is
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    fields = (line.split() for line in rollup)
    return sum(int(f[1]) * 1024 for f in fields if f and f[0] in _PRIVATE)


_PRIVATE = ("Private_Clean:", "Private_Dirty:")


def _in_pool(
    batches: Iterator[list[Document]], settings: Settings
) -> Generator[list[Outcome], None, list[list[Document]] | None]:
    """Outcomes of `batches` from a pool of fresh worker processes, until a worker's own
    memory passes `WORKER_MEMORY` (what is in flight is finished) or a worker dies (the
    batches in flight are returned, lost). Returns None once `batches` are all done;
    otherwise the rest is left for a fresh pool."""
    with ProcessPoolExecutor(max_workers=settings.workers, initializer=_init_worker) as pool:
        pending: deque[tuple[list[Document], Future[tuple[list[Outcome], int]]]] = deque()
        retiring = exhausted = False
        try:
            while True:
                while not (retiring or exhausted) and len(pending) < settings.workers * 2:
                    batch = next(batches, None)
                    exhausted = batch is None
                    if batch is not None:
                        pending.append((batch, pool.submit(_measured_batch, batch, settings)))
                if not pending:
                    return None if exhausted else []
                outcomes, held = pending[0][1].result()
                pending.popleft()
                retiring = retiring or held > WORKER_MEMORY
                yield outcomes
        except BrokenProcessPool:
            return [batch for batch, _ in pending]
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _retried(documents: list[Document], settings: Settings) -> list[Outcome]:
    """A batch whose pool broke (a worker died: the kernel's OOM killer, a crash in a C
    library) in a fresh one-worker pool, halved until an article that kills its worker
    is alone: that one fails with P003, the others are analysed."""
    try:
        with ProcessPoolExecutor(max_workers=1, initializer=_init_worker) as pool:
            return pool.submit(analyze_batch, documents, settings).result()
    except BrokenProcessPool:
        if len(documents) == 1:
            return [worker_died(documents[0])]
        half = len(documents) // 2
        return _retried(documents[:half], settings) + _retried(documents[half:], settings)


def worker_died(document: Document) -> Outcome:
    """The outcome of an article that every worker given it died analysing."""
    message = f"{document.key}: every worker given this article died analysing it"
    problem = Problem(code=Code.WORKER_DIED, stage="pipeline", message=message)
    return Outcome(document.key, digest(document), problem=problem)

"""The pipeline over batches: resume without duplicates, failures recorded, stages isolated."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sitrep import entities, pipeline, text
from sitrep import time as time_stage
from sitrep.models import Document
from sitrep.settings import Settings
from sitrep.store import SQLiteStore
from sitrep.store.base import EventFilter

SITREP = [sys.executable, "-c", "from sitrep.cli import main; main()"]


def test_pipeline_stage_order_is_checked_against_requirements() -> None:
    pipeline.check_order(pipeline.STAGES)  # the shipped order (also checked on import)
    swapped = list(pipeline.STAGES)
    at = swapped.index(time_stage)
    swapped[at], swapped[-1] = swapped[-1], swapped[at]  # events before time
    with pytest.raises(ValueError, match=r"stage events requires 'article.published.not_before'"):
        pipeline.check_order(tuple(swapped))
    without_entities = tuple(stage for stage in pipeline.STAGES if stage is not entities)
    with pytest.raises(ValueError, match=r"stage geo requires 'entities'"):
        pipeline.check_order(without_entities)


def test_pipeline_rerun_resumes_and_duplicates_nothing(
    seeds: Path, settings: Settings, db: SQLiteStore
) -> None:
    first = pipeline.run([str(seeds)], settings, db)
    assert (first.stored, first.duplicates, first.resumed, first.failed) == (5, 0, 0, [])
    second = pipeline.run([str(seeds)], settings, db)
    assert (second.stored, second.duplicates, second.resumed) == (0, 0, 5)
    assert db.count("articles") == 5 and db.count("article_sources") == 5


@pytest.mark.timeout(180)
def test_pipeline_workers_fork_after_the_encoder_is_loaded(
    seeds: Path, db: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Python API may analyse one article in-process (ONNX Runtime loaded, its thread
    running) and then run a batch: forked workers must still embed, not hang. Here every
    worker passes the memory limit at once, so a fresh pool takes over after each
    round of batches in flight, and nothing is lost or reordered at the changes."""
    monkeypatch.setattr(pipeline, "WORKER_MEMORY", 0)
    settings = Settings(workers=2, batch_size=1)
    (document,) = pipeline.read_paths([str(seeds / "003_1de29ac0a172954b.txt")], settings)
    in_process = pipeline.analyze(document, settings)
    summary = pipeline.run([str(seeds)], settings, db)
    assert (summary.stored, summary.failed) == (5, [])
    every = EventFilter(background=True)
    from_workers = [e for e in db.events(every) if e.article_id == in_process.article.id]
    assert sorted(e.id for e in from_workers) == sorted(e.id for e in in_process.events)
    assert from_workers


def test_pipeline_same_text_in_another_file_is_one_article(
    seeds: Path, tmp_path: Path, settings: Settings, db: SQLiteStore
) -> None:
    shutil.copytree(seeds, tmp_path / "a")
    shutil.copy(seeds / "002_9d3f46580d6cf18e.txt", tmp_path / "a" / "copy_of_002.txt")
    summary = pipeline.run([str(tmp_path / "a")], settings, db)
    assert (summary.stored, summary.duplicates) == (5, 1)
    article_id = next(row.id for row in db.articles() if row.n_sources == 2)
    assert [Path(key).name for key in db.sources(article_id)] == [
        "002_9d3f46580d6cf18e.txt",
        "copy_of_002.txt",
    ]


def test_pipeline_bad_inputs_fail_alone(
    seeds: Path, tmp_path: Path, settings: Settings, db: SQLiteStore
) -> None:
    folder = tmp_path / "mixed"
    shutil.copytree(seeds, folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(300))
    (folder / "nobody.html").write_text("<html><head><title>x</title></head></html>")
    (folder / "dump.jsonl").write_text('{"text": "Kämpfe in Mossul dauern an."}\n{broken\n')
    summary = pipeline.run([str(folder)], settings, db)
    assert summary.stored == 6
    failed = sorted(message.split(": ", 1)[0].rsplit("/", 1)[-1] for message in summary.failed)
    assert failed == ["dump.jsonl line 2", "empty.txt", "image.txt", "nobody.html"]
    codes = {code for (code,) in db.db.execute("SELECT code FROM problems")}
    assert codes == {"I001", "I002", "I005", "C001"}


def test_pipeline_failing_stage_is_recorded_and_the_article_kept(
    seeds: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(analysis, settings):
        raise RuntimeError("segmenter broke")

    monkeypatch.setattr(text, "run", explode)
    from sitrep.ingest import read_paths

    document = next(iter(read_paths([str(seeds / "000_5eab4c28b670c610.txt")], settings)))
    analysis = pipeline.analyze(document, settings)
    assert analysis.article.language == "en"
    assert analysis.sentences == []
    assert [(w.code, w.stage) for w in analysis.article.warnings] == [
        ("C003", "clean"),
        ("P001", "text"),
    ]
    assert "segmenter broke" in analysis.article.warnings[1].message


def _corpus(path: Path, seeds: Path, copies: int) -> int:
    """A JSON Lines corpus of distinct articles made from the seeds: each copy has its own
    number after every fourth word, so that no two are near-duplicates (which would be
    stored as one article with several sources)."""
    texts = [seed.read_text(encoding="utf-8") for seed in sorted(seeds.glob("*.txt"))]
    with path.open("w", encoding="utf-8") as handle:
        for number in range(copies):
            for index, body in enumerate(texts):
                words = body.split(" ")
                marked = " ".join(f"{w} {number}" if i % 4 == 3 else w for i, w in enumerate(words))
                handle.write(json.dumps({"text": f"{marked}\n\nBericht {number}-{index}."}) + "\n")
    return copies * len(texts)


def _count(db_path: Path, table: str) -> int:
    if not db_path.exists():
        return 0
    try:
        with sqlite3.connect(db_path) as connection:
            return connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):  # the run has not made its schema yet
            return 0
        raise


def _no_process_reads(corpus: Path, wait_s: float = 10.0) -> bool:
    """True once no process has `corpus` on its command line (orphaned workers would)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        alive = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if str(corpus).encode() in cmdline.read_bytes():
                    alive.append(cmdline)
            except OSError:
                continue
        if not alive:
            return True
        time.sleep(0.1)
    return False


def _start(corpus: Path, db_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "SITREP_BATCH_SIZE": "2", "SITREP_WORKERS": "2"}
    return subprocess.Popen(
        [*SITREP, "run", str(corpus), "--db", str(db_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _interrupt_after_first_batches(corpus: Path, db_path: Path, sig: int) -> tuple[int, str]:
    process = _start(corpus, db_path)
    deadline = time.monotonic() + 120
    while _count(db_path, "articles") < 4 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert process.poll() is None, (
        f"the run ended before it was stopped: {_count(db_path, 'articles')} articles"
    )
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_pipeline_interrupted_run_resumes_without_loss_or_duplicates(
    seeds: Path, tmp_path: Path, sig: int
) -> None:
    corpus, db_path = tmp_path / "corpus.jsonl", tmp_path / "run.db"
    total = _corpus(corpus, seeds, copies=8)
    code, stderr = _interrupt_after_first_batches(corpus, db_path, sig)
    stored_before = _count(db_path, "articles")
    assert 0 < stored_before < total, "the run must be stopped part-way"
    if sig == signal.SIGINT:
        assert code == 130 and "run the same command to resume" in stderr
        assert "Traceback" not in stderr
    else:
        assert code == -signal.SIGKILL
    assert _no_process_reads(corpus), "worker processes outlived the run"
    finished = subprocess.run(
        [*SITREP, "run", str(corpus), "--db", str(db_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stderr
    assert f"{stored_before} already done" in finished.stdout
    assert _count(db_path, "articles") == total
    assert _count(db_path, "article_sources") == total
    assert _count(db_path, "items") == total
    statuses = sqlite3.connect(db_path).execute("SELECT status FROM runs ORDER BY id").fetchall()
    assert statuses[-1] == ("done",)
    assert statuses[0] == ("interrupted",) if sig == signal.SIGINT else ("running",)


def test_pipeline_wall_of_capitalised_words_goes_through_every_stage(settings: Settings) -> None:
    words = ["Mossul", "Bagdad", "Angriff", "Kämpfer", "Stadt", "Armee", "Irak", "Truppen"]
    wall = " ".join(words[i * 7 % len(words)] for i in range(9_000))  # ~60 KB: chunked, no stop
    document = Document(source="wall.txt", content=wall)
    analysis = pipeline.analyze(document, settings)
    assert analysis.article.language == "de"
    assert [w.code for w in analysis.article.warnings if w.code == "P001"] == []
    assert len(analysis.sentences) == 1 and analysis.places


@pytest.mark.parametrize("language", ["de", "en"])
def test_pipeline_one_enormous_word_goes_through_every_stage(
    language: str, settings: Settings
) -> None:
    """120,000 characters without a space, made of a trigger stem repeated: every stage
    reads it (trigger words were once widened to the whole word one character at a time,
    for each of the 20,000 matches inside it, which took many minutes)."""
    stem = {"de": "Kämpfe", "en": "Attacks"}[language]
    document = Document(source="word.txt", content=stem * (120_000 // len(stem)))
    analysis = pipeline.analyze(document, settings.model_copy(update={"forced_language": language}))
    assert [w.message for w in analysis.article.warnings if w.code == "P001"] == []
    assert len(analysis.sentences) == 1 and analysis.events == []


def _fuzz_module():
    """`benchmarks/fuzz_inputs.py`, whose generators make the hostile files."""
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "fuzz_inputs.py"
    spec = importlib.util.spec_from_file_location("fuzz_inputs", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_pipeline_every_kind_of_hostile_input_fails_alone_and_is_named(
    tmp_path: Path, settings: Settings, db: SQLiteStore
) -> None:
    """One file of every kind the fuzz benchmark makes (binary, NUL bytes, broken and mixed
    encodings, HTML nested 10,000 deep, JSON 100,000 brackets deep or with huge numbers, a
    million CSV columns, a 50 MB line, a gzip bomb, impossible dates, a symlink loop …) in
    one folder: the run finishes, and every file is stored or named by a coded problem."""
    fuzz = _fuzz_module()
    folder = tmp_path / "hostile"
    folder.mkdir()
    files = fuzz.write_inputs(folder, len(fuzz.LIGHT) + len(fuzz.HEAVY) + 2, 1, seed=3)
    summary = pipeline.run([str(folder)], settings, db)
    assert summary.stored > 0 and summary.failed
    missing, codes, stored, status = fuzz.accounted(Path(db.path), files)
    assert missing == [] and status == "done" and stored == summary.stored
    assert {"I001", "I002"} <= set(codes)


def test_pipeline_run_reads_standard_input_once_and_resumes_from_it(
    settings: Settings, db: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run reads its inputs twice (a survey for the ledger, then batch by batch), but
    standard input only once: what it gave is kept for the second reading."""
    records = [
        {"text": "Kämpfer griffen am Montag einen Posten bei Mossul an."},
        {"text": "Two soldiers were killed near Raqqa on Sunday."},
    ]
    data = "".join(json.dumps(record) + "\n" for record in records).encode()

    def from_stdin() -> pipeline.RunSummary:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        return pipeline.run(["-"], settings.model_copy(update={"batch_size": 1}), db)

    first = from_stdin()
    assert (first.items, first.stored, first.failed) == (2, 2, [])
    analyses = db.db.execute("SELECT analysis FROM articles ORDER BY rowid").fetchall()
    assert ["Mossul" in row[0] for row in analyses] == [True, False]
    second = from_stdin()
    assert (second.items, second.stored, second.resumed) == (2, 0, 2)


def test_pipeline_article_that_kills_its_worker_fails_alone(
    tmp_path: Path, db: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker process that dies (a crash in a C library, the OOM killer) breaks the whole
    pool: the batches in flight are tried again, halved until the article that kills its
    worker is alone; it fails with P003 and the run goes on. The crash is a stand-in for
    such a library, inherited by the forked workers."""
    analyze_one = pipeline.analyze_one

    def crash_on_poison(document: Document, settings: Settings) -> pipeline.Outcome:
        if "POISON" in document.content:
            os._exit(1)
        return analyze_one(document, settings)

    monkeypatch.setattr(pipeline, "analyze_one", crash_on_poison)
    folder = tmp_path / "reports"
    folder.mkdir()
    for number in range(7):
        text = f"Report {number}: two soldiers were killed near Hajin on Sunday."
        (folder / f"r{number}.txt").write_text("POISON" if number == 4 else text)
    summary = pipeline.run([str(folder)], Settings(workers=2, batch_size=2), db)
    assert [message.split(":")[0] for message in summary.failed] == [str(folder / "r4.txt")]
    assert summary.stored + summary.near_duplicates == 6 == db.count("article_sources")
    codes = db.db.execute("SELECT item_key, code FROM problems").fetchall()
    assert codes == [(str(folder / "r4.txt"), "P003")]

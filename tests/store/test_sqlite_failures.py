"""A SQLite database that refuses writes (locked by another program, read-only, the disk
full): `sitrep run` stops with one clear line and a non-zero exit, commits nothing half,
and the same command completes once the cause is gone."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sitrep.store import open_store

SITREP = [sys.executable, "-c", "from sitrep.cli import main; main()"]


def _run(seeds: Path, db: Path, **options: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SITREP_LOCK_WAIT": "0.5", **options.pop("env", {})}
    return subprocess.run(
        [*SITREP, "run", str(seeds), "--db", str(db), "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        **options,
    )


def _one_error(result: subprocess.CompletedProcess[str], code: str) -> str:
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert result.returncode == 1, result.stderr
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    assert errors[0].startswith(f"error: [{code}] "), errors
    return errors[0]


def _articles(db: Path) -> int:
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return int(connection.execute("SELECT COUNT(*) FROM articles").fetchone()[0])


def test_a_database_locked_by_another_program(seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "locked.db"
    open_store(db).close()
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        line = _one_error(_run(seeds, db), "S002")
        assert "database is locked" in line and str(db) in line
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert _articles(db) == 0


@contextmanager
def _read_only(*paths: Path) -> Iterator[None]:
    """Paths nobody may write, not even root (the immutable attribute, where root runs
    the tests; plain permissions otherwise)."""
    if os.geteuid() == 0:
        if not shutil.which("chattr"):
            pytest.skip("running as root without chattr: nothing makes a file read-only")
        made = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True)
        if made.returncode != 0:
            pytest.skip(f"chattr +i refused here: {made.stderr.decode().strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", *map(str, paths)], check=True)
        return
    modes = {path: path.stat().st_mode for path in paths}
    for path in paths:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def test_a_read_only_database(seeds: Path, tmp_path: Path) -> None:
    folder = tmp_path / "shelf"
    folder.mkdir()
    db = folder / "sitrep.db"
    open_store(db).close()  # closed cleanly: no -wal or -shm left
    with _read_only(db, folder):
        line = _one_error(_run(seeds, db), "S001")
        assert f"{db}: cannot open database" in line and "read-only" in line, line
    assert _articles(db) == 0


def _limit_file_size(limit: int) -> None:
    """In the child: files may grow to `limit` bytes, as on a disk about to be full; a
    write past it fails (EFBIG) instead of killing the process."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_mid_run(seeds: Path, tmp_path: Path) -> None:
    db = tmp_path / "full.db"
    open_store(db).close()
    limit = db.stat().st_size + 16_384
    env = {"SITREP_BATCH_SIZE": "2"}
    result = _run(seeds, db, env=env, preexec_fn=lambda: _limit_file_size(limit))
    line = _one_error(result, "S002")
    assert str(db) in line and ("full" in line or "I/O" in line), line
    stored = _articles(db)
    assert stored % 2 == 0 and stored < 5  # whole batches only
    rerun = _run(seeds, db, env=env)
    assert rerun.returncode == 0, rerun.stderr
    assert _articles(db) == 5

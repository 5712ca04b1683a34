"""The gazetteer index: every known place as a row of numpy arrays, plus name keys pointing
at rows, and the lookups place finding and resolution make on it.

Only the index lives here. `sitrep.geo.gazetteer` loads it (building the embedded default
once with `sitrep.geo.build`), `sitrep.geo.geonames` builds one from GeoNames dumps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from sitrep.geo.normalize import keys, skeleton

__all__ = ["DATA", "FORMAT", "KINDS", "KIND_CODE", "MAX_POSTINGS", "Candidate", "Gazetteer"]

MEMO_SIZE = 100_000
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
MAX_POSTINGS = 63  # candidates kept per key (the most populous)


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

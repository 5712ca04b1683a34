"""ACLED's `source_scale`: how the outlet that reported an event stands to the event's
country — National, Subnational, Regional or International (ACLED's own words).

Outlets and their home and reach are data (`export/outlets.tsv`); an outlet that is not
listed gets an empty scale, never a guess.
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

from sitrep.export.countries import country

__all__ = ["source_scale"]


@cache
def _outlets() -> dict[str, tuple[str, str]]:
    """key -> (home country, reach)."""
    text = (resources.files("sitrep.export") / "outlets.tsv").read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return {
        row["key"]: (row["home"], row["reach"]) for row in csv.DictReader(lines, delimiter="\t")
    }


def _key(outlet: str) -> str:
    return outlet.strip().lower().removeprefix("www.")


def source_scale(outlet: str | None, event_country: str | None) -> str:
    """The scale of an outlet's report of an event in `event_country` (ISO alpha-2), or ""
    when the outlet or the country is unknown."""
    found = _outlets().get(_key(outlet or ""))
    if found is None or not event_country:
        return ""
    home, reach = found
    if reach == "new media":
        return "New media"
    if home == event_country:
        return "Subnational" if reach == "subnational" else "National"
    if reach == "regional":
        here, there = country(home), country(event_country)
        if here and there and here.region == there.region:
            return "Regional"
    return "International"

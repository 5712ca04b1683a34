"""One-to-one matching of coded events within an article (`sitrep eval events`).

Two events are the same coded event when they have the same event type, places within
50 km (for a gold place at geo_precision 3: the same admin1, or the same country when the
gold names only the country), overlapping date ranges (or both undated), and the same
number of fatalities. Within an article each gold event takes at most one system event;
the pairing that matches most is found with the Hungarian method, so the order of events
never changes a score.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from sitrep.eval.coding import Coded, normal_actor
from sitrep.geo.resolve import great_circle_km

__all__ = [
    "admin_key",
    "assign",
    "field_agreement",
    "same_date",
    "same_event",
    "same_place",
]

PLACE_KM = 50.0
_ADMIN_NOISE = (
    "governorate",
    "province",
    "muhafazat",
    "gouvernement",
    "provinz",
    "region",
    "state",
    "district",
)
_ARTICLES = frozenset({"al", "ad", "ar", "as", "az", "el", "ez", "ash", "an"})


def admin_key(name: str | None) -> str | None:
    """An admin1 name reduced for comparison: accents, Arabic articles, punctuation and words
    like "Governorate" dropped. Spellings of one governorate still differ ("Deir ez-Zor",
    "Dayr az Zawr"), which is why the 50 km test comes first."""
    if not name:
        return None
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    for ch in "-'’`.,()":
        text = text.replace(ch, " ")
    words = [w for w in text.split() if w not in _ADMIN_NOISE and w not in _ARTICLES]
    return "".join(words) or None


def same_place(gold: Coded, system: Coded) -> bool:
    """The system's place is where the gold says the event happened."""
    if system.lat is None or system.lon is None or gold.lat is None or gold.lon is None:
        return gold.lat is None and system.lat is None and gold.country == system.country
    if great_circle_km(gold.lat, gold.lon, system.lat, system.lon) <= PLACE_KM:
        return True
    if gold.geo_precision != 3 or gold.country != system.country:
        return False
    gold_admin = admin_key(gold.admin1)
    return gold_admin is None or gold_admin == admin_key(system.admin1)


def same_date(gold: Coded, system: Coded) -> bool:
    """Overlapping date ranges, or both undated (the article cannot settle it)."""
    if gold.earliest is None or system.earliest is None:
        return gold.earliest is None and system.earliest is None
    gold_latest = gold.latest or gold.earliest
    system_latest = system.latest or system.earliest
    return gold.earliest <= system_latest and system.earliest <= gold_latest


def same_event(gold: Coded, system: Coded) -> bool:
    """Strict: type, place, date and fatalities all right."""
    return (
        gold.event_type == system.event_type
        and gold.fatalities == system.fatalities
        and same_place(gold, system)
        and same_date(gold, system)
    )


FIELDS: dict[str, Callable[[Coded, Coded], bool]] = {
    "sub_event_type": lambda g, s: g.sub_event_type == s.sub_event_type,
    "actor1": lambda g, s: normal_actor(g.actor1) == normal_actor(s.actor1),
    "actor2": lambda g, s: normal_actor(g.actor2) == normal_actor(s.actor2),
    "place": same_place,
    "date": same_date,
    "fatalities": lambda g, s: g.fatalities == s.fatalities,
}


def field_agreement(gold: Coded, system: Coded) -> dict[str, bool]:
    """Which fields of a paired event are right."""
    return {name: check(gold, system) for name, check in FIELDS.items()}


def assign(
    gold: Sequence[Coded], system: Sequence[Coded], weight: Callable[[Coded, Coded], float]
) -> list[tuple[int, int]]:
    """The one-to-one pairing with the largest total weight; pairs of weight <= 0 are
    never made. Hungarian method on a square matrix (articles hold few events)."""
    if not gold or not system:
        return []
    n = max(len(gold), len(system))
    scores = [
        [weight(gold[i], system[j]) if i < len(gold) and j < len(system) else 0.0 for j in range(n)]
        for i in range(n)
    ]
    top = max(max(row) for row in scores)
    cost = [[top - value for value in row] for row in scores]
    pairs = _hungarian(cost)
    return [(i, j) for i, j in pairs if i < len(gold) and j < len(system) and scores[i][j] > 0]


def _hungarian(cost: list[list[float]]) -> list[tuple[int, int]]:
    """Minimum-cost perfect assignment of a square matrix (Kuhn–Munkres, potentials)."""
    n = len(cost)
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (n + 1)
    owner, way = [0] * (n + 1), [0] * (n + 1)
    for row in range(1, n + 1):
        owner[0] = row
        column = 0
        best = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[column] = True
            current, delta, nxt = owner[column], inf, 0
            for j in range(1, n + 1):
                if used[j]:
                    continue
                reduced = cost[current - 1][j - 1] - u[current] - v[j]
                if reduced < best[j]:
                    best[j], way[j] = reduced, column
                if best[j] < delta:
                    delta, nxt = best[j], j
            for j in range(n + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    best[j] -= delta
            column = nxt
            if owner[column] == 0:
                break
        while column:
            previous = way[column]
            owner[column] = owner[previous]
            column = previous
    return [(owner[j] - 1, j - 1) for j in range(1, n + 1) if owner[j]]

"""ACLED's codebook in one place: what every stage and exporter codes events by.

Event types and sub-event types, the disorder type each belongs to, the actor (inter)
codes and the interaction code made of two of them, the generic actors coded for a side
the text leaves unnamed, time precision from a date's granularity, and country names as
ACLED spells them where ISO/CLDR differ. Stages and exporters import these facts from
here rather than keeping their own copies (ACLED codebook, 2023 edition).
"""

from __future__ import annotations

__all__ = [
    "CIVILIANS",
    "COUNTRIES_WITH_THE",
    "COUNTRY_NAMES",
    "DEFAULT_SIDES",
    "DISORDER_TYPES",
    "EVENT_TYPES",
    "INTER",
    "NON_STATE",
    "STATE",
    "SUB_EVENT_TYPES",
    "VIOLENT",
    "country_name",
    "interaction",
    "time_precision",
]

SUB_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}
EVENT_TYPES: tuple[str, ...] = tuple(SUB_EVENT_TYPES)
DISORDER_TYPES = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Political violence",
    "Protests": "Demonstrations",
    "Strategic developments": "Strategic developments",
}
# The event types in which a government acts through its forces ("the regime bombed …" is
# Military Forces of X); riots are political violence too, but by crowds.
VIOLENT = frozenset({"Battles", "Explosions/Remote violence", "Violence against civilians"})

INTER = {
    1: "State Forces",
    2: "Rebel Groups",
    3: "Political Militias",
    4: "Identity Militias",
    5: "Rioters",
    6: "Protesters",
    7: "Civilians",
    8: "External/Other Forces",
}
STATE = 1
NON_STATE = frozenset({2, 3, 4})
CIVILIANS = 7

# ACLED's generic actors for a side the text leaves unnamed, by event type or sub-type (actor 1
# and actor 2 catalogue-id prefixes). "A suicide bomber killed 12" → an unidentified armed group
# against civilians.
DEFAULT_SIDES: dict[str, tuple[str | None, str | None]] = {
    "Explosions/Remote violence": ("uag", None),
    "Violence against civilians": ("uag", "civilians"),
    "Protests": ("protesters", None),
    "Riots": ("rioters", None),
    "Arrests": ("police", None),  # a sub-type: arrests are the state's (ACLED codebook)
}

# ACLED's spelling where CLDR's English differs.
COUNTRY_NAMES = {
    "TR": "Turkey",
    "MM": "Myanmar",
    "CD": "Democratic Republic of Congo",
    "CG": "Republic of Congo",
    "CI": "Ivory Coast",
    "PS": "Palestine",
    "CZ": "Czech Republic",
    "HK": "Hong Kong",
    "MO": "Macau",
}

# Countries ACLED names with "the" in an actor's name ("Military Forces of the United States").
COUNTRIES_WITH_THE = frozenset({"US", "GB", "NL", "PH", "AE", "CF", "DO", "BS", "GM", "MV", "SB"})

_TIME_PRECISION = {"day": 1, "week": 2}


def country_name(code: str | None) -> str | None:
    """A country as ACLED names it ("Syria", "Turkey", "Iran", "Russia"): CLDR's short
    English name, with ACLED's spelling where it differs; None for an unknown code."""
    if not code:
        return None
    from babel import Locale

    code = code.upper()
    return COUNTRY_NAMES.get(code) or Locale("en").territories.get(code)


def interaction(inter1: int | None, inter2: int | None) -> str:
    """ACLED's two-digit interaction code: the two inter codes, lower first ("" when
    actor 1 has none; a lone actor is its code times ten)."""
    if not inter1:
        return ""
    if not inter2:
        return str(inter1 * 10)
    low, high = sorted((inter1, inter2))
    return f"{low}{high}"


def time_precision(granularity: str | None) -> int | None:
    """ACLED's time precision for a date known to a day (1), a week (2) or anything
    coarser (3: month, season, year)."""
    if granularity is None:
        return None
    return _TIME_PRECISION.get(granularity, 3)
